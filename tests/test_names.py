"""Hostile input names: a file name that is not UTF-8 or holds control characters never
costs the run, is kept losslessly in the manifest and is printed escaped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from extract.runner import extract_paths

REPORT = "新增公办学位1.1万个。\n".encode()

#: 报告 ("report") in GBK, as a zip made on a Chinese Windows stores it.
GBK_REPORT = "报告".encode("gbk")


def write_raw(folder: Path, name: bytes, data: bytes = REPORT) -> None:
    """Write ``data`` to the file called by the raw bytes ``name`` under ``folder``."""
    path = os.path.join(os.fsencode(folder), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def manifest_files(output_dir: Path) -> dict[str, dict[str, Any]]:
    """Return the manifest entries of ``output_dir`` by their ``path``."""
    manifest = json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry for entry in manifest["files"]}


@pytest.mark.parametrize(
    ("name", "path", "doc_id"),
    [
        pytest.param(
            GBK_REPORT + b".txt", r"\xb1\xa8\xb8\xe6.txt", "报告~gb18030", id="gbk-file-name"
        ),
        pytest.param(
            GBK_REPORT + b"/a.txt",
            r"\xb1\xa8\xb8\xe6/a.txt",
            "报告~gb18030/a",
            id="gbk-folder-name",
        ),
        # \xe9 followed by "." is no GB18030 character: the bytes are written escaped.
        pytest.param(b"caf\xe9.txt", r"caf\xe9.txt", r"caf\xe9", id="latin-1-file-name"),
    ],
)
def test_name_not_utf8_is_kept_losslessly_and_costs_nothing(
    tmp_path: Path, name: bytes, path: str, doc_id: str
) -> None:
    write_raw(tmp_path / "in", name)
    write_raw(tmp_path / "in", b"plain.txt")
    summary = extract_paths(tmp_path / "in", tmp_path / "out", jobs=1)
    assert summary.count("ok") == 2
    entry = manifest_files(tmp_path / "out")[path]
    assert (entry["doc_id"], entry["status"]) == (doc_id, "ok")
    assert bytes.fromhex(entry["path_bytes"]) == name
    assert manifest_files(tmp_path / "out")["plain.txt"]["path_bytes"] is None
    assert (tmp_path / "out" / "documents" / f"{doc_id}.json").is_file()
    rows = (tmp_path / "out" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(row)["doc_id"] for row in rows} == {doc_id, "plain"}


def test_names_not_utf8_never_share_a_doc_id(tmp_path: Path) -> None:
    # The GBK 报告.txt, the UTF-8 报告.txt, and two Latin-1 names that differ in one byte.
    for name in (GBK_REPORT + b".txt", "报告.txt".encode(), b"caf\xe9.txt", b"caf\xe8.txt"):
        write_raw(tmp_path / "in", name)
    summary = extract_paths(tmp_path / "in", tmp_path / "out", jobs=1)
    entries = manifest_files(tmp_path / "out").values()
    assert summary.count("ok") == 4
    assert sorted(entry["doc_id"] for entry in entries) == sorted(
        ["报告~gb18030", "报告", r"caf\xe9", r"caf\xe8"]
    )


def test_name_not_utf8_is_printed_escaped(tmp_path: Path) -> None:
    write_raw(tmp_path / "in", GBK_REPORT + b".txt", b"")  # empty: skipped, so printed
    result = run_cli(tmp_path / "in", tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert r"skipped: \xb1\xa8\xb8\xe6.txt: empty file" in result.stderr.splitlines()


#: A name that would turn the terminal red and overwrite its own line.
CONTROL_NAME = "a\x1b[31mred\rb\x07.txt"


def test_control_characters_in_names_are_printed_escaped(tmp_path: Path) -> None:
    write_raw(tmp_path / "in", CONTROL_NAME.encode(), b"")
    result = run_cli(tmp_path / "in", tmp_path / "out")
    assert result.returncode == 1
    assert r"skipped: a\x1b[31mred\rb\x07.txt: empty file" in result.stderr.splitlines()
    assert not set("\x1b\r\x07") & set(result.stderr)


def test_control_characters_in_folder_messages_are_printed_escaped(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "no\x1b[2Jsuch", tmp_path / "out")
    assert result.returncode == 2
    assert r"no\x1b[2Jsuch: no such folder" in result.stderr
    assert "\x1b" not in result.stderr


def test_stdin_doc_id_not_utf8_is_read_as_text() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "extract", "-", "-", "--doc-id", os.fsdecode(GBK_REPORT)],
        input=REPORT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert json.loads(result.stdout.splitlines()[0])["doc_id"] == "报告~gb18030"


def make_tree(tmp_path: Path, links: dict[str, str]) -> Path:
    """Return the input folder of a tree with a report in ``in/real`` and ``outside/sub``,
    after making each of ``links`` (path under ``tmp_path`` → target) a symbolic link."""
    for name in ("in/real/a.txt", "outside/sub/b.txt", "outside/c.txt", "out/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(REPORT)
    for link, target in links.items():
        (tmp_path / link).symlink_to(target)
    return tmp_path / "in"


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        pytest.param(
            {"in/linked": "../outside"},
            {"linked/c.txt": "ok", "linked/sub/b.txt": "ok"},
            id="folder-link-outside-input-is-followed",
        ),
        pytest.param(
            {"in/c.txt": "../outside/c.txt"}, {"c.txt": "ok"}, id="file-link-outside-input-is-read"
        ),
        pytest.param(
            {"in/real/loop": ".."},
            {"real/loop": "skipped"},
            id="link-to-enclosing-folder-is-a-loop",
        ),
        # in/linked → outside, outside/back → in: the loop runs through a folder outside.
        pytest.param(
            {"in/linked": "../outside", "outside/back": "../in"},
            {"linked/c.txt": "ok", "linked/sub/b.txt": "ok", "linked/back": "skipped"},
            id="loop-through-a-folder-outside-input",
        ),
        pytest.param(
            {"in/out": "../out", "in/notes.txt": "../out/notes.txt"},
            {"out": "skipped", "notes.txt": "skipped"},
            id="links-into-the-output-folder-are-not-followed",
        ),
    ],
)
def test_symbolic_links_are_followed_once(
    tmp_path: Path, links: dict[str, str], expected: dict[str, str]
) -> None:
    extract_paths(make_tree(tmp_path, links), tmp_path / "out", jobs=1)
    files = manifest_files(tmp_path / "out")
    assert {path: entry["status"] for path, entry in files.items()} == {
        "real/a.txt": "ok",
        **expected,
    }
    reasons = [entry["reason"] for entry in files.values() if entry["status"] == "skipped"]
    assert all("symbolic link" in reason for reason in reasons)


def test_explain_prints_names_and_text_escaped(tmp_path: Path) -> None:
    # A few control characters in a long report are no reason to refuse it.
    text = "全市地区生产总值稳步提高，居民收入持续增加。" * 5 + "增长5%。\x1b[31m投资3亿元。\n"
    path = tmp_path / CONTROL_NAME
    path.write_text(text, encoding="utf-8")
    result = run_cli("explain", path)
    assert result.returncode == 0, result.stderr
    assert r"a\x1b[31mred\rb\x07.txt" in result.stdout
    assert r"\x1b[31m投资" in result.stdout
    assert not set("\x1b\r\x07") & set(result.stdout)
