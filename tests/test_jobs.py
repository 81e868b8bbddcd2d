"""Parallel jobs and incremental runs give the same outputs as a plain sequential run."""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from extract import pipeline, runner
from extract.lexicon import Lexicon
from extract.models import SourceText
from extract.pipeline import extractor_version
from extract.runner import extract_paths

RAW = Path(__file__).resolve().parents[1] / "raw"


def make_mixed_input(folder: Path) -> Path:
    """Return ``folder`` holding the sample reports and a few files that are not ok."""
    shutil.copytree(RAW, folder)
    (folder / "nested").mkdir()
    (folder / "nested" / "short.txt").write_text("新增公办学位1.1万个。\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "a.TXT").write_text("增长5%。\n", encoding="utf-8")
    return folder


def output_files(folder: Path) -> dict[str, bytes]:
    """Return every output file under ``folder`` by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "jobs", [2, 3, 16], ids=["two-workers", "three-workers", "more-than-files"]
)
def test_any_number_of_jobs_writes_the_same_outputs(tmp_path: Path, jobs: int) -> None:
    input_dir = make_mixed_input(tmp_path / "in")
    extract_paths(input_dir, tmp_path / "one", jobs=1)
    extract_paths(input_dir, tmp_path / "many", jobs=jobs)
    assert output_files(tmp_path / "many") == output_files(tmp_path / "one")


def test_files_sent_in_batches_give_the_same_outputs(tmp_path: Path) -> None:
    # Each paragraph of the sample reports a file: enough files that workers get several at once.
    paragraphs = [
        line
        for report in sorted(RAW.glob("*.txt"))
        for line in report.read_text(encoding="utf-8").splitlines()
        if len(line) > 20
    ][:60]
    (tmp_path / "in").mkdir()
    for number, paragraph in enumerate(paragraphs):
        (tmp_path / "in" / f"p{number:02}.txt").write_text(paragraph, encoding="utf-8")
    sizes = [len(paragraph.encode("utf-8")) for paragraph in paragraphs]
    assert max(len(batch) for batch in runner._plan_batches(sizes, jobs=2)) > 1
    extract_paths(tmp_path / "in", tmp_path / "one", jobs=1)
    extract_paths(tmp_path / "in", tmp_path / "two", jobs=2)
    assert output_files(tmp_path / "two") == output_files(tmp_path / "one")


@pytest.mark.parametrize(
    ("names", "failing", "reason", "documents"),
    [
        pytest.param(
            # Inputs come in sorted order: a.json/b.txt first, and its folder wins.
            ["a.txt", "a.json/b.txt", "c.txt"],
            "a",
            "another document uses that name",
            ["documents/a.json/b.json", "documents/c.json"],
            id="document-file-clashes-with-a-document-folder",
        ),
        pytest.param(
            ["a.txt", "x" * 251 + ".txt", "c.txt"],
            "x" * 251,
            "File name too long; rename the input file",
            ["documents/a.json", "documents/c.json"],
            id="document-name-too-long",
        ),
        pytest.param(
            # Its folder, made before the name was refused, is not published empty.
            ["a.txt", "sub/" + "x" * 251 + ".txt", "c.txt"],
            "sub/" + "x" * 251,
            "File name too long; rename the input file",
            ["documents/a.json", "documents/c.json"],
            id="document-name-too-long-in-a-folder",
        ),
    ],
)
@pytest.mark.parametrize("jobs", [1, 2], ids=["one-process", "two-workers"])
def test_a_document_that_cannot_be_written_fails_alone(
    tmp_path: Path, names: list[str], failing: str, reason: str, documents: list[str], jobs: int
) -> None:
    # The writer finds these when it stages the document, whichever process rendered it;
    # the other files of the run are written, and nothing of the failed one.
    for name in names:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("增长5%。", encoding="utf-8")
    summary = extract_paths(tmp_path / "in", tmp_path / "out", jobs=jobs)
    statuses = {entry.doc_id: entry.status for entry in summary.entries}
    assert statuses == {name.removesuffix(".txt"): "ok" for name in names} | {failing: "error"}
    (failed,) = [entry for entry in summary.entries if entry.status == "error"]
    assert reason in (failed.reason or "")
    out = tmp_path / "out"
    files = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())
    assert files == sorted(
        [*documents, "datapackage.json", "facts.csv", "facts.jsonl", "manifest.json", "review.html"]
    )
    folders = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_dir()}
    documents_folders = {str(parent) for name in documents for parent in Path(name).parents}
    assert folders == documents_folders - {"."}


@pytest.mark.parametrize(
    "others",
    [
        pytest.param(3, id="files-sent-one-by-one"),
        pytest.param(40, id="file-inside-a-batch"),  # it is file 7, of the batch 5-8
    ],
)
def test_a_worker_that_dies_fails_its_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, others: int
) -> None:
    real = pipeline.extract_source

    def dies_on_bad(source: SourceText, *, lexicon: Lexicon | None = None) -> Any:
        if source.doc_id == "f06a":
            os._exit(1)  # as a worker killed by the kernel would
        return real(source, lexicon=lexicon)

    monkeypatch.setattr(pipeline, "extract_source", dies_on_bad)
    names = [f"f{number:02}" for number in range(others)]
    names.append("f06a")
    (tmp_path / "in").mkdir()
    for number, name in enumerate(sorted(names)):
        (tmp_path / "in" / f"{name}.txt").write_text(f"增长{number}%。", encoding="utf-8")
    summary = extract_paths(tmp_path / "in", tmp_path / "out", jobs=2)
    assert [(e.doc_id, e.status, e.facts) for e in summary.entries] == [
        (name, "error", 0) if name == "f06a" else (name, "ok", 1) for name in sorted(names)
    ]
    (bad,) = [entry for entry in summary.entries if entry.doc_id == "f06a"]
    assert "worker process" in (bad.reason or "")


def test_work_refused_by_a_broken_pool_fails_as_work_in_flight_does() -> None:
    # A worker can die while the main process is still handing out batches: the next
    # submit is refused at once, and the run must take that as it takes a broken batch.
    executor = runner._new_executor(1)
    try:
        with pytest.raises(BrokenProcessPool):
            executor.submit(os._exit, 1).result()
        refused = runner._submit(executor, len, "增长5%")
        assert isinstance(refused.exception(timeout=10), BrokenProcessPool)
    finally:
        executor.shutdown()


@pytest.mark.parametrize(
    ("sizes", "jobs", "lengths"),
    [
        pytest.param([100] * 4, 2, [1, 1, 1, 1], id="few-files-go-one-by-one"),
        pytest.param(
            [100] * 40, 2, [5, 4, 3, 3, 3, 2, 2, 2, 2] + [1] * 14, id="batches-shrink-to-the-end"
        ),
        pytest.param([100] * 40, 3, [3, 3, 2, 2, 2, 2, 2, 2] + [1] * 22, id="more-workers-smaller"),
        pytest.param([100] * 160, 2, [16, 16, 16, 14, 12], id="at-most-16-files-a-batch"),
        pytest.param([30_000] * 40, 2, [2, 2, 2, 2, 2, 2, 2], id="at-most-64-KiB-a-batch"),
        pytest.param(
            [100] * 8 + [100_000] + [100] * 31,
            2,
            [5, 3, 1, 3, 3, 3, 2, 2, 2, 2] + [1] * 14,
            id="a-bigger-file-goes-alone",
        ),
        pytest.param([], 2, [], id="no-files"),
    ],
)
def test_files_go_to_workers_in_batches(sizes: list[int], jobs: int, lengths: list[int]) -> None:
    batches = runner._plan_batches(sizes, jobs=jobs)
    assert [len(batch) for batch in batches][: len(lengths)] == lengths
    # In order, each file once, whatever the first batches are.
    assert [index for batch in batches for index in batch] == list(range(len(sizes)))
    assert all(len(b) == 1 or sum(sizes[i] for i in b) <= 64 * 1024 for b in batches)


def test_the_pipe_from_the_workers_holds_a_batchs_outputs() -> None:
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes are a Linux feature")
    executor = runner._new_executor(1)
    try:
        reader = executor._result_queue._reader  # type: ignore[attr-defined]
        assert fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ) == 1 << 20
    finally:
        executor.shutdown()


def test_incremental_run_reuses_unchanged_files_only(tmp_path: Path) -> None:
    input_dir = make_mixed_input(tmp_path / "in")
    extract_paths(input_dir, tmp_path / "out", jobs=1)
    first = output_files(tmp_path / "out")
    (input_dir / "nested" / "short.txt").write_text("新增公办学位2.2万个。\n", encoding="utf-8")
    summary = extract_paths(input_dir, tmp_path / "out", jobs=2, incremental=True)
    reused = {entry.path for entry in summary.entries if entry.reused}
    assert reused == {path.name for path in RAW.glob("*.txt")} | {"a.TXT"}
    fresh = extract_paths(input_dir, tmp_path / "fresh", jobs=1)
    assert [e.model_copy(update={"reused": False}) for e in summary.entries] == fresh.entries
    again = output_files(tmp_path / "out")
    assert again["facts.jsonl"] == output_files(tmp_path / "fresh")["facts.jsonl"]
    assert again["facts.jsonl"] != first["facts.jsonl"]


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(
            lambda out: (out / "manifest.json").write_text("{", encoding="utf-8"), id="bad-manifest"
        ),
        pytest.param(
            lambda out: (out / "documents" / "nested" / "short.json").write_text(
                "{", encoding="utf-8"
            ),
            id="damaged-document",
        ),
        pytest.param(
            lambda out: (out / "documents" / "nested" / "short.json").unlink(),
            id="missing-document",
        ),
        pytest.param(
            lambda out: (out / "manifest.json").write_text(
                (out / "manifest.json")
                .read_text(encoding="utf-8")
                .replace(extractor_version(), "0.0.0+old"),
                encoding="utf-8",
            ),
            id="other-extractor-version",
        ),
    ],
)
def test_incremental_run_extracts_again_what_it_cannot_trust(tmp_path: Path, spoil: Any) -> None:
    input_dir = make_mixed_input(tmp_path / "in")
    extract_paths(input_dir, tmp_path / "out", jobs=1)
    spoil(tmp_path / "out")
    summary = extract_paths(input_dir, tmp_path / "out", jobs=1, incremental=True)
    short = next(entry for entry in summary.entries if entry.path == "nested/short.txt")
    assert (short.status, short.reused, short.facts) == ("ok", False, 1)
    assert (tmp_path / "out" / "documents" / "nested" / "short.json").exists()


def test_without_incremental_nothing_is_reused(tmp_path: Path) -> None:
    input_dir = make_mixed_input(tmp_path / "in")
    extract_paths(input_dir, tmp_path / "out", jobs=1)
    summary = extract_paths(input_dir, tmp_path / "out", jobs=1)
    assert not any(entry.reused for entry in summary.entries)


def test_manifest_names_the_extractor_version(tmp_path: Path) -> None:
    extract_paths(make_mixed_input(tmp_path / "in"), tmp_path / "out", jobs=1)
    version = manifest(tmp_path / "out")["extractor_version"]
    assert version == extractor_version()
    assert version.startswith("0.") and "+" in version


def test_interrupt_stops_the_workers_and_keeps_previous_outputs(tmp_path: Path) -> None:
    input_dir = make_mixed_input(tmp_path / "in")
    extract_paths(input_dir, tmp_path / "out", jobs=1)
    before = output_files(tmp_path / "out")

    def interrupt(entry: Any) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        extract_paths(input_dir, tmp_path / "out", jobs=2, progress=interrupt)
    assert output_files(tmp_path / "out") == before
