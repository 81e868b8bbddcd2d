"""Regenerate the golden fixtures in tests/fixtures/ from the current pipeline; print the diff.

Run from anywhere: ``python tests/update_golden.py`` (``--check`` only reports, exit 1 on a
difference). Read every line of the diff before committing it: a golden fixture is
only worth something if each change in it was meant.

Each case is a folder named for what it protects, holding the raw input exactly as the
tool reads it, the whole expected ``Document`` JSON and the expected facts.jsonl lines.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from extract.pipeline import extract_source
from extract.read import read_source
from oracles import render_document_json, render_fact_line

REPOSITORY = Path(__file__).resolve().parents[1]
FIXTURES = REPOSITORY / "tests" / "fixtures"


@dataclass(frozen=True)
class GoldenCase:
    """One golden fixture: a raw input and the whole output expected from it."""

    name: str
    #: Where the raw input was first copied from, relative to the repository.
    origin: str

    @property
    def folder(self) -> Path:
        """Return the fixture folder."""
        return FIXTURES / self.name

    @property
    def input_path(self) -> Path:
        """Return the fixture's copy of the raw input."""
        return self.folder / Path(self.origin).name

    @property
    def document_path(self) -> Path:
        """Return the file holding the expected Document JSON."""
        return self.folder / "expected_document.json"

    @property
    def facts_path(self) -> Path:
        """Return the file holding the expected facts.jsonl lines."""
        return self.folder / "expected_facts.jsonl"


GOLDEN_CASES: tuple[GoldenCase, ...] = (
    # The city newspaper page: column-broken OCR, 关键词 sections, every kind of non-fact.
    GoldenCase("sample_report", "raw/000_a624ea3b61366e50.txt"),
)


def render_case(case: GoldenCase) -> dict[Path, str]:
    """Return the text the current pipeline gives for each expected file of ``case``."""
    document = extract_source(read_source(case.input_path, root=case.folder))
    return {
        case.document_path: render_document_json(document),
        case.facts_path: "".join(render_fact_line(fact) + "\n" for fact in document.facts),
    }


def diff_text(path: Path, old: str, new: str) -> str:
    """Return the unified diff from ``old`` to ``new`` for ``path`` (empty when equal)."""
    name = path.relative_to(REPOSITORY).as_posix()
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Return 0 after updating (or, with --check, comparing) every golden fixture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report differences, write nothing")
    options = parser.parse_args(argv)
    changed = 0
    for case in GOLDEN_CASES:
        if not case.input_path.exists():
            if options.check:
                print(f"{case.name}: no fixture yet", file=sys.stderr)
                changed += 1
                continue
            case.folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPOSITORY / case.origin, case.input_path)
        for path, new in render_case(case).items():
            old = path.read_text(encoding="utf-8") if path.exists() else ""
            if old == new:
                continue
            changed += 1
            sys.stdout.write(diff_text(path, old, new))
            if not options.check:
                path.write_text(new, encoding="utf-8")
    verb = "differ" if options.check else "updated"
    print(f"{changed} golden file(s) {verb}", file=sys.stderr)
    return 1 if options.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
