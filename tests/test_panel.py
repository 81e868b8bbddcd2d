"""The panel: one row per place, concept, period and status, its fact chosen by the rule of
docs/outputs.md; panel.csv and panel.parquet as a run writes them; the review page's table."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import pytest

import extract.pipeline
from extract.models import Document, Fact, ManifestEntry, SourceText
from extract.panel import PANEL_FIELDS, PanelBuilder, build_panel, concept_facts
from extract.review import render_review_html
from extract.runner import extract_paths
from extract.schema import PANEL_CSV_DTYPES, datapackage_descriptor
from extract.write import OutputWriter, read_panel_csv


def make_fact(
    sentence: str,
    mention: str,
    number: str,
    *,
    concept: str | None = "gdp_growth",
    place: str | None = "江西省",
    period: str | None = "2025",
    status: str = "actual",
    comparator: str = "=",
    base_unit: str = "%",
    qualifiers: tuple[str, ...] = (),
    doc_id: str = "a",
    offset: int = 0,
) -> Fact:
    """Return the fact of ``mention`` in ``sentence`` (which starts at ``offset`` in its
    document), worth ``number`` in ``base_unit``, with the context given."""
    start = offset + sentence.index(mention)
    return Fact(
        doc_id=doc_id,
        section=None,
        mention=mention,
        value=Decimal(number),
        unit=base_unit,
        normalized_value=Decimal(number),
        base_unit=base_unit,
        per=None,
        comparator=comparator,  # type: ignore[arg-type]
        indicator="地区生产总值增长",
        qualifiers=list(qualifiers),
        sentence=sentence,
        start=start,
        end=start + len(mention),
        line=1,
        upper_value=None,
        place=place,
        place_code="360000" if place == "江西省" else None,
        period=period,
        status=status,  # type: ignore[arg-type]
        concept=concept,
    )


HEADLINE = make_fact("全年地区生产总值增长5.2%。", "5.2%", "5.2")
MILESTONE = make_fact(
    "经济总量迈上3万亿元台阶。", "3万亿元", "3E+12", concept="gdp", comparator=">=", base_unit="元"
)
LEVEL = make_fact(
    "地区生产总值达到3.65万亿元。", "3.65万亿元", "3.65E+12", concept="gdp", base_unit="元"
)
SAME_BASIS = make_fact(
    "同口径增长3.5%。", "3.5%", "3.5", concept="budget_revenue_growth", qualifiers=("同口径",)
)
HEADLINE_REVENUE = make_fact(
    "一般公共预算收入增长1.8%。",
    "1.8%",
    "1.8",
    concept="budget_revenue_growth",
    qualifiers=("全年",),
)
TARGET_BOUND = make_fact(
    "城镇调查失业率5.5%以内。",
    "5.5%",
    "5.5",
    concept="unemployment_rate",
    period="2026",
    status="target",
    comparator="<=",
)
TARGET_POINT = make_fact(
    "失业率控制在5.2%。", "5.2%", "5.2", concept="unemployment_rate", period="2026", status="target"
)
RESTATED = make_fact("经济增长5.2%，好于全国。", "5.2%", "5.2")
ABOVE = make_fact("经济增长5%以上。", "5%", "5", comparator=">=")
NO_CONCEPT = make_fact("新增公办学位1.1万个。", "1.1万个", "11000", concept=None, base_unit="个")


@pytest.mark.parametrize(
    ("facts", "chosen", "count"),
    [
        pytest.param([HEADLINE, RESTATED], HEADLINE, 2, id="first-in-reading-order"),
        pytest.param(
            [SAME_BASIS, HEADLINE_REVENUE], HEADLINE_REVENUE, 2, id="tongkoujing-variant-loses"
        ),
        pytest.param([SAME_BASIS], SAME_BASIS, 1, id="variant-alone-is-shown"),
        pytest.param([MILESTONE, LEVEL], LEVEL, 2, id="actual-stated-value-over-a-milestone-bound"),
        pytest.param([ABOVE, HEADLINE], HEADLINE, 2, id="actual-exact-over-an-earlier-bound"),
        pytest.param([TARGET_BOUND, TARGET_POINT], TARGET_BOUND, 2, id="target-bound-first-stays"),
        pytest.param([NO_CONCEPT, HEADLINE], HEADLINE, 1, id="facts-without-concept-not-counted"),
    ],
)
def test_one_row_per_key_chosen_by_the_rule(facts: list[Fact], chosen: Fact, count: int) -> None:
    (row,) = build_panel(facts)
    assert row.fact == chosen
    assert row.facts == count


def test_no_concept_no_row() -> None:
    assert build_panel([NO_CONCEPT]) == []


@pytest.mark.parametrize(
    ("changes", "rows"),
    [
        pytest.param({"status": "target"}, 2, id="actual-and-target-apart"),
        pytest.param({"period": "2021/2025"}, 2, id="periods-apart"),
        pytest.param({"place": "桂林市"}, 2, id="places-apart"),
        pytest.param({"place": None}, 2, id="unknown-place-its-own-key"),
        pytest.param({"doc_id": "b"}, 1, id="one-key-over-documents"),
    ],
)
def test_keys_are_place_concept_period_status(changes: dict[str, Any], rows: int) -> None:
    assert len(build_panel([HEADLINE, HEADLINE.model_copy(update=changes)])) == rows


def test_rows_sorted_by_place_concept_period_status_unknown_last() -> None:
    facts = [
        HEADLINE.model_copy(update={"place": None}),
        HEADLINE.model_copy(update={"period": "2026", "status": "target"}),
        HEADLINE.model_copy(update={"place": "浙江省"}),
        LEVEL,
        HEADLINE.model_copy(update={"period": None}),
        HEADLINE,
    ]
    keys = [row.key for row in build_panel(facts)]
    assert keys == [
        ("江西省", "gdp", "2025", "actual"),
        ("江西省", "gdp_growth", "2025", "actual"),
        ("江西省", "gdp_growth", "2026", "target"),
        ("江西省", "gdp_growth", None, "actual"),
        ("浙江省", "gdp_growth", "2025", "actual"),
        (None, "gdp_growth", "2025", "actual"),
    ]


def test_first_document_of_the_run_wins_and_its_position_is_kept() -> None:
    builder = PanelBuilder()
    builder.add([(4, HEADLINE.model_copy(update={"doc_id": "b"}))], document=7)
    builder.add([(0, HEADLINE)], document=9)
    (row,) = builder.rows()
    assert (row.fact.doc_id, row.document, row.position, row.facts) == ("b", 7, 4, 2)


def test_concept_facts_keep_their_positions() -> None:
    assert [
        position for position, _ in concept_facts([NO_CONCEPT, HEADLINE, NO_CONCEPT, LEVEL])
    ] == [1, 3]


def test_row_values_are_the_documented_columns() -> None:
    (row,) = build_panel([HEADLINE])
    values = row.values()
    assert tuple(values) == PANEL_FIELDS == tuple(PANEL_CSV_DTYPES)
    assert values["normalized_value"] == Decimal("5.2")
    assert (values["place_code"], values["doc_id"], values["facts"]) == ("360000", "a", 1)


# ---------------------------------------------------------------------------- files of a run


def make_document(doc_id: str, facts: list[Fact]) -> Document:
    """Return a Document of ``doc_id`` whose text is its facts' sentences, in order."""
    text = ""
    placed = []
    for fact in facts:
        moved = fact.start - fact.sentence.index(fact.mention)
        placed.append(
            fact.model_copy(
                update={
                    "doc_id": doc_id,
                    "start": fact.start - moved + len(text),
                    "end": fact.end - moved + len(text),
                }
            )
        )
        text += fact.sentence
    return Document(
        doc_id=doc_id,
        path=f"{doc_id}.txt",
        encoding="utf-8",
        sha256="0" * 64,
        text=text,
        facts=placed,
    )


