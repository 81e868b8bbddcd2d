"""End to end: ``python -m extract`` on a folder of good and bad files, and the CLI's exit codes.

The subprocess runs are few (each loads jieba); the error mapping is tested in-process.
"""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from extract import cli, pipeline

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
    "bad/undecodable.txt": (bytes([0x81, 0x7F]) * 50, "error", "not UTF-8, UTF-16 or GB18030"),
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
    assert lines[-1].startswith("18 files: 12 ok, 5 skipped, 1 error;")
    assert "skipped: bad/scan.txt: binary content (PDF file)" in lines
    assert "repaired: repaired/nul.txt: removed 1 stray NUL byte" in lines


def test_manifest_lists_every_file_in_sorted_order(mixed_manifest: dict[str, Any]) -> None:
    paths = [entry["path"] for entry in mixed_manifest["files"]]
    raw_names = sorted(path.name for path in (REPOSITORY / "raw").iterdir())
    assert paths == sorted([*raw_names, *BAD_AND_ODD_FILES])
    assert mixed_manifest["totals"] == {
        "files": 18,
        "ok": 12,
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
            lambda root: ["eval", root / "in"], "required: GOLD_DIR", id="eval-missing-gold"
        ),
        pytest.param(
            lambda root: ["eval", root / "in", root / "in"], "no such file", id="eval-not-a-run"
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
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}

    def interrupt(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "extract_source", interrupt)
    code, stderr = call_main([input_dir, tmp_path / "out"], capsys)
    assert code == cli.EXIT_INTERRUPTED
    assert "previous outputs are intact" in stderr
    after = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert after == before


def test_eval_scores_a_run_against_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("extract.evaluate")
    input_dir = make_input(tmp_path / "in", {"a.txt": "新增公办学位1.1万个。".encode()})
    assert call_main([input_dir, tmp_path / "out"], capsys)[0] == cli.EXIT_OK
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copyfile(tmp_path / "out" / "facts.jsonl", gold / "a.facts.jsonl")
    assert cli.main(["eval", str(tmp_path / "out"), str(gold), "--list"]) == cli.EXIT_OK
    assert "1.000" in capsys.readouterr().out
