"""Scores of the annotated reports laid out again: OCR columns, noisy OCR and web text.

Run as ``python benchmarks/layouts.py [CORPUS] [--seeds N] [--keep DIR] [--json]``.
CORPUS (default ``../shared/corpus``) holds ``clean/`` (each report as paragraphs, one a
line, its section headings marked with a leading ``# ``) and ``gold/`` (the gold facts).
Gold facts are matched by value and unit within a document, not by position, so a report
written out in another layout is scored against the same gold file. Each report is
written out ``--seeds`` times in each layout, each time with other random choices:

- ``ocr``: a newspaper column, each paragraph cut every 13-17 characters (numbers and
  words cut wherever the cut falls), some lines followed by a stray blank line, and the
  headings as the page prints them: an enumerated one (``一、…``) on its own line, any
  other after a ``关键词`` line;
- ``noisy``: the ``ocr`` layout with the errors of a poor scan: ``O`` for ``0`` and ``l``
  or ``I`` for ``1`` inside numbers, full-width digits, ASCII ``,``/``.`` for ``，``/``。``
  between words, and a space between a number and the word after it;
- ``web``: text copied from a web page: one paragraph a line with a blank line between
  paragraphs, each heading a plain line of its own (no ``关键词``), a few lines of page
  chrome above the title.

Every layout is extracted in one run of ``python -m extract`` (the ``extract`` this Python
imports) and scored with ``extract.evaluate``, per layout: detection precision, recall and
F1, and the share of matched facts whose indicator, section, place, period, status and
concept agree with gold. The random choices depend only on the seed, so a run repeats.

When CORPUS holds ``panel/raw`` (whole reports as web text) and ``panel/gold`` (their gold
panels), those reports are also written out in the ``ocr`` and ``noisy`` layouts (their
own text is the web layout), each seed and layout extracted in a run of its own, and each
run's ``panel.csv`` scored: panel precision and recall per layout, summed over the seeds.

This is a measure of robustness, not a test: it asserts nothing. The layouts are made
from the annotated reports, so they show how much the layout costs on reports whose
words the rules were checked against, not how the tool does on reports it has never seen.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"
LAYOUTS = ("ocr", "noisy", "web")
#: The layouts the whole web reports of the panel are written out in.
PANEL_LAYOUTS = ("ocr", "noisy")
#: The fields scored over matched facts, as ``extract.evaluate.DocScore`` names them.
FIELDS = ("indicator", "section", "place", "period", "status", "concept")

#: An enumerated heading (一、 （一） 第一部分 1.), printed without a 关键词 line.
NUMERALS = "一二三四五六七八九十"
ENUMERATED = re.compile(rf"^(?:[{NUMERALS}]+、|（[{NUMERALS}]+）|第[{NUMERALS}]+部分|\d+[.、])")
#: Lines of a web page's chrome, as a copied page starts with them.
WEB_CHROME = ("首页 > 新闻中心 > 要闻", "【字号：大 中 小】", "打印", "分享到：")
#: A paragraph this short and not ending a sentence is a headline, byline or cross-head.
SHORT_LINE = 30
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def read_clean(path: Path) -> list[tuple[str, str]]:
    """Return a clean report's lines as (kind, text): kind ``heading`` or ``paragraph``."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("# "):
            lines.append(("heading", line[2:].strip()))
        else:
            lines.append(("paragraph", line.strip()))
    return lines


def column(text: str, rng: random.Random) -> list[str]:
    """Cut a paragraph into newspaper column lines of 13-17 characters, blank lines among them."""
    out: list[str] = []
    position = 0
    while position < len(text):
        width = rng.randint(13, 17)
        out.append(text[position : position + width])
        position += width
        if rng.random() < 0.3:
            out.append("")
    return out


def scan_errors(text: str, rng: random.Random) -> str:
    """Return ``text`` with a poor scan's errors put in at random."""
    chars = list(text)
    for index, char in enumerate(chars):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        in_number = before.isdigit() or after.isdigit()
        if char == "0" and in_number and rng.random() < 0.15:
            chars[index] = "O"
        elif char == "1" and before.isdigit() and after.isdigit() and rng.random() < 0.15:
            chars[index] = rng.choice("lI")
        elif char in "，。" and not (before.isdigit() or after.isdigit()) and rng.random() < 0.05:
            chars[index] = "," if char == "，" else "."
        elif char.isdigit() and "\u4e00" <= after <= "\u9fff" and rng.random() < 0.1:
            chars[index] = char + " "  # a space between a number and its unit
    noisy = "".join(chars)
    # Some scans give a whole number in full-width digits.
    return re.sub(
        r"\d+",
        lambda match: match[0].translate(FULL_WIDTH_DIGITS) if rng.random() < 0.1 else match[0],
        noisy,
    )


def lay_out(lines: list[tuple[str, str]], layout: str, rng: random.Random) -> str:
    """Return a report's text in ``layout``."""
    out: list[str] = []
    if layout == "web":
        out.extend(WEB_CHROME)
        out.append("")
        for _kind, text in lines:
            out.extend((text, ""))
        return "\n".join(out) + "\n"
    for kind, text in lines:
        if kind == "heading":
            out.extend(("", text if ENUMERATED.match(text) else f"关键词\n{text}", ""))
        elif len(text) <= SHORT_LINE and not text.endswith(("。", "？", "！")):
            # A headline, a byline or a cross-head is set wider than the column.
            out.extend((text, ""))
        else:
            out.extend(column(text, rng))
            out.append("")
    text = "\n".join(out) + "\n"
    return scan_errors(text, rng) if layout == "noisy" else text


