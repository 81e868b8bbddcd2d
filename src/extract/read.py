"""Read stage: find the input files and decode each one to text, naming the encoding that worked.

Decoding order: a byte-order mark (UTF-8, UTF-16, UTF-32) wins; otherwise UTF-16 without
a mark is recognised by its NUL pattern, or by reading as mostly Chinese when its NUL
bytes fall on both sides; otherwise strict UTF-8, then strict GB18030 (a superset of GBK
and GB2312), then UTF-16 that reads as mostly Chinese and holds no NUL byte at all, then
Big5. Big5 bytes are valid GB18030 as well: a GB18030 reading in which fewer than 90% of
the Chinese characters are common ones (level 1 of GB 2312 or of Big5) is compared with
the Big5 reading, and the one with more common characters is taken; when neither has half,
the file is refused.
Line ends are normalised to ``\\n`` here, so the same text in any of these encodings,
with CRLF or LF, reaches the cleaner as the same string.

Small damage is repaired and recorded as an ``Issue``: a stray NUL byte, zero padding
after the text (an interrupted download), a truncated final character, a handful of
bytes that are not UTF-8 inside a UTF-8 file. Anything else that cannot be text raises
``UnreadableFile`` with a reason a person understands.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .markup import html_to_text, looks_like_html
from .models import Issue, SourceText, UnreadableStatus

#: Bytes inspected to tell text from binary content.
SNIFF_BYTES = 8 * 1024

#: Files larger than this are skipped rather than read whole (reports are far smaller;
#: a 10 MB file is read in well under a second).
MAX_FILE_BYTES = 256 * 1024 * 1024

#: More NUL bytes than this in the first 8 KiB (or NULs making up a quarter of it) means
#: binary content; fewer are stray bytes that are removed and recorded.
MAX_STRAY_NULS = 8

#: Share of control characters above which decoded "text" is really binary content.
MAX_CONTROL_SHARE = 0.05

#: A damaged UTF-8 file is still read as UTF-8 (bad bytes become U+FFFD) when it holds at
#: least this many well-formed non-ASCII characters per bad byte; fewer, and it is more
#: likely another encoding.
MIN_GOOD_CHARS_PER_BAD_BYTE = 100

#: Non-ASCII characters that make a file valid as UTF-8 up to a cut-off last character
#: count as UTF-8 rather than as GB18030 (which may read those bytes as whole characters).
MIN_UTF8_EVIDENCE = 20

#: Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE mark.
BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Leading bytes of common binary formats that end up renamed to ``.txt``.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF file"),
    (b"PK\x03\x04", "ZIP archive (also docx, xlsx, epub)"),
    (b"PK\x05\x06", "ZIP archive (empty)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE file (old Word or Excel document)"),
    (b"{\\rtf", "RTF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"RIFF", "RIFF file (WAV, AVI or WebP)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)

#: Decode errors that mean "the data stops inside a character" rather than "bad byte".
_TRUNCATION_REASONS = frozenset(
    {"unexpected end of data", "truncated data", "incomplete multibyte sequence"}
)

#: Longest encoded character of any supported encoding (UTF-8 and GB18030: 4 bytes).
_MAX_CHAR_BYTES = 4

#: Control characters a text file may legitimately hold: tab, line ends, form feed.
_TEXT_CONTROLS = frozenset("\t\n\r\x0b\x0c")

#: Every other control character (below U+0020): counted in C, not by a Python loop over
#: the 8 KiB sample of every file (which took about 2% of a run).
_STRAY_CONTROL_RE = re.compile(
    "[" + "".join(chr(code) for code in range(32) if chr(code) not in _TEXT_CONTROLS) + "]"
)
#: The Private Use Area of the Basic Multilingual Plane: what binary data decoded as
#: UTF-16 is full of (compiled when a text is first tried as UTF-16).
@functools.cache
def _private_use_re() -> re.Pattern[str]:
    return re.compile("[\ue000-\uf8ff]")


class UnreadableFile(Exception):
    """An input file that gives no text: ``status`` says whether it was skipped or failed."""

    def __init__(
        self,
        path: str,
        reason: str,
        *,
        status: UnreadableStatus,
        sha256: str | None = None,
        size: int | None = None,
    ) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.status: UnreadableStatus = status
        self.sha256 = sha256
        self.size = size


class InputFolderError(Exception):
    """The input folder given by the caller cannot be used; the message names the fix."""


def relative_name(path: Path, *, root: Path) -> str:
    """Return ``path`` relative to ``root`` as a '/'-separated string that is valid text.

    A name whose bytes are not UTF-8 (Python holds them as surrogate escapes) has each
    such byte written ``\\xNN``; ``name_bytes`` gives the bytes themselves.

    >>> relative_name(Path("in/a/b.txt"), root=Path("in"))
    'a/b.txt'
    >>> print(relative_name(Path("in", os.fsdecode(b"\\xb1\\xa8.txt")), root=Path("in")))
    \\xb1\\xa8.txt
    """
    return text_of_name(path.relative_to(root).as_posix())


def text_of_name(name: str) -> str:
    """Return the file name ``name`` as valid text: bytes that are not UTF-8 written ``\\xNN``.

    >>> print(text_of_name(os.fsdecode(b"caf\\xe9.txt")))
    caf\\xe9.txt
    """
    raw = name_bytes(name)
    return name if raw is None else raw.decode("utf-8", errors="backslashreplace")


def name_bytes(name: str) -> bytes | None:
    """Return the bytes of the file name ``name`` when they are not UTF-8, else None.

    >>> name_bytes("报告.txt"), name_bytes(os.fsdecode(b"\\xb1\\xa8.txt"))
    (None, b'\\xb1\\xa8.txt')
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name)
    return None


