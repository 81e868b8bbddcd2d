"""Review page (no browser): text kept whole and escaped, one highlight per fact group,
overlapping facts merged, documents pulled one at a time, review.html written by a run."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest

import extract.review
import extract.write
from extract import Document, Fact, extract_paths, extract_text
from extract.review import (
    ReviewPage,
    iter_review_html,
    iter_review_page,
    render_review_document,
    render_review_html,
    review_page_frame,
)

HOSTILE_TEXT = "“A&B”计划<试点>完成投资3.5亿元，'新'项目12个。\n指标\"</script><b>\"增长8%。"
PLAIN_TEXT = "新增城镇就业人员超1万人，平均失业率稳定在3%以下。"


class PageParser(HTMLParser):
    """Collects what the tests look at: each document's text, highlights and fact JSON."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        #: (document number, highlighted text, fact keys) in page order.
        self.marks: list[tuple[int, str, list[str]]] = []
        self.fact_json: list[str] = []
        self.script_count = 0
        self._in_text = False
        self._in_mark: list[str] | None = None
        self._in_facts = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "div" and "text" in classes:
            self._in_text = True
            self.texts.append("")
        elif tag == "mark" and self._in_text:
            self._in_mark = (attributes.get("data-facts") or "").split()
            self.marks.append((len(self.texts) - 1, "", self._in_mark))
        elif tag == "script":
            self.script_count += 1
            if "doc-facts" in classes:
                self._in_facts = True
                self.fact_json.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self._in_text = False
        elif tag == "mark":
            self._in_mark = None
        elif tag == "script":
            self._in_facts = False

    def handle_data(self, data: str) -> None:
        if self._in_text:
            self.texts[-1] += data
            if self._in_mark is not None:
                number, text, keys = self.marks[-1]
                self.marks[-1] = (number, text + data, keys)
        if self._in_facts:
            self.fact_json[-1] += data


def parse_page(documents: list[Document]) -> PageParser:
    """Return the parsed review page of ``documents``."""
    parser = PageParser()
    parser.feed(render_review_html(documents))
    parser.close()
    return parser


def make_fact(text: str, start: int, end: int, **fields: Any) -> Fact:
    """Return a valid Fact for ``text[start:end]``, with ``fields`` overriding defaults."""
    values: dict[str, Any] = {
        "doc_id": "d",
        "section": None,
        "mention": text[start:end],
        "value": Decimal(1),
        "unit": "个",
        "normalized_value": Decimal(1),
        "base_unit": "个",
        "per": None,
        "comparator": "=",
        "indicator": "项目",
        "qualifiers": [],
        "sentence": text,
        "start": start,
        "end": end,
        "line": 1,
        "upper_value": None,
    }
    values.update(fields)
    return Fact(**values)


def make_document(text: str, spans: list[tuple[int, int]], doc_id: str = "d") -> Document:
    """Return a Document over ``text`` with one fact for each (start, end) span."""
    # A span past the text's end gets a stand-in mention of the right length.
    facts = [make_fact(text, start, end, mention="x" * (end - start)) for start, end in spans]
    return Document(
        doc_id=doc_id,
        path=f"{doc_id}.txt",
        encoding="utf-8",
        sha256="0" * 64,
        text=text,
        facts=facts,
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HOSTILE_TEXT, id="angle-brackets-ampersand-quotes"),
        pytest.param(PLAIN_TEXT, id="plain"),
        pytest.param("A&amp;B 不是实体，&lt; 也不是：增长8%。", id="text-that-looks-escaped"),
    ],
)
def test_text_comes_back_character_for_character(text: str) -> None:
    document = extract_text(text, doc_id="a")
    assert parse_page([document]).texts == [document.text]


def test_hostile_text_is_escaped_in_markup_and_in_json() -> None:
    document = extract_text(HOSTILE_TEXT, doc_id='<b>"doc"</b>')
    page = render_review_html([document], title="<i>run</i>")
    parsed = parse_page([document])
    assert "<b>" not in page.replace("</b>", "").split("<body>", 1)[1].split("<script")[0]
    assert "&lt;试点&gt;" in page and "&#34;&lt;/script&gt;&lt;b&gt;&#34;" in page
    assert "<title>&lt;i&gt;run&lt;/i&gt;</title>" in page
    # Only the facts blob and the page's own script: no script element came from the text.
    assert parsed.script_count == 2
    rows = json.loads(parsed.fact_json[0])
    assert [row["indicator"] for row in rows] == [f.indicator for f in document.facts]
    assert any("</script>" in row["indicator"] for row in rows)


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        pytest.param([(0, 2), (4, 6)], [("0-0", "ab"), ("0-1", "ef")], id="apart"),
        pytest.param([(0, 2), (2, 4)], [("0-0", "ab"), ("0-1", "cd")], id="adjacent-stay-apart"),
        pytest.param([(0, 6), (2, 4)], [("0-0 0-1", "abcdef")], id="nested-share-one"),
        pytest.param([(2, 4), (0, 6)], [("0-0 0-1", "abcdef")], id="nested-given-first"),
        pytest.param([(0, 4), (2, 6)], [("0-0 0-1", "abcdef")], id="partial-overlap-merged"),
        pytest.param([(1, 3), (1, 3)], [("0-0 0-1", "bc")], id="same-span-distributed"),
        pytest.param([(0, 3), (2, 5), (4, 7)], [("0-0 0-1 0-2", "abcdefg")], id="chain-merged"),
        pytest.param([(0, 2), (8, 14)], [("0-0", "ab")], id="span-outside-text-unmarked"),
    ],
)
def test_overlapping_facts_share_one_highlight(
    spans: list[tuple[int, int]], expected: list[tuple[str, str]]
) -> None:
    document = make_document("abcdefghij", spans)
    parsed = parse_page([document])
    assert [(" ".join(keys), text) for _, text, keys in parsed.marks] == expected
    assert parsed.texts == [document.text]
    assert len(json.loads(parsed.fact_json[0])) == len(spans)  # every fact keeps its row


