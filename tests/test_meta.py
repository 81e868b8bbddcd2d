"""Tests for ``extract run --meta FILE.csv``: reading the file, its errors, and the way
the rows reach the stages (``StageWork.meta``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import cli, pipeline
from extract.meta import MetaError, meta_row, read_meta
from extract.models import DocumentMeta
from extract.runner import extract_paths

HEADER = "doc_id,place,date\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param("a,江西省,2026-01-27\n",
                     {"a": ("江西省", "360000", "2026-01-27")}, id="full-name-and-date"),
        pytest.param("a,江西,2026\n", {"a": ("江西省", "360000", "2026")}, id="short-name-year"),
        pytest.param("a,桂林,2026-01\n", {"a": ("桂林市", "450300", "2026-01")},
                     id="prefecture-year-month"),
        pytest.param("a,全国,\n", {"a": ("全国", None, None)}, id="country-no-date"),
        pytest.param("a,,2026\n", {"a": (None, None, "2026")}, id="date-only"),
        pytest.param("a, 江西省 , 2026 \n", {"a": ("江西省", "360000", "2026")},
                     id="spaces-trimmed"),
    ],
)
def test_read_meta(tmp_path: Path, rows: str, expected: dict[str, tuple[str | None, ...]]) -> None:
    meta = read_meta(write(tmp_path / "m.csv", HEADER + rows))
    assert {key: (m.place, m.place_code, m.date) for key, m in meta.items()} == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(HEADER + "a,火星,2026\n", "row 2: place '火星' is not a known division",
                     id="unknown-place"),
        pytest.param(HEADER + "a,江西,2026\nb,鼓楼区,2026\n", "row 3: place '鼓楼区'",
                     id="ambiguous-place-is-unknown"),
        pytest.param(HEADER + "a,,2026-13-01\n", "row 2: date '2026-13-01' is not an ISO",
                     id="bad-month"),
        pytest.param(HEADER + "a,,2026/01/27\n", "row 2: date '2026/01/27'", id="slashes"),
        pytest.param(HEADER + "a,,26\n", "row 2: date '26'", id="two-digit-year"),
        pytest.param(HEADER + ",江西,2026\n", "row 2: empty doc_id", id="empty-doc-id"),
        pytest.param(HEADER + "a,江西,\na,江西,\n", "row 3: doc_id 'a' again", id="repeated"),
        pytest.param("doc_id,place\na,江西\n", "no column 'date'", id="missing-column"),
    ],
)
def test_read_meta_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(MetaError, match=message):
        read_meta(write(tmp_path / "m.csv", text))


def test_meta_row_keeps_its_origin() -> None:
    assert meta_row("江西", None, origin="m.csv row 2").origin == "m.csv row 2"


def make_inputs(folder: Path) -> Path:
    folder.mkdir()
    write(folder / "a.txt", "新增公办学位1.1万个。\n")
    write(folder / "b.txt", "开工整治病险水库16座。\n")
    return folder


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param("c,江西,2026\n", "row 2: doc_id 'c' names no input file",
                     id="row-naming-no-file"),
        pytest.param("a,江西,2026\nb,火星,\n", "row 3: place '火星'", id="unknown-place"),
        pytest.param("a,,2026-02-30\n", "row 2: date '2026-02-30'", id="no-such-day"),
    ],
)
def test_cli_meta_errors_exit_2_before_any_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str, message: str
) -> None:
    inputs = make_inputs(tmp_path / "in")
    meta = write(tmp_path / "meta.csv", HEADER + rows)
    code = cli.main(["run", str(inputs), str(tmp_path / "out"), "--meta", str(meta), "-q"])
    assert code == cli.EXIT_USAGE
    error = capsys.readouterr().err
    assert error.startswith(f"error: {meta} ") and message in error
    assert not (tmp_path / "out").exists()  # nothing was extracted or written


def test_meta_reaches_the_stages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, DocumentMeta | None] = {}
    run_stages = pipeline.run_stages

    def record(work: pipeline.StageWork) -> pipeline.StageWork:
        seen[work.source.doc_id] = work.meta
        return run_stages(work)

    monkeypatch.setattr(pipeline, "run_stages", record)
    inputs = make_inputs(tmp_path / "in")
    extract_paths(inputs, tmp_path / "out", jobs=1, meta={"a": ("江西", "2026-01-27")})
    assert seen["b"] is None
    assert seen["a"] == DocumentMeta("江西省", "360000", "2026-01-27", origin="meta['a']")


def test_library_meta_errors(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    with pytest.raises(MetaError, match="meta\\['a'\\]: place '火星'"):
        extract_paths(inputs, tmp_path / "out", jobs=1, meta={"a": ("火星", None)})
    with pytest.raises(MetaError, match="doc_id 'zz' names no input file"):
        extract_paths(inputs, tmp_path / "out", jobs=1, meta={"zz": (None, "2026")})
