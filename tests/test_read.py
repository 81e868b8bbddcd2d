"""Read stage: every encoding gives the same text; bad files are skipped or repaired, never lost."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from extract import read
from extract.read import (
    InputFolderError,
    UnreadableFile,
    decode_bytes,
    doc_id_for,
    find_inputs,
    read_source,
)

TEXT = "拼搏实干 奋勇先行\n累计实施减负降费36.5亿元，新增城镇就业1万人。\nGDP增长5.3%\n"


def write_bytes(folder: Path, name: str, data: bytes) -> Path:
    """Return the path of a new file ``name`` in ``folder`` holding ``data``."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


#: Chinese only: no ASCII character whose NUL byte gives UTF-16 away; a line end and 一
#: (U+4E00) give a NUL byte each, on opposite sides.
CHINESE_LINE = "全市地区生产总值稳步提高，规模以上工业增加值较快增长，居民收入持续增加。"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param((CHINESE_LINE * 3 + "\n") * 20, id="lines-of-chinese"),
        pytest.param(CHINESE_LINE, id="no-nul-byte-at-all"),
        pytest.param("一季度国内生产总值同比增长。\n", id="one-short-line-nuls-on-both-sides"),
    ],
)
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_of_chinese_only_is_text(
    tmp_path: Path, text: str, encoding: str
) -> None:
    data = text.encode(encoding)
    source = read_source(write_bytes(tmp_path, "report.txt", data), root=tmp_path)
    assert (source.text, source.encoding, source.issues) == (text, encoding, [])


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(TEXT.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(
            codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", id="utf-16-le-bom"
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", id="utf-16-be-bom"
        ),
        pytest.param(TEXT.encode("utf-16-le"), "utf-16-le", id="utf-16-le-no-bom"),
        pytest.param(TEXT.encode("utf-16-be"), "utf-16-be", id="utf-16-be-no-bom"),
        pytest.param(
            codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le", id="utf-32-le-bom"
        ),
        pytest.param(TEXT.encode("gb18030"), "gb18030", id="gb18030"),
        pytest.param(TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8", id="crlf"),
        pytest.param(TEXT.replace("\n", "\r").encode("utf-8"), "utf-8", id="old-mac-cr"),
        pytest.param(TEXT.replace("\n", "\r\n").encode("gb18030"), "gb18030", id="gb18030-crlf"),
        pytest.param(
            codecs.BOM_UTF16_LE + TEXT.replace("\n", "\r\n").encode("utf-16-le"),
            "utf-16-le",
            id="utf-16-crlf",
        ),
    ],
)
def test_every_encoding_gives_the_same_text(tmp_path: Path, data: bytes, encoding: str) -> None:
    source = read_source(write_bytes(tmp_path, "report.txt", data), root=tmp_path)
    assert (source.text, source.encoding, source.issues) == (TEXT, encoding, [])
    assert source.size == len(data)
    assert source.doc_id == "report"


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        pytest.param(b"", "skipped", "empty file", id="empty"),
        pytest.param(
            b" \r\n\t\n\xe3\x80\x80\n", "skipped", "no text (only whitespace)", id="whitespace-only"
        ),
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "skipped",
            "binary content (PDF file)",
            id="pdf-renamed-txt",
        ),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00",
            "skipped",
            "binary content (ZIP archive (also docx, xlsx, epub))",
            id="docx-renamed-txt",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "skipped",
            "binary content (PNG image)",
            id="png-renamed-txt",
        ),
        pytest.param(
            b"\xff\xd8\xff\xe0\x00\x10JFIF",
            "skipped",
            "binary content (JPEG image)",
            id="jpeg-renamed-txt",
        ),
        pytest.param(
            bytes(range(256)) * 32,
            "skipped",
            "binary content (NUL bytes in first 8 KiB)",
            id="nul-heavy-binary",
        ),
        pytest.param(
            b"\x00" * 64,
            "skipped",
            "binary content (NUL bytes in first 8 KiB)",
            id="only-nul-bytes",
        ),
        pytest.param(
            b"\x01\x02\x03\x04\x05 text \x06\x07\x08",
            "skipped",
            "binary content (control characters in first 8 KiB)",
            id="control-chars",
        ),
        pytest.param(
            bytes([0x81, 0x7F]) * 20,
            "error",
            "not UTF-8, UTF-16, GB18030 or Big5",
            id="undecodable",
        ),
        pytest.param(
            codecs.BOM_UTF8 + b"\xff\xfe abc",
            "error",
            "invalid utf-8-sig data at byte 3 despite its byte-order mark",
            id="bom-says-utf-8-but-is-not",
        ),
    ],
)
def test_unusable_file_is_skipped_or_failed_with_a_reason(
    tmp_path: Path, data: bytes, status: str, reason: str
) -> None:
    path = write_bytes(tmp_path, "bad.txt", data)
    with pytest.raises(UnreadableFile) as caught:
        read_source(path, root=tmp_path)
    assert (caught.value.status, caught.value.reason) == (status, reason)
    assert caught.value.path == "bad.txt"
    assert caught.value.size == len(data)
    assert caught.value.sha256 is not None


