"""Write stage: facts.csv and facts.jsonl agree, dtypes are as documented, writes are atomic."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from extract import extract_text, write
from extract.encode import csv_fields, fact_row
from extract.models import FACT_FIELDS, Document, Fact, Issue, ManifestEntry
from extract.schema import FACTS_CSV_DTYPES
from extract.write import (
    STAGING_PREFIX,
    DocumentPathError,
    OutputFolderError,
    OutputWriter,
    read_facts_csv,
)
from oracles import csv_frame, render_csv_rows, render_document_json, visible_outputs

RAW = Path(__file__).resolve().parents[1] / "raw"

SENTENCE = "累计实施减负降费36.5亿元，三分之一的村收入超百万，每月补贴290元。"


def make_fact(doc_id: str, mention: str, **fields: Any) -> Fact:
    """Return a valid Fact for ``mention`` at offset 8, with ``fields`` overriding defaults."""
    start = SENTENCE.find(mention) if mention in SENTENCE else 0
    values: dict[str, Any] = {
        "doc_id": doc_id,
        "section": "稳进提质",
        "mention": mention,
        "value": Decimal("36.5"),
        "unit": "亿元",
        "normalized_value": Decimal("3.65E+9"),
        "base_unit": "元",
        "per": None,
        "comparator": "=",
        "indicator": "减负降费",
        "qualifiers": ["累计"],
        "sentence": SENTENCE,
        "start": start,
        "end": start + len(mention),
        "line": 3,
        "upper_value": None,
    }
    values.update(fields)
    return Fact(**values)


def make_document(doc_id: str, facts: list[Fact]) -> Document:
    """Return a Document holding ``facts``."""
    return Document(
        doc_id=doc_id,
        path=f"{doc_id}.txt",
        encoding="utf-8",
        sha256="0" * 64,
        text=SENTENCE,
        facts=facts,
    )


FACTS = [
    make_fact("a", "36.5亿元"),
    make_fact(
        "a",
        "三分之一",
        value=Decimal("0.333333333333333"),
        unit="分之",
        normalized_value=Decimal("33.3333333333333"),
        base_unit="%",
        qualifiers=[],
        section=None,
        indicator="NA",  # a text that pandas would read as a missing value by default
    ),
    make_fact(
        "sub/年报 b",
        "290元",
        value=Decimal("290"),
        unit="元",
        normalized_value=Decimal("290"),
        per="月",
        comparator="~",
        qualifiers=["预期", "同比"],
        upper_value=Decimal("300"),
    ),
]


def write_run(output_dir: Path, documents: list[Document]) -> None:
    """Write ``documents`` to ``output_dir`` through the writer, with a matching manifest."""
    entries = [
        ManifestEntry(path=d.path, doc_id=d.doc_id, status="ok", facts=len(d.facts))
        for d in documents
    ]
    with OutputWriter(output_dir) as writer:
        for document in documents:
            writer.add_document(document)
        writer.commit(entries, totals={"files": len(entries)}, input_dir=Path("in"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file a reader finds under ``folder`` with its bytes, by relative path."""
    return visible_outputs(folder)


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """Return an output folder holding one finished run of ``FACTS``."""
    output = tmp_path / "out"
    write_run(output, [make_document("a", FACTS[:2]), make_document("sub/年报 b", FACTS[2:])])
    return output