def test_every_fact_of_a_run_has_exactly_one_highlight() -> None:
    documents = [
        extract_text(PLAIN_TEXT, doc_id="a"),
        extract_text("", doc_id="empty"),
        extract_text(HOSTILE_TEXT, doc_id="b"),
    ]
    parsed = parse_page(documents)
    keys = [key for _, _, mark_keys in parsed.marks for key in mark_keys]
    expected = [f"{n}-{k}" for n, d in enumerate(documents) for k in range(len(d.facts))]
    assert sorted(keys) == sorted(expected) and len(expected) >= 4
    assert [text for _, text, _ in parsed.marks] == [
        fact.mention for document in documents for fact in document.facts
    ]


@pytest.mark.parametrize(
    ("chunk_chars", "chunk_rows"),
    [
        pytest.param(1, 1, id="every-piece-and-row-its-own-chunk"),
        pytest.param(40, 2, id="chunks-cut-between-pieces"),
    ],
)
def test_chunks_join_into_the_same_page(
    monkeypatch: pytest.MonkeyPatch, chunk_chars: int, chunk_rows: int
) -> None:
    documents = [extract_text(PLAIN_TEXT + HOSTILE_TEXT, doc_id="a")]
    whole = render_review_html(documents)
    monkeypatch.setattr(extract.review, "CHUNK_CHARS", chunk_chars)
    monkeypatch.setattr(extract.review, "CHUNK_ROWS", chunk_rows)
    assert render_review_html(documents) == whole
    parsed = parse_page(documents)
    assert parsed.texts == [documents[0].text]
    assert len(json.loads(parsed.fact_json[0])) == len(documents[0].facts) == 5


def test_an_empty_run_is_a_page_saying_so() -> None:
    page = render_review_html([])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "No documents in this run." in page
    assert "<mark" not in page


@pytest.mark.parametrize(
    ("pages", "page"),
    [
        pytest.param([], 0, id="single-page"),
        pytest.param(
            [ReviewPage("review.html", 0, 2), ReviewPage("review-2.html", 2, 1)],
            1,
            id="second-of-two-pages-links-the-first",
        ),
    ],
)
def test_page_frame_goes_around_the_documents(pages: list[ReviewPage], page: int) -> None:
    documents = [extract_text(HOSTILE_TEXT, doc_id="a"), extract_text(PLAIN_TEXT, doc_id="b")]
    html = "".join(render_review_document(document, n) for n, document in enumerate(documents))
    head, tail = review_page_frame(title="<run>", pages=pages, page=page)
    whole = "".join(iter_review_page([html], title="<run>", pages=pages, page=page))
    assert head + html + tail == whole
    assert head.startswith("<!DOCTYPE html>") and "&lt;run&gt;" in head
    assert tail.rstrip().endswith("</html>") and "\x00" not in head + tail


def test_documents_are_pulled_one_at_a_time() -> None:
    pulled: list[str] = []

    def documents() -> Iterator[Document]:
        for doc_id in ("a", "b", "c"):
            pulled.append(doc_id)
            yield extract_text(PLAIN_TEXT, doc_id=doc_id)

    pieces = iter_review_html(documents())
    seen = ""
    while "<mark" not in seen:
        seen += next(pieces)
    assert pulled == ["a"]
    assert "".join(pieces).count('class="doc"') == 2  # b and c, after a
    assert pulled == ["a", "b", "c"]