@pytest.mark.parametrize(
    ("data", "encoding", "text", "issue"),
    [
        pytest.param(
            TEXT.encode("utf-8").replace("亿元".encode(), "亿\x00元".encode()),
            "utf-8",
            TEXT,
            "removed 1 stray NUL byte",
            id="stray-nul-byte",
        ),
        pytest.param(
            TEXT.encode("utf-8") + b"\x00" * 4096,
            "utf-8",
            TEXT,
            "removed 4096 NUL bytes after the text (zero padding, as an interrupted download "
            "leaves)",
            id="zero-padded-download",
        ),
        pytest.param(
            TEXT.encode("utf-8") + "元".encode()[:2],
            "utf-8",
            TEXT,
            "truncated last character removed (2 bytes e5 85); the file may be cut short",
            id="utf-8-truncated-last-char",
        ),
        pytest.param(
            TEXT.encode("gb18030") + "元".encode("gb18030")[:1],
            "gb18030",
            TEXT,
            "truncated last character removed (1 byte d4); the file may be cut short",
            id="gb18030-truncated-last-char",
        ),
        pytest.param(
            codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le") + b"\x43",
            "utf-16-le",
            TEXT,
            "truncated last character removed (1 byte 43); the file may be cut short",
            id="utf-16-odd-length",
        ),
        pytest.param(
            (TEXT * 50).encode("utf-8").replace(b"GDP", b"G\xffP", 1),
            "utf-8",
            (TEXT * 50).replace("GDP", "G\ufffdP", 1),
            "1 invalid UTF-8 byte sequence replaced with U+FFFD",
            id="one-bad-byte-in-long-utf-8",
        ),
    ],
)
def test_small_damage_is_repaired_and_recorded(
    tmp_path: Path, data: bytes, encoding: str, text: str, issue: str
) -> None:
    source = read_source(write_bytes(tmp_path, "damaged.txt", data), root=tmp_path)
    assert (source.text, source.encoding) == (text, encoding)
    assert [(i.stage, i.reason) for i in source.issues] == [("read", issue)]


def test_stray_nul_issue_names_its_line(tmp_path: Path) -> None:
    data = "第一行\n第二行\x00\n".encode()
    source = read_source(write_bytes(tmp_path, "nul.txt", data), root=tmp_path)
    assert source.issues[0].line == 2


def test_sha256_is_of_the_raw_bytes(tmp_path: Path) -> None:
    import hashlib

    data = codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode()
    source = read_source(write_bytes(tmp_path, "a.txt", data), root=tmp_path)
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_non_txt_file_is_skipped_without_being_decoded(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "notes.md", TEXT.encode())
    with pytest.raises(UnreadableFile) as caught:
        read_source(path, root=tmp_path)
    assert (caught.value.status, caught.value.reason) == ("skipped", "not a .txt file")
    assert caught.value.size == len(TEXT.encode())


