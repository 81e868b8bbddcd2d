"""Property tests: random bytes and random text never make an exception escape.

Derandomised, so CI runs the same examples every time; the laws hold for every input.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extract.pipeline import extract_text
from extract.read import MIN_GB18030_COMMON_SHARE, NotText, common_share, decode_bytes
from extract.runner import extract_paths

FUZZ = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Report-like text: CJK, ASCII, full-width forms, Chinese punctuation, line breaks.
REPORT_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        st.sampled_from("。，、；：？！“”‘’（）《》【】％．　\n万亿千百十零一二三四五六七八九成"),
    ),
    max_size=300,
)


@FUZZ
@given(st.binary(max_size=2000))
def test_decoding_random_bytes_gives_clean_text_or_a_reason(data: bytes) -> None:
    try:
        text, encoding, _ = decode_bytes(data)
    except NotText as error:
        assert error.reason and error.status in {"skipped", "error"}
        return
    assert "\r" not in text and "\x00" not in text
    assert encoding in {
        "utf-8",
        "utf-8-sig",
        "utf-16-le",
        "utf-16-be",
        "utf-32-le",
        "utf-32-be",
        "gb18030",
        "big5",
        "cp950",
    }


@FUZZ
@given(REPORT_TEXT, st.sampled_from(["utf-8", "utf-8-bom", "utf-16-bom", "gb18030"]), st.booleans())
def test_text_survives_every_encoding_and_line_end(text: str, encoding: str, crlf: bool) -> None:
    assume(text.strip())
    written = text.replace("\n", "\r\n") if crlf else text
    data = {
        "utf-8": written.encode("utf-8"),
        "utf-8-bom": codecs.BOM_UTF8 + written.encode("utf-8"),
        "utf-16-bom": codecs.BOM_UTF16_LE + written.encode("utf-16-le"),
        "gb18030": written.encode("gb18030"),
    }[encoding]
    if encoding == "gb18030":
        # A few CJK characters in GB18030 can also be valid UTF-8; such a file is
        # genuinely ambiguous and is read as UTF-8, the more common encoding.
        try:
            data.decode("utf-8")
            assume(data.isascii())
        except UnicodeDecodeError:
            pass
        # Characters drawn evenly from the CJK block are mostly rare ones, as Big5 read as
        # GB18030 gives: such bytes are compared with Big5 and may be refused (test_read).
        share = common_share(text)
        if share is not None and share < MIN_GB18030_COMMON_SHARE:
            try:
                decoded, encoding, _ = decode_bytes(data)
            except NotText as error:
                assert error.reason.startswith("no plausible decoding")
            else:
                assert encoding in {"gb18030", "big5", "cp950"}
                assert encoding != "gb18030" or decoded == text
            return
    assert decode_bytes(data)[0] == text


@FUZZ
@given(REPORT_TEXT)
def test_extracting_random_report_text_never_raises(text: str) -> None:
    document = extract_text(text, doc_id="fuzz")
    for fact in document.facts:
        assert document.text[fact.start : fact.end] == fact.mention


@settings(FUZZ, max_examples=25)
@given(st.lists(st.binary(max_size=500), min_size=1, max_size=4))
def test_a_run_over_random_files_accounts_for_every_file(
    tmp_path_factory, files: list[bytes]
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    input_dir = root / "in"
    input_dir.mkdir()
    for index, data in enumerate(files):
        (input_dir / f"{index}.txt").write_bytes(data)
    summary = extract_paths(input_dir, root / "out")
    assert [entry.path for entry in summary.entries] == [f"{i}.txt" for i in range(len(files))]
    for entry in summary.entries:
        assert entry.status == "ok" or entry.reason
        assert "stage failed" not in (entry.reason or ""), entry.reason
    assert Path(root / "out" / "manifest.json").is_file()
