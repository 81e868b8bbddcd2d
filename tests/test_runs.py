"""Runs under attack: interrupted, killed, crowded, run into someone else's folder, out of disk.

Each test is named for the attack (issue 17, items 7-10 and 12). The promises under test:
the files a reader finds in OUTPUT_DIR are always one run's outputs, whole (the previous
run's or this run's, never a mix); nothing a run did not write is replaced without
--force; a run leaves no worker process and no staging folder behind, whatever stops it.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extract import cli, runner, write
from extract.runner import extract_paths
from extract.write import OutputWriter
from oracles import visible_outputs

REPORTS = {
    "a.txt": "新增公办学位1.1万个。\n",
    "b.txt": "全年地区生产总值增长5.3%。\n",
    "sub/c.txt": "城镇新增就业12万人。\n",
}


def make_input(folder: Path, files: dict[str, str]) -> Path:
    """Return ``folder`` holding ``files`` (relative name: text)."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def leftovers(folder: Path) -> list[str]:
    """Return what a run left in ``folder`` beyond its outputs: staging folders, scraps."""
    keep = {getattr(write, "LOCK_FILE", None), getattr(write, "CURRENT_LINK", None)}
    current = folder / getattr(write, "CURRENT_LINK", ".none")
    if current.is_symlink():
        keep.add(os.readlink(current))
    return sorted(
        path.name
        for path in folder.iterdir()
        if path.name.startswith(".extract") and path.name not in keep
    )


def first_run_then_change(tmp_path: Path) -> Path:
    """Return the input folder of a run already written to tmp_path/out, since changed."""
    input_dir = make_input(tmp_path / "in", REPORTS)
    extract_paths(input_dir, tmp_path / "out", jobs=1)
    (input_dir / "b.txt").unlink()
    make_input(input_dir, {"a.txt": "新增公办学位2.2万个。\n", "d.txt": "粮食产量650亿斤。\n"})
    return input_dir


