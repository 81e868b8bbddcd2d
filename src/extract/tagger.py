"""Word segmentation with part-of-speech tags for the extract stage, built on jieba.

The words and tags are exactly those of ``jieba.posseg.POSTokenizer.cut(text, HMM=False)``
(``tests/test_tagger.py`` compares the two), but loading is cheaper:

- ``jieba.posseg`` loads its HMM tables on import (about 0.3 s) and reads the 350,000
  tags of its dictionary from text on every start (about 0.5 s). Without HMM the tables
  are not needed, and the extractor asks for the tags of a few words only: the tags are
  kept in an SQLite file in the cache folder and looked up one word at a time.
- jieba's prefix dictionary is cached in a compact file of our own (its words as one
  text, their counts as one array), which loads several times faster than jieba's own
  marshal cache, in the cache folder rather than the system temp folder (cleaned at
  reboot), named for the jieba version and the dictionary file.
- jieba itself is imported only to build the caches: its import takes about 0.2 s (it
  loads its HMM tables and, where setuptools is installed, pkg_resources).

The cache folder is ``$EXTRACT_CACHE_DIR``, else ``$XDG_CACHE_HOME/extract``, else
``~/.cache/extract``. A cache that cannot be written only costs time, never a run.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import sqlite3
import struct
import sys
import tempfile
import time
from array import array
from collections.abc import Iterator
from contextlib import closing, contextmanager
from functools import cache
from math import log
from pathlib import Path

#: Runs that jieba segments with its dictionary (Han characters, Latin letters, digits and
#: + # & . _); the text between them is split per character. Same classes as posseg's.
_DICTIONARY_RUN_RE = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&._]+)")
#: Whitespace, kept as one token tagged ``x``.
_SPACE_RE = re.compile(r"(\r\n|\s)")
#: One Latin letter or ASCII digit: a run of them is joined into one ``eng`` word.
_LATIN_OR_DIGIT_CHAR_RE = re.compile(r"[a-zA-Z0-9]")

#: Tag of a word the dictionary has no tag for, and of punctuation.
UNKNOWN_TAG = "x"


class Token:
    """One word of a clause: its text, jieba's POS tag and its span in the sentence.

    The tag of a dictionary word is looked up only when asked for: the extractor needs
    the tags of a few words only, and the full table costs half a second to load.
    """

    __slots__ = ("_flag", "end", "start", "word")

    def __init__(self, word: str, flag: str | None, start: int, end: int) -> None:
        self.word = word
        self._flag = flag  # None: the word's tag in jieba's dictionary, looked up on demand
        self.start = start
        self.end = end

    @property
    def flag(self) -> str:
        """Return jieba's POS tag of the word (``x`` for punctuation and unknown words)."""
        if self._flag is None:
            self._flag = word_tag(self.word)
        return self._flag

    def __repr__(self) -> str:
        return f"Token({self.word!r}, {self.flag!r}, {self.start}, {self.end})"