def test_a_run_writes_review_html_beside_the_facts(tmp_path: Path) -> None:
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    (input_dir / "a.txt").write_text(PLAIN_TEXT, encoding="utf-8")
    (input_dir / "b.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    summary = extract_paths(input_dir, tmp_path / "out")
    parser = PageParser()
    parser.feed((tmp_path / "out" / "review.html").read_text(encoding="utf-8"))
    assert len(parser.texts) == 2
    assert sum(len(keys) for _, _, keys in parser.marks) == summary.facts
    assert not list((tmp_path / "out").glob(".extract-staging-*"))


def write_reports(folder: Path, count: int) -> Path:
    """Return ``folder`` holding ``count`` one-sentence reports, r0.txt … rN.txt."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"r{number}.txt").write_text(f"新增公办学位{number + 1}万个。", encoding="utf-8")
    return folder


def test_a_big_run_gets_linked_review_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract.write, "REVIEW_PAGE_DOCUMENTS", 2)
    summary = extract_paths(write_reports(tmp_path / "in", 5), tmp_path / "out", jobs=1)
    names = ["review.html", "review-2.html", "review-3.html"]
    assert sorted(p.name for p in (tmp_path / "out").glob("review*.html")) == sorted(names)
    marks = 0
    for index, name in enumerate(names):
        page = (tmp_path / "out" / name).read_text(encoding="utf-8")
        parser = PageParser()
        parser.feed(page)
        marks += sum(len(keys) for _, _, keys in parser.marks)
        assert len(parser.texts) == (1 if index == 2 else 2)
        assert f'data-first-document="{2 * index}"' in page
        others = [other for other in names if other != name]
        assert all(f'href="{other}"' in page for other in others)
        assert '<span aria-current="page">' in page
    assert marks == summary.facts == 5


@pytest.mark.parametrize("jobs", [pytest.param(1, id="one-process"), pytest.param(2, id="workers")])
def test_review_pages_are_cut_by_characters_not_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # A report's HTML is under the limit in characters and over it in UTF-8 bytes (a Han
    # character is 3 bytes), so a page holds two reports, where bytes would make it one.
    text = "新增城镇就业人员超1万人。" + "经济社会发展稳中求进，发展质量稳步提升。" * 20
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    for name in ("r1", "r2", "r3"):
        (input_dir / f"{name}.txt").write_text(text, encoding="utf-8")
    html = render_review_document(extract_text(text, doc_id="r1"), 0)
    limit = len(html) * 3 // 2
    assert len(html.encode("utf-8")) > limit
    monkeypatch.setattr(extract.write, "REVIEW_PAGE_CHARS", limit)
    extract_paths(input_dir, tmp_path / "out", jobs=jobs)
    pages = sorted(p.name for p in (tmp_path / "out").glob("review*.html"))
    assert pages == ["review-2.html", "review.html"]


def test_a_smaller_rerun_removes_the_extra_review_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract.write, "REVIEW_PAGE_DOCUMENTS", 2)
    extract_paths(write_reports(tmp_path / "in", 5), tmp_path / "out", jobs=1)
    (tmp_path / "out" / "review-notes.html").write_text("mine", encoding="utf-8")
    extract_paths(write_reports(tmp_path / "small", 2), tmp_path / "out", jobs=1)
    names = sorted(p.name for p in (tmp_path / "out").glob("review*.html"))
    assert names == ["review-notes.html", "review.html"]
    assert "aria-label=\"Review pages\"" not in (tmp_path / "out" / "review.html").read_text(
        encoding="utf-8"
    )


@pytest.fixture
def template_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Point the cache folder at ``tmp_path``; yield the names of the templates compiled."""
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counting_compile(
        environment: jinja2.Environment, source: Any, name: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        compiled.append(name)
        return compile_template(environment, source, name, *args, **kwargs)

    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    extract.review._environment.cache_clear()
    yield compiled
    extract.review._environment.cache_clear()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"damaged", id="not-a-template-file"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[:12], id="checksum-cut-short"),
        pytest.param(lambda data: data[:-1], id="code-cut-short"),
        pytest.param(lambda data: data[:60] + b"\xff" * 8 + data[68:], id="code-garbled"),
    ],
)
def test_compiled_templates_are_cached_then_reused(
    tmp_path: Path, template_cache: list[str], damage: Callable[[bytes], bytes]
) -> None:
    document = make_document("abcdefghij", [(0, 3)])
    built = render_review_document(document, 0)
    assert template_cache == [extract.review.DOCUMENT_TEMPLATE_NAME]
    (cache_file,) = tmp_path.glob("templates-*")
    whole = cache_file.read_bytes()
    extract.review._environment.cache_clear()
    assert render_review_document(document, 0) == built
    assert len(template_cache) == 1  # read from the cache folder, not compiled again
    cache_file.write_bytes(damage(whole))
    extract.review._environment.cache_clear()
    assert render_review_document(document, 0) == built
    assert cache_file.read_bytes() == whole


def test_templates_without_a_writable_cache(
    tmp_path: Path, template_cache: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(blocker / "cache"))
    document = make_document("abcdefghij", [(0, 3)])
    assert "<mark" in render_review_document(document, 0)
