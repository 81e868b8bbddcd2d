"""Time the pipeline on a generated 10 MB single-line file and on the sample corpus.

Run as ``python benchmarks/bench_large.py [--size-mb 10] [--corpus DIR]``. Each case
runs ``extract_paths`` in a fresh child process, so its peak memory (max RSS) is its own
and jieba's load time is counted once per case, as a user would see it. Prints, per case:
input size, wall time, MB/s, facts and facts/s, and peak memory.

This is a benchmark, not a test: it asserts nothing, but a quadratic step in the reader,
cleaner or regexes shows at once as a 10 MB line that takes minutes instead of seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]

#: One paragraph of report prose with the phenomena the extractor handles; repeated
#: without any line break it makes the "10 MB file with no line break" of issue 4.
PARAGRAPH = (
    "全市地区生产总值增长5.3%，新增城镇就业人员超1万人，累计实施减负降费36.5亿元、"
    "惠及企业90万家次；落地3亿元以上项目11个，其中10亿元以上项目6个，"
    "签约50亿元、100亿元以上项目各1个。居民人均可支配收入下降2.1%，"
    "班次由每周2列增至9列，坚持财政支出七成用于民生，养老保险基础标准增至每月290元。"
)


def make_single_line_file(folder: Path, size_mb: float) -> Path:
    """Return a UTF-8 file in ``folder`` of about ``size_mb`` MB holding one line of prose."""
    unit = PARAGRAPH.encode("utf-8")
    repeats = max(1, int(size_mb * 1_000_000 / len(unit)))
    path = folder / "large" / "single-line.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(unit * repeats)
    return path.parent


def run_case(input_dir: Path) -> dict[str, float]:
    """Return size, time, facts and peak memory of one ``extract_paths`` run over ``input_dir``."""
    from extract import extract_paths  # imported here: its load time is measured

    size = sum(path.stat().st_size for path in input_dir.rglob("*") if path.is_file())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as output_dir:
        summary = extract_paths(input_dir, Path(output_dir))
    seconds = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    return {
        "bytes": size,
        "seconds": seconds,
        "facts": summary.facts,
        "files": summary.totals()["files"],
        "not_ok": summary.totals()["files"] - summary.count("ok"),
        "peak_bytes": peak,
    }


def measure_in_child(input_dir: Path) -> dict[str, float]:
    """Return ``run_case`` measured in a fresh Python process."""
    process = subprocess.run(
        [sys.executable, __file__, "--child", str(input_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(process.stdout.splitlines()[-1])


def describe(name: str, result: dict[str, float]) -> str:
    """Return one printed line for a measured case."""
    megabytes = result["bytes"] / 1e6
    seconds = result["seconds"]
    return (
        f"{name:<28} {megabytes:8.2f} MB {seconds:8.2f} s {megabytes / seconds:8.2f} MB/s "
        f"{result['facts']:>9,.0f} facts {result['facts'] / seconds:>10,.0f} facts/s "
        f"peak {result['peak_bytes'] / 1e6:8.1f} MB"
        + (
            f"  ({result['not_ok']:.0f} of {result['files']:.0f} files not ok)"
            if result["not_ok"]
            else ""
        )
    )


def main() -> int:
    """Return 0 after printing the measurements of each case (1 when over --max-seconds)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=10.0, help="size of the generated file")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=REPOSITORY.parent / "shared" / "corpus" / "raw",
        help="folder of real reports (default ../shared/corpus/raw, else raw/)",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        help="exit 1 when the generated file takes longer than this (a time bound for CI)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child is not None:
        print(json.dumps(run_case(options.child)))
        return 0
    corpus = options.corpus if options.corpus.is_dir() else REPOSITORY / "raw"
    print(
        f"{'case':<28} {'input':>11} {'time':>10} {'throughput':>13} "
        f"{'facts':>15} {'rate':>18} {'memory':>13}"
    )
    print(describe(f"corpus ({corpus.name})", measure_in_child(corpus)))
    with tempfile.TemporaryDirectory() as scratch:
        large = make_single_line_file(Path(scratch), options.size_mb)
        result = measure_in_child(large)
        print(describe(f"{options.size_mb:g} MB single line", result))
    if options.max_seconds is not None and result["seconds"] > options.max_seconds:
        print(f"too slow: {result['seconds']:.1f} s > {options.max_seconds:g} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