#: Marks a doc_id part read from a file or folder name as GB18030 because its bytes are
#: not UTF-8 (a GBK name from a zip made on Chinese Windows): ``报告~gb18030``.
GB18030_NAME_MARK = "~gb18030"


def doc_id_of(path: Path, *, root: Path) -> str:
    """Return the document id of the file at ``path`` under ``root``, always valid text.

    A name part whose bytes are not UTF-8 is read as GB18030 and marked ``~gb18030``
    when that gives printable text, else its bad bytes are written ``\\xNN``.

    >>> doc_id_of(Path("in", os.fsdecode("报告".encode("gbk")), "a.txt"), root=Path("in"))
    '报告~gb18030/a'
    """
    return doc_id_of_name(path.relative_to(root).as_posix())


def doc_id_of_name(relative: str) -> str:
    """Return the document id of the '/'-separated relative path ``relative`` as the file
    system gives it (surrogate escapes and all): ``doc_id_of`` without the path arithmetic.

    >>> doc_id_of_name("2023/报告.txt")
    '2023/报告'
    """
    if name_bytes(relative) is None:
        return doc_id_for(relative)
    return doc_id_for(readable_name(relative))


def readable_name(name: str) -> str:
    """Return the '/'-separated name ``name`` as text, each part that is not UTF-8 read as
    GB18030 and marked ``~gb18030``, or, when that fails, its bad bytes written ``\\xNN``.

    >>> readable_name(os.fsdecode("年报/报告".encode("gbk")) + ".txt")
    '年报~gb18030/报告~gb18030.txt'
    >>> print(readable_name(os.fsdecode(b"caf\\xe9")))
    caf\\xe9
    """
    return "/".join(_readable_part(part) for part in name.split("/"))


def _readable_part(part: str) -> str:
    """Return one part of a path as text: itself, its GB18030 reading marked, or escaped."""
    raw = name_bytes(part)
    if raw is None:
        return part
    stem, dot, suffix = raw.rpartition(b".")
    if not dot or not stem or not suffix.isascii():
        stem, dot, suffix = raw, b"", b""
    try:
        reading = stem.decode("gb18030")
    except UnicodeDecodeError:
        return text_of_name(part)
    if not reading.isprintable():
        return text_of_name(part)
    return f"{reading}{GB18030_NAME_MARK}{(dot + suffix).decode()}"


def doc_id_for(relative: str) -> str:
    """Return the document id of a relative path: the path without its extension.

    >>> doc_id_for("2023/一季度 报告.txt")
    '2023/一季度 报告'
    """
    head, _, name = relative.rpartition("/")
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix else name
    return f"{head}/{stem}" if head else stem


def is_text_name(path: Path) -> bool:
    """Return whether ``path`` names a text input (``*.txt``, any letter case).

    >>> is_text_name(Path("a.TXT")), is_text_name(Path("a.pdf")), is_text_name(Path(".txt"))
    (True, False, False)
    """
    return path.suffix.lower() == ".txt"