def cache_dir() -> Path:
    """Return the folder where the dictionary caches are kept (it may not exist yet)."""
    if explicit := os.environ.get("EXTRACT_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "extract"


@cache
def jieba_version() -> str:
    """Return the version of the installed jieba, read without importing it."""
    try:
        return importlib.metadata.version("jieba")
    except importlib.metadata.PackageNotFoundError:
        import jieba  # installed without its metadata (vendored): ask the module

        return str(jieba.__version__)


@cache
def jieba_dictionary() -> Path:
    """Return jieba's default dictionary file (``dict.txt`` in its package), found without
    importing jieba: the file ``jieba.Tokenizer().get_dict_file()`` opens."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        import jieba  # not installed: the import raises the usual error

        return Path(jieba.Tokenizer().get_dict_file().name)
    return Path(spec.origin).parent / "dict.txt"


@cache
def _prefix_dictionary() -> tuple[dict[str, int], int]:
    """Return jieba's prefix dictionary (``Tokenizer.FREQ``) and its total count.

    jieba keeps its prefix dictionary (500,000 words and prefixes with their counts) in a
    marshal cache, which takes about a second to load. Here it is kept in the cache folder
    as its words in one UTF-8 text and their counts in one array (``_read_prefix_file``):
    the words are then made by one decode and one split, without a per-word step of a
    general loader, and the dict is built from them in jieba's order. The file is made
    from what jieba itself built, the first time (the only time jieba is imported).
    """
    cache_file = _cache_file("prefix", jieba_dictionary(), f"-{sys.byteorder}.bin")
    try:
        found = _read_prefix_file(cache_file)
        mark_used(cache_file)
        return found
    except (OSError, ValueError, struct.error):
        pass  # no cache yet, or a damaged one: build it again
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()  # a private one, never the global tokenizer
    tokenizer.initialize()
    _write_prefix_file(cache_file, tokenizer.FREQ, tokenizer.total)
    return tokenizer.FREQ, tokenizer.total


#: The first bytes of a prefix dictionary file; then the total count, the number of words
#: and the length of the words' text (``_PREFIX_HEADER``), the words' text, the counts.
_PREFIX_MAGIC = b"extract-prefix-1\n"
_PREFIX_HEADER = struct.Struct("<qqq")


def _read_prefix_file(path: Path) -> tuple[dict[str, int], int]:
    """Return the prefix dictionary and total count kept in ``path``; ValueError or
    struct.error when the file is not one ``_write_prefix_file`` wrote whole."""
    data = path.read_bytes()
    if not data.startswith(_PREFIX_MAGIC):
        raise ValueError(f"{path}: not a prefix dictionary file")
    offset = len(_PREFIX_MAGIC)
    total, count, text_size = _PREFIX_HEADER.unpack_from(data, offset)
    offset += _PREFIX_HEADER.size
    words = data[offset:offset + text_size].decode("utf-8").split("\n")
    counts = array("q")
    counts.frombytes(data[offset + text_size:])  # ValueError unless whole counts
    if not len(words) == len(counts) == count:
        raise ValueError(f"{path}: truncated")
    return dict(zip(words, counts, strict=True)), total


def _write_prefix_file(path: Path, frequencies: dict[str, int], total: int) -> None:
    """Write the prefix dictionary to ``path`` atomically (nothing when a word holds a line
    break, which the file cannot keep); give up quietly when the cache is unwritable."""
    if any("\n" in word for word in frequencies):
        return
    text = "\n".join(frequencies).encode("utf-8")
    counts = array("q", frequencies.values())
    header = _PREFIX_HEADER.pack(total, len(frequencies), len(text))
    write_cache_file(path, b"".join((_PREFIX_MAGIC, header, text, counts.tobytes())))


def _cache_file(kind: str, dictionary: Path, suffix: str) -> Path:
    """Return the cache file of ``kind`` made from ``dictionary``: named for the jieba
    version and the dictionary file's size and time, so a changed one is never reused."""
    stat = dictionary.stat()
    name = f"{kind}-{jieba_version()}-{stat.st_size}-{stat.st_mtime_ns}{suffix}"
    return cache_dir() / name


@contextmanager
def _replacing(path: Path) -> Iterator[str]:
    """Yield a temporary file's path beside ``path``; once the block has filled it, it
    replaces ``path`` in one step (concurrent workers never see half a cache file), and the
    stale cache files of the folder are pruned. OSError when the folder is unwritable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    os.close(descriptor)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    prune_stale_caches(path.parent)


def write_cache_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; give up quietly when the cache is unwritable."""
    try:
        with _replacing(path) as temporary:
            Path(temporary).write_bytes(data)
    except OSError:
        pass


#: The kinds of cache file this module writes, by the start of their names.
CACHE_KINDS = ("prefix-", "tags-", "templates-", "tables-", "places-")
#: A cache file no run has used for this long belongs to a jieba install that is gone:
#: each install (a new venv, an upgrade) names its files anew, and nothing else would ever
#: remove the old ones. Runs mark the files they use (``mark_used``).
STALE_CACHE_SECONDS = 30 * 24 * 3600


def mark_used(path: Path) -> None:
    """Set the time of ``path`` to now, so that ``prune_stale_caches`` keeps it."""
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache: it is only never pruned


def prune_stale_caches(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the cache files of ``folder`` unused for ``STALE_CACHE_SECONDS``; return them.

    Called when a new cache file has been written, which is when an install's files have
    just been replaced. Files of other names are never touched."""
    limit = (time.time() if now is None else now) - STALE_CACHE_SECONDS
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(CACHE_KINDS):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass  # removed by another process meanwhile, or not ours to remove
    return removed


@cache
def word_tag(word: str) -> str:
    """Return jieba's POS tag of a dictionary word, ``x`` for a word it does not tag.

    >>> word_tag("项目"), word_tag("增长"), word_tag("。")
    ('n', 'v', 'x')
    """
    return _tag_table().lookup(word)


class _TagTable:
    """jieba's word → tag table, kept on disk in SQLite so that a run reads only the words
    it asks for. Falls back to the whole table in memory when the cache cannot be used.
    """

    def __init__(self, dictionary: Path) -> None:
        self.dictionary = dictionary
        self.path = _cache_file("tags", dictionary, ".db")
        self._in_memory: dict[str, str] | None = None
        self._connection: sqlite3.Connection | None = None
        self._pid = -1

    def lookup(self, word: str) -> str:
        """Return the tag of ``word``, or ``x``."""
        connection = self._connection_of_this_process()
        if connection is None:
            assert self._in_memory is not None
            return self._in_memory.get(word, UNKNOWN_TAG)
        row = connection.execute("SELECT tag FROM tags WHERE word = ?", (word,)).fetchone()
        return row[0] if row is not None else UNKNOWN_TAG

    def _connection_of_this_process(self) -> sqlite3.Connection | None:
        """Return a read-only connection of this process, or None when using memory."""
        if self._in_memory is not None:
            return None
        # A connection must not cross a fork: each worker process opens its own.
        if self._connection is None or self._pid != os.getpid():
            try:
                if not self.path.exists():
                    self._build()
                else:
                    mark_used(self.path)
                self._connection = sqlite3.connect(
                    f"{self.path.as_uri()}?mode=ro", uri=True, check_same_thread=False
                )
            except (OSError, sqlite3.Error):
                self._in_memory = _read_word_tags(self.dictionary)
                return None
            self._pid = os.getpid()
        return self._connection

    def _build(self) -> None:
        """Write the table from jieba's dictionary file to the cache, atomically."""
        tags = _read_word_tags(self.dictionary)
        with _replacing(self.path) as temporary:
            with closing(sqlite3.connect(temporary)) as connection, connection:
                connection.execute(
                    "CREATE TABLE tags (word TEXT PRIMARY KEY, tag TEXT) WITHOUT ROWID"
                )
                connection.executemany("INSERT INTO tags VALUES (?, ?)", tags.items())


@cache
def _tag_table() -> _TagTable:
    """Return the tag table of jieba's dictionary."""
    return _TagTable(jieba_dictionary())


def _read_word_tags(dictionary: Path) -> dict[str, str]:
    """Return {word: tag} from a jieba dictionary file of ``word frequency tag`` lines."""
    tags: dict[str, str] = {}
    with dictionary.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


def load() -> None:
    """Load the dictionary now (otherwise the first use does it)."""
    _prefix_dictionary()


def tag(text: str, offset: int = 0) -> list[Token]:
    """Return the words of ``text`` with their POS tags, spans shifted by ``offset``.

    >>> [(t.word, t.flag, t.start) for t in tag("增长5.3%", 10)][:2]
    [('增长', 'v', 10), ('5', 'eng', 12)]
    """
    tokens: list[Token] = []
    position = offset
    for word, flag in _cut(text):
        tokens.append(Token(word, flag, position, position + len(word)))
        position += len(word)
    return tokens


def _cut(text: str) -> list[tuple[str, str | None]]:
    """Return (word, tag) pairs of ``text``, as jieba.posseg's cut without HMM gives them.

    The tag is None for a dictionary word: ``Token.flag`` looks it up when asked.
    """
    pairs: list[tuple[str, str | None]] = []
    # split() with a group alternates text between runs (even places) and runs (odd
    # places): the place says which a block is, without matching it again.
    for index, block in enumerate(_DICTIONARY_RUN_RE.split(text)):
        if not block:
            continue
        if index % 2:
            pairs.extend(_cut_dictionary_run(block))
            continue
        # Between runs: whitespace is one token, anything else (punctuation, full-width
        # digits, other scripts) one token per character. Latin letters and ASCII digits
        # cannot occur here: they belong to the runs.
        if not _SPACE_RE.search(block):
            pairs.extend((char, UNKNOWN_TAG) for char in block)
            continue
        for place, piece in enumerate(_SPACE_RE.split(block)):
            if place % 2:
                pairs.append((piece, UNKNOWN_TAG))
            else:
                pairs.extend((char, UNKNOWN_TAG) for char in piece)
    return pairs


def _best_route(run: str) -> list[int]:
    """Return jieba's most probable segmentation of ``run``: the end of the word that
    starts at each position (exclusive), where the route passes through that position.

    The same route as ``Tokenizer.calc(run, Tokenizer.get_DAG(run), route)``, computed
    with one dictionary lookup per prefix instead of two and each word's log probability
    looked up once per process instead of once per use.
    """
    frequencies = _prefix_dictionary()[0]
    log_probability = _log_probabilities()
    log_total = _log_total()
    length = len(run)
    # scores[i]: log probability of the best route through run[i:]; word_ends[i]: the end
    # of its first word. Native lists, not a dict of tuples: this loop runs per character.
    scores = [0.0] * (length + 1)
    word_ends = [0] * (length + 1)
    for start in range(length - 1, -1, -1):
        # The words of the dictionary that start here (a lone character if there is none),
        # shortest first; the most probable route wins, the longer word on a tie (as
        # jieba's max over (probability, end) pairs).
        best_score = 0.0
        best_end = -1
        end = start + 1
        frequency = frequencies.get(run[start])
        while frequency is not None:
            if frequency:
                word = run[start:end]
                score = log_probability.get(word)
                if score is None:
                    score = log_probability[word] = log(frequency) - log_total
                score += scores[end]
                if best_end < 0 or score >= best_score:
                    best_score, best_end = score, end
            if end >= length:
                break
            end += 1
            frequency = frequencies.get(run[start:end])
        if best_end < 0:  # no dictionary word starts here: the character alone
            word = run[start]
            score = log_probability.get(word)
            if score is None:
                score = log_probability[word] = log(frequencies.get(word) or 1) - log_total
            best_score, best_end = score + scores[start + 1], start + 1
        scores[start] = best_score
        word_ends[start] = best_end
    return word_ends


def word_count(word: str) -> int:
    """Return how often jieba's dictionary counts ``word`` (0 for a word it does not have).

    >>> word_count("平均") > word_count("比达") > 0, word_count("率为")
    (True, 0)
    """
    return _prefix_dictionary()[0].get(word) or 0


@cache
def _log_probabilities() -> dict[str, float]:
    """Return this process's memo of words' log probabilities, filled as words are met."""
    return {}


@cache
def _log_total() -> float:
    """Return the log of the dictionary's total count."""
    return log(_prefix_dictionary()[1])


def _cut_dictionary_run(run: str) -> list[tuple[str, str | None]]:
    """Return (word, tag) pairs of one run by jieba's most probable dictionary path.

    Single Latin letters and digits in a row are joined into one ``eng`` word (2023, GDP).
    """
    word_ends = _best_route(run)
    pairs: list[tuple[str, str | None]] = []
    latin = ""
    index = 0
    while index < len(run):
        end = word_ends[index]
        word = run[index:end]
        if end - index == 1 and _LATIN_OR_DIGIT_CHAR_RE.match(word):
            latin += word
        else:
            if latin:
                pairs.append((latin, "eng"))
                latin = ""
            pairs.append((word, None))
        index = end
    if latin:
        pairs.append((latin, "eng"))
    return pairs
