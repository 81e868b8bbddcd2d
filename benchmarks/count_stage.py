"""Extract the reports of some folders over and over, for callgrind to count one stage.

Run under valgrind, with the counters zeroed once the warm-up is done and collection
switched on only inside the function measured (a compiled build: mypyc's C names)::

    valgrind --tool=callgrind --collect-atstart=no \
        --toggle-collect='CPyDef_facts___extract_candidates_gen_____mypyc_generator_helper__' \
        python benchmarks/count_stage.py raw ../shared/corpus/panel/raw --rounds 3

(``--toggle-collect=CPyDef_clean___clean_text`` for the clean stage). Every report is read
once and extracted once to warm up (jieba's dictionary, the lexicon, the places, the
caches); then, under valgrind, the script asks ``callgrind_control -z`` to zero the
counters and extracts every report ``--rounds`` times. The instruction counts do not depend
on the machine's load, unlike its CPU time (docs/performance.md). It works on older versions
of the package too, as long as ``extract.pipeline.extract_source`` takes a ``SourceText``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path


def zero_counters() -> None:
    """Ask callgrind to zero its counters, and wait until it has (no-op outside valgrind)."""
    try:
        command = subprocess.Popen(
            ["callgrind_control", "-z", str(os.getpid())], stdout=subprocess.DEVNULL
        )
    except OSError:
        return  # valgrind is not installed: nothing to zero
    # Busy, not blocked in a system call: callgrind answers between guest instructions.
    while command.poll() is None:
        pass


def main(argv: list[str] | None = None) -> int:
    from extract.pipeline import extract_source
    from extract.read import read_source

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the reports (3)")
    options = parser.parse_args(argv)
    sources = [
        read_source(path, root=folder)
        for folder in options.folders
        for path in sorted(folder.rglob("*.txt"))
    ]
    for source in sources:
        extract_source(source)  # warm-up
    zero_counters()
    for _ in range(options.rounds):
        for source in sources:
            extract_source(source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
