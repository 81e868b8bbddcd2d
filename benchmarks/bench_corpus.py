"""Time ``python -m extract`` on a corpus of many reports against ``jieba.lcut`` on the same text.

Run as ``python benchmarks/bench_corpus.py [--size-mb 20] [--jobs N] [--rounds R] [--json]``.
The corpus
is the files of ``../shared/corpus/raw`` (else ``raw/``) copied over and over as distinct
files, ``r0001/000_….txt``, ``r0002/000_….txt`` …, until it holds ``--size-mb`` MB. Each
case runs in its own child process, so its wall time includes start-up and its peak memory
is its own:

1. ``jieba.lcut`` over every file's text (default dictionary, HMM on), timed without
   jieba's dictionary load, which is reported apart;
2. the machine's own speedup for two processes: two ``jieba.lcut`` processes at once, each
   over half of the files, against case 1 (a shared VM often gives less than 2x);
3. ``python -m extract CORPUS OUT --jobs 1 -q``, the whole command;
4. the same with ``--jobs N`` (default: the number of CPUs);
5. ``split``: N ``python -m extract --jobs 1`` processes at once, each on every N-th file
   (linked into a folder of its own), until the last ends: what N independent runs of
   this workload get from this machine, the most ``--jobs N`` can reach;
6. the outputs of 3 and 4 compared byte for byte;
7. ``--incremental`` re-run of 4 on the unchanged corpus, with the files it reused;
8. start-up: ``python -m extract`` on one sample report alone in a folder, 5 runs.

With ``--rounds R``, cases 1-5 run R times, one round after the other, each extract run
into an empty folder. On a machine whose speed drifts (a shared VM can vary by 2x from
minute to minute) one run of each says little; the report gives every round, the best
time of each case (as ``timeit`` does: a slower run was slowed by something else), and
the median over rounds of each round's ratios.

Peak memory is given two ways: ``peak RSS`` is the largest single process of the command
(``ru_maxrss`` from ``os.wait4``, which covers the process and every worker it waited for;
exact), ``tree`` is the largest sum over the process and its workers at one moment (PSS,
sampled 10 times a second on Linux, so a short spike can be missed). ``--size-mb 200``
gives the memory figure for a large input; it takes several minutes per case.

This is a benchmark, not a test: it asserts nothing and prints numbers that depend on the
machine and its load. Exit code 1 means a case failed (a command exited non-zero, or the
outputs of ``--jobs 1`` and ``--jobs N`` differ).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPOSITORY.parent / "shared" / "corpus" / "raw"
FALLBACK_SOURCE = REPOSITORY / "raw"

#: Cases that ``--skip`` can leave out, in the order they run.
CASES = ("jieba", "pair", "jobs1", "jobsN", "split", "compare", "incremental", "startup")

#: How often the process tree's memory is sampled, in seconds.
SAMPLE_INTERVAL = 0.1

#: How many times the start-up case runs; best and median are reported.
STARTUP_RUNS = 5


@dataclass(frozen=True)
class CorpusStats:
    """What a corpus folder holds: its .txt files, their bytes and their characters."""

    folder: str
    files: int
    bytes: int
    chars: int


@dataclass(frozen=True)
class Measured:
    """Wall time, exit code and memory of one child command."""

    seconds: float
    returncode: int
    peak_rss_bytes: int
    tree_peak_bytes: int | None
    stdout: str
    stderr: str


def decode_text(data: bytes) -> str:
    """Return a file's bytes as text the way the benchmark counts characters (UTF-8).

    >>> decode_text("\\ufeff增长5.3%".encode())
    '增长5.3%'
    """
    return data.decode("utf-8-sig", errors="replace")


def list_texts(folder: Path) -> list[Path]:
    """Return the .txt files under ``folder``, recursively, in sorted order."""
    return sorted(path for path in folder.rglob("*.txt") if path.is_file())


def build_corpus(source: Path, target: Path, *, size_mb: float) -> CorpusStats:
    """Return the statistics of a corpus of about ``size_mb`` MB written into ``target``.

    Round ``k`` copies every .txt file of ``source`` into ``target/rKKKK/``, keeping its
    relative path, so every copy is a distinct file with its own doc_id; rounds are added
    until the corpus holds ``size_mb`` MB (10**6 bytes), the last one cut short.
    """
    sources = [(path.relative_to(source), path.read_bytes()) for path in list_texts(source)]
    if not sources:
        raise ValueError(f"{source}: no .txt files to build a corpus from; pass --source DIR")
    chars_of = {relative: len(decode_text(data)) for relative, data in sources}
    wanted = size_mb * 1_000_000
    files = written = chars = 0
    round_number = 0
    while written < wanted:
        round_number += 1
        for relative, data in sources:
            if written >= wanted:
                break
            path = target / f"r{round_number:04d}" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files += 1
            written += len(data)
            chars += chars_of[relative]
    return CorpusStats(folder=str(target), files=files, bytes=written, chars=chars)


def count_corpus(folder: Path) -> CorpusStats:
    """Return the statistics of an existing corpus folder."""
    files = written = chars = 0
    for path in list_texts(folder):
        data = path.read_bytes()
        files += 1
        written += len(data)
        chars += len(decode_text(data))
    return CorpusStats(folder=str(folder), files=files, bytes=written, chars=chars)


def _tree_pids(pid: int) -> list[int]:
    """Return ``pid`` and its descendants, from /proc/PID/task/*/children (Linux)."""
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return pids


def _memory_bytes(pid: int) -> int:
    """Return a process's proportional set size (RSS with shared pages split), or 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:  # kernels before 4.14 have no smaps_rollup; RSS counts pages shared with workers twice
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run_measured(command: list[str], *, env: dict[str, str] | None = None) -> Measured:
    """Return the wall time, exit code and peak memory of ``command`` run to its end."""
    sampling = Path("/proc/self/smaps_rollup").exists() or Path("/proc/self/status").exists()
    tree_peak = 0
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env)
        finished = threading.Event()

        def sample() -> None:
            nonlocal tree_peak
            while not finished.wait(SAMPLE_INTERVAL):
                total = sum(_memory_bytes(pid) for pid in _tree_pids(process.pid))
                tree_peak = max(tree_peak, total)

        sampler = threading.Thread(target=sample, daemon=True)
        if sampling:
            sampler.start()
        # os.wait4 instead of process.wait(): it returns this child's own rusage, whose
        # ru_maxrss is the largest of the child and the workers it waited for.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        finished.set()
        if sampling:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = (
            stdout.read().decode(errors="replace"),
            stderr.read().decode("utf-8", "replace"),
        )
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return Measured(
        seconds=seconds,
        returncode=process.returncode,
        peak_rss_bytes=usage.ru_maxrss * scale,
        tree_peak_bytes=tree_peak if sampling else None,
        stdout=output,
        stderr=errors,
    )


def child_environment() -> dict[str, str]:
    """Return the environment for child commands.

    They run the ``extract`` this Python imports, as a user's command would: a regular
    install is compiled with mypyc, an editable one is this checkout's source (the report
    says which, ``installed_build``).
    """
    return dict(os.environ)


def installed_build() -> str:
    """Return which ``extract`` the commands run: compiled or Python source, and where."""
    spec = importlib.util.find_spec("extract.facts")
    origin = spec.origin if spec is not None and spec.origin else "not found"
    kind = "Python source" if origin.endswith(".py") else "compiled with mypyc"
    return f"{kind} ({Path(origin).parent})"


def run_jieba(corpus: Path, part: int = 0, parts: int = 1) -> dict[str, float]:
    """Return jieba's load time and the time of ``jieba.lcut`` over the files of ``corpus``:
    every file, or with ``parts`` > 1 every ``parts``-th from the ``part``-th (0-based)."""
    started = time.perf_counter()
    import jieba  # imported here: its import and dictionary load are timed apart

    jieba.initialize()
    load_seconds = time.perf_counter() - started
    lcut_seconds = 0.0
    chars = words = files = 0
    for path in list_texts(corpus)[part::parts]:
        text = decode_text(path.read_bytes())
        started = time.perf_counter()
        words += len(jieba.lcut(text))
        lcut_seconds += time.perf_counter() - started
        chars += len(text)
        files += 1
    return {
        "load_seconds": load_seconds,
        "lcut_seconds": lcut_seconds,
        "chars": chars,
        "words": words,
        "files": files,
    }


def jieba_command(corpus: Path, part: int = 0, parts: int = 1) -> list[str]:
    """Return the command of a child process that runs ``run_jieba`` and prints its result."""
    return [sys.executable, __file__, "--jieba-child", str(corpus), "--part", f"{part}/{parts}"]


def measure_jieba(corpus: Path) -> dict[str, float]:
    """Return ``run_jieba`` measured in a fresh Python process, with its peak memory."""
    measured = run_measured(jieba_command(corpus), env=child_environment())
    if measured.returncode != 0:
        raise RuntimeError(f"jieba case failed (exit {measured.returncode}):\n{measured.stderr}")
    result = json.loads(measured.stdout.splitlines()[-1])
    result["wall_seconds"] = measured.seconds
    result["peak_rss_bytes"] = measured.peak_rss_bytes
    result["tree_peak_bytes"] = measured.tree_peak_bytes
    return result


def measure_jieba_pair(corpus: Path) -> dict[str, float]:
    """Return the ``jieba.lcut`` time of two processes run at once, each on half the files.

    The slower half's time, against one process on every file, is the speedup this machine
    gives two processes of such work: the most that two worker processes can reach.
    """
    processes = [
        subprocess.Popen(
            jieba_command(corpus, part, 2),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_environment(),
        )
        for part in (0, 1)
    ]
    halves = []
    for process in processes:
        output, errors = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"jieba pair failed (exit {process.returncode}):\n{errors!r}")
        halves.append(json.loads(output.decode().splitlines()[-1])["lcut_seconds"])
    return {"halves_seconds": halves, "lcut_seconds": max(halves)}


def extract_command(input_dir: Path, output_dir: Path, *options: str) -> list[str]:
    """Return the ``python -m extract`` command line for one case."""
    return [sys.executable, "-m", "extract", str(input_dir), str(output_dir), "-q", *options]


def measure_extract(input_dir: Path, output_dir: Path, *options: str) -> dict[str, object]:
    """Return wall time, peak memory and summary line of one ``python -m extract`` run."""
    command = extract_command(input_dir, output_dir, *options)
    measured = run_measured(command, env=child_environment())
    if measured.returncode != 0:
        raise RuntimeError(
            f"{shlex.join(command)} exited {measured.returncode}:\n{measured.stderr[-2000:]}"
        )
    summary = measured.stderr.strip().splitlines() or measured.stdout.strip().splitlines() or [""]
    return {
        "command": shlex.join(command),
        "seconds": measured.seconds,
        "peak_rss_bytes": measured.peak_rss_bytes,
        "tree_peak_bytes": measured.tree_peak_bytes,
        "summary": summary[-1],
    }


def split_corpus(corpus: Path, scratch: Path, *, parts: int) -> list[Path]:
    """Return ``parts`` folders under ``scratch`` that share out the files of ``corpus``:
    every ``parts``-th file from the first, the second …, at its path in the corpus.

    Files are hard links where the file system allows, else copies.
    """
    files = list_texts(corpus)
    folders = []
    for part in range(parts):
        folder = scratch / f"split-{part + 1}-of-{parts}"
        shutil.rmtree(folder, ignore_errors=True)
        for path in files[part::parts]:
            target = folder / path.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
        folders.append(folder)
    return folders


def measure_split(folders: list[Path], scratch: Path) -> dict[str, object]:
    """Return the wall time of one ``python -m extract --jobs 1`` per folder, all at once,
    from the first start to the last end."""
    outputs = [scratch / f"output-{folder.name}" for folder in folders]
    for output in outputs:
        shutil.rmtree(output, ignore_errors=True)
    commands = [
        extract_command(folder, output, "--jobs", "1")
        for folder, output in zip(folders, outputs, strict=True)
    ]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_environment()
        )
        for command in commands
    ]
    for command, process in zip(commands, processes, strict=True):
        _, errors = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(
                f"{shlex.join(command)} exited {process.returncode}:\n{errors.decode()[-2000:]}"
            )
    seconds = time.perf_counter() - started
    for output in outputs:
        shutil.rmtree(output, ignore_errors=True)
    return {"processes": len(folders), "seconds": seconds}


def _first_different_line(left: bytes, right: bytes) -> str:
    """Return where two differing byte strings first differ, as a line number and both lines."""
    left_lines, right_lines = left.splitlines(), right.splitlines()
    for number, (a, b) in enumerate(zip(left_lines, right_lines, strict=False), start=1):
        if a != b:
            return f"line {number}: {a[:120]!r} != {b[:120]!r}"
    return f"{len(left_lines)} lines != {len(right_lines)} lines"


def compare_outputs(left: Path, right: Path, *, ignore: tuple[str, ...] = ()) -> str | None:
    """Return the first difference between two output folders, or None when byte-identical.

    Every file a reader finds is compared, recursively, except the relative paths in
    ``ignore``: links are followed (facts.csv and documents/ are links into the run's
    generation folder), and the run's own bookkeeping (``.extract…`` at the top: its lock,
    generation folders and current link) is left out.
    """
    left_files = _reader_files(left).difference(ignore)
    right_files = _reader_files(right).difference(ignore)
    if left_files != right_files:
        only = sorted(left_files ^ right_files)[0]
        side = left if only in left_files else right
        return f"{only}: only in {side}"
    for name in sorted(left_files):
        a, b = (left / name).read_bytes(), (right / name).read_bytes()
        if a != b:
            return f"{name}: {_first_different_line(a, b)}"
    return None


def _reader_files(folder: Path) -> set[str]:
    """Return the relative paths of the files a reader finds under an output ``folder``."""
    found: set[str] = set()
    for root, names, files in os.walk(folder, followlinks=True):
        if Path(root) == folder:
            names[:] = [name for name in names if not name.startswith(".extract")]
            files = [name for name in files if not name.startswith(".extract")]
        found.update((Path(root) / name).relative_to(folder).as_posix() for name in files)
    return found


def count_reused(output_dir: Path) -> int:
    """Return how many files of the run in ``output_dir`` were reused (manifest ``reused``)."""
    manifest = json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))
    return sum(1 for entry in manifest["files"] if entry.get("reused"))


def measure_startup(sample: Path, scratch: Path, *, runs: int = STARTUP_RUNS) -> dict[str, object]:
    """Return best and median wall time of ``python -m extract`` on ``sample`` alone."""
    input_dir = scratch / "startup-input"
    input_dir.mkdir()
    shutil.copy2(sample, input_dir / sample.name)
    seconds = []
    for run in range(runs):
        command = extract_command(input_dir, scratch / f"startup-output-{run}")
        measured = run_measured(command, env=child_environment())
        if measured.returncode != 0:
            raise RuntimeError(f"{shlex.join(command)} exited {measured.returncode}")
        seconds.append(measured.seconds)
    return {
        "file": sample.name,
        "bytes": sample.stat().st_size,
        "runs": seconds,
        "best_seconds": min(seconds),
        "median_seconds": statistics.median(seconds),
    }


def _megabytes(value: float | None) -> str:
    """Return a byte count as MB for the table, or '-' when unknown."""
    return "-" if value is None else f"{value / 1e6:,.0f} MB"


def format_table(results: dict[str, object]) -> str:
    """Return the printed report of a run's results."""
    corpus = results["corpus"]
    lines = [
        f"corpus: {corpus['files']:,} files, {corpus['bytes'] / 1e6:.2f} MB, "
        f"{corpus['chars']:,} characters, "
        + (f"reused from {corpus['folder']}" if corpus["reused"] else f"from {results['source']}"),
        f"machine: {results['cpus']} CPUs, Python {results['python']}, {results['platform']}",
        f"extract: {results['build']}",
        "",
        f"{'case':<34} {'wall':>8} {'chars/s':>11} {'x jieba':>8} {'peak RSS':>10} {'tree':>10}",
    ]
    jieba = results.get("jieba")
    chars = corpus["chars"]

    def row(name: str, seconds: float, case: dict[str, object]) -> str:
        ratio = f"{seconds / jieba['lcut_seconds']:.2f}" if jieba else "-"
        return (
            f"{name:<34} {seconds:7.2f}s {chars / seconds:>11,.0f} {ratio:>8} "
            f"{_megabytes(case['peak_rss_bytes']):>10} {_megabytes(case['tree_peak_bytes']):>10}"
        )

    rounds = results.get("rounds", [])
    if len(rounds) > 1:
        lines.append(f"(each case: its best time of {len(rounds)} rounds; every round below)")
    if jieba:
        lines.append(row("jieba.lcut (load apart)", jieba["lcut_seconds"], jieba))
        lines.append(f"  jieba import + dictionary load: {jieba['load_seconds']:.2f} s")
    for key in ("jobs1", "jobsN"):
        case = results.get(key)
        if case:
            lines.append(row(f"extract --jobs {case['jobs']}", case["seconds"], case))
    if results.get("jobs1") and results.get("jobsN"):
        speedup = results["jobs1"]["seconds"] / results["jobsN"]["seconds"]
        lines.append(f"  speedup --jobs {results['jobsN']['jobs']} over --jobs 1: {speedup:.2f}x")
    if jieba and results.get("pair"):
        ceiling = jieba["lcut_seconds"] / results["pair"]["lcut_seconds"]
        lines.append(f"  machine: two jieba.lcut processes at once run {ceiling:.2f}x one")
    split = results.get("split")
    if split:
        parts = split["processes"]
        lines.append(
            f"{f'{parts} x extract --jobs 1, 1/{parts} each':<34} {split['seconds']:7.2f}s "
            f"{chars / split['seconds']:>11,.0f}"
        )
        if results.get("jobs1"):
            ceiling = results["jobs1"]["seconds"] / split["seconds"]
            lines.append(f"  machine: {parts} extract processes at once run {ceiling:.2f}x one")
    if rounds:
        lines.extend(["", *format_rounds(rounds)])
    if "compare" in results:
        difference = results["compare"]["difference"]
        verdict = "identical" if difference is None else f"DIFFERENT: {difference}"
        lines.append(f"outputs of --jobs 1 and --jobs N: {verdict}")
    incremental = results.get("incremental")
    if incremental:
        lines.append(
            f"{'extract --incremental (unchanged)':<34} {incremental['seconds']:7.2f}s "
            f"reused {incremental['reused']:,} of {corpus['files']:,} files"
            + ("" if incremental["difference"] is None else f"; {incremental['difference']}")
        )
    startup = results.get("startup")
    if startup:
        lines.append(
            f"start-up, 1 file ({startup['bytes'] / 1e3:.1f} kB): best "
            f"{startup['best_seconds']:.2f} s, median {startup['median_seconds']:.2f} s "
            f"of {len(startup['runs'])}"
        )
    lines.append("")
    lines.append(f"reproduce: {results['reproduce']}")
    return "\n".join(lines)


#: Each round's ratios: name, numerator case, denominator case.
ROUND_RATIOS = (
    ("jobs1 / lcut", "jobs1", "jieba"),
    ("jobsN / lcut", "jobsN", "jieba"),
    ("speedup", "jobs1", "jobsN"),
    ("machine 2-process", "jieba", "pair"),
    ("machine split", "jobs1", "split"),
    ("jobsN / split", "jobsN", "split"),
)


def round_ratios(seconds: dict[str, float]) -> dict[str, float]:
    """Return the ratios of one round's times (those whose two cases ran)."""
    return {
        name: seconds[top] / seconds[bottom]
        for name, top, bottom in ROUND_RATIOS
        if seconds.get(top) and seconds.get(bottom)
    }


def format_rounds(rounds: list[dict[str, float]]) -> list[str]:
    """Return one line per round (its times and ratios) and the median of each ratio."""
    lines = []
    all_ratios = [round_ratios(seconds) for seconds in rounds]
    for number, (seconds, ratios) in enumerate(zip(rounds, all_ratios, strict=True), start=1):
        times = ", ".join(f"{case} {value:.1f}s" for case, value in seconds.items())
        shown = ", ".join(f"{name} {value:.2f}" for name, value in ratios.items())
        lines.append(f"round {number}: {times}" + (f"; {shown}" if shown else ""))
    if len(rounds) > 1:
        medians = ", ".join(
            f"{name} {statistics.median(r[name] for r in all_ratios):.2f}"
            for name, _, _ in ROUND_RATIOS
            if all(name in r for r in all_ratios)
        )
        lines.append(f"median of rounds: {medians}")
    return lines


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the parsed command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=20.0, help="corpus size (default 20)")
    parser.add_argument(
        "--source",
        type=Path,
        help="folder of reports to copy (default ../shared/corpus/raw, else raw/)",
    )
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        help="build the corpus here and keep it (default: a temporary folder); "
        "a folder that already holds .txt files is used as it is",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="N of the --jobs N case (default: the number of CPUs)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the jieba, pair, extract and split cases this many times (default 1)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="CASES",
        help=f"cases to leave out, comma-separated or repeated: {', '.join(CASES)}",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--jieba-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--part", default="0/1", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    options.skip = {name.strip() for value in options.skip for name in value.split(",")} - {""}
    unknown = options.skip - set(CASES)
    if unknown:
        parser.error(
            f"--skip: unknown case {', '.join(sorted(unknown))}; allowed: {', '.join(CASES)}"
        )
    if options.jobs < 1:
        parser.error("--jobs: must be at least 1")
    if options.rounds < 1:
        parser.error("--rounds: must be at least 1")
    return options


def reproduce_command(options: argparse.Namespace, source: Path) -> str:
    """Return the command line that repeats this run with every default spelled out."""
    words = [
        "python",
        "benchmarks/bench_corpus.py",
        "--size-mb",
        f"{options.size_mb:g}",
        "--jobs",
        str(options.jobs),
        "--rounds",
        str(options.rounds),
        "--source",
        str(source),
    ]
    if options.corpus_dir is not None:
        words += ["--corpus-dir", str(options.corpus_dir)]
    if options.skip:
        words += ["--skip", ",".join(name for name in CASES if name in options.skip)]
    if options.json:
        words.append("--json")
    return shlex.join(words)


def run_cases(options: argparse.Namespace, corpus: Path, scratch: Path) -> dict[str, object]:
    """Return the results of every case not skipped, run on ``corpus``."""
    source = options.source
    reused = corpus.is_dir() and any(corpus.rglob("*.txt"))
    if reused:
        note(f"using the corpus already in {corpus}")
        stats = count_corpus(corpus)
    else:
        note(f"building a {options.size_mb:g} MB corpus from {source} in {corpus}")
        stats = build_corpus(source, corpus, size_mb=options.size_mb)
    results: dict[str, object] = {
        "corpus": {**asdict(stats), "reused": reused},
        "source": str(source),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "build": installed_build(),
        "reproduce": reproduce_command(options, source),
    }
    skip = options.skip
    outputs: dict[str, Path] = {}
    rounds: list[dict[str, float]] = []
    folders: list[Path] = []
    for number in range(1, options.rounds + 1):
        times: dict[str, float] = {}
        label = f" (round {number} of {options.rounds})" if options.rounds > 1 else ""
        if "jieba" not in skip:
            note(f"jieba.lcut over the corpus{label}")
            case = measure_jieba(corpus)
            times["jieba"] = case["lcut_seconds"]
            keep_best(results, "jieba", case, "lcut_seconds")
        if "pair" not in skip:
            note(f"two jieba.lcut processes at once, each on half the files{label}")
            case = measure_jieba_pair(corpus)
            times["pair"] = case["lcut_seconds"]
            keep_best(results, "pair", case, "lcut_seconds")
        for key, jobs in (("jobs1", 1), ("jobsN", options.jobs)):
            if key in skip or (key == "jobsN" and jobs == 1 and "jobs1" not in skip):
                continue
            note(f"python -m extract --jobs {jobs}{label}")
            outputs[key] = scratch / f"output-jobs{jobs}"
            shutil.rmtree(outputs[key], ignore_errors=True)  # every run starts empty
            case = {"jobs": jobs, **measure_extract(corpus, outputs[key], "--jobs", str(jobs))}
            times[key] = case["seconds"]
            keep_best(results, key, case, "seconds")
        if "split" not in skip and options.jobs > 1:
            note(f"{options.jobs} x python -m extract --jobs 1 at once, split files{label}")
            folders = folders or split_corpus(corpus, scratch, parts=options.jobs)
            case = measure_split(folders, scratch)
            times["split"] = case["seconds"]
            keep_best(results, "split", case, "seconds")
        rounds.append(times)
    results["rounds"] = rounds
    if "compare" not in skip and len(outputs) == 2:
        results["compare"] = {"difference": compare_outputs(outputs["jobs1"], outputs["jobsN"])}
    if "incremental" not in skip and outputs:
        key = "jobsN" if "jobsN" in outputs else "jobs1"
        jobs = results[key]["jobs"]
        note(f"python -m extract --jobs {jobs} --incremental (unchanged corpus)")
        case = measure_extract(corpus, outputs[key], "--jobs", str(jobs), "--incremental")
        case["jobs"] = jobs
        case["reused"] = count_reused(outputs[key])
        # The manifest differs by its reused flags; every other file must be as before.
        reference = outputs["jobs1"] if "jobs1" in outputs else None
        case["difference"] = (
            compare_outputs(reference, outputs[key], ignore=("manifest.json",))
            if reference is not None and reference != outputs[key]
            else None
        )
        results["incremental"] = case
    if "startup" not in skip:
        note(f"start-up: python -m extract on one file, {STARTUP_RUNS} runs")
        results["startup"] = measure_startup(list_texts(source)[0], scratch)
    return results


def keep_best(results: dict[str, Any], key: str, case: dict[str, Any], time_field: str) -> None:
    """Keep ``case`` as ``results[key]`` unless a faster run of it (by ``case[time_field]``)
    is there already."""
    best = results.get(key)
    if not isinstance(best, dict) or case[time_field] < best[time_field]:
        results[key] = case


def note(message: str) -> None:
    """Print a progress line on stderr, so that stdout holds only the report."""
    print(f"... {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Return 0 after printing the measurements (1 when outputs differ or a case failed)."""
    options = parse_arguments(argv)
    if options.jieba_child is not None:
        part, parts = map(int, options.part.split("/"))
        print(json.dumps(run_jieba(options.jieba_child, part, parts)))
        return 0
    if options.source is None:
        options.source = DEFAULT_SOURCE if DEFAULT_SOURCE.is_dir() else FALLBACK_SOURCE
    if not options.source.is_dir():
        print(f"error: {options.source}: not a folder; pass --source DIR", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as scratch:
        corpus = options.corpus_dir or Path(scratch) / "corpus"
        try:
            results = run_cases(options, corpus, Path(scratch))
        except (RuntimeError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(
        json.dumps(results, indent=2, ensure_ascii=False) if options.json else format_table(results)
    )
    differences = [results.get(key, {}).get("difference") for key in ("compare", "incremental")]
    return 1 if any(differences) else 0


if __name__ == "__main__":
    raise SystemExit(main())