def write_run(output_dir: Path, documents: list[Document], formats: frozenset[str]) -> None:
    """Write ``documents`` to ``output_dir`` as a run does."""
    entries = [ManifestEntry(path=d.path, doc_id=d.doc_id, status="ok") for d in documents]
    with OutputWriter(output_dir, formats=formats) as writer:
        for document in documents:
            writer.add_document(document)
        writer.commit(entries, totals={"files": len(entries)}, input_dir=Path("in"))


HOSTILE = make_fact(
    '产值增长"6,1"%<b>。', "1", "1", place='<script>"x"</script>', concept="gdp&growth"
)
RUN = [
    make_document("a", [NO_CONCEPT, HEADLINE, RESTATED, TARGET_BOUND]),
    make_document("b", [HOSTILE, LEVEL]),
    make_document("none", []),
]


def test_panel_csv_has_a_row_per_key_in_order(tmp_path: Path) -> None:
    write_run(tmp_path, RUN, frozenset({"csv"}))
    raw = (tmp_path / "panel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ",".join(PANEL_FIELDS).encode() + b"\n")
    panel = read_panel_csv(tmp_path / "panel.csv")
    assert {name: str(dtype) for name, dtype in panel.dtypes.items()} == PANEL_CSV_DTYPES
    assert panel[["place", "concept", "period", "status", "doc_id", "facts"]].values.tolist() == [
        ['<script>"x"</script>', "gdp&growth", "2025", "actual", "b", 1],
        ["江西省", "gdp", "2025", "actual", "b", 1],
        ["江西省", "gdp_growth", "2025", "actual", "a", 2],
        ["江西省", "unemployment_rate", "2026", "target", "a", 1],
    ]
    row = panel.iloc[2]
    assert (row["normalized_value"], row["start"], row["sentence"]) == (5.2, 22, HEADLINE.sentence)
    assert RUN[0].text[row["start"] : row["start"] + 4] == "5.2%"
    assert panel["place_code"].isna().tolist() == [True, False, False, False]


def test_panel_of_a_run_without_concepts_is_its_header(tmp_path: Path) -> None:
    write_run(tmp_path, [make_document("a", [NO_CONCEPT])], frozenset({"jsonl"}))
    assert (tmp_path / "panel.csv").read_bytes() == b"\xef\xbb\xbf" + ",".join(
        PANEL_FIELDS
    ).encode() + b"\n"


def test_panel_parquet_holds_the_rows_exactly(tmp_path: Path) -> None:
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    write_run(tmp_path, RUN, frozenset({"parquet"}))
    table = pyarrow_parquet.read_table(tmp_path / "panel.parquet")
    assert table.column_names == list(PANEL_FIELDS)
    rows = table.to_pylist()
    assert [row["normalized_value"] for row in rows] == [
        Decimal("1"),
        Decimal("3.65E+12"),
        Decimal("5.2"),
        Decimal("5.5"),
    ]
    assert [row["facts"] for row in rows] == [1, 1, 2, 1]
    csv_rows = read_panel_csv(tmp_path / "panel.csv")
    assert csv_rows["sentence"].tolist() == [row["sentence"] for row in rows]


def test_a_run_without_parquet_removes_the_old_panel_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow.parquet")
    write_run(tmp_path, RUN, frozenset({"parquet"}))
    write_run(tmp_path, RUN, frozenset({"csv"}))
    assert not (tmp_path / "panel.parquet").exists()
    assert (tmp_path / "panel.csv").exists()


def test_datapackage_describes_and_validates_the_panel(tmp_path: Path) -> None:
    write_run(tmp_path, RUN, frozenset({"csv"}))
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    _, panel = datapackage_descriptor("facts.csv")["resources"]
    assert panel["path"] == "panel.csv"
    assert [field["name"] for field in panel["schema"]["fields"]] == list(PANEL_FIELDS)
    rows = frictionless.Package(tmp_path / "datapackage.json").get_resource("panel").read_rows()
    assert [row["normalized_value"] for row in rows] == [
        Decimal("1"),
        Decimal("3650000000000"),
        Decimal("5.2"),
        Decimal("5.5"),
    ]


def test_a_failed_run_publishes_no_panel(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), OutputWriter(tmp_path, formats={"csv"}) as writer:
        writer.add_document(RUN[0])
        raise RuntimeError("stopped")
    assert not (tmp_path / "panel.csv").exists()


def with_context(source: SourceText, **options: Any) -> Document:
    """Return the document of ``source`` with every 增长 fact given a headline context."""
    document = ORIGINAL_EXTRACT(source, **options)
    facts = [
        fact.model_copy(update={"place": source.doc_id, "period": "2025", "concept": "gdp_growth"})
        if fact.base_unit == "%"
        else fact
        for fact in document.facts
    ]
    return document.model_copy(update={"facts": facts})


ORIGINAL_EXTRACT = extract.pipeline.extract_source


@pytest.mark.parametrize("jobs", [1, 2], ids=["one-process", "two-workers"])
def test_a_run_builds_the_panel_from_its_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(extract.pipeline, "extract_source", with_context)
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    (input_dir / "甲.txt").write_text(
        "新增公办学位1.1万个。地区生产总值增长5.2%。经济增长5.2%。\n", "utf-8"
    )
    (input_dir / "乙.txt").write_text("地区生产总值增长4.8%。\n", "utf-8")
    extract_paths(input_dir, tmp_path / "out", jobs=jobs)
    panel = read_panel_csv(tmp_path / "out" / "panel.csv")
    assert panel[["place", "normalized_value", "facts"]].values.tolist() == [
        ["乙", 4.8, 1],
        ["甲", 5.2, 2],
    ]
    review = (tmp_path / "out" / "review.html").read_text(encoding="utf-8")
    assert review.count('class="cell"><a href="#f') == 2


# ---------------------------------------------------------------------------- review page


def panel_table(html: str) -> str:
    """Return the panel table of a review page."""
    match = re.search(r'<table class="panel-table">.*?</table>', html, re.DOTALL)
    assert match is not None
    return match.group(0)


def test_review_shows_the_panel_as_a_table_linking_each_cell() -> None:
    documents = RUN[:2]
    rows = [
        row
        for number, document in enumerate(documents)
        for row in [*panel_rows_of(document, number)]
    ]
    table = panel_table(render_review_html(documents, panel=rows))
    heads = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert heads == ["Place", "Concept", "2025 actual", "2026 target"]
    links = re.findall(r'<a href="(#f[0-9-]+)" data-fact="([0-9-]+)"', table)
    # a: HEADLINE is fact 1, TARGET_BOUND fact 3; b: HOSTILE fact 0, LEVEL fact 1.
    assert sorted(links) == [("#f0-1", "0-1"), ("#f0-3", "0-3"), ("#f1-0", "1-0"), ("#f1-1", "1-1")]
    assert ">5.2 %</a>" in table and ">≤5.5 %</a>" in table and ">3,650,000,000,000 元</a>" in table


def panel_rows_of(document: Document, number: int) -> list[Any]:
    """Return the panel rows of one document numbered ``number`` on the page."""
    builder = PanelBuilder()
    builder.add(concept_facts(document.facts), document=number)
    return builder.rows()


def test_review_escapes_everything_in_the_panel() -> None:
    html = render_review_html(RUN[1:2], panel=panel_rows_of(RUN[1], 0))
    table = panel_table(html)
    assert "<script>" not in table and "<b>" not in table
    assert "&lt;script&gt;&#34;x&#34;&lt;/script&gt;" in table
    assert "gdp&amp;growth" in table
    assert 'title="产值增长&#34;6,1&#34;%&lt;b&gt;。' in table


def test_review_without_concepts_has_no_panel_table() -> None:
    assert 'class="panel-table"' not in render_review_html(RUN[:1], panel=[])


def test_review_carries_each_facts_context_for_hover() -> None:
    html = render_review_html(RUN[:1])
    match = re.search(r'<script type="application/json" class="doc-facts">(.*?)</script>', html)
    assert match is not None
    facts = json.loads(match.group(1))
    assert [(f["place"], f["period"], f["status"], f["concept"]) for f in facts] == [
        ("江西省", "2025", "actual", None),
        ("江西省", "2025", "actual", "gdp_growth"),
        ("江西省", "2025", "actual", "gdp_growth"),
        ("江西省", "2026", "target", "unemployment_rate"),
    ]
    assert '["place", fact.place' in html and "row.title = context(fact)" in html


def test_panel_cell_on_another_review_page_links_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("extract.write.REVIEW_PAGE_DOCUMENTS", 1)
    write_run(tmp_path, RUN, frozenset({"jsonl"}))
    table = panel_table((tmp_path / "review.html").read_text(encoding="utf-8"))
    assert re.findall(r'href="([^"]+)"', table) == [
        "review-2.html#f1-0",
        "review-2.html#f1-1",
        "#f0-1",
        "#f0-3",
    ]
    assert 'class="panel-table"' not in (tmp_path / "review-2.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("comparator", ["=", ">", "~"], ids=["equals", "more-than", "about"])
def test_eval_reads_the_panel_csv_a_run_wrote(tmp_path: Path, comparator: str) -> None:
    # facts.csv and panel.csv put a ' before a text cell that starts like a formula (the
    # comparator '='): eval --panel must read the run's own panel.csv back as written.
    from extract.evaluate import PanelGoldCell, load_panel_csv, score_panel
    from extract.write import write_panel_csv

    fact = make_fact("地区生产总值增长5.2%。", "5.2%", "5.2", comparator=comparator)
    write_panel_csv(tmp_path / "panel.csv", build_panel([fact]))
    (row,) = load_panel_csv(tmp_path / "panel.csv")
    assert row.comparator == comparator
    gold = PanelGoldCell.model_validate(
        {
            "place": "江西省",
            "concept": "gdp_growth",
            "period": "2025",
            "status": "actual",
            "normalized_value": 5.2,
            "base_unit": "%",
            "comparator": comparator,
            "upper_value": None,
        }
    )
    assert score_panel([row], [gold]).overall.right == 1