def find_inputs(root: Path) -> list[Path]:
    """Return every file under ``root``, recursively, sorted by relative '/'-separated path.

    The paths of ``find_input_files``, skipped symbolic links included.
    """
    return [path for path, _reason in find_input_files(root)]


#: A path found under the input folder, and why it is skipped without being read (None:
#: it is to be read).
FoundInput = tuple[Path, str | None]

#: Why a symbolic link found under the input folder is not followed.
LINK_LOOP = "symbolic link loop: it leads back to a folder it is in; not followed"
LINK_INTO_OUTPUT = "symbolic link into the output folder; not followed"


def find_input_files(root: Path, *, output_dir: Path | None = None) -> list[FoundInput]:
    """Return every file under ``root`` with the reason it is skipped unread (or None),
    recursively, sorted by relative '/'-separated path.

    Folders are always recursed into, even when named ``x.txt``. Files that are not
    ``*.txt`` are returned too, so the caller can account for them; a sub-folder that
    cannot be listed is returned as an entry of its own (reading it fails with a reason).
    Symbolic links are followed, to folders and files outside ``root`` too, except a link
    that leads back to a folder it is in (a loop) and a link into ``output_dir``: each of
    those is returned once, with the reason.
    """
    if not root.exists():
        raise InputFolderError(f"{root}: no such folder; check the input path")
    if not root.is_dir():
        raise InputFolderError(
            f"{root}: is a file, not a folder; pass the folder that holds the .txt files"
        )
    if not os.access(root, os.R_OK | os.X_OK):
        raise InputFolderError(f"{root}: folder cannot be read; check its permissions")
    found = list(_walk_files(root, output_dir))
    return sorted(found, key=lambda item: relative_name(item[0], root=root))