def test_jsonl_rows_are_the_facts_in_field_order(run_dir: Path) -> None:
    lines = (run_dir / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert [list(row) for row in rows] == [list(FACT_FIELDS)] * 3
    assert rows[0]["normalized_value"] == 3650000000
    assert isinstance(rows[0]["normalized_value"], int)
    assert rows[1]["normalized_value"] == pytest.approx(33.3333333333333)
    assert "亿元" in lines[0]  # ensure_ascii=False


def test_csv_and_jsonl_hold_the_same_rows(run_dir: Path) -> None:
    jsonl = [json.loads(line) for line in (run_dir / "facts.jsonl").read_text().splitlines()]
    csv = read_facts_csv(run_dir / "facts.csv")
    assert list(csv.columns) == list(FACT_FIELDS)
    assert len(csv) == len(jsonl)
    for expected, (_, row) in zip(jsonl, csv.iterrows(), strict=True):
        for field in FACT_FIELDS:
            want = expected[field]
            got = row[field]
            if field == "qualifiers":
                want = ";".join(want) or None
            if want is None:
                assert pd.isna(got), field
            elif isinstance(want, float | int) and not isinstance(want, bool):
                assert math.isclose(got, want, rel_tol=1e-15), field
            else:
                assert got == want, field


def test_csv_has_a_bom_for_excel_and_numbers_written_as_in_jsonl(run_dir: Path) -> None:
    data = (run_dir / "facts.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + b"doc_id,section,mention,")
    assert ",3650000000," in data.decode("utf-8-sig")


def test_reading_csv_gives_documented_dtypes(run_dir: Path) -> None:
    csv = read_facts_csv(run_dir / "facts.csv")
    assert {name: str(dtype) for name, dtype in csv.dtypes.items()} == FACTS_CSV_DTYPES


def test_reading_csv_without_facts_gives_documented_dtypes(tmp_path: Path) -> None:
    write_run(tmp_path, [make_document("empty", [])])
    csv = read_facts_csv(tmp_path / "facts.csv")
    assert len(csv) == 0
    assert {name: str(dtype) for name, dtype in csv.dtypes.items()} == FACTS_CSV_DTYPES


def test_documented_dtypes_match_readme() -> None:
    readme = (Path(__file__).parents[1] / "docs" / "outputs.md").read_text(encoding="utf-8")
    for name, dtype in FACTS_CSV_DTYPES.items():
        assert f"| `{name}` | `{dtype}` |" in readme, name


def test_document_json_keeps_chinese_in_subfolders(run_dir: Path) -> None:
    path = run_dir / "documents" / "sub" / "年报 b.json"
    text = path.read_text(encoding="utf-8")
    assert "减负降费" in text
    assert Document.model_validate_json(text).facts == FACTS[2:]


def test_manifest_lists_entries_and_totals(run_dir: Path) -> None:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"] == {"files": 2}
    assert [entry["doc_id"] for entry in manifest["files"]] == ["a", "sub/年报 b"]


class Boom(Exception):
    """A failure injected in the middle of a run."""


@pytest.mark.parametrize(
    "interruption",
    [
        pytest.param(Boom, id="exception"),
        pytest.param(KeyboardInterrupt, id="ctrl-c"),
    ],
)
def test_failed_run_leaves_previous_outputs_untouched(
    run_dir: Path, interruption: type[BaseException]
) -> None:
    before = snapshot(run_dir)
    with pytest.raises(interruption), OutputWriter(run_dir) as writer:
        writer.add_document(make_document("a", FACTS[:1]))
        writer.add_document(make_document("new", FACTS[:1]))
        raise interruption
    assert snapshot(run_dir) == before
    assert not [p for p in run_dir.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_failure_while_publishing_leaves_files_whole(
    run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extract.write

    real_replace = extract.write.os.replace
    calls: list[str] = []

    def failing_replace(source: Path, target: Path) -> None:
        calls.append(Path(target).name)
        if Path(target).name == write.CURRENT_LINK:  # the commit
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    before = snapshot(run_dir)
    monkeypatch.setattr(extract.write.os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_run(run_dir, [make_document("a", FACTS[:1])])
    after = snapshot(run_dir)
    # The commit failed: every output is the previous run's.
    assert after == before
    assert not [p for p in run_dir.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_documents_dropped_from_a_rerun_are_removed(run_dir: Path) -> None:
    (run_dir / "notes.txt").write_text("mine")
    write_run(run_dir, [make_document("a", FACTS[:1])])
    assert sorted(snapshot(run_dir)) == [
        "datapackage.json",
        "documents/a.json",
        "facts.csv",
        "facts.jsonl",
        "manifest.json",
        "notes.txt",
        "panel.csv",
        "review.html",
    ]


def documents_tree(output_dir: Path) -> list[str]:
    """Return every file and folder under ``output_dir``/documents, relative to it, sorted."""
    documents = output_dir / "documents"
    return sorted(path.relative_to(documents).as_posix() for path in documents.rglob("*"))


@pytest.mark.parametrize(
    ("previous", "users_file", "expected"),
    [
        pytest.param(None, False, ["a.json", "c", "c/d.json"], id="first-run"),
        pytest.param(
            ["a", "sub/年报 b"], False, ["a.json", "c", "c/d.json"], id="rerun-drops-the-stale"
        ),
        pytest.param(
            ["a", "sub/年报 b"],
            True,
            ["a.json", "c", "c/d.json", "sub", "sub/mine.txt"],
            id="rerun-keeps-a-users-file",
        ),
    ],
)
def test_documents_published_are_this_runs_and_nothing_else_is_touched(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    previous: list[str] | None,
    users_file: bool,
    expected: list[str],
) -> None:
    output = tmp_path / "out"
    if previous is not None:
        write_run(output, [make_document(doc_id, FACTS[:1]) for doc_id in previous])
    if users_file:
        (output / "documents" / "sub" / "mine.txt").write_text("mine")
    real_replace = os.replace
    moved: list[str] = []

    def counting_replace(source: Path, target: Path) -> None:
        moved.append(Path(target).relative_to(output).as_posix())
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", counting_replace)
    write_run(output, [make_document("a", FACTS[:1]), make_document("c/d", FACTS[:1])])
    assert documents_tree(output) == expected
    # The documents are never moved one by one: the run's folder is published whole.
    assert not [name for name in moved if name.startswith("documents/")]


def test_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("x")
    with pytest.raises(OutputFolderError, match="is a file, not a folder"):
        OutputWriter(target).open()


def test_document_whose_name_clashes_with_another_documents_folder_fails_alone(
    tmp_path: Path,
) -> None:
    with OutputWriter(tmp_path) as writer:
        writer.add_document(make_document("x", FACTS[:1]))
        with pytest.raises(DocumentPathError, match="another document"):
            writer.add_document(make_document("x.json/y", FACTS[:1]))
        writer.add_document(make_document("z", FACTS[:1]))


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(make_document("a", FACTS), id="with-facts"),
        pytest.param(make_document("empty", []), id="without-facts"),
        pytest.param(
            make_document("b", FACTS[:1]).model_copy(
                update={"cleaning_steps": ["fix_full_width_digits"], "title": "标题\u2028"}
            ),
            id="plain-lists-and-odd-characters",
        ),
    ],
)
def test_document_json_is_written_piecewise_as_pydantic_would(document: Document) -> None:
    assert render_document_json(document) == document.model_dump_json(indent=2) + "\n"


def edge_fact(**changes: object) -> Fact:
    """Return a valid fact with ``changes``: the awkward cells of a CSV."""
    row: dict[str, object] = {
        "doc_id": "a",
        "section": None,
        "mention": "1个",
        "value": Decimal(1),
        "unit": "个",
        "normalized_value": Decimal(1),
        "base_unit": "个",
        "per": None,
        "comparator": "=",
        "indicator": "x",
        "qualifiers": [],
        "sentence": "s",
        "start": 0,
        "end": 2,
        "line": 1,
        "upper_value": None,
    }
    row.update(changes)
    return Fact.model_validate(row)


@pytest.mark.parametrize(
    "fact",
    [
        pytest.param(edge_fact(section='关键词 "稳进", 提质\n下一行'), id="quotes-comma-newline"),
        pytest.param(edge_fact(mention="NA", indicator="null"), id="na-like-text"),
        pytest.param(
            edge_fact(value=Decimal("0.0005"), normalized_value=Decimal("0.0005")),
            id="small-decimal",
        ),
        pytest.param(
            edge_fact(
                value=Decimal("123456789012345"),
                normalized_value=Decimal("123456789012345000000000000"),
            ),
            id="huge-integer",
        ),
        pytest.param(
            edge_fact(
                value=Decimal("1.5E-7"),
                normalized_value=Decimal("-1.5E-7"),
                upper_value=Decimal("-2.5E-7"),
            ),
            id="tiny-negative-floats",
        ),
        pytest.param(edge_fact(qualifiers=["累计", "同比"]), id="qualifiers-joined"),
        pytest.param(edge_fact(indicator="a\rb", sentence="\t x "), id="carriage-return-and-tabs"),
    ],
)
def test_csv_rows_are_the_text_pandas_writes(fact: Fact) -> None:
    expected = csv_frame([fact]).to_csv(index=False, header=False, lineterminator="\n")
    assert render_csv_rows([fact_row(fact)]) == expected


def test_csv_rows_of_the_sample_reports_are_the_text_pandas_writes() -> None:
    facts = [
        fact
        for path in sorted(RAW.glob("*.txt"))
        for fact in extract_text(path.read_text(encoding="utf-8"), doc_id=path.stem).facts
    ]
    expected = csv_frame(facts).to_csv(index=False, header=False, lineterminator="\n")
    assert render_csv_rows(fact_row(fact) for fact in facts) == expected


def test_csv_header_is_the_one_pandas_writes(tmp_path: Path) -> None:
    with OutputWriter(tmp_path) as writer:
        writer.commit([], totals={}, input_dir=tmp_path)
    header = (tmp_path / "facts.csv").read_text(encoding="utf-8-sig")
    assert header == csv_frame([]).to_csv(index=False, lineterminator="\n")


@pytest.mark.parametrize(
    "entries",
    [
        pytest.param([], id="no-files"),
        pytest.param(
            [ManifestEntry(path="a.txt", doc_id="a", status="ok", facts=3)], id="one-file"
        ),
        pytest.param(
            [
                ManifestEntry(path="年报/一.txt", doc_id="年报/一", status="ok", facts=1),
                ManifestEntry(
                    path="b.txt",
                    doc_id="b",
                    status="ok",
                    issues=[Issue(stage="read", reason="removed 1 stray NUL byte", line=2)],
                ),
                ManifestEntry(path="c.pdf", doc_id=None, status="skipped", reason="not a .txt"),
            ],
            id="unicode-issues-and-skips",
        ),
    ],
)
def test_manifest_written_entry_by_entry_is_what_one_dump_gives(
    tmp_path: Path, entries: list[ManifestEntry]
) -> None:
    totals = {"files": len(entries), "ok": 0, "skipped": 0, "error": 0, "facts": 0}
    with OutputWriter(tmp_path) as writer:
        for entry in entries:
            writer.add_entry(entry)
        writer.commit(totals=totals, input_dir=Path("in"), extractor_version="v")
    whole = {
        "input_dir": "in",
        "extractor_version": "v",
        "formats": ["csv", "jsonl"],
        "totals": totals,
        "files": [entry.model_dump(mode="json") for entry in entries],
    }
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8") == expected


def dead_pid() -> int:
    """Return the id of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.parametrize(
    ("name", "removed"),
    [
        pytest.param(lambda: write._staging_prefix(dead_pid()) + "x", True, id="killed-run"),
        pytest.param(lambda: write._staging_prefix(os.getppid()) + "x", False, id="live-run"),
        pytest.param(lambda: STAGING_PREFIX + "otherhost-1-x", False, id="another-host"),
        pytest.param(lambda: STAGING_PREFIX + "abc123", False, id="older-name"),
    ],
)
def test_next_run_removes_the_staging_folder_of_a_killed_run(
    tmp_path: Path, name: Callable[[], str], removed: bool
) -> None:
    leftover = tmp_path / name()
    (leftover / "documents").mkdir(parents=True)
    with OutputWriter(tmp_path) as writer:
        writer.commit(totals={}, input_dir=tmp_path)
    assert leftover.exists() is not removed


def test_a_large_document_is_written_in_pieces_with_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = [
        extract_text(path.read_text(encoding="utf-8"), doc_id=path.stem)
        for path in sorted(RAW.glob("*.txt"))
    ]
    formats = {"csv", "jsonl", "json", "parquet"}

    def run(output: Path) -> dict[str, bytes]:
        with OutputWriter(output, formats=formats) as writer:
            for document in documents:
                writer.add_document(document)
            writer.commit(totals={}, input_dir=Path("in"))
        return snapshot(output)

    whole = run(tmp_path / "whole")
    monkeypatch.setattr(write, "LARGE_DOCUMENT_CHARS", 10)
    monkeypatch.setattr(write, "LARGE_DOCUMENT_FACT_CHUNK", 7)
    assert run(tmp_path / "pieces") == whole


@pytest.mark.parametrize(
    "field",
    [
        pytest.param("a,b", id="delimiter"),
        pytest.param('1"2', id="quote"),
        pytest.param("a\nb", id="line-feed"),
        pytest.param("a\rb", id="lone-carriage-return"),
        pytest.param("a\r\nb", id="carriage-return-line-feed"),
        pytest.param("平常", id="plain"),
    ],
)
def test_csv_fields_read_back_as_one_row_of_the_same_values(field: str) -> None:
    line = ",".join(csv_fields(["x", field, "y"], {str})) + "\n"
    rows = list(csv.reader(io.StringIO(line, newline="")))
    assert rows == [["x", field, "y"]]
    # A reader that splits lines first (Excel, many loaders) must not see a row end.
    assert len(pd.read_csv(io.StringIO(line), header=None, dtype=str).index) == 1
