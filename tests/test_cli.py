"""End to end: ``python -m extract`` on a folder of good and bad files, and the CLI's exit codes.

The subprocess runs are few (each loads jieba); the error mapping is tested in-process.
"""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from extract import cli, pipeline
from oracles import visible_outputs

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLE = REPOSITORY / "raw" / "000_a624ea3b61366e50.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SAMPLE_ID = SAMPLE.stem

#: Every file of the mixed input folder beside the copy of raw/: bytes, status, reason.
BAD_AND_ODD_FILES: dict[str, tuple[bytes, str, str | None]] = {
    "bad/empty.txt": (b"", "skipped", "empty file"),
    "bad/blank.txt": (b"\r\n  \n\t\n", "skipped", "no text (only whitespace)"),
    "bad/scan.txt": (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(200),
        "skipped",
        "binary content (PDF file)",
    ),
    "bad/binary.txt": (
        bytes(range(256)) * 40,
        "skipped",
        "binary content (NUL bytes in first 8 KiB)",
    ),
    "bad/undecodable.txt": (
        bytes([0x81, 0x7F]) * 50,
        "error",
        "not UTF-8, UTF-16, GB18030 or Big5",
    ),
    "bad/photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", "skipped", "not a .txt file"),
    "repaired/nul.txt": (SAMPLE_TEXT.replace("。", "。\x00", 1).encode(), "ok", None),
    "encodings/gb18030.txt": (SAMPLE_TEXT.encode("gb18030"), "ok", None),
    "encodings/utf-16.txt": (codecs.BOM_UTF16_LE + SAMPLE_TEXT.encode("utf-16-le"), "ok", None),
    "encodings/utf-8-bom-crlf.txt": (
        codecs.BOM_UTF8 + SAMPLE_TEXT.replace("\n", "\r\n").encode(),
        "ok",
        None,
    ),
    "x.txt/inside a folder named x.txt.txt": ("新增公办学位1.1万个。\n".encode(), "ok", None),
    "年报 2022/永康 经济 报告.txt": (SAMPLE_TEXT.encode(), "ok", None),
    "a/same.txt": ("新增普惠性托位2721个。\n".encode(), "ok", None),
    "b/same.txt": ("开工整治病险水库16座。\n".encode(), "ok", None),
}


def make_input(folder: Path, files: dict[str, bytes]) -> Path:
    """Return ``folder`` after writing ``files`` (relative path → bytes) into it."""
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Return the JSON objects of a .jsonl file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def facts_of(rows: list[dict[str, Any]], doc_id: str) -> list[dict[str, Any]]:
    """Return the facts of ``doc_id`` without the doc_id field, for comparison across names."""
    return [
        {key: value for key, value in row.items() if key != "doc_id"}
        for row in rows
        if row["doc_id"] == doc_id
    ]


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """Return the output folder and process of one run over raw/ plus every bad file."""
    input_dir = tmp_path_factory.mktemp("mixed") / "in put 输入"
    shutil.copytree(REPOSITORY / "raw", input_dir)
    make_input(input_dir, {name: data for name, (data, _, _) in BAD_AND_ODD_FILES.items()})
    output_dir = tmp_path_factory.mktemp("mixed-out") / "out"
    return output_dir, run_cli(input_dir, output_dir)


@pytest.fixture(scope="module")
def mixed_manifest(mixed_run: tuple[Path, subprocess.CompletedProcess]) -> dict[str, Any]:
    """Return the manifest of the mixed run."""
    return json.loads((mixed_run[0] / "manifest.json").read_text(encoding="utf-8"))