def _walk_files(root: Path, output_dir: Path | None) -> Iterator[FoundInput]:
    """Yield every non-folder entry under ``root``, every folder that cannot be listed, and
    every link not followed, with its reason (``find_input_files``)."""
    output = _identity(output_dir) if output_dir is not None else None
    real_output = os.path.realpath(output_dir) if output_dir is not None else None
    # Each folder to list, with the (device, inode) of every folder on the way to it: a
    # link to one of those is a loop. The root's identity is from the stat of exists().
    folders: list[tuple[str, frozenset[tuple[int, int]]]] = []
    root_identity = _identity(root)
    folders.append((os.fspath(root), frozenset({root_identity} if root_identity else ())))
    while folders:
        folder, chain = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            if folder != os.fspath(root):
                yield Path(folder), None
            continue
        for entry in entries:
            if not _is_folder(entry):
                if real_output is not None and entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if os.path.commonpath([target, real_output]) == real_output:
                        yield Path(entry.path), LINK_INTO_OUTPUT
                        continue
                yield Path(entry.path), None
                continue
            identity = _identity(Path(entry.path))
            if identity is not None and identity == output:
                # A real output folder inside the input folder is refused by the caller.
                yield Path(entry.path), LINK_INTO_OUTPUT
            elif identity is not None and identity in chain:
                yield Path(entry.path), LINK_LOOP
            else:
                folders.append((entry.path, chain | {identity} if identity else chain))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Return whether ``entry`` is a folder or a link to one (False when it cannot be told)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _identity(path: Path) -> tuple[int, int] | None:
    """Return the (device, inode) of the folder at ``path``, links followed; None if unknown."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def hash_file(path: Path) -> tuple[str, int]:
    """Return the sha256 and size of the file at ``path``, read in 1 MiB blocks."""
    with path.open("rb") as handle:
        return hash_stream(handle)


def hash_stream(handle: BinaryIO) -> tuple[str, int]:
    """Return the sha256 and size of what is left to read of ``handle``, in 1 MiB blocks."""
    digest = hashlib.sha256()
    size = 0
    while block := handle.read(1024 * 1024):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def read_source(path: Path, *, root: Path) -> SourceText:
    """Return the decoded text of the ``*.txt`` file at ``path``, with its encoding and repairs.

    Raises ``UnreadableFile`` (status ``skipped`` or ``error``) when the file gives no text.
    """
    raw = read_input_bytes(path, root=root)
    return source_of_input(raw, name=path.relative_to(root).as_posix())


def read_input_bytes(path: Path, *, root: Path) -> bytes:
    """Return the bytes of the input file at ``path`` under ``root``, to be decoded by
    ``source_of_input``.

    Raises ``UnreadableFile`` when it is no regular file or cannot be read, and (status
    ``skipped``) when it is not ``*.txt`` or over the size limit: such a file is hashed in
    blocks, not read whole.
    """
    name = path.relative_to(root).as_posix()
    relative = text_of_name(name)
    size = _check_regular_file(path, relative)
    reason = unread_reason(name, size)
    if reason:
        # Hashed in blocks rather than read whole: it may be a large video or archive.
        sha256, size = _hash_or_fail(path, relative)
        raise UnreadableFile(
            relative, unread_reason(name, size), status="skipped", sha256=sha256, size=size
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableFile(relative, f"cannot read: {error.strerror}", status="error") from None


def source_of_input(raw: bytes, *, name: str) -> SourceText:
    """Return the decoded text of one input's bytes ``raw``, named ``name``.

    ``name`` is the input's '/'-separated path relative to the input folder (or the key
    under the input prefix), as the file system gives it. The rules are a file's: a name
    that is not ``*.txt`` or more bytes than ``MAX_FILE_BYTES`` is skipped, the bytes are
    decoded by ``source_from_bytes``, and a name part that is not UTF-8 is an issue.
    Raises ``UnreadableFile`` (status ``skipped`` or ``error``) when they give no text.

    >>> source_of_input("增长5%。".encode("gb18030"), name="a/b.txt").encoding
    'gb18030'
    """
    relative = text_of_name(name)
    reason = unread_reason(name, len(raw))
    if reason:
        sha256 = hashlib.sha256(raw).hexdigest()
        raise UnreadableFile(relative, reason, status="skipped", sha256=sha256, size=len(raw))
    source = source_from_bytes(raw, path=relative, doc_id=doc_id_of_name(name))
    if source.doc_id != doc_id_for(relative):  # a name part that is not UTF-8 was read
        source.issues.append(
            Issue(
                stage="read",
                reason=f"file name is not UTF-8; read as GB18030 for its doc_id {source.doc_id}",
            )
        )
    return source


def unread_reason(name: str, size: int) -> str:
    """Return why an input named ``name`` of ``size`` bytes is skipped unread ("" if not)."""
    if not is_text_name(Path(name)):
        return "not a .txt file"
    if size > MAX_FILE_BYTES:
        return f"file too large ({size:,} bytes; the limit is {size_limit()})"
    return ""


def source_from_bytes(raw: bytes, *, path: str, doc_id: str) -> SourceText:
    """Return the decoded text of the bytes ``raw`` of one input, named ``path``.

    The bytes are decoded as a file's are (see the module docstring), so standard input
    in GB18030 or UTF-16 reads like a file would. Raises ``UnreadableFile`` (status
    ``skipped`` or ``error``) when they give no text.
    """
    sha256 = hashlib.sha256(raw).hexdigest()

    def skip(reason: str, status: UnreadableStatus = "skipped") -> UnreadableFile:
        return UnreadableFile(path, reason, status=status, sha256=sha256, size=len(raw))

    if not raw:
        raise skip("empty file")
    kind = sniff_binary_format(raw)
    if kind is not None:
        raise skip(f"binary content ({kind})")
    try:
        text, encoding, issues = decode_bytes(raw)
    except NotText as error:
        raise skip(error.reason, error.status) from None
    if not text.strip():
        raise skip("no text (only whitespace)")
    raw_lines = None
    if looks_like_html(text):
        page = html_to_text(text)
        if not page.text.strip():
            raise skip("no text (only markup: an HTML page without text)")
        issues.append(
            Issue(
                stage="read",
                reason=(
                    f"HTML markup removed ({page.tags} tags; entities unescaped, script, style "
                    "and head dropped); line numbers are those of the HTML file"
                ),
            )
        )
        text, raw_lines = page.text, page.raw_lines
    return SourceText(
        path=path,
        doc_id=doc_id,
        encoding=encoding,
        sha256=sha256,
        size=len(raw),
        text=text,
        issues=issues,
        raw_lines=raw_lines,
    )


def size_limit() -> str:
    """Return the largest file size read, as messages and docs/cli.md give it.

    >>> size_limit()
    '256 MiB (268,435,456 bytes)'
    """
    return f"{MAX_FILE_BYTES / 2**20:g} MiB ({MAX_FILE_BYTES:,} bytes)"


def _check_regular_file(path: Path, relative: str) -> int:
    """Return the size of ``path``; raise ``UnreadableFile`` unless it is a regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise UnreadableFile(
                relative, "broken symbolic link (its target does not exist)", status="error"
            ) from None
        raise UnreadableFile(relative, "file vanished during the run", status="error") from None
    except OSError as error:
        raise UnreadableFile(relative, f"cannot read: {error.strerror}", status="error") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile(
            relative, "folder cannot be listed; check its permissions", status="error"
        )
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(
            relative, f"not a regular file ({_kind_of_file(info.st_mode)})", status="skipped"
        )
    return info.st_size


