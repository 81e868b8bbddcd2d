"""extract_paths: one file's failure stays its own, and says which stage broke."""

from __future__ import annotations

import json
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import extract.clean
import extract.segment
from extract import pipeline
from extract.models import ManifestEntry
from extract.runner import extract_paths

GOOD = "新增公办学位1.1万个。\n".encode()


def function_in_module(module: types.ModuleType, source: str) -> Callable[..., Any]:
    """Return the one function defined by ``source``, living in ``module``'s namespace.

    Its frames then belong to ``module``, as a real failure inside that stage would.
    """
    module_code = compile(source, module.__file__ or module.__name__, "exec")
    code = next(c for c in module_code.co_consts if isinstance(c, types.CodeType))
    return types.FunctionType(code, vars(module))


def make_input(folder: Path, files: dict[str, bytes]) -> Path:
    """Return ``folder`` after writing ``files`` into it."""
    for relative, data in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    return folder


def manifest(output_dir: Path) -> dict[str, Any]:
    """Return the parsed manifest.json of ``output_dir``."""
    return json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("target", "module", "source", "reason"),
    [
        pytest.param(
            "clean_text",
            extract.clean,
            "def failing(text, *, doc_id='', lexicon=None, raw_lines=None):\n"
            "    if doc_id == 'bad':\n"
            "        raise ValueError('cannot re-flow')\n"
            "    return clean_text(text, doc_id=doc_id, lexicon=lexicon, raw_lines=raw_lines)\n",
            "clean stage failed: ValueError: cannot re-flow (clean.py line 3)",
            id="clean-stage",
        ),
        pytest.param(
            "segment_text",
            extract.segment,
            "def failing(clean, *, lexicon=None):\n"
            "    if clean.doc_id == 'bad':\n"
            "        raise RecursionError('maximum recursion depth exceeded')\n"
            "    return segment_text(clean, lexicon=lexicon)\n",
            "segment stage failed: RecursionError: maximum recursion depth exceeded "
            "(segment.py line 3)",
            id="segment-stage",
        ),
    ],
)
def test_failure_inside_a_stage_fails_that_file_only_and_names_the_stage(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    module: types.ModuleType,
    source: str,
    reason: str,
) -> None:
    monkeypatch.setattr(pipeline, target, function_in_module(module, source))
    input_dir = make_input(tmp_path / "in", {"bad.txt": GOOD, "good.txt": GOOD})
    summary = extract_paths(input_dir, tmp_path / "out")
    assert summary.totals() == {"files": 2, "ok": 1, "skipped": 0, "error": 1, "facts": 1}
    bad, good = manifest(tmp_path / "out")["files"]
    assert (bad["status"], bad["reason"], bad["encoding"]) == ("error", reason, "utf-8")
    assert good["status"] == "ok"
    assert not (tmp_path / "out" / "documents" / "bad.json").exists()


def test_two_files_with_one_doc_id_keep_the_first(tmp_path: Path) -> None:
    input_dir = make_input(tmp_path / "in", {"a.TXT": GOOD, "a.txt": GOOD})
    if len(list(input_dir.iterdir())) < 2:
        pytest.skip("case-insensitive file system")
    extract_paths(input_dir, tmp_path / "out")
    first, second = manifest(tmp_path / "out")["files"]
    assert (first["path"], first["status"]) == ("a.TXT", "ok")
    assert (second["status"], second["reason"]) == (
        "error",
        "same doc_id as a.TXT; rename one of the two files",
    )


def test_progress_reports_every_file_in_order(tmp_path: Path) -> None:
    input_dir = make_input(tmp_path / "in", {"b.txt": GOOD, "a/c.txt": b"", "a.md": b"x"})
    seen: list[ManifestEntry] = []
    summary = extract_paths(input_dir, tmp_path / "out", progress=seen.append)
    assert [(e.path, e.status) for e in seen] == [
        ("a.md", "skipped"),
        ("a/c.txt", "skipped"),
        ("b.txt", "ok"),
    ]
    assert seen == summary.entries
    assert seen[0].doc_id is None and seen[1].doc_id == "a/c"


def test_empty_input_folder_writes_empty_outputs(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    summary = extract_paths(tmp_path / "in", tmp_path / "out")
    assert summary.totals()["files"] == 0
    assert (tmp_path / "out" / "facts.jsonl").read_text() == ""
    assert manifest(tmp_path / "out")["files"] == []
