"""Run manager: a run's files as tasks, sent in batches to worker processes, reused if unchanged.

``extract_paths`` plans one task per input file, runs the tasks (in this process or in a
pool of workers) and hands each file's result to the writer in input order. What a file
goes through is ``pipeline.extract_source``; this module only decides where and when.

This is the one module of the package that reaches into CPython's private attributes, all
of them of ``concurrent.futures.ProcessPoolExecutor`` and all read with ``getattr`` and a
default, so that a Python without them runs as before, only without the extra:

- ``executor._processes`` (``_stop_workers``): the worker processes, to terminate them on
  Ctrl-C or an error in the main process; the pool has no public way to stop running work.
- ``executor._result_queue._writer`` (``_stop_workers``): this process's write end of the
  result pipe, closed so that the pool's manager thread reads end-of-file instead of
  waiting for ever for the rest of a message a killed worker left half written.
- ``executor._result_queue._reader`` (``_widen_result_pipe``): the read end of the result
  pipe, whose size ``fcntl.F_SETPIPE_SZ`` raises so that a batch's outputs fit in it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import tagger
from .core import (
    WORKER_DIED,
    batch_end,
    entry_names,
    extract_input,
    failed_result,
    unreadable_result,
)
from .lexicon import Lexicon, load_lexicon
from .meta import as_meta, check_doc_ids
from .models import Document, DocumentMeta, ManifestEntry, SourceText
from .pipeline import describe_failure, extractor_version, stage_named
from .read import (
    FoundInput,
    UnreadableFile,
    doc_id_of_name,
    find_input_files,
    is_text_name,
    read_input_bytes,
    text_of_name,
)
from .write import (
    DEFAULT_FORMATS,
    DocumentPathError,
    OutputFolderError,
    OutputWriter,
    RenderedDocument,
    close_inherited_locks,
    previous_documents,
    read_manifest_entries,
    render_document,
)

if TYPE_CHECKING:  # the pool's modules are imported when a run starts one (not with -j 1)
    from concurrent.futures import Future, ProcessPoolExecutor


@dataclass(frozen=True)
class RunSummary:
    """What became of the files of one run: the totals, and every file's entry on demand.

    The entries are not kept in memory during a run (a run may have 100,000 files);
    ``entries`` reads them back from the run's manifest.json.
    """

    counts: dict[str, int]
    output_dir: Path

    def count(self, status: str) -> int:
        """Return how many files ended with ``status`` (``ok``, ``skipped`` or ``error``)."""
        return self.counts.get(status, 0)

    @property
    def facts(self) -> int:
        """Return the number of facts written, over all files."""
        return self.counts.get("facts", 0)

    def totals(self) -> dict[str, int]:
        """Return the run totals written to manifest.json."""
        return {name: self.counts.get(name, 0) for name in _TOTALS}

    @property
    def entries(self) -> list[ManifestEntry]:
        """Return every file's manifest entry, in input order, read from manifest.json."""
        return read_manifest_entries(self.output_dir)


#: The totals of a run, in the order manifest.json gives them.
_TOTALS = ("files", "ok", "skipped", "error", "facts")