def _kind_of_file(mode: int) -> str:
    """Return what a file that is neither a regular file nor a folder is, by its ``mode``.

    >>> _kind_of_file(stat.S_IFIFO), _kind_of_file(stat.S_IFCHR)
    ('a named pipe', 'a character device')
    """
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((kind for test, kind in kinds if test(mode)), "a special file")


def _hash_or_fail(path: Path, relative: str) -> tuple[str, int]:
    """Return the sha256 and size of ``path``; raise ``UnreadableFile`` when it cannot be read."""
    try:
        return hash_file(path)
    except OSError as error:
        raise UnreadableFile(relative, f"cannot read: {error.strerror}", status="error") from None


def sniff_binary_format(raw: bytes) -> str | None:
    """Return the name of the binary format ``raw`` starts with, or None.

    >>> sniff_binary_format(b"%PDF-1.7 ..."), sniff_binary_format("年报".encode())
    ('PDF file', None)
    """
    for magic, kind in MAGIC_NUMBERS:
        if raw.startswith(magic):
            return kind
    return None


class NotText(Exception):
    """Bytes that decode to no usable text, with the reason and the status to report."""

    def __init__(self, reason: str, status: UnreadableStatus = "skipped") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status: UnreadableStatus = status


def decode_bytes(raw: bytes) -> tuple[str, str, list[Issue]]:
    """Return the text of ``raw`` with LF line ends, the encoding used, and repairs as Issues.

    >>> decode_bytes("第一行\\r\\n第二行".encode("gb18030"))[:2]
    ('第一行\\n第二行', 'gb18030')
    """
    issues: list[Issue] = []
    for mark, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            text = _decode_strict(raw[len(mark) :], encoding, issues, offset=len(mark))
            break
    else:
        encoding, text = _decode_unmarked(raw, issues)
    text = _remove_nul_characters(text, issues)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _reject_control_heavy(text)
    return text, encoding, issues


def _decode_unmarked(raw: bytes, issues: list[Issue]) -> tuple[str, str]:
    """Return the encoding and text of ``raw`` that has no byte-order mark."""
    sample = raw[:SNIFF_BYTES]
    if b"\x00" in sample:
        decoded = _decode_utf16(raw, _guess_utf16(raw) or _guess_utf16_chinese(raw), issues)
        if decoded is not None:
            return decoded
        raw = _strip_zero_padding(raw, issues)
        sample = raw[:SNIFF_BYTES]
        nuls = sample.count(b"\x00")
        if nuls > MAX_STRAY_NULS or nuls * 4 >= len(sample):
            raise NotText("binary content (NUL bytes in first 8 KiB)")
    # NUL bytes left here are stray; they are removed (and recorded) after decoding:
    # a NUL byte never occurs inside a UTF-8 or GB18030 multi-byte character.
    utf8_issues: list[Issue] = []
    try:
        text = _decode_strict(raw, "utf-8", utf8_issues)
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 but for a cut-off last character: with little non-ASCII text before
        # it, that "cut-off character" is likelier a whole GB18030 one (ASCII + 濞).
        if not utf8_issues or _count_non_ascii(text) >= MIN_UTF8_EVIDENCE:
            issues.extend(utf8_issues)
            return "utf-8", text
        try:
            return "gb18030", raw.decode("gb18030")
        except UnicodeDecodeError:
            issues.extend(utf8_issues)
            return "utf-8", text
    damaged = _decode_damaged_utf8(raw, issues)
    if damaged is not None:
        return "utf-8", damaged
    gb_issues: list[Issue] = []
    try:
        text = _decode_strict(raw, "gb18030", gb_issues)
    except UnicodeDecodeError:
        pass
    else:
        return _gb18030_or_big5(raw, text, gb_issues, issues)
    # Chinese-only UTF-16 may hold no NUL byte at all. GB18030 goes first: rare characters
    # in GBK (lead bytes 0x81 to 0x9f) read as CJK in UTF-16 too.
    decoded = _decode_utf16(raw, _guess_utf16_chinese(raw), issues)
    if decoded is not None:
        return decoded
    big5_issues: list[Issue] = []
    big5 = _decode_big5(raw, big5_issues)
    if big5 is not None:
        share = common_share(big5[1])
        if share is None or share >= MIN_COMMON_SHARE:
            issues.extend(big5_issues)
            return big5
    raise NotText("not UTF-8, UTF-16, GB18030 or Big5", status="error")