def call_main(arguments: list[str | Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Return the exit code and stderr of ``cli.main(arguments)``."""
    code = cli.main([str(argument) for argument in arguments])
    return code, capsys.readouterr().err


#: The calls by which a run changes what a reader finds in the output folder.
PUBLISH_CALLS = ("replace", "rename", "symlink", "unlink", "rmdir")


def hook_publish_calls(monkeypatch: pytest.MonkeyPatch, before_each: Callable[[int], None]) -> None:
    """Call ``before_each(n)`` before the n-th call (from 1) of any of ``PUBLISH_CALLS``."""
    count = [0]
    for name in PUBLISH_CALLS:
        real = getattr(os, name)

        def hooked(*args: Any, _real: Callable[..., Any] = real, **kwargs: Any) -> Any:
            count[0] += 1
            before_each(count[0])
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, hooked)


# --- 7. the commit window -------------------------------------------------------------


def test_a_reader_or_kill_9_between_any_two_steps_of_a_run_finds_old_or_new_never_a_mix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a reader finds between two steps is what kill -9 at that moment leaves.
    input_dir = first_run_then_change(tmp_path)
    out = tmp_path / "out"
    before = visible_outputs(out)
    seen: list[dict[str, bytes]] = []
    hook_publish_calls(monkeypatch, lambda _: seen.append(visible_outputs(out)))
    extract_paths(input_dir, out, jobs=1)
    monkeypatch.undo()
    after = visible_outputs(out)
    assert after != before and "documents/b.json" not in after
    mixed = [number for number, state in enumerate(seen, 1) if state not in (before, after)]
    assert not mixed, f"{len(mixed)} of {len(seen)} steps show a mix of two runs"


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o700], ids=oct)
def test_published_outputs_are_as_readable_as_the_output_folder(tmp_path: Path, mode: int) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=mode)
    out.chmod(mode)
    extract_paths(make_input(tmp_path / "in", REPORTS), out, jobs=1)
    assert (out / "documents").resolve().parent.stat().st_mode & 0o777 == mode


def publish_steps(tmp_path: Path, input_dir: Path) -> int:
    """Return the number of publish calls an uninterrupted run into a copy makes."""
    calls: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        hook_publish_calls(patch, calls.append)
        extract_paths(input_dir, tmp_path / "count", jobs=1)
    return len(calls)


def interrupt_with_sigint(_: int) -> None:
    """Ctrl-C, as the terminal sends it."""
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.01)  # the handler runs here, as it would in the run's own code


def permission_denied(_: int) -> None:
    """The output folder made read-only (chmod) under the run: a root test cannot chmod it."""
    raise PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize(
    ("attack", "codes_if_stopped"),
    [
        pytest.param(interrupt_with_sigint, {130: "previous outputs are intact"}, id="sigint"),
        # Refused while opening the folder (exit 2), or while publishing (exit 3).
        pytest.param(
            permission_denied,
            {2: "cannot write there", 3: "were not replaced"},
            id="permission-change",
        ),
    ],
)
def test_sigint_or_permission_change_at_any_step_of_publishing_leaves_old_or_new_whole(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    attack: Callable[[int], None],
    codes_if_stopped: dict[int, str],
) -> None:
    input_dir = first_run_then_change(tmp_path)
    out = tmp_path / "out"
    pristine = tmp_path / "pristine"
    shutil.copytree(out, pristine, symlinks=True)
    before = visible_outputs(out)
    extract_paths(input_dir, tmp_path / "new", jobs=1)
    after = {
        name: data.replace(str(tmp_path / "new").encode(), str(out).encode())
        for name, data in visible_outputs(tmp_path / "new").items()
    }
    steps = publish_steps(tmp_path, input_dir)
    failures: list[str] = []
    for step in range(1, steps + 1):
        shutil.rmtree(out)
        shutil.copytree(pristine, out, symlinks=True)

        def at_step(number: int, step: int = step) -> None:
            if number == step:
                attack(number)

        with pytest.MonkeyPatch.context() as patch:
            hook_publish_calls(patch, at_step)
            code, stderr = call_main([input_dir, out, "-q", "-j", "1"], capsys)
        state = visible_outputs(out)
        if code in codes_if_stopped:
            if state != before or codes_if_stopped[code] not in stderr:
                failures.append(f"step {step}: stopped, but outputs changed or message wrong")
        elif code != 0 or state != after:
            failures.append(f"step {step}: exit {code}, outputs are not this run's whole")
        if leftovers(out):
            # A failure after the commit may leave scraps, which the next run removes.
            call_main([input_dir, out, "-q", "-j", "1"], capsys)
            if leftovers(out):
                failures.append(f"step {step}: left {leftovers(out)}")
    assert not failures, failures


# --- 8. orphaned workers ----------------------------------------------------------------

#: A run whose files each take a while, so that a test can stop it midway.
SLOW_RUN = """
import sys, time
from extract import cli, pipeline
real = pipeline.extract_source
def slow(source, **options):
    time.sleep(0.3)
    return real(source, **options)
pipeline.extract_source = slow
sys.exit(cli.main(sys.argv[1:]))
"""


def children_of(pid: int) -> set[int]:
    """Return the ids of the child processes of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with_children = task / "children"
        if with_children.exists():
            found.update(int(part) for part in with_children.read_text().split())
    return found


def is_running(pid: int) -> bool:
    """Return whether process ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def start_slow_run(tmp_path: Path, *arguments: str) -> tuple[subprocess.Popen[bytes], set[int]]:
    """Return a run of 40 slow files with 2 workers, once both workers are busy."""
    input_dir = make_input(tmp_path / "slow", {f"r{n}.txt": "增长5%。\n" for n in range(40)})
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SLOW_RUN,
            str(input_dir),
            str(tmp_path / "out"),
            "-j",
            "2",
            *arguments,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 8
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = children_of(process.pid)
    assert len(workers) >= 2, "the run did not start its workers"
    time.sleep(0.3)  # mid-run: each worker is extracting a file
    return process, workers


pytestmark_linux = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find the workers"
)


@pytestmark_linux
def test_kill_9_of_a_run_takes_its_workers_and_the_callers_pipes_with_it(tmp_path: Path) -> None:
    process, workers = start_slow_run(tmp_path)
    process.kill()
    process.wait(timeout=5)
    # The caller reads the run's stdout and stderr to their end: the workers hold them too.
    started = time.monotonic()
    try:
        process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("the workers still hold the caller's pipes 5 s after kill -9")
    finally:
        for pid in workers:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
    deadline = started + 5
    while any(map(is_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(is_running, workers))


@pytestmark_linux
def test_sigterm_of_a_run_stops_its_workers_and_keeps_the_previous_outputs(
    tmp_path: Path,
) -> None:
    extract_paths(make_input(tmp_path / "first", REPORTS), tmp_path / "out", jobs=1)
    before = visible_outputs(tmp_path / "out")
    process, workers = start_slow_run(tmp_path)
    process.terminate()
    try:
        _, stderr = process.communicate(timeout=8)
    finally:
        for pid in workers:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
    assert process.returncode == cli.EXIT_TERMINATED
    assert "terminated" in stderr.decode() and "previous outputs are intact" in stderr.decode()
    assert visible_outputs(tmp_path / "out") == before
    assert not leftovers(tmp_path / "out")
    assert not any(map(is_running, workers))


def test_a_worker_whose_parent_is_gone_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    # The watchdog that stands in where the system has no parent-death signal.
    exits: list[int] = []
    monkeypatch.setattr(runner.os, "getppid", lambda: 1)
    monkeypatch.setattr(runner.os, "_exit", exits.append)
    runner._watch_parent(parent=4242, interval=0.0, rounds=1)
    assert exits == [1]


# --- 9. a folder that never held a run ----------------------------------------------------


@pytest.mark.parametrize(
    "users_files",
    [
        pytest.param({"facts.parquet": b"PAR1 mine"}, id="own-facts-parquet"),
        pytest.param({"facts.json": b"[1, 2]"}, id="own-facts-json"),
        pytest.param({"review-2.html": b"<p>mine</p>"}, id="own-review-2-html"),
        pytest.param({"datapackage.json": b'{"mine": 1}'}, id="own-datapackage-json"),
        pytest.param({"facts.csv": b"a,b\n1,2\n"}, id="own-facts-csv"),
        pytest.param({"manifest.json": b'{"mine": 1}'}, id="own-manifest-json"),
        pytest.param({"documents/notes.json": b"{}"}, id="own-documents-folder"),
    ],
)
def test_a_folder_that_never_held_a_run_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], users_files: dict[str, bytes]
) -> None:
    input_dir = make_input(tmp_path / "in", REPORTS)
    out = tmp_path / "out"
    for name, data in users_files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    code, stderr = call_main([input_dir, out], capsys)
    assert code == cli.EXIT_USAGE
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
    assert Path(next(iter(users_files))).parts[0] in stderr
    assert "--force" in stderr
    assert visible_outputs(out) == users_files
    assert not leftovers(out)


def test_force_replaces_the_users_files_in_the_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    input_dir = make_input(tmp_path / "in", REPORTS)
    out = make_input(tmp_path / "out", {"facts.csv": "mine", "review-2.html": "mine"})
    code, _ = call_main([input_dir, out, "--force", "-q"], capsys)
    assert code == cli.EXIT_OK
    outputs = visible_outputs(out)
    assert "review-2.html" not in outputs and outputs["facts.csv"] != b"mine"


@pytest.mark.parametrize(
    "prepare",
    [
        pytest.param(lambda out: None, id="missing-folder"),
        pytest.param(lambda out: out.mkdir(), id="empty-folder"),
        pytest.param(lambda out: make_input(out, {"notes.txt": "mine"}), id="unrelated-files"),
    ],
)
def test_a_run_into_a_new_empty_or_unrelated_folder_goes_ahead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], prepare: Callable[[Path], object]
) -> None:
    out = tmp_path / "out"
    prepare(out)
    code, _ = call_main([make_input(tmp_path / "in", REPORTS), out, "-q"], capsys)
    assert code == cli.EXIT_OK
    assert "facts.csv" in visible_outputs(out)
    if (out / "notes.txt").exists():
        assert (out / "notes.txt").read_text() == "mine"


def test_a_rerun_replaces_what_the_previous_run_wrote_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    input_dir = make_input(tmp_path / "in", REPORTS)
    out = tmp_path / "out"
    assert call_main([input_dir, out, "--format", "csv,parquet,json", "-q"], capsys)[0] == 0
    assert call_main([input_dir, out, "-q"], capsys)[0] == cli.EXIT_OK
    names = set(visible_outputs(out))
    assert {"facts.parquet", "facts.json"}.isdisjoint(names) and "facts.jsonl" in names


def test_a_folder_written_by_an_older_version_is_taken_over_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Older versions moved plain files into place; their manifest.json names the formats.
    out = make_input(
        tmp_path / "out",
        {
            "manifest.json": '{"formats": ["csv", "json"], "files": []}',
            "facts.csv": "old",
            "facts.json": "old",
            "datapackage.json": "old",
            "review.html": "old",
            "review-2.html": "old",
            "documents/gone.json": "old",
        },
    )
    code, _ = call_main([make_input(tmp_path / "in", REPORTS), out, "-q"], capsys)
    assert code == cli.EXIT_OK
    outputs = visible_outputs(out)
    assert sorted(name for name in outputs if not name.startswith("documents/")) == [
        "datapackage.json",
        "facts.csv",
        "facts.jsonl",
        "manifest.json",
        "panel.csv",
        "review.html",
    ]
    assert b"old" not in outputs.values()
    assert not leftovers(out)


# --- 10. two runs into the same folder --------------------------------------------------


def test_a_second_run_into_a_folder_in_use_is_refused_naming_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    input_dir = make_input(tmp_path / "in", REPORTS)
    out = tmp_path / "out"
    with OutputWriter(out):
        code, stderr = call_main([input_dir, out], capsys)
    assert code == cli.EXIT_USAGE
    assert stderr.startswith("error: ") and f"pid {os.getpid()}" in stderr, stderr
    assert "started" in stderr
    assert call_main([input_dir, out, "-q"], capsys)[0] == cli.EXIT_OK  # released


def test_the_lock_of_a_killed_run_does_not_hold_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    input_dir = make_input(tmp_path / "in", REPORTS)
    out = tmp_path / "out"
    out.mkdir()
    (out / getattr(write, "LOCK_FILE", ".extract-lock")).write_text("pid 99999 on host\n")
    assert call_main([input_dir, out, "-q"], capsys)[0] == cli.EXIT_OK


# --- 12. disk full, damaged manifest ------------------------------------------------------


def disk_full(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(
    "target",
    [
        pytest.param((write.CsvFile, "write"), id="writing-facts-csv"),
        pytest.param((write.JsonlFile, "finish"), id="finishing-facts-jsonl"),
        pytest.param((write.OutputWriter, "_write_manifest"), id="writing-the-manifest"),
        pytest.param((write.OutputWriter, "_write_review"), id="writing-the-review-page"),
    ],
)
@pytest.mark.parametrize("jobs", [1, 2], ids=["one-process", "two-workers"])
def test_disk_full_leaves_no_staging_folder_and_the_previous_outputs(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    target: tuple[type, str],
    jobs: int,
) -> None:
    input_dir = first_run_then_change(tmp_path)
    out = tmp_path / "out"
    before = visible_outputs(out)
    monkeypatch.setattr(*target, disk_full)
    code, stderr = call_main([input_dir, out, "-j", str(jobs)], capsys)
    assert code == cli.EXIT_WRITE_FAILED
    assert "No space left on device" in stderr and "were not replaced" in stderr
    assert visible_outputs(out) == before
    assert not leftovers(out)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"{", id="cut-short"),
        pytest.param(b"[]", id="not-an-object"),
        pytest.param(b'{"files": "none"}', id="files-not-a-list"),
    ],
)
def test_a_damaged_manifest_with_incremental_means_a_full_rerun_without_stale_documents(
    tmp_path: Path, damage: bytes
) -> None:
    input_dir = first_run_then_change(tmp_path)
    out = tmp_path / "out"
    (out / "manifest.json").write_bytes(damage)
    summary = extract_paths(input_dir, out, jobs=1, incremental=True)
    documents = sorted(
        path.relative_to(out / "documents").as_posix()
        for path in (out / "documents").rglob("*.json")
    )
    assert documents == ["a.json", "d.json", "sub/c.json"]
    assert not any(entry.reused for entry in summary.entries)


# --- -j 400 on 2 CPUs -------------------------------------------------------------------


def test_more_jobs_than_files_start_no_more_workers_than_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    real = runner._new_executor

    def counting(jobs: int, *arguments: Any) -> Any:
        started.append(jobs)
        return real(jobs, *arguments)

    monkeypatch.setattr(runner, "_new_executor", counting)
    input_dir = make_input(tmp_path / "in", REPORTS)
    extract_paths(input_dir, tmp_path / "out", jobs=400)
    assert started and max(started) <= len(REPORTS)


@pytest.mark.parametrize(
    ("quiet", "warned"), [pytest.param(False, True, id="said"), pytest.param(True, False, id="q")]
)
def test_more_jobs_than_cpus_is_one_warning_line_except_with_q(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], quiet: bool, warned: bool
) -> None:
    input_dir = make_input(tmp_path / "in", {"a.txt": "增长5%。\n"})
    jobs = str(cli.available_cpus() + 1)
    code, stderr = call_main([input_dir, tmp_path / "out", "-j", jobs, *(["-q"] * quiet)], capsys)
    assert code == cli.EXIT_OK
    lines = [line for line in stderr.splitlines() if line.startswith("warning: ")]
    assert len(lines) == warned and all(f"-j {jobs}" in line for line in lines)