def test_broken_symlink_is_an_error(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(UnreadableFile) as caught:
        read_source(link, root=tmp_path)
    assert caught.value.status == "error"
    assert "broken symbolic link" in caught.value.reason


def test_find_inputs_lists_every_file_sorted_and_recurses_into_txt_folders(
    tmp_path: Path,
) -> None:
    for name in [
        "b.txt",
        "a/report.txt",
        "x.txt/inner.txt",
        "年报 2023/一季度 报告.txt",
        "c/report.txt",
        "notes.pdf",
        ".hidden.txt",
    ]:
        write_bytes(tmp_path, name, b"x")
    found = [path.relative_to(tmp_path).as_posix() for path in find_inputs(tmp_path)]
    assert found == [
        ".hidden.txt",
        "a/report.txt",
        "b.txt",
        "c/report.txt",
        "notes.pdf",
        "x.txt/inner.txt",
        "年报 2023/一季度 报告.txt",
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda root: root / "missing", "no such folder", id="missing"),
        pytest.param(
            lambda root: write_bytes(root, "file.txt", b"x"),
            "is a file, not a folder",
            id="a-file",
        ),
    ],
)
def test_unusable_input_folder_raises_with_the_fix(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(InputFolderError, match=message):
        find_inputs(make(tmp_path))


@pytest.mark.parametrize(
    ("relative", "doc_id"),
    [
        pytest.param("a.txt", "a", id="plain"),
        pytest.param("sub/dir/a.txt", "sub/dir/a", id="subfolders"),
        pytest.param("x.txt/a.b.txt", "x.txt/a.b", id="dots-in-names"),
        pytest.param(
            "年报 2023/一季度 报告.TXT", "年报 2023/一季度 报告", id="chinese-spaces-upper"
        ),
    ],
)
def test_doc_id_is_relative_path_without_extension(relative: str, doc_id: str) -> None:
    assert doc_id_for(relative) == doc_id


def test_decode_bytes_handles_a_10_mb_single_line_quickly() -> None:
    data = ("增长5.3%，" * 1_000_000).encode("gb18030")  # 10 MB, no line break
    text, encoding, issues = decode_bytes(data)
    assert (len(text), encoding, issues) == (7_000_000, "gb18030", [])


def test_size_limit_is_one_number_in_message_and_docs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documented = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"| larger than {read.size_limit()} |" in documented
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 1024 * 1024)
    path = write_bytes(tmp_path, "big.txt", b"x" * (1024 * 1024 + 1))
    with pytest.raises(UnreadableFile) as caught:
        read_source(path, root=tmp_path)
    limit = read.size_limit()
    assert caught.value.reason == f"file too large (1,048,577 bytes; the limit is {limit})"
    assert read.size_limit() == "1 MiB (1,048,576 bytes)"


#: A traditional-Chinese report (Hong Kong, Macau, Taiwan), as such reports are saved in
#: Big5 or its Microsoft form cp950.
TRADITIONAL = (
    "本港第三季本地生產總值按年實質增長百分之五點三，失業率為百分之三點一。\n"
    "全年經濟增長預測維持在二點五至三點五之間，出口總值達三千二百億元。\n"
)


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        pytest.param(TRADITIONAL.encode("big5"), TRADITIONAL, "big5", id="big5-report"),
        pytest.param(TRADITIONAL.encode("cp950"), TRADITIONAL, "big5", id="cp950-report"),
        pytest.param(
            (TRADITIONAL + "票價為€5。\n").encode("cp950"),
            TRADITIONAL + "票價為€5。\n",
            "cp950",
            id="cp950-only-character",
        ),
        pytest.param(
            TRADITIONAL.replace("\n", "\r\n").encode("big5"), TRADITIONAL, "big5", id="big5-crlf"
        ),
        pytest.param(TEXT.encode("gb18030"), TEXT, "gb18030", id="simplified-stays-gb18030"),
        pytest.param(
            (CHINESE_LINE * 3).encode("gb18030"),
            CHINESE_LINE * 3,
            "gb18030",
            id="simplified-only-chinese-stays-gb18030",
        ),
        pytest.param("你好\n".encode("gb18030"), "你好\n", "gb18030", id="short-ambiguous-gb18030"),
    ],
)
def test_big5_report_is_not_read_as_gb18030(
    tmp_path: Path, data: bytes, text: str, encoding: str
) -> None:
    source = read_source(write_bytes(tmp_path, "report.txt", data), root=tmp_path)
    assert (source.text, source.encoding, source.issues) == (text, encoding, [])


def test_bytes_that_read_as_no_chinese_are_refused(tmp_path: Path) -> None:
    # Two-byte sequences valid in GB18030 and Big5 alike, giving rare characters in both.
    data = b"\x81\x40\x82\x41\x83\x42\x84\x43" * 40
    with pytest.raises(UnreadableFile) as raised:
        read_source(write_bytes(tmp_path, "noise.txt", data), root=tmp_path)
    assert raised.value.status == "error"
    assert "common Chinese characters" in raised.value.reason