def test_mixed_run_exits_1_with_one_summary_line_and_no_traceback(
    mixed_run: tuple[Path, subprocess.CompletedProcess],
) -> None:
    _, process = mixed_run
    assert process.returncode == 1, process.stderr
    assert "Traceback" not in process.stderr
    lines = process.stderr.strip().splitlines()
    samples = len(list((REPOSITORY / "raw").iterdir()))  # each an ok file
    ok = samples + 8
    assert lines[-1].startswith(f"{samples + 14} files: {ok} ok, 5 skipped, 1 error;")
    assert "skipped: bad/scan.txt: binary content (PDF file)" in lines
    assert "repaired: repaired/nul.txt: removed 1 stray NUL byte" in lines


def test_manifest_lists_every_file_in_sorted_order(mixed_manifest: dict[str, Any]) -> None:
    paths = [entry["path"] for entry in mixed_manifest["files"]]
    raw_names = sorted(path.name for path in (REPOSITORY / "raw").iterdir())
    assert paths == sorted([*raw_names, *BAD_AND_ODD_FILES])
    assert mixed_manifest["totals"] == {
        "files": len(raw_names) + 14,
        "ok": len(raw_names) + 8,
        "skipped": 5,
        "error": 1,
        "facts": mixed_manifest["totals"]["facts"],
    }


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        pytest.param(path, status, reason, id=path)
        for path, (_, status, reason) in BAD_AND_ODD_FILES.items()
    ],
)
def test_manifest_gives_each_file_its_status_and_reason(
    mixed_manifest: dict[str, Any], path: str, status: str, reason: str | None
) -> None:
    entry = next(entry for entry in mixed_manifest["files"] if entry["path"] == path)
    assert (entry["status"], entry["reason"]) == (status, reason)
    assert entry["size"] == len(BAD_AND_ODD_FILES[path][0])
    assert entry["sha256"] is not None


def test_repaired_nul_is_an_issue_in_manifest_and_document(
    mixed_run: tuple[Path, subprocess.CompletedProcess], mixed_manifest: dict[str, Any]
) -> None:
    entry = next(e for e in mixed_manifest["files"] if e["path"] == "repaired/nul.txt")
    assert {"stage": "read", "reason": "removed 1 stray NUL byte", "line": 5, "text": None} in (
        entry["issues"]
    )
    document = json.loads((mixed_run[0] / "documents/repaired/nul.json").read_text("utf-8"))
    assert document["issues"] == entry["issues"]


def test_same_name_in_two_folders_gives_two_documents(
    mixed_run: tuple[Path, subprocess.CompletedProcess],
) -> None:
    rows = read_jsonl(mixed_run[0] / "facts.jsonl")
    assert [row["mention"] for row in rows if row["doc_id"] == "a/same"] == ["2721个"]
    assert [row["mention"] for row in rows if row["doc_id"] == "b/same"] == ["16座"]
    assert (mixed_run[0] / "documents" / "年报 2022" / "永康 经济 报告.json").is_file()
    assert (mixed_run[0] / "documents" / "x.txt" / "inside a folder named x.txt.json").is_file()


@pytest.mark.parametrize(
    "doc_id",
    [
        pytest.param("encodings/gb18030", id="gb18030"),
        pytest.param("encodings/utf-16", id="utf-16"),
        pytest.param("encodings/utf-8-bom-crlf", id="utf-8-bom-crlf"),
        pytest.param("年报 2022/永康 经济 报告", id="chinese-name-with-spaces"),
        pytest.param("repaired/nul", id="stray-nul-removed"),
    ],
)
def test_same_text_gives_identical_facts_in_any_encoding(
    mixed_run: tuple[Path, subprocess.CompletedProcess], doc_id: str
) -> None:
    rows = read_jsonl(mixed_run[0] / "facts.jsonl")
    expected = facts_of(rows, SAMPLE_ID)
    assert expected, "the sample report gives facts"
    assert facts_of(rows, doc_id) == expected