def extract_paths(
    input_dir: Path,
    output_dir: Path,
    *,
    jobs: int | None = None,
    incremental: bool = False,
    progress: Callable[[ManifestEntry], None] | None = None,
    formats: Iterable[str] = DEFAULT_FORMATS,
    lexicon_files: Sequence[Path] = (),
    on_start: Callable[[int], None] | None = None,
    force: bool = False,
    meta: Mapping[str, DocumentMeta | tuple[str | None, str | None]] | None = None,
) -> RunSummary:
    """Return the summary of a run over every file under ``input_dir``, outputs in ``output_dir``.

    Each file is read, extracted and written on its own: a file that cannot be read is
    ``skipped`` or ``error`` in the manifest with the reason, and an exception inside a
    stage fails that file only, naming the stage. ``on_start`` is called once with the
    number of files found, before the first is read; ``progress`` is called with each
    file's manifest entry, in input order, as soon as the file is done. ``formats`` names
    the fact files to write (``write.FORMATS``). The outputs are
    published only when every file has been handled; an exception (Ctrl-C included)
    leaves the previous outputs untouched. A run replaces only what an earlier run wrote
    into ``output_dir``; with ``force`` it replaces the user's files of those names too.

    ``jobs`` worker processes extract files side by side (default: one per CPU); the
    outputs are the same, row for row, whatever the number. With ``incremental``, a file
    whose bytes and extractor version match the previous run in ``output_dir`` is not
    extracted again: its document is taken from that run's ``documents/`` folder.

    The entries of ``lexicon_files`` are added to the bundled lexicon for this run only
    (``lexicon.load_lexicon``), and name a new extractor version. ``meta`` maps a doc_id
    to what the user says about that document: a ``DocumentMeta`` (``meta.read_meta``) or
    a (place, date) pair, either None; it wins over what the text says.

    Raises ``InputFolderError`` or ``OutputFolderError`` when a folder cannot be used
    (another run is writing into ``output_dir``, or it holds outputs no run wrote),
    ``FormatError`` when a format is unknown or cannot be written (parquet without pyarrow),
    ``LexiconError`` when a lexicon file is bad, ``MetaError`` when ``meta`` names a place
    that is no division, a bad date or a document that is not an input file (all before
    any file is read).
    """
    lexicon = load_lexicon(lexicon_files)
    metas = as_meta(meta or {})
    found = find_input_files(input_dir, output_dir=output_dir)
    if metas:
        check_doc_ids(
            metas,
            (
                doc_id_of_name(path.relative_to(input_dir).as_posix())
                for path, skipped in found
                if skipped is None and is_text_name(path)
            ),
        )
    _check_output_outside_input(input_dir, output_dir)
    if on_start is not None:
        on_start(len(found))
    version = extractor_version(lexicon)
    counts = dict.fromkeys(_TOTALS, 0)
    with OutputWriter(output_dir, formats=formats, force=force, lexicon=lexicon) as writer:
        tasks = _plan_tasks(
            found, input_dir, output_dir, version if incremental else None, writer.formats,
            metas,
        )
        for entry, rendered in _run_tasks(tasks, jobs=_worker_count(jobs, tasks), lexicon=lexicon):
            if rendered is not None:
                try:
                    writer.add_rendered(rendered)
                except DocumentPathError as error:
                    entry = entry.model_copy(
                        update={"status": "error", "reason": str(error), "facts": 0}
                    )
            writer.add_entry(entry)
            counts["files"] += 1
            counts[entry.status] += 1
            counts["facts"] += entry.facts
            if progress is not None:
                progress(entry)
        writer.commit(totals=counts, input_dir=input_dir, extractor_version=version)
    return RunSummary(counts, output_dir)


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class _Task:
    """One input file and what to do with it; small, so that it crosses to a worker cheaply."""

    path: Path
    input_dir: Path
    #: The relative path of an earlier file with the same doc_id: this one is refused.
    duplicate_of: str | None = None
    #: The previous run's sha256 of this file and its document JSON, when it may be reused.
    previous_sha256: str | None = None
    previous_document: Path | None = None
    #: The fact formats to render, and the document's number on the review page.
    formats: tuple[str, ...] = ()
    number: int = 0
    #: What the user said about the document (``--meta``).
    meta: DocumentMeta | None = None
    #: Why the path is skipped unread (a symbolic link not followed), or None.
    skipped: str | None = None


def _plan_tasks(
    found: list[FoundInput],
    input_dir: Path,
    output_dir: Path,
    version: str | None,
    formats: Iterable[str],
    metas: Mapping[str, DocumentMeta] | None = None,
) -> list[_Task]:
    """Return one task per path: duplicates of a doc_id named, reusable documents found.

    ``version`` is the extractor version when the run is incremental, else None.
    """
    reusable = previous_documents(output_dir, extractor_version=version) if version else {}
    first_path_of_doc: dict[str, str] = {}
    tasks: list[_Task] = []
    for number, (path, skipped) in enumerate(found):
        name = path.relative_to(input_dir).as_posix()
        relative = text_of_name(name)
        if skipped is not None or not is_text_name(path):
            tasks.append(_Task(path, input_dir, skipped=skipped))
            continue
        doc_id = doc_id_of_name(name)
        earlier = first_path_of_doc.setdefault(doc_id, relative)
        previous = reusable.get(relative)
        tasks.append(
            _Task(
                path,
                input_dir,
                duplicate_of=earlier if earlier != relative else None,
                previous_sha256=previous[0] if previous else None,
                previous_document=previous[1] if previous else None,
                formats=tuple(formats),
                number=number,
                meta=(metas or {}).get(doc_id),
            )
        )
    return tasks


