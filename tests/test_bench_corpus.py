"""benchmarks/bench_corpus.py builds the corpus it claims and spots differing outputs.

Only the pure helpers are tested here; the benchmark itself times commands and is run
by hand (no timed tests).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLES = REPOSITORY / "raw"


def load_benchmark() -> ModuleType:
    """Return benchmarks/bench_corpus.py as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "bench_corpus", REPOSITORY / "benchmarks" / "bench_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench_corpus = load_benchmark()
SAMPLE_BYTES = {path.name: path.read_bytes() for path in SAMPLES.glob("*.txt")}


@pytest.mark.parametrize(
    "size_mb",
    [
        pytest.param(0.001, id="smaller-than-one-file-gives-one-file"),
        pytest.param(0.02, id="part-of-a-round-is-cut-short"),
        pytest.param(0.1, id="several-rounds"),
    ],
)
def test_corpus_reaches_its_size_with_distinct_copies(tmp_path: Path, size_mb: float) -> None:
    stats = bench_corpus.build_corpus(SAMPLES, tmp_path / "corpus", size_mb=size_mb)
    files = bench_corpus.list_texts(tmp_path / "corpus")
    assert stats.files == len(files)
    assert stats.bytes == sum(path.stat().st_size for path in files)
    assert size_mb * 1e6 <= stats.bytes < size_mb * 1e6 + max(map(len, SAMPLE_BYTES.values()))
    assert stats.chars == sum(len(path.read_text(encoding="utf-8-sig")) for path in files)
    assert all(path.read_bytes() == SAMPLE_BYTES[path.name] for path in files)
    assert all(len(list(folder.iterdir())) <= 1000 for folder in (tmp_path / "corpus").iterdir())
    assert bench_corpus.count_corpus(tmp_path / "corpus").chars == stats.chars


def test_an_empty_source_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no \.txt files.*--source"):
        bench_corpus.build_corpus(tmp_path, tmp_path / "corpus", size_mb=0.1)


@pytest.mark.parametrize(
    ("right_files", "ignore", "expected"),
    [
        pytest.param({}, (), None, id="identical"),
        pytest.param(
            {"facts.jsonl": b'{"a": 1}\n{"a": 3}\n'},
            (),
            "facts.jsonl: line 2: b'{\"a\": 2}' != b'{\"a\": 3}'",
            id="a-changed-row-names-its-line",
        ),
        pytest.param(
            {"documents/r0001/b.json": b"{}"},
            (),
            "documents/r0001/b.json: only in",
            id="an-extra-document",
        ),
        pytest.param(
            {"manifest.json": b'{"reused": true}'}, ("manifest.json",), None, id="ignored-file"
        ),
    ],
)
def test_compare_outputs_names_the_first_difference(
    tmp_path: Path, right_files: dict[str, bytes], ignore: tuple[str, ...], expected: str | None
) -> None:
    files = {
        "facts.jsonl": b'{"a": 1}\n{"a": 2}\n',
        "manifest.json": b"{}",
        "documents/r0001/a.json": b"{}",
    }
    for side, overrides in (("left", {}), ("right", right_files)):
        for name, data in {**files, **overrides}.items():
            (tmp_path / side / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / side / name).write_bytes(data)
    difference = bench_corpus.compare_outputs(tmp_path / "left", tmp_path / "right", ignore=ignore)
    if expected is None:
        assert difference is None
    else:
        assert difference is not None and difference.startswith(expected)


@pytest.mark.parametrize(
    ("rounds", "expected"),
    [
        pytest.param(
            [{"jieba": 10.0, "jobs1": 15.0, "jobsN": 10.0}],
            ["round 1: jieba 10.0s, jobs1 15.0s, jobsN 10.0s; jobs1 / lcut 1.50, "
             "jobsN / lcut 1.00, speedup 1.50"],
            id="one-round-no-median",
        ),
        pytest.param([{"jobsN": 242.6}], ["round 1: jobsN 242.6s"], id="one-case-no-ratio"),
        pytest.param(
            [
                {"jieba": 10.0, "pair": 5.0, "jobsN": 8.0},
                {"jieba": 20.0, "pair": 16.0, "jobsN": 10.0},
                {"jieba": 10.0, "pair": 8.0, "jobsN": 12.0},
            ],
            ["round 1: jieba 10.0s, pair 5.0s, jobsN 8.0s; jobsN / lcut 0.80, "
             "machine 2-process 2.00",
             "round 2: jieba 20.0s, pair 16.0s, jobsN 10.0s; jobsN / lcut 0.50, "
             "machine 2-process 1.25",
             "round 3: jieba 10.0s, pair 8.0s, jobsN 12.0s; jobsN / lcut 1.20, "
             "machine 2-process 1.25",
             "median of rounds: jobsN / lcut 0.80, machine 2-process 1.25"],
            id="median-of-each-ratio-over-rounds-skipped-cases-left-out",
        ),
        pytest.param(
            [{"jobs1": 30.0, "jobsN": 18.0, "split": 16.0}],
            ["round 1: jobs1 30.0s, jobsN 18.0s, split 16.0s; speedup 1.67, "
             "machine split 1.88, jobsN / split 1.12"],
            id="split-case-gives-the-machines-speedup-for-extract",
        ),
    ],
)
def test_rounds_give_their_ratios_and_medians(
    rounds: list[dict[str, float]], expected: list[str]
) -> None:
    assert bench_corpus.format_rounds(rounds) == expected


def test_zero_rounds_are_refused() -> None:
    with pytest.raises(SystemExit):
        bench_corpus.parse_arguments(["--rounds", "0"])


@pytest.mark.parametrize("parts", [2, 3])
def test_split_shares_out_every_file_once(tmp_path: Path, parts: int) -> None:
    corpus = tmp_path / "corpus"
    bench_corpus.build_corpus(SAMPLES, corpus, size_mb=0.1)
    folders = bench_corpus.split_corpus(corpus, tmp_path / "scratch", parts=parts)
    shares = [
        {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*.txt")}
        for folder in folders
    ]
    everything = {
        path.relative_to(corpus).as_posix(): path.read_bytes()
        for path in bench_corpus.list_texts(corpus)
    }
    assert len(folders) == parts
    assert sum(len(share) for share in shares) == len(everything)
    assert {name: data for share in shares for name, data in share.items()} == everything
    assert max(map(len, shares)) - min(map(len, shares)) <= 1


def test_compare_outputs_sees_two_runs_of_the_same_input_as_the_same(tmp_path: Path) -> None:
    # A run's outputs are links into a generation folder with a name of its own, beside a
    # lock file that names the process: two runs of one input must still compare equal.
    from extract import extract_paths

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("新增公办学位1.1万个。\n", encoding="utf-8")
    for name in ("left", "right"):
        extract_paths(tmp_path / "in", tmp_path / name, jobs=1)
    assert bench_corpus.compare_outputs(tmp_path / "left", tmp_path / "right") is None
    (tmp_path / "right" / "facts.jsonl").unlink()
    assert bench_corpus.compare_outputs(tmp_path / "left", tmp_path / "right") is not None
