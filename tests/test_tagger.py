"""The tagger gives exactly the words and tags of jieba.posseg without HMM, more cheaply."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jieba
import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import tagger

RAW = Path(__file__).resolve().parents[1] / "raw"


@pytest.fixture(scope="module")
def posseg() -> jieba.posseg.POSTokenizer:
    jieba.setLogLevel(60)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def posseg_pairs(posseg: jieba.posseg.POSTokenizer, text: str) -> list[tuple[str, str]]:
    return [(pair.word, pair.flag) for pair in posseg.cut(text, HMM=False)]


def tagger_pairs(text: str) -> list[tuple[str, str]]:
    return [(token.word, token.flag) for token in tagger.tag(text)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("全市地区生产总值增长5.3%，新增城镇就业人员超1万人。", id="report-clause"),
        pytest.param("GDP达到1.2万亿元，CPI上涨2.5%", id="latin-and-digits-joined"),
        pytest.param("ｃｐｉ上涨２.５％，全角字符", id="full-width-between-runs"),
        pytest.param("abc  def\r\n x-y\t3-5年", id="whitespace-tokens"),
        pytest.param("C++ 5G a_b #1 ①② 《十四五》", id="symbols-in-runs"),
        pytest.param("", id="empty"),
    ],
)
def test_same_words_and_tags_as_posseg(posseg: jieba.posseg.POSTokenizer, text: str) -> None:
    assert tagger_pairs(text) == posseg_pairs(posseg, text)


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda path: path.stem[:12])
def test_same_words_and_tags_as_posseg_on_sample_reports(
    posseg: jieba.posseg.POSTokenizer, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    assert tagger_pairs(text) == posseg_pairs(posseg, text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="增长万亿元生产总值年同比超过约5.3%（）、，。 \nabcGDP_+#&.-２０％①"))
def test_same_as_posseg_on_any_text(posseg: jieba.posseg.POSTokenizer, text: str) -> None:
    assert tagger_pairs(text) == posseg_pairs(posseg, text)


def test_spans_are_offsets_into_the_sentence() -> None:
    tokens = tagger.tag("地区生产总值增长5.3%", 7)
    assert (tokens[0].start, tokens[0].end) == (7, 9)
    assert "".join(t.word for t in tokens) == "地区生产总值增长5.3%"
    assert all(a.end == b.start for a, b in itertools.pairwise(tokens))


def test_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXTRACT_CACHE_DIR", "/somewhere/else")
    assert tagger.cache_dir() == Path("/somewhere/else")
    monkeypatch.delenv("EXTRACT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert tagger.cache_dir() == Path("/xdg/extract")


def test_tags_come_from_memory_when_the_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(blocker / "cache"))
    table = tagger._TagTable(tagger.jieba_dictionary())
    assert (table.lookup("项目"), table.lookup("增长"), table.lookup("。")) == ("n", "v", "x")
    assert table._in_memory is not None


def test_tag_table_is_built_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(tmp_path))
    table = tagger._TagTable(tagger.jieba_dictionary())
    assert table.lookup("项目") == "n"
    assert table._in_memory is None
    assert [path.name for path in tmp_path.iterdir()] == [table.path.name]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"damaged", id="not-a-prefix-file"),
        pytest.param(lambda data: data[:-1], id="counts-cut-short"),
        pytest.param(lambda data: data[:-8], id="a-count-missing"),
        pytest.param(lambda data: data[:30], id="header-cut-short"),
        pytest.param(lambda data: data[:200] + b"\xff" + data[201:], id="words-not-utf8"),
    ],
)
def test_prefix_dictionary_cache_is_built_then_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[bytes], bytes]
) -> None:
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(tmp_path))
    built = tagger._prefix_dictionary.__wrapped__()
    (cache_file,) = tmp_path.glob("prefix-*.bin")
    reused = tagger._prefix_dictionary.__wrapped__()
    assert reused == built
    assert list(reused[0]) == list(built[0])  # jieba's order, too
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    assert built == (tokenizer.FREQ, tokenizer.total)
    whole = cache_file.read_bytes()
    cache_file.write_bytes(damage(whole))
    rebuilt = tagger._prefix_dictionary.__wrapped__()
    assert rebuilt == built
    assert cache_file.read_bytes() == whole


def test_prefix_dictionary_without_a_writable_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(blocker / "cache"))
    frequencies, total = tagger._prefix_dictionary.__wrapped__()
    assert frequencies["增长"] > 0 and total > 0


def test_jieba_is_found_without_importing_it() -> None:
    assert tagger.jieba_version() == jieba.__version__
    assert tagger.jieba_dictionary() == Path(jieba.Tokenizer().get_dict_file().name)


def test_a_run_on_warm_caches_never_imports_jieba(tmp_path: Path) -> None:
    # Importing jieba costs about 0.2 s of every run's start-up; only a cache miss needs it.
    code = (
        "import sys\n"
        "from extract import extract_text\n"
        f"text = open({str(RAW / '000_a624ea3b61366e50.txt')!r}, encoding='utf-8').read()\n"
        "document = extract_text(text, doc_id='a')\n"
        "print(len(document.facts) > 0, 'jieba' in sys.modules)\n"
    )
    env = {**os.environ, "EXTRACT_CACHE_DIR": str(tmp_path)}
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    warm = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert (cold.stdout.split(), warm.stdout.split()) == (["True", "True"], ["True", "False"])
    # jieba's two caches, one file each, the tables of the divisions (places._plain_places)
    # and one parsed data file for each bundled table the run read (lexicon.bundled_table).
    names = sorted(path.name.split("-")[:2] for path in tmp_path.iterdir())
    assert [kind for kind, _ in names] == ["places", "prefix", *["tables"] * 5, "tags"]
    tables = [table for kind, table in names if kind == "tables"]
    assert tables == ["concepts", "context", "structure", "units", "words"]


DAY = 24 * 3600


@pytest.mark.parametrize(
    ("name", "age_days", "kept"),
    [
        pytest.param("prefix-0.42.1-1-2-little.bin", 40, False, id="old-prefix-of-a-gone-install"),
        pytest.param("prefix-0.42.1-1-2.pickle", 40, False, id="old-prefix-of-an-older-format"),
        pytest.param("tags-0.42.1-1-2.db", 40, False, id="old-tag-table"),
        pytest.param("prefix-0.42.1-3-4-little.bin", 2, True, id="prefix-used-lately"),
        pytest.param("tags-0.42.1-3-4.db", 29, True, id="tag-table-used-within-the-month"),
        pytest.param("notes.txt", 400, True, id="a-file-not-ours"),
    ],
)
def test_writing_a_cache_file_prunes_the_stale_ones(
    tmp_path: Path, name: str, age_days: int, kept: bool
) -> None:
    other = tmp_path / name
    other.write_bytes(b"x")
    then = time.time() - age_days * DAY
    os.utime(other, (then, then))
    tagger.write_cache_file(tmp_path / "prefix-0.42.1-5-6-little.bin", b"new")
    assert (tmp_path / "prefix-0.42.1-5-6-little.bin").read_bytes() == b"new"
    assert other.exists() is kept


def test_a_cache_file_read_is_marked_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(tmp_path))
    tagger._prefix_dictionary.cache_clear()
    tagger._prefix_dictionary()  # builds the file
    (cache_file,) = tmp_path.glob("prefix-*")
    then = time.time() - 40 * DAY
    os.utime(cache_file, (then, then))
    tagger._prefix_dictionary.cache_clear()
    tagger._prefix_dictionary()  # reads it
    assert cache_file.stat().st_mtime > time.time() - DAY
    assert tagger.prune_stale_caches(tmp_path) == []