def test_good_file_gives_the_same_facts_alone_or_beside_bad_ones(
    mixed_run: tuple[Path, subprocess.CompletedProcess], tmp_path: Path
) -> None:
    alone = make_input(tmp_path / "alone", {SAMPLE.name: SAMPLE.read_bytes()})
    process = run_cli(alone, tmp_path / "out")
    assert process.returncode == 0, process.stderr
    assert process.stderr.strip().splitlines()[-1].startswith("1 files: 1 ok, 0 skipped, 0 error;")
    rows_alone = read_jsonl(tmp_path / "out" / "facts.jsonl")
    rows_mixed = read_jsonl(mixed_run[0] / "facts.jsonl")
    assert facts_of(rows_alone, SAMPLE_ID) == facts_of(rows_mixed, SAMPLE_ID)
    document_alone = (tmp_path / "out" / "documents" / f"{SAMPLE_ID}.json").read_text("utf-8")
    document_mixed = (mixed_run[0] / "documents" / f"{SAMPLE_ID}.json").read_text("utf-8")
    assert document_alone == document_mixed


def test_usage_error_is_one_line_exit_2_without_traceback(tmp_path: Path) -> None:
    process = run_cli(tmp_path / "missing", tmp_path / "out")
    assert process.returncode == 2
    assert (
        process.stderr == f"error: {tmp_path / 'missing'}: no such folder; check the input path\n"
    )
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ in-process error mapping


