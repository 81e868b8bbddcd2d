"""Share of each stage in extracting a folder of reports, within one process.

Run as ``python benchmarks/bench_stages.py [FOLDER] [--rounds R] [--json]`` (FOLDER: the
sample reports in ``raw/``). Every report is read once, then extracted and rendered (CSV
and JSON Lines, as a run writes them) ``--rounds`` times after one warm-up extraction
(jieba's dictionary, the lexicon, the places). The functions each stage calls, as
``extract.pipeline`` names them, are wrapped to add up the CPU time (``process_time``)
spent inside them:

- ``clean``: ``clean_text``; ``segment``: ``segment_text``;
- ``extract``: ``extract_candidates``, its candidates made to the last before validation
  starts (in a run the two stages take turns, batch by batch);
- ``validate``: ``validate_candidates``;
- ``context``: ``document_date``, ``document_place`` and ``add_context`` (versions
  without a context stage show none);
- ``render``: ``write.render_document`` (the text of the output files, not the writing).

The shares are of the stages' sum (render apart), the figure issue 16 asks of the context
stage. Only the wrapped functions are timed; what the pipeline does between them (building
the ``Document``) is ``other``. It works on older versions of the package too, as long as
``extract.pipeline`` calls these functions by these names.

This is a benchmark, not a test: it prints numbers that depend on the machine and its load
(CPU time varies less with load than wall time; for exact comparisons count instructions,
docs/performance.md).
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]

#: The functions ``extract.pipeline`` calls, by the stage they belong to.
STAGE_FUNCTIONS = {
    "clean": ("clean_text",),
    "segment": ("segment_text",),
    "extract": ("extract_candidates",),
    "validate": ("validate_candidates",),
    "context": ("document_date", "document_place", "add_context"),
}


def wrap_stages(seconds: dict[str, float]) -> None:
    """Replace the stage functions ``extract.pipeline`` calls with timed ones."""
    from extract import pipeline, write

    def timed(stage: str, function: Callable[..., Any], *, whole: bool) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                result = function(*args, **kwargs)
                return list(result) if whole else result
            finally:
                seconds[stage] += time.process_time() - started

        return run

    for stage, names in STAGE_FUNCTIONS.items():
        for name in names:
            if hasattr(pipeline, name):
                function = getattr(pipeline, name)
                setattr(pipeline, name, timed(stage, function, whole=stage == "extract"))
    write.render_document = timed("render", write.render_document, whole=False)


def measure(folder: Path, *, rounds: int) -> dict[str, Any]:
    """Return the CPU seconds of each stage over ``rounds`` passes over ``folder``."""
    from extract import pipeline, write
    from extract.read import read_source

    seconds: dict[str, float] = defaultdict(float)
    wrap_stages(seconds)
    files = sorted(folder.rglob("*.txt"))
    sources = [read_source(path, root=folder) for path in files]
    pipeline.extract_source(sources[0])  # warm-up: jieba, the lexicon, the places
    seconds.clear()
    started = time.process_time()
    facts = 0
    for _ in range(rounds):
        for number, source in enumerate(sources):
            document = pipeline.extract_source(source)
            facts += len(document.facts)
            write.render_document(document, formats=("csv", "jsonl"), number=number)
    total = time.process_time() - started
    stages = {stage: seconds.get(stage, 0.0) for stage in STAGE_FUNCTIONS}
    return {
        "folder": str(folder),
        "reports": len(sources),
        "rounds": rounds,
        "facts": facts // rounds,
        "cpu_seconds": total,
        "stages": stages,
        "render": seconds.get("render", 0.0),
        "other": total - sum(stages.values()) - seconds.get("render", 0.0),
    }


def format_report(result: dict[str, Any]) -> str:
    """Return the measurements as a table: seconds and share of each stage."""
    stages = result["stages"]
    stage_sum = sum(stages.values()) or 1.0
    lines = [
        f"{result['reports']} reports × {result['rounds']} rounds, {result['facts']} facts a "
        f"round: {result['cpu_seconds']:.2f} s CPU",
        f"{'stage':<10} {'CPU s':>8} {'of stages':>10}",
    ]
    for stage, value in stages.items():
        lines.append(f"{stage:<10} {value:8.3f} {value / stage_sum:10.1%}")
    lines.append(f"{'render':<10} {result['render']:8.3f}")
    lines.append(f"{'other':<10} {result['other']:8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=REPOSITORY / "raw")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the folder (3)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args(argv)
    result = measure(options.folder, rounds=options.rounds)
    print(json.dumps(result, indent=2) if options.json else format_report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