def _worker_count(jobs: int | None, tasks: list[_Task]) -> int:
    """Return how many worker processes to use: ``jobs`` (default: CPUs), at most one a file."""
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(jobs or 1, len(tasks)))


#: What a task gives: the file's manifest entry, and its rendered document (if any).
_TaskResult = tuple[ManifestEntry, RenderedDocument | None]

_Work = TypeVar("_Work")
_Result = TypeVar("_Result")


#: Files go to the workers in batches: each message between the processes wakes both
#: of them, and one message a file cost the main process about a second of CPU (and the
#: workers as many interruptions) on 2,600 files, time taken from the workers' two cores.
#: A batch holds at most this many files ...
_BATCH_FILES = 16
#: ... and this much input, about a tenth of a second of work (a bigger file goes alone),
#: so that a batch's outputs stay a few MB in memory and in the pipe.
_BATCH_BYTES = 64 * 1024
#: ... and at most this fraction of each worker's share of the files still to come, so
#: batches shrink to single files at the end of a run and the workers finish together.
_BATCHES_PER_WORKER = 4


def _plan_batches(sizes: Sequence[int], *, jobs: int) -> list[range]:
    """Return the batches of files sent to ``jobs`` workers, as ranges of input indexes.

    ``sizes`` are the files' sizes in bytes, in input order; the batches cover them in
    order, each within ``_BATCH_FILES``, ``_BATCH_BYTES`` and ``_BATCHES_PER_WORKER``.
    """
    batches: list[range] = []
    start = 0
    while start < len(sizes):
        share = (len(sizes) - start) // (jobs * _BATCHES_PER_WORKER)
        limit = max(1, min(_BATCH_FILES, share))
        end = batch_end(sizes, start, max_files=limit, max_bytes=_BATCH_BYTES)
        batches.append(range(start, end))
        start = end
    return batches


def _input_size(path: Path) -> int:
    """Return the size of the file at ``path`` in bytes, 0 if it cannot be read (a guess
    for batching only: the worker reads the file and reports what is wrong with it)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _run_tasks(tasks: list[_Task], *, jobs: int, lexicon: Lexicon) -> Iterator[_TaskResult]:
    """Yield (manifest entry, rendered document) of every task, in task order.

    With more than one job, files are extracted in worker processes, in batches of a
    few (``_plan_batches``), at most a few batches ahead of the one being written, so
    memory holds a handful of documents at a time.
    """
    if jobs == 1:
        yield from (_run_task(task, lexicon) for task in tasks)
        return
    from concurrent.futures.process import BrokenProcessPool

    tagger.load()  # once, before the fork: the workers share the loaded dictionary
    sizes = [_input_size(task.path) for task in tasks]
    batches = [tasks[part.start : part.stop] for part in _plan_batches(sizes, jobs=jobs)]
    window = 2 * jobs
    pending: deque[tuple[int, Future[list[_TaskResult]]]] = deque()
    next_index = 0
    executor = _new_executor(jobs, lexicon.files)
    try:
        while pending or next_index < len(batches):
            while next_index < len(batches) and len(pending) < window:
                pending.append((next_index, _submit(executor, _run_batch, batches[next_index])))
                next_index += 1
            index, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory, crashed in C code), and every
                # pending batch with it. Run this batch's files again, each alone.
                executor.shutdown(wait=False, cancel_futures=True)
                executor, results = _run_alone(batches[index], jobs=jobs, files=lexicon.files)
                pending = deque((i, _submit(executor, _run_batch, batches[i])) for i, _ in pending)
            yield from results
    except BaseException:
        # Ctrl-C or an error in the main process: do not wait for the workers to finish
        # files whose results nobody will read.
        _stop_workers(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _submit(
    executor: ProcessPoolExecutor, function: Callable[[_Work], _Result], work: _Work
) -> Future[_Result]:
    """Return the future of ``function(work)`` in ``executor``.

    A worker can die between two submits; the pool then refuses new work at once. The
    future of refused work raises ``BrokenProcessPool``, as those of the work in flight
    do, so that one handler deals with both.
    """
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    try:
        return executor.submit(function, work)
    except BrokenProcessPool as error:
        refused: Future[_Result] = Future()
        refused.set_exception(error)
        return refused


def _run_batch(batch: list[_Task]) -> list[_TaskResult]:
    """Return the results of a batch of tasks, in order (in a worker process)."""
    return [_run_task(task, _worker_lexicon) for task in batch]


def _run_in_worker(task: _Task) -> _TaskResult:
    """Return the result of one task, with the worker's lexicon (in a worker process)."""
    return _run_task(task, _worker_lexicon)


