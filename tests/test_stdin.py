"""``extract stdin`` or ``extract - -``: one report on stdin, its facts as JSON Lines on stdout."""

from __future__ import annotations

import codecs
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract import cli, extract_paths

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLE = REPOSITORY / "raw" / "000_a624ea3b61366e50.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")

#: The two ways to call it: the command, and its shorthand.
STDIN_CALLS = [
    pytest.param(["stdin"], id="stdin-command"),
    pytest.param(["-", "-"], id="dash-dash"),
]


def run_stdin(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
    *arguments: str,
) -> tuple[int, str, str]:
    """Return the exit code, stdout and stderr of ``extract ARGUMENTS`` with ``data`` on stdin."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = cli.main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def folder_rows(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Return the facts.jsonl lines of a folder run over the sample report alone."""
    input_dir = tmp_path_factory.mktemp("in")
    (input_dir / "report.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    output_dir = tmp_path_factory.mktemp("out")
    extract_paths(input_dir, output_dir)
    return (output_dir / "facts.jsonl").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SAMPLE_TEXT.encode(), id="utf-8"),
        pytest.param(SAMPLE_TEXT.encode("gb18030"), id="gb18030"),
        pytest.param(codecs.BOM_UTF16_LE + SAMPLE_TEXT.encode("utf-16-le"), id="utf-16-bom"),
        pytest.param(SAMPLE_TEXT.replace("\n", "\r\n").encode(), id="crlf"),
    ],
)
@pytest.mark.parametrize("call", STDIN_CALLS)
def test_stdin_gives_the_rows_of_a_folder_run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    folder_rows: list[str],
    data: bytes,
    call: list[str],
) -> None:
    code, out, err = run_stdin(monkeypatch, capsys, data, *call, "--doc-id", "report")
    assert (code, err) == (cli.EXIT_OK, "")
    assert out.splitlines() == folder_rows
    assert len(folder_rows) > 10


@pytest.mark.parametrize("call", STDIN_CALLS)
def test_doc_id_defaults_to_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], call: list[str]
) -> None:
    code, out, _ = run_stdin(monkeypatch, capsys, "新增公办学位1.1万个。".encode(), *call)
    assert code == cli.EXIT_OK
    assert [(row["doc_id"], row["mention"]) for row in map(json.loads, out.splitlines())] == [
        ("stdin", "1.1万个")
    ]


@pytest.mark.parametrize("call", STDIN_CALLS)
def test_stdin_takes_lexicon_files(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], call: list[str]
) -> None:
    lexicon = str(REPOSITORY / "examples" / "lexicon.toml")
    data = "参会人数不下3000人。".encode()
    code, out, _ = run_stdin(monkeypatch, capsys, data, *call, "--lexicon", lexicon)
    assert code == cli.EXIT_OK
    assert json.loads(out)["comparator"] == ">="


@pytest.mark.parametrize(
    ("data", "code", "stderr"),
    [
        pytest.param(b"", cli.EXIT_SOME_FILES_NOT_OK, "error: <stdin>: empty file\n", id="empty"),
        pytest.param(
            b"%PDF-1.4\n" + bytes(100),
            cli.EXIT_SOME_FILES_NOT_OK,
            "error: <stdin>: binary content (PDF file)\n",
            id="binary",
        ),
        pytest.param(
            bytes([0x81, 0x7F]) * 50,
            cli.EXIT_SOME_FILES_NOT_OK,
            "error: <stdin>: not UTF-8, UTF-16, GB18030 or Big5",
            id="undecodable",
        ),
        pytest.param(
            "新增公办学位1.1万个。\x00开工整治病险水库16座。".encode(),
            cli.EXIT_OK,
            "repaired: <stdin>: removed 1 stray NUL byte\n",
            id="repaired-nul-byte",
        ),
    ],
)
@pytest.mark.parametrize("call", STDIN_CALLS)
def test_stdin_that_gives_no_text_is_one_error_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
    code: int,
    stderr: str,
    call: list[str],
) -> None:
    result = run_stdin(monkeypatch, capsys, data, *call)
    assert result[0] == code
    assert result[2].startswith(stderr)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(["stdin", "-q"], id="stdin-command"),
        pytest.param(["-", "-", "--quiet"], id="dash-dash"),
        pytest.param(["-q", "-", "-"], id="quiet-before-dash-dash"),
    ],
)
def test_quiet_drops_the_repaired_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], call: list[str]
) -> None:
    data = "新增公办学位1.1万个。\x00".encode()
    code, out, err = run_stdin(monkeypatch, capsys, data, *call)
    assert (code, err) == (cli.EXIT_OK, "")
    assert [json.loads(line)["mention"] for line in out.splitlines()] == ["1.1万个"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(["-", "out"], "so it is given twice: extract - -", id="stdin-to-folder"),
        pytest.param(["raw", "-"], "so it is given twice: extract - -", id="folder-to-stdout"),
        pytest.param(["raw", "out", "--doc-id", "x"], "use it with '- -'", id="doc-id-of-a-folder"),
        pytest.param(
            ["-", "-", "-j", "2"], "-j/--jobs applies to a folder run", id="jobs-of-stdin"
        ),
        pytest.param(
            ["stdin", "raw", "out"], "unrecognized arguments: raw out", id="stdin-folders"
        ),
    ],
)
def test_stdin_usage_errors(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    code, out, err = run_stdin(monkeypatch, capsys, b"", *arguments)
    assert (code, out) == (cli.EXIT_USAGE, "")
    assert err.startswith("error: ") and message in err


def test_reader_closing_the_pipe_early_is_no_error() -> None:
    """``extract - - | head -1``: the rest of the output has nowhere to go, quietly."""
    data = "新增公办学位1.1万个，投资36.5亿元。\n".encode() * 2000
    process = subprocess.Popen(
        [sys.executable, "-m", "extract", "-", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(data)
    process.stdin.close()
    first = json.loads(process.stdout.readline())
    process.stdout.close()
    assert process.stderr is not None
    stderr = process.stderr.read()
    process.wait(timeout=120)
    assert first["mention"] == "1.1万个"
    assert (process.returncode, stderr) == (cli.EXIT_OK, b"")