#: Share of the Chinese characters of a GB18030 reading that must be common for it to be
#: taken without trying Big5. Chinese text has a few rare characters (names, places);
#: Big5 read as GB18030 has mostly rare ones, kana and private-use characters.
MIN_GB18030_COMMON_SHARE = 0.9

#: Share of common characters below which no reading (GB18030 or Big5) is taken as text.
MIN_COMMON_SHARE = 0.5

#: Fewest Chinese characters in the first 8 KiB for a reading to be judged by its common
#: characters at all: a few characters (``你好`` is ``斕疑`` in Big5) tell nothing, and
#: GB18030 is kept.
MIN_JUDGED_CHARACTERS = 10

#: What the share of common characters is counted among: CJK ideographs (with extensions
#: and compatibility forms), kana and private-use characters, all of which a wrong
#: two-byte decoding yields. Compiled when first needed: only text that is not UTF-8 is
#: judged, and the standard library builds this class's tables slowly.
_JUDGED_CLASS = "[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\ue000-\uf8ff\U00020000-\U0003ffff]"


@functools.cache
def _judged_re() -> re.Pattern[str]:
    return re.compile(_JUDGED_CLASS)


def _gb18030_or_big5(
    raw: bytes, text: str, gb_issues: list[Issue], issues: list[Issue]
) -> tuple[str, str]:
    """Return GB18030 and ``text`` (``raw`` read as GB18030), or Big5 and its reading
    when that reads as more common Chinese; raise ``NotText`` when neither does.

    Big5 bytes are valid GB18030 too: what tells them apart is which reading gives
    characters people write.
    """
    gb_share = common_share(text)
    if gb_share is None or gb_share >= MIN_GB18030_COMMON_SHARE:
        issues.extend(gb_issues)
        return "gb18030", text
    big5_issues: list[Issue] = []
    big5 = _decode_big5(raw, big5_issues)
    big5_share = None if big5 is None else common_share(big5[1])
    if big5 is not None and big5_share is not None and big5_share > gb_share:
        if big5_share < MIN_COMMON_SHARE:
            raise _implausible(gb_share, big5_share)
        issues.extend(big5_issues)
        return big5
    if gb_share < MIN_COMMON_SHARE:
        raise _implausible(gb_share, big5_share)
    issues.extend(gb_issues)
    return "gb18030", text


def _implausible(gb_share: float, big5_share: float | None) -> NotText:
    """Return the refusal of bytes that read as rare characters whichever way."""
    big5 = "is not Big5" if big5_share is None else f"as Big5 {big5_share:.0%}"
    return NotText(
        f"no plausible decoding: as GB18030 only {gb_share:.0%} common Chinese characters, "
        f"{big5}; the encoding is not one this tool reads",
        status="error",
    )


def _decode_big5(raw: bytes, issues: list[Issue]) -> tuple[str, str] | None:
    """Return ``big5`` (or ``cp950``, Microsoft's Big5 with its extra characters) and the
    text of ``raw`` in it, or None when ``raw`` is neither."""
    for encoding in ("big5", "cp950"):
        try:
            return encoding, _decode_strict(raw, encoding, issues)
        except UnicodeDecodeError:
            continue
    return None