def _run_alone(
    batch: list[_Task], *, jobs: int, files: tuple[Path, ...]
) -> tuple[ProcessPoolExecutor, list[_TaskResult]]:
    """Return a fresh pool and the results of ``batch``, each task run alone in a pool.

    A task whose pool breaks again is the file that kills workers: it fails, with the
    reason, and the next task gets a fresh pool.
    """
    from concurrent.futures.process import BrokenProcessPool

    executor = _new_executor(jobs, files)
    results: list[_TaskResult] = []
    for task in batch:
        try:
            results.append(_submit(executor, _run_in_worker, task).result())
        except BrokenProcessPool:
            results.append((_worker_died(task), None))
            executor.shutdown(wait=False, cancel_futures=True)
            executor = _new_executor(jobs, files)
    return executor, results


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """Terminate the worker processes of ``executor`` now."""
    # ProcessPoolExecutor has no public way to stop running work; its process table is
    # the documented-by-use way (CPython keeps it as _processes since 3.2).
    processes = list(getattr(executor, "_processes", {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
    # A worker killed while writing a result leaves half a message in the result pipe, and
    # the pool's manager thread waits for the rest for ever, so shutdown() never returns.
    # With the workers dead, closing this process's own write end of that pipe is the
    # last one: the manager thread reads end-of-file, takes the pool as broken and ends.
    result_queue = getattr(executor, "_result_queue", None)
    writer = getattr(result_queue, "_writer", None)
    if writer is not None:
        writer.close()


def _new_executor(jobs: int, files: tuple[Path, ...] = ()) -> ProcessPoolExecutor:
    """Return a pool of ``jobs`` worker processes that leave Ctrl-C to the main process,
    each extracting with the lexicon of the lexicon files ``files``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    # fork shares the dictionary already loaded by the main process (copy on write).
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    executor = ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(files, os.getpid()),
    )
    _widen_result_pipe(executor)
    return executor


#: Bytes the pipe from the workers to the main process holds: 1 MiB, the most Linux
#: gives an unprivileged process (/proc/sys/fs/pipe-max-size) and a batch's outputs in
#: one go (or nearly); the default, 64 KiB, made a worker wait for the main process to
#: read several times for each batch, about 6,000 waits on 2,600 files.
_RESULT_PIPE_BYTES = 1 << 20


def _widen_result_pipe(executor: ProcessPoolExecutor) -> None:
    """Make the pipe that carries ``executor``'s results hold ``_RESULT_PIPE_BYTES``,
    where the system allows (Linux); elsewhere, or when refused, it stays as it is."""
    try:
        import fcntl  # not on Windows
    except ImportError:
        return
    # Like _stop_workers, this reaches the pipe through the pool's result queue, which
    # CPython has kept as _result_queue since 3.2 (a SimpleQueue, its pipe's read end _reader).
    reader = getattr(getattr(executor, "_result_queue", None), "_reader", None)
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)  # Python 3.10+, Linux
    if reader is None or set_size is None:
        return
    with contextlib.suppress(OSError):  # over the user's pipe quota: keep the default
        fcntl.fcntl(reader.fileno(), set_size, _RESULT_PIPE_BYTES)


#: The lexicon a worker process extracts with, loaded once by ``_start_worker`` (None,
#: the bundled lexicon, in the main process, which passes its own to ``_run_task``).
_worker_lexicon: Lexicon | None = None


def _start_worker(files: tuple[Path, ...], parent: int) -> None:
    """Prepare a worker: Ctrl-C is left to the main process, so that it can stop the run
    cleanly, and the lexicon of the run's lexicon files is loaded, once per worker.

    The worker dies with the main process (``parent``), however that ends (kill -9
    included): else it would live on, holding memory and the caller's pipes. And it lets
    go of the output folder's lock, which the fork gave it a share of.
    """
    global _worker_lexicon
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the main process's handler is not ours
    close_inherited_locks()
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the main process ended before the worker got here
        os._exit(1)
    _worker_lexicon = load_lexicon(files)


#: prctl(2) option: the signal the kernel sends this process when its parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> bool:
    """Ask the kernel to kill this process when its parent dies; return whether it will.

    Linux only (prctl ``PR_SET_PDEATHSIG``); elsewhere ``_watch_parent`` stands in.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


#: Seconds between two looks of a worker's watchdog at its parent.
_WATCH_INTERVAL = 1.0


def _watch_parent(parent: int, interval: float = _WATCH_INTERVAL, rounds: int = -1) -> None:
    """Exit this process once its parent is no longer ``parent`` (it died, and the worker
    was handed to another); look every ``interval`` seconds, ``rounds`` times (-1: ever)."""
    while rounds != 0:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(interval)
        rounds -= 1


def _worker_died(task: _Task) -> ManifestEntry:
    """Return the error entry of a file whose extraction killed its worker process."""
    return failed_result(_name(task), WORKER_DIED).entry


def _check_output_outside_input(input_dir: Path, output_dir: Path) -> None:
    """Raise ``OutputFolderError`` when ``output_dir`` is ``input_dir`` or inside it."""
    inside = input_dir.resolve()
    output = output_dir.resolve()
    if output == inside or inside in output.parents:
        raise OutputFolderError(
            f"{output_dir}: is inside the input folder {input_dir}, so a later run would "
            "read its own outputs; pass an output folder outside the input folder"
        )


def _run_task(task: _Task, lexicon: Lexicon | None) -> _TaskResult:
    """Return the manifest entry of one file and its rendered document (None if there is none).

    The file is checked (a regular file, ``*.txt``, within the size limit) and read here;
    its bytes go through ``core.extract_input``, as on any engine, with ``lexicon``
    (None: the bundled one)."""
    name = _name(task)
    if task.skipped is not None:
        return ManifestEntry(**entry_names(name), status="skipped", reason=task.skipped), None
    try:
        raw = read_input_bytes(task.path, root=task.input_dir)
    except UnreadableFile as error:
        return unreadable_result(name, error).entry, None
    result = extract_input(
        name,
        raw,
        lexicon=lexicon,
        meta=task.meta,
        duplicate_of=task.duplicate_of,
        reuse=lambda source: _reuse(task, source),
    )
    if result.document is None:
        return result.entry, None
    try:
        # Rendered here, in the worker, so that the writing process only copies text.
        with stage_named("write"):
            rendered = render_document(result.document, formats=task.formats, number=task.number)
    except Exception as error:  # one file's failure must never stop the run
        entry = result.failed(describe_failure(error))
        return entry, None
    return result.entry, rendered


def _name(task: _Task) -> str:
    """Return the '/'-separated path of ``task``'s file relative to the input folder."""
    return task.path.relative_to(task.input_dir).as_posix()


def _reuse(task: _Task, source: SourceText) -> Document | None:
    """Return the previous run's document of ``source`` when its bytes are unchanged."""
    if task.previous_document is None or task.previous_sha256 != source.sha256:
        return None
    if task.meta is not None:
        return None  # what the user says may have changed: extract again
    try:
        document = Document.model_validate_json(task.previous_document.read_bytes())
    except (OSError, ValueError):
        return None  # gone or damaged: extract again
    if document.doc_id != source.doc_id or document.sha256 != source.sha256:
        return None
    if "meta" in (document.place_from, document.date_from):
        return None  # its place or date came from a meta row this run does not have
    # The path may differ in case only; the file's own metadata is this run's.
    return document.model_copy(update={"path": source.path, "encoding": source.encoding})