def call_main(arguments: list[str | Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Return the exit code and stderr of ``cli.main(arguments)``."""
    code = cli.main([str(argument) for argument in arguments])
    return code, capsys.readouterr().err


def a_file(root: Path) -> Path:
    """Return a path under ``root`` that is a file, not a folder."""
    path = root / "file.txt"
    path.write_text("x")
    return path


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(lambda root: [], "the following arguments are required", id="no-arguments"),
        pytest.param(
            lambda root: [root / "in", root / "out", "--bogus"],
            "unrecognized arguments",
            id="unknown-option",
        ),
        pytest.param(
            lambda root: [root / "missing", root / "out"], "no such folder", id="input-missing"
        ),
        pytest.param(
            lambda root: [a_file(root), root / "out"],
            "is a file, not a folder",
            id="input-is-a-file",
        ),
        pytest.param(
            lambda root: [root / "in", root / "in" / "out"],
            "inside the input folder",
            id="output-inside-input",
        ),
        pytest.param(
            lambda root: [root / "in", root / "in"], "inside the input folder", id="output-is-input"
        ),
        pytest.param(
            lambda root: [root / "in", a_file(root)],
            "is a file, not a folder",
            id="output-is-a-file",
        ),
        pytest.param(
            lambda root: [root / "in", a_file(root) / "out"],
            "cannot write there",
            id="output-not-writable",
        ),
        pytest.param(
            lambda root: [root / "in", root / "out", "--jobs", "0"],
            "at least 1, not '0'",
            id="jobs-zero",
        ),
        pytest.param(
            lambda root: [root / "in", root / "out", "-j", "two"],
            "at least 1, not 'two'",
            id="jobs-not-a-number",
        ),
        pytest.param(
            lambda root: ["eval", root / "in"],
            "give GOLD_DIR, --panel GOLD_PANEL_DIR, or both; run 'extract eval --help'",
            id="eval-missing-gold-and-panel",
        ),
        pytest.param(
            lambda root: ["eval", root / "in", root / "in"], "no fact file", id="eval-not-a-run"
        ),
    ],
)
def test_usage_errors_exit_2_with_one_error_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: Callable[[Path], list[str | Path]],
    message: str,
) -> None:
    make_input(tmp_path / "in", {"a.txt": "新增公办学位1.1万个。".encode()})
    code, stderr = call_main(arguments(tmp_path), capsys)
    assert code == cli.EXIT_USAGE
    assert stderr.count("\n") == 1 and stderr.startswith("error: "), stderr
    assert message in stderr


def test_ctrl_c_exits_130_and_keeps_previous_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    input_dir = make_input(tmp_path / "in", {"a.txt": "新增公办学位1.1万个。".encode()})
    assert call_main([input_dir, tmp_path / "out"], capsys)[0] == cli.EXIT_OK
    before = visible_outputs(tmp_path / "out")

    def interrupt(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "extract_source", interrupt)
    code, stderr = call_main([input_dir, tmp_path / "out"], capsys)
    assert code == cli.EXIT_INTERRUPTED
    assert "previous outputs are intact" in stderr
    assert visible_outputs(tmp_path / "out") == before


def test_eval_scores_a_run_against_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("extract.evaluate")
    input_dir = make_input(tmp_path / "in", {"a.txt": "新增公办学位1.1万个。".encode()})
    assert call_main([input_dir, tmp_path / "out"], capsys)[0] == cli.EXIT_OK
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copyfile(tmp_path / "out" / "facts.jsonl", gold / "a.facts.jsonl")
    assert cli.main(["eval", str(tmp_path / "out"), str(gold), "--list"]) == cli.EXIT_OK
    assert "1.000" in capsys.readouterr().out


# ------------------------------------------------------------------ commands and their options


def run_options(input_dir: str, output_dir: str, **given: object) -> dict[str, object]:
    """Return the options of ``extract run INPUT_DIR OUTPUT_DIR``, defaults but for ``given``."""
    defaults = {
        "quiet": False,
        "jobs": None,
        "incremental": False,
        "format": None,
        "lexicon": [],
        "force": False,
        "meta": None,
        "cluster": None,
        "storage_option": [],
    }
    return {"input_dir": Path(input_dir), "output_dir": Path(output_dir), **defaults, **given}


def stdin_options(**given: object) -> dict[str, object]:
    """Return the options of ``extract stdin``, defaults but for ``given``."""
    return {"quiet": False, "doc_id": None, "lexicon": [], **given}


@pytest.mark.parametrize(
    ("arguments", "command", "options"),
    [
        pytest.param(["raw/", "out"], "run", run_options("raw", "out"), id="two-folders-are-a-run"),
        pytest.param(
            ["-q", "raw", "out", "-j", "2", "--format", "csv", "--lexicon", "a.toml"],
            "run",
            run_options("raw", "out", quiet=True, jobs=2, format=["csv"], lexicon=[Path("a.toml")]),
            id="run-options-before-and-after-the-folders",
        ),
        pytest.param(
            ["run", "raw", "out", "--incremental", "-q"],
            "run",
            run_options("raw", "out", incremental=True, quiet=True),
            id="explicit-run",
        ),
        pytest.param(
            ["run", "eval", "out"], "run", run_options("eval", "out"), id="run-folder-eval"
        ),
        pytest.param(
            ["run", "explain", "eval"],
            "run",
            run_options("explain", "eval"),
            id="run-folders-explain-and-eval",
        ),
        pytest.param(["run", "run", "out"], "run", run_options("run", "out"), id="run-folder-run"),
        pytest.param(
            ["run", "stdin", "out"], "run", run_options("stdin", "out"), id="run-folder-stdin"
        ),
        pytest.param(["run", "-", "out"], "run", run_options("-", "out"), id="run-folder-dash"),
        pytest.param(
            ["run", "raw", "-"], "run", run_options("raw", "-"), id="run-into-folder-dash"
        ),
        pytest.param(
            ["./-", "out"], "run", run_options("-", "out"), id="dot-slash-dash-is-a-folder"
        ),
        pytest.param(
            ["eval/", "out"], "run", run_options("eval", "out"), id="eval-slash-is-a-folder"
        ),
        pytest.param(["-", "-"], "stdin", stdin_options(), id="dash-dash-is-stdin"),
        pytest.param(
            ["--doc-id", "r", "-", "-", "-q", "--lexicon", "a.toml"],
            "stdin",
            stdin_options(doc_id="r", quiet=True, lexicon=[Path("a.toml")]),
            id="dash-dash-with-stdin-options",
        ),
        pytest.param(["stdin"], "stdin", stdin_options(), id="explicit-stdin"),
        pytest.param(
            ["stdin", "--doc-id", "r", "-q"],
            "stdin",
            stdin_options(doc_id="r", quiet=True),
            id="explicit-stdin-with-options",
        ),
        pytest.param(
            ["eval", "out", "gold"],
            "eval",
            {"output_dir": Path("out"), "gold_dir": Path("gold"), "panel": None, "list": False},
            id="eval",
        ),
        pytest.param(
            ["eval", "run", "stdin", "--list"],
            "eval",
            {"output_dir": Path("run"), "gold_dir": Path("stdin"), "panel": None, "list": True},
            id="eval-of-folders-named-like-commands",
        ),
        pytest.param(
            ["explain", "a.txt"],
            "explain",
            {"file": Path("a.txt"), "json": False, "lexicon": []},
            id="explain",
        ),
        pytest.param(
            ["explain", "--json", "eval", "--lexicon", "a.toml", "--lexicon", "b.toml"],
            "explain",
            {"file": Path("eval"), "json": True, "lexicon": [Path("a.toml"), Path("b.toml")]},
            id="explain-a-file-named-eval-with-two-lexicons",
        ),
    ],
)
def test_arguments_call_one_command_with_its_options(
    arguments: list[str], command: str, options: dict[str, object]
) -> None:
    call = cli.parse_call(arguments)
    assert (call.command, vars(call.options)) == (command, options)


@pytest.mark.parametrize(
    ("arguments", "explicit"),
    [
        pytest.param(["raw", "out"], ["run", "raw", "out"], id="run-defaults"),
        pytest.param(
            ["raw", "out", "-q", "-j", "3", "--incremental", "--format", "json", "--lexicon", "x"],
            [
                "run",
                "raw",
                "out",
                "-q",
                "-j",
                "3",
                "--incremental",
                "--format",
                "json",
                "--lexicon",
                "x",
            ],
            id="run-every-option",
        ),
        pytest.param(["-", "-"], ["stdin"], id="stdin-defaults"),
        pytest.param(
            ["-", "-", "-q", "--doc-id", "r", "--lexicon", "x"],
            ["stdin", "-q", "--doc-id", "r", "--lexicon", "x"],
            id="stdin-every-option",
        ),
    ],
)
def test_no_command_is_the_same_call_as_its_command(
    arguments: list[str], explicit: list[str]
) -> None:
    """The parser without a command takes the options of run and stdin, and no others."""
    assert cli.parse_call(arguments) == cli.parse_call(explicit)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(
            ["run"],
            "the following arguments are required: INPUT_DIR, OUTPUT_DIR; "
            "run 'extract run --help' for usage",
            id="run-without-folders",
        ),
        pytest.param(
            ["run", "in", "out", "--doc-id", "x"],
            "unrecognized arguments: --doc-id x; run 'extract run --help' for usage",
            id="run-takes-no-doc-id",
        ),
        pytest.param(
            ["run", "in", "out", "--json"],
            "unrecognized arguments: --json; run 'extract run --help' for usage",
            id="run-takes-no-json",
        ),
        pytest.param(
            ["stdin", "-j", "2"],
            "unrecognized arguments: -j 2; run 'extract stdin --help' for usage",
            id="stdin-takes-no-jobs",
        ),
        pytest.param(
            ["stdin", "--format", "csv"],
            "unrecognized arguments: --format csv; run 'extract stdin --help' for usage",
            id="stdin-takes-no-format",
        ),
        pytest.param(
            ["stdin", "in", "out"],
            "unrecognized arguments: in out; run 'extract stdin --help' for usage",
            id="stdin-takes-no-folders",
        ),
        pytest.param(
            ["-", "-", "-j", "2"],
            "-j/--jobs applies to a folder run, not to '- -' (one report on stdin); drop it",
            id="dash-dash-takes-no-jobs",
        ),
        pytest.param(
            ["-", "-", "--incremental"],
            "--incremental applies to a folder run, not to '- -' (one report on stdin); drop it",
            id="dash-dash-takes-no-incremental",
        ),
        pytest.param(
            ["-", "-", "--format", "csv"],
            "--format applies to a folder run, not to '- -' (one report on stdin); drop it",
            id="dash-dash-takes-no-format",
        ),
        pytest.param(
            ["eval", "out", "gold", "--json"],
            "unrecognized arguments: --json; run 'extract eval --help' for usage",
            id="eval-takes-no-json",
        ),
        pytest.param(
            ["eval", "out", "gold", "--lexicon", "a.toml"],
            "unrecognized arguments: --lexicon a.toml; run 'extract eval --help' for usage",
            id="eval-takes-no-lexicon",
        ),
        pytest.param(
            ["explain", "a.txt", "--list"],
            "unrecognized arguments: --list; run 'extract explain --help' for usage",
            id="explain-takes-no-list",
        ),
        pytest.param(
            ["explain", "a.txt", "-q"],
            "unrecognized arguments: -q; run 'extract explain --help' for usage",
            id="explain-takes-no-quiet",
        ),
        pytest.param(
            ["in", "out", "--json"],
            "unrecognized arguments: --json; run 'extract --help' for usage",
            id="no-command-takes-no-json",
        ),
    ],
)
def test_an_option_of_another_command_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    code, stderr = call_main(list(arguments), capsys)
    assert (code, stderr) == (cli.EXIT_USAGE, f"error: {message}\n")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(
            ["run", "out"],
            "the following arguments are required: OUTPUT_DIR; run 'extract run --help' for "
            "usage; the folder run is read with 'extract run run OUTPUT_DIR'",
            id="folder-run",
        ),
        pytest.param(
            ["stdin", "out"],
            "unrecognized arguments: out; run 'extract stdin --help' for usage; "
            "the folder stdin is read with 'extract run stdin OUTPUT_DIR'",
            id="folder-stdin",
        ),
        pytest.param(
            ["eval", "out"],
            "give GOLD_DIR, --panel GOLD_PANEL_DIR, or both; run 'extract eval --help' for "
            "usage; the folder eval is read with 'extract run eval OUTPUT_DIR'",
            id="folder-eval",
        ),
    ],
)
def test_a_command_that_is_also_a_folder_here_gets_a_hint(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    message: str,
) -> None:
    (tmp_path / arguments[0]).mkdir()
    monkeypatch.chdir(tmp_path)
    code, stderr = call_main(list(arguments), capsys)
    assert (code, stderr) == (cli.EXIT_USAGE, f"error: {message}\n")


@pytest.mark.parametrize(
    ("command", "shown", "not_shown"),
    [
        pytest.param(
            "run",
            ["INPUT_DIR", "--quiet", "--jobs", "--incremental", "--format", "--lexicon"],
            ["--doc-id", "--json", "--list", "--version", "GOLD_DIR"],
            id="run",
        ),
        pytest.param(
            "stdin",
            ["--quiet", "--doc-id", "--lexicon", "extract - -"],
            ["INPUT_DIR", "--jobs", "--incremental", "--format", "--json", "--list"],
            id="stdin",
        ),
        pytest.param(
            "eval",
            ["OUTPUT_DIR", "GOLD_DIR", "--list"],
            ["--quiet", "--jobs", "--doc-id", "--json", "--lexicon"],
            id="eval",
        ),
        pytest.param(
            "explain",
            ["FILE", "--json", "--lexicon"],
            ["--quiet", "--jobs", "--format", "--doc-id", "--list"],
            id="explain",
        ),
    ],
)
def test_command_help_shows_only_its_options(
    capsys: pytest.CaptureFixture[str], command: str, shown: list[str], not_shown: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith(f"usage: extract {command} ")
    assert [option for option in shown if option not in help_text] == []
    assert [option for option in not_shown if option in help_text] == []


def test_help_lists_every_command_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    help_text = capsys.readouterr().out
    commands = help_text.split("commands and examples:\n", 1)[1].split("\n\n", 1)[0]
    lines = commands.splitlines()
    pairs = zip(lines[::2], lines[1::2], strict=True)  # a command's line, then its example
    examples = {name.split()[0]: example for name, example in pairs}
    assert list(examples) == list(cli.COMMANDS)
    expected = {
        "run": "extract raw/ output/",
        "stdin": "extract - -",
        "eval": "extract eval ",
        "explain": "extract explain ",
    }
    assert [name for name, example in examples.items() if expected[name] not in example] == []
    options = help_text.split("options:\n", 1)[1].split("\n\n", 1)[0]
    assert "--doc-id" not in options, "--doc-id belongs to stdin"


# ------------------------------------------------------------------ folders named like commands


def test_run_reads_a_folder_named_eval(tmp_path: Path) -> None:
    make_input(tmp_path / "eval", {"a.txt": "新增公办学位1.1万个。".encode()})
    process = subprocess.run(
        [sys.executable, "-m", "extract", "run", "eval", "out"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert process.returncode == cli.EXIT_OK, process.stderr
    assert process.stderr.startswith("1 files: 1 ok, 0 skipped, 0 error; 1 facts written to out ")
    assert [row["mention"] for row in read_jsonl(tmp_path / "out" / "facts.jsonl")] == ["1.1万个"]


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(["run", "explain", "out"], id="run-explain"),
        pytest.param(["run", "run", "out"], id="run-run"),
        pytest.param(["run", "stdin", "out"], id="run-stdin"),
        pytest.param(["run", "-", "out"], id="run-dash"),
        pytest.param(["./-", "out"], id="dot-slash-dash"),
        pytest.param(["./eval", "out"], id="dot-slash-eval"),
    ],
)
def test_run_reads_folders_named_like_commands(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
) -> None:
    make_input(tmp_path / Path(arguments[-2]).name, {"a.txt": "开工整治病险水库16座。".encode()})
    monkeypatch.chdir(tmp_path)
    code, stderr = call_main(list(arguments), capsys)
    assert code == cli.EXIT_OK, stderr
    assert stderr.startswith("1 files: 1 ok, 0 skipped, 0 error; 1 facts written to out ")
    assert [row["mention"] for row in read_jsonl(tmp_path / "out" / "facts.jsonl")] == ["16座"]


def test_run_writes_into_a_folder_named_dash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_input(tmp_path / "in", {"a.txt": "开工整治病险水库16座。".encode()})
    monkeypatch.chdir(tmp_path)
    assert call_main(["run", "in", "-", "-q"], capsys) == (cli.EXIT_OK, "")
    assert [row["mention"] for row in read_jsonl(tmp_path / "-" / "facts.jsonl")] == ["16座"]


# ------------------------------------------------------------------ explain --lexicon


EXAMPLE_LEXICON = REPOSITORY / "examples" / "lexicon.toml"


@pytest.mark.parametrize(
    ("lexicon", "comparator"),
    [
        pytest.param([], "=", id="bundled-lexicon-does-not-know-buxia"),
        pytest.param(
            ["--lexicon", str(EXAMPLE_LEXICON)],
            ">=",
            id="example-lexicon-makes-buxia-a-comparator",
        ),
    ],
)
def test_explain_takes_lexicon_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lexicon: list[str], comparator: str
) -> None:
    report = tmp_path / "report.txt"
    report.write_text("参会人数不下3000人。\n", encoding="utf-8")
    assert cli.main(["explain", str(report), "--json", *lexicon]) == cli.EXIT_OK
    facts = json.loads(capsys.readouterr().out)["facts"]
    assert [(item["fact"]["mention"], item["fact"]["comparator"]) for item in facts] == [
        ("3000人", comparator)
    ]