def build(corpus: Path, folder: Path, seeds: int) -> tuple[Path, Path]:
    """Write every report in every layout, and a gold folder that mirrors them."""
    raw, gold = folder / "raw", folder / "gold"
    for clean in sorted((corpus / "clean").glob("*.clean.txt")):
        doc_id = clean.name.removesuffix(".clean.txt")
        gold_file = corpus / "gold" / f"{doc_id}.facts.jsonl"
        if not gold_file.exists():
            continue
        lines = read_clean(clean)
        for layout in LAYOUTS:
            for seed in range(seeds):
                # The seed of a report's layout is its own, so reports can be added freely.
                rng = random.Random(f"{layout}/{seed}/{doc_id}")
                relative = Path(layout) / f"s{seed}"
                (raw / relative).mkdir(parents=True, exist_ok=True)
                (gold / relative).mkdir(parents=True, exist_ok=True)
                text = lay_out(lines, layout, rng)
                (raw / relative / f"{doc_id}.txt").write_text(text, encoding="utf-8")
                (gold / relative / gold_file.name).write_text(
                    gold_file.read_text(encoding="utf-8"), encoding="utf-8"
                )
    return raw, gold


def build_panel(corpus: Path, folder: Path, seeds: int) -> dict[str, list[Path]]:
    """Write the whole reports of ``corpus/panel/raw`` in the column layouts, a folder for
    each layout and seed; return the folders of each layout."""
    folders: dict[str, list[Path]] = {}
    reports = sorted((corpus / "panel" / "raw").glob("*.txt"))
    for layout in PANEL_LAYOUTS:
        for seed in range(seeds):
            target = folder / "panel" / layout / f"s{seed}"
            target.mkdir(parents=True, exist_ok=True)
            folders.setdefault(layout, []).append(target)
            for report in reports:
                text = report.read_text(encoding="utf-8")
                lines = [("paragraph", line.strip()) for line in text.splitlines() if line.strip()]
                rng = random.Random(f"{layout}/{seed}/{report.name}")
                (target / report.name).write_text(lay_out(lines, layout, rng), encoding="utf-8")
    return folders


def score_panel(folders: dict[str, list[Path]], gold: Path) -> dict[str, dict[str, Any]]:
    """Run ``extract`` over each folder and return each layout's panel scores."""
    from extract.evaluate import PanelScore, evaluate_panel

    results = {}
    for layout, runs in folders.items():
        total = PanelScore(place=layout)
        for raw in runs:
            out = raw.with_name(raw.name + "-out")
            subprocess.run([sys.executable, "-m", "extract", str(raw), str(out), "-q"], check=True)
            total.add(evaluate_panel(out, gold).overall)
        results[layout] = {
            "rows": total.rows,
            "gold": total.gold,
            "right": total.right,
            "precision": round(total.precision.value, 3),
            "recall": round(total.recall.value, 3),
        }
    return results


def score(raw: Path, gold: Path, out: Path) -> dict[str, dict[str, Any]]:
    """Run ``extract`` over ``raw`` and return each layout's scores."""
    from extract.evaluate import DocScore, evaluate_dirs

    subprocess.run([sys.executable, "-m", "extract", str(raw), str(out), "-q"], check=True)
    report = evaluate_dirs(out, gold)
    totals: dict[str, DocScore] = {layout: DocScore(doc_id=layout) for layout in LAYOUTS}
    for document in report.documents:
        totals[document.doc_id.split("/", 1)[0]].add(document)
    results = {}
    for layout, total in totals.items():
        results[layout] = {
            "precision": round(total.precision, 3),
            "recall": round(total.recall, 3),
            "f1": round(total.f1, 3),
            **{name: round(getattr(total, name).value, 3) for name in FIELDS},
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seeds", type=int, default=5, help="layouts of each report (5)")
    parser.add_argument("--keep", type=Path, help="write the layouts and the run here")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    panel_gold = args.corpus / "panel" / "gold"
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        raw, gold = build(args.corpus, folder, args.seeds)
        results = score(raw, gold, folder / "out")
        panel = {}
        if panel_gold.is_dir():
            panel = score_panel(build_panel(args.corpus, folder, args.seeds), panel_gold)
    if args.json:
        print(json.dumps({"facts": results, "panel": panel}, indent=2))
        return 0
    header = ("layout", "precision", "recall", "f1", *FIELDS)
    print(" ".join(f"{name:>9}" for name in header))
    for layout, values in results.items():
        print(f"{layout:>9} " + " ".join(f"{values[name]:>9.3f}" for name in header[1:]))
    if panel:
        print("\npanel reports")
        panel_header = ("layout", "rows", "gold", "right", "precision", "recall")
        print(" ".join(f"{name:>9}" for name in panel_header))
        for layout, values in panel.items():
            print(f"{layout:>9} " + " ".join(f"{values[name]:>9}" for name in panel_header[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
