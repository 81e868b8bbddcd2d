"""Time a run on a local Dask cluster against the local worker pool, on one corpus.

Run as ``python benchmarks/bench_cluster.py [--size-mb 5] [--workers 2] [--json]`` (needs
``pip install -e '.[dask]'``). The corpus is made as ``bench_corpus.py`` makes it (the
sample reports copied over and over as distinct files). Two commands run on it, each in
its own child process, one after the other:

1. ``python -m extract CORPUS OUT --jobs N -q`` (the local pool);
2. ``python -m extract CORPUS OUT --cluster local:N -q`` (a LocalCluster of N single-
   threaded workers, started and stopped by the command: its start-up is in the time).

For each: wall seconds, CPU seconds (user + system of the command and every process it
waited for, from ``os.wait4``; unlike wall time they hardly depend on the machine's load),
the largest sum of the process tree's memory at one moment, and the peak of the main
process and of the largest worker (PSS sampled 10 times a second, Linux). Then the facts
of the two runs are compared row for row, and the machine's load average is printed: on
a shared machine the wall times say little, the CPU seconds more.

A benchmark, not a test: it asserts nothing. Exit code 1 when a command failed or the
facts differ.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_corpus import (
    DEFAULT_SOURCE,
    FALLBACK_SOURCE,
    SAMPLE_INTERVAL,
    _memory_bytes,
    _tree_pids,
    build_corpus,
)


@dataclass(frozen=True)
class Run:
    """What one command cost."""

    name: str
    seconds: float
    cpu_seconds: float
    returncode: int
    tree_peak_mb: float
    main_peak_mb: float
    worker_peak_mb: float
    workers_seen: int
    stderr: str


def run(name: str, command: list[str]) -> Run:
    """Return the cost of ``command``, run to its end."""
    peaks: dict[int, int] = {}
    tree_peak = 0
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        finished = threading.Event()

        def sample() -> None:
            nonlocal tree_peak
            while not finished.wait(SAMPLE_INTERVAL):
                sizes = {pid: _memory_bytes(pid) for pid in _tree_pids(process.pid)}
                tree_peak = max(tree_peak, sum(sizes.values()))
                for pid, size in sizes.items():
                    peaks[pid] = max(peaks.get(pid, 0), size)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        finished.set()
        sampler.join()
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    workers = [size for pid, size in peaks.items() if pid != process.pid]
    return Run(
        name=name,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        returncode=os.waitstatus_to_exitcode(status),
        tree_peak_mb=tree_peak / 1e6,
        main_peak_mb=peaks.get(process.pid, 0) / 1e6,
        worker_peak_mb=max(workers, default=0) / 1e6,
        workers_seen=len(workers),
        stderr=errors[-2000:],
    )


def same_facts(local: Path, cluster_output: Path) -> bool:
    """Return whether the cluster run's facts are the local run's facts.jsonl, in order."""
    from extract.cluster import read_facts
    from extract.encode import fact_row
    from extract.models import Fact
    from extract.schema import FACT_INDEX

    lines = (local / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    rows = read_facts(str(cluster_output)).to_pylist()
    if len(lines) != len(rows):
        return False
    for line, row in zip(lines, rows, strict=True):
        row.pop(FACT_INDEX)
        if json.loads(line) != json.loads(json.dumps(fact_row(Fact(**row)), ensure_ascii=False)):
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=5.0, help="corpus size (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="N of --jobs and local:N")
    parser.add_argument("--source", type=Path, default=None, help="reports to copy")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args(argv)
    source = options.source or (DEFAULT_SOURCE if DEFAULT_SOURCE.is_dir() else FALLBACK_SOURCE)
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as scratch:
        corpus = build_corpus(source, Path(scratch) / "corpus", size_mb=options.size_mb)
        extract = [sys.executable, "-m", "extract", corpus.folder]
        n = str(options.workers)
        load_before = os.getloadavg()
        runs = [
            run(f"--jobs {n}", [*extract, f"{scratch}/jobs", "--jobs", n, "-q"]),
            run(
                f"--cluster local:{n}",
                [*extract, f"{scratch}/cluster", "--cluster", f"local:{n}", "-q"],
            ),
        ]
        load_after = os.getloadavg()
        failed = any(r.returncode not in (0, 1) for r in runs)
        equal = not failed and same_facts(Path(scratch) / "jobs", Path(scratch) / "cluster")
    report = {
        "corpus": asdict(corpus),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "runs": [asdict(r) for r in runs],
        "ratio_wall": runs[1].seconds / runs[0].seconds,
        "ratio_cpu": runs[1].cpu_seconds / runs[0].cpu_seconds,
        "same_facts": equal,
    }
    if options.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"corpus: {corpus.files} files, {corpus.bytes / 1e6:.1f} MB; {os.cpu_count()} CPUs; "
            f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
        )
        print(f"{'case':<20}{'wall s':>8}{'CPU s':>8}{'tree MB':>9}{'main MB':>9}{'worker MB':>11}")
        for r in runs:
            print(
                f"{r.name:<20}{r.seconds:>8.1f}{r.cpu_seconds:>8.1f}{r.tree_peak_mb:>9.0f}"
                f"{r.main_peak_mb:>9.0f}{r.worker_peak_mb:>11.0f}"
            )
        print(
            f"cluster / jobs: wall {report['ratio_wall']:.2f}x, CPU {report['ratio_cpu']:.2f}x; "
            f"same facts: {equal}"
        )
        for r in runs:
            if r.returncode not in (0, 1):
                print(f"{r.name} failed ({r.returncode}):\n{r.stderr}", file=sys.stderr)
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