def common_share(text: str) -> float | None:
    """Return the share of the Chinese characters in the first 8 KiB of ``text`` that are
    common, or None when there are too few to judge.

    >>> common_share("全市地区生产总值稳步提高，规模以上工业增加值较快增长。")
    1.0
    >>> round(common_share("本港生產總值按年實質增長".encode("big5").decode("gb18030")), 2)
    0.33
    """
    sample = text[:SNIFF_BYTES]
    judged = len(_judged_re().findall(sample))
    if judged < MIN_JUDGED_CHARACTERS:
        return None
    return len(_common_characters().findall(sample)) / judged


@functools.cache
def _common_characters() -> re.Pattern[str]:
    """Return a pattern matching one common Chinese character, simplified or traditional.

    The common characters are those the two national standards set apart as such: the
    3,755 of level 1 of GB 2312 (bytes B0A1 to D7F9) and the 5,401 of level 1 of Big5
    (A440 to C67E). Both lists come with Python's codecs, and each is the same for either
    reading, so neither encoding is favoured.
    """
    characters: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            characters.add(bytes((lead, trail)).decode("gb2312", errors="ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead, trail) < (0xC6, 0x7F):
                characters.add(bytes((lead, trail)).decode("big5", errors="ignore"))
    characters.discard("")
    return re.compile("[" + "".join(sorted(characters)) + "]")


def _decode_strict(data: bytes, encoding: str, issues: list[Issue], *, offset: int = 0) -> str:
    """Return ``data`` decoded strictly, dropping (and recording) a truncated last character.

    Raises ``UnicodeDecodeError`` when any other byte is invalid. For a byte-order-marked
    encoding that fails, the error is turned into ``NotText``: the mark said what it is.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        truncated = (
            error.reason in _TRUNCATION_REASONS
            and error.end == len(data)
            and len(data) - error.start <= _MAX_CHAR_BYTES
        )
        if not truncated:
            if offset:
                raise NotText(
                    f"invalid {encoding} data at byte {error.start + offset} "
                    "despite its byte-order mark",
                    status="error",
                ) from None
            raise
        try:
            text = data[: error.start].decode(encoding)
        except UnicodeDecodeError:
            if offset:
                raise NotText(
                    f"invalid {encoding} data despite its byte-order mark", status="error"
                ) from None
            raise
        dropped = data[error.start :]
        issues.append(
            Issue(
                stage="read",
                reason=(
                    f"truncated last character removed ({len(dropped)} byte"
                    f"{'s' if len(dropped) > 1 else ''} {dropped.hex(' ')}); "
                    "the file may be cut short"
                ),
                line=text.count("\n") + 1,
            )
        )
        return text


def _guess_utf16(raw: bytes) -> str | None:
    """Return ``utf-16-le`` or ``utf-16-be`` when the NUL bytes of ``raw`` fall on one parity.

    ASCII characters (digits, line ends, spaces) encode in UTF-16 as the byte and a NUL:
    NULs at odd offsets mean little-endian, at even offsets big-endian. Binary data
    rarely keeps to one side so strictly.
    """
    sample = raw[: SNIFF_BYTES - SNIFF_BYTES % 2]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    if odd >= max(2, pairs // 20) and even * 10 <= odd:
        return "utf-16-le"
    if even >= max(2, pairs // 20) and odd * 10 <= even:
        return "utf-16-be"
    return None


def _decode_utf16(raw: bytes, utf16: str | None, issues: list[Issue]) -> tuple[str, str] | None:
    """Return the encoding ``utf16`` and the text of ``raw`` in it, or None when ``utf16``
    is None or the text it gives does not look like text."""
    if utf16 is None:
        return None
    utf16_issues: list[Issue] = []
    try:
        text = _decode_strict(raw, utf16, utf16_issues)
    except UnicodeDecodeError:
        return None
    if not _looks_like_text(text):
        return None
    issues.extend(utf16_issues)
    return utf16, text


#: Share of the characters of a UTF-16 reading that must be Chinese (CJK ideographs and
#: punctuation, full-width forms) for bytes without a telling NUL pattern to be UTF-16.
#: Other bytes read as UTF-16 give code units spread over the whole range, of which these
#: blocks are about a tenth.
MIN_CHINESE_SHARE = 0.6

#: ... and the fewest different such characters it must hold: one character repeated
#: (``\\x81\\x7f`` × 20 reads 羁羁羁…) is a byte pattern, not text.
MIN_DISTINCT_CHINESE = 3

#: The characters counted by ``MIN_CHINESE_SHARE`` (compiled when a text without a byte
#: order mark is first tried as UTF-16).
@functools.cache
def _chinese_re() -> re.Pattern[str]:
    return re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _guess_utf16_chinese(raw: bytes) -> str | None:
    """Return ``utf-16-le`` or ``utf-16-be`` when ``raw`` read that way is mostly Chinese.

    Chinese without ASCII has no NUL byte on one side for ``_guess_utf16`` to see.

    >>> _guess_utf16_chinese("一季度增长。\\n".encode("utf-16-be"))
    'utf-16-be'
    >>> _guess_utf16_chinese("一季度增长。\\n".encode("gb18030")) is None
    True
    """
    sample = raw[: SNIFF_BYTES - SNIFF_BYTES % 2]
    if len(sample) % 2:
        sample = sample[:-1]
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        chinese = _chinese_re().findall(text)
        if (
            text
            and len(chinese) >= len(text) * MIN_CHINESE_SHARE
            and len(set(chinese)) >= MIN_DISTINCT_CHINESE
        ):
            return encoding
    return None


def _looks_like_text(text: str) -> bool:
    """Return whether at least 95% of ``text`` is ordinary characters (not controls/private use).

    >>> _looks_like_text("一季度GDP增长5%\\n"), _looks_like_text("\\x01\\x02\\ue000abc")
    (True, False)
    """
    sample = text[:SNIFF_BYTES]
    if not sample:
        return False
    odd = len(_STRAY_CONTROL_RE.findall(sample)) + len(_private_use_re().findall(sample))
    return odd <= len(sample) * MAX_CONTROL_SHARE


def _strip_zero_padding(raw: bytes, issues: list[Issue]) -> bytes:
    """Return ``raw`` without the run of NUL bytes at its end, recording how many went.

    An interrupted download often leaves the file at full size with zeros after the text.
    """
    stripped = raw.rstrip(b"\x00")
    padding = len(raw) - len(stripped)
    if padding and stripped:
        issues.append(
            Issue(
                stage="read",
                reason=(
                    f"removed {padding} NUL bytes after the text "
                    "(zero padding, as an interrupted download leaves)"
                ),
                line=stripped.count(b"\n") + 1,
            )
        )
        return stripped
    return raw


def _decode_damaged_utf8(raw: bytes, issues: list[Issue]) -> str | None:
    """Return ``raw`` as UTF-8 with bad bytes replaced when it is clearly UTF-8, else None.

    A few bad bytes in a long UTF-8 file (a flipped bit, a cut-and-pasted fragment) should
    not send the whole file to GB18030, which would decode it without error as nonsense.
    """
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.count("\ufffd".encode())
    good = _count_non_ascii(text) - text.count("\ufffd")
    if bad <= 0 or good < bad * MIN_GOOD_CHARS_PER_BAD_BYTE:
        return None
    first_bad = text.index("\ufffd") if "\ufffd".encode() not in raw else None
    issues.append(
        Issue(
            stage="read",
            reason=f"{bad} invalid UTF-8 byte sequence{'s' if bad > 1 else ''} "
            "replaced with U+FFFD",
            line=None if first_bad is None else text.count("\n", 0, first_bad) + 1,
        )
    )
    return text


def _count_non_ascii(text: str) -> int:
    """Return how many characters of ``text`` are not ASCII.

    >>> _count_non_ascii("GDP增长5.3%")
    2
    """
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _remove_nul_characters(text: str, issues: list[Issue]) -> str:
    """Return ``text`` without U+0000 characters, recording how many were removed and where."""
    first = text.find("\x00")
    if first < 0:
        return text
    count = text.count("\x00")
    issues.append(
        Issue(
            stage="read",
            reason=f"removed {count} stray NUL byte{'s' if count > 1 else ''}",
            line=text.count("\n", 0, first) + 1,
        )
    )
    return text.replace("\x00", "")


def _reject_control_heavy(text: str) -> None:
    """Raise ``NotText`` when control characters make up more than a few percent of ``text``."""
    sample = text[:SNIFF_BYTES]
    controls = len(_STRAY_CONTROL_RE.findall(sample))
    if sample and controls > len(sample) * MAX_CONTROL_SHARE:
        raise NotText("binary content (control characters in first 8 KiB)")
