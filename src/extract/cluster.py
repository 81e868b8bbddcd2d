"""Past one machine: a run's files extracted on a Dask cluster, read from and written to
local folders or object storage (fsspec URLs: ``s3://``, ``file://``, ...).

Installed with ``pip install 'extract[dask]'``; dask, distributed and fsspec are
imported inside the functions here, never when the CLI starts. Each file goes through
``core.extract_input``, as in a local run, so the facts are the same row for row.

A run (``extract_on_cluster``) lists the input in sorted order, cuts it into batches
(``plan_batches``: at most ``BATCH_FILES`` files and ``BATCH_BYTES`` bytes each, so the
batches, and the part names, depend on the input only) and sends one task per batch.
Each task writes its batch's ``facts/part-NNNNN.parquet`` and ``manifest/part-NNNNN.parquet``
under a staging prefix of the output. A task whose worker dies is run again one file per
task, so that only the file that kills workers fails; a batch that raises is retried by
Dask (``retries``) and then run one file per task too, a file that still fails being an
``error`` row with the reason: no file is dropped. When every batch is done, the run
writes manifest.json, datapackage.json and panel.parquet beside the parts, then
publishes: it removes the previous run's ``_SUCCESS`` and outputs, moves the staged
outputs into place and writes ``_SUCCESS`` last. An interrupted run (Ctrl-C) cancels its
tasks and removes its staging prefix, leaving the previous outputs as they were; an
output without ``_SUCCESS`` is incomplete.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import posixpath
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core import (
    WORKER_DIED,
    BatchTables,
    InputResult,
    batch_end,
    batch_tables,
    entry_names,
    extract_input,
    failed_result,
    unreadable_result,
)
from .lexicon import Lexicon, load_lexicon
from .models import Document, Fact, Issue, ManifestEntry, SourceText
from .panel import PanelBuilder, concept_facts
from .pipeline import extractor_version
from .read import (
    UnreadableFile,
    doc_id_of_name,
    find_input_files,
    hash_stream,
    is_text_name,
    text_of_name,
    unread_reason,
)
from .schema import (
    FACT_INDEX,
    fact_columns,
    import_pyarrow,
    manifest_arrow_schema,
    panel_arrow_schema,
    part_fact_arrow_schema,
)

if TYPE_CHECKING:
    from distributed import Client, Future  # type: ignore[import-untyped]
    from fsspec import AbstractFileSystem  # type: ignore[import-untyped]

#: The parts of a cluster run's output, relative to the output URL.
FACTS_PARTS = "facts"
MANIFEST_PARTS = "manifest"
MANIFEST_JSON = "manifest.json"
DATAPACKAGE_JSON = "datapackage.json"
PANEL_PARQUET = "panel.parquet"
#: Written last: an output without it is incomplete (an interrupted publish).
SUCCESS = "_SUCCESS"
#: The staging prefixes of runs, under the output URL.
STAGING = "_staging"
#: Everything a run publishes (``_SUCCESS`` apart), removed before the next run's outputs
#: are moved into place.
PUBLISHED = (FACTS_PARTS, MANIFEST_PARTS, MANIFEST_JSON, DATAPACKAGE_JSON, PANEL_PARQUET)

#: A batch holds at most this many files ...
BATCH_FILES = 100
#: ... and this many bytes of input (a bigger file goes alone): a few seconds of work,
#: enough that the scheduler's cost per task is small beside it, and a few MB of memory.
BATCH_BYTES = 2 * 1024 * 1024
#: Times Dask runs a batch again that raised (storage that failed for a moment).
BATCH_RETRIES = 2


class ClusterError(Exception):
    """A cluster run cannot start: a bad --cluster value, dask missing, a bad URL."""


class ClusterLostError(Exception):
    """The cluster has had no worker for ``NO_WORKER_SECONDS``: the run gives up."""


#: How long a run waits on a cluster with no worker before it gives up. Workers that die
#: are restarted by their nanny within seconds; a cluster that stays empty (its nannies
#: gone, every machine lost) would otherwise keep the run waiting for ever.
NO_WORKER_SECONDS = 120.0

#: How often a waiting run asks the scheduler how many workers it has.
WATCH_SECONDS = 5.0


class _Watchdog:
    """Raises ``ClusterLostError`` once the cluster of ``client`` has had no worker for
    ``limit`` seconds, as seen by ``check`` calls between waits."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.limit = NO_WORKER_SECONDS
        self.empty_since: float | None = None

    def check(self) -> None:
        if self.client.nthreads():
            self.empty_since = None
            return
        now = time.monotonic()
        if self.empty_since is None:
            self.empty_since = now
        elif now - self.empty_since >= self.limit:
            raise ClusterLostError(
                f"the cluster has had no worker for {self.limit:.0f} s; "
                "its tasks cannot run (are the workers and their nannies alive?)"
            )


def _result(future: Future, watchdog: _Watchdog) -> Any:
    """Return ``future``'s result, as ``Future.result`` does, while ``watchdog`` watches."""
    while True:
        try:
            return future.result(timeout=WATCH_SECONDS)
        except TimeoutError:
            if future.done():
                raise  # the task's own error, not the wait's
            watchdog.check()


def part_name(index: int) -> str:
    """Return the file name of batch ``index``'s part.

    >>> part_name(7)
    'part-00007.parquet'
    """
    return f"part-{index:05d}.parquet"


def require_dask() -> None:
    """Raise ``ClusterError`` saying how to install dask when it is missing."""
    try:
        import dask  # noqa: F401  # type: ignore[import-untyped]
        import distributed  # noqa: F401  # type: ignore[import-untyped]
        import fsspec  # noqa: F401  # type: ignore[import-untyped]
    except ImportError as error:
        raise ClusterError(
            f"--cluster needs {error.name}, which is not installed: pip install 'extract[dask]'"
        ) from None


def parse_cluster(spec: str) -> tuple[str, int | str]:
    """Return ("local", N) for ``local:N`` or ("address", ADDRESS) for a scheduler address.

    >>> parse_cluster("local:2"), parse_cluster("tcp://10.0.0.1:8786")
    (('local', 2), ('address', 'tcp://10.0.0.1:8786'))
    """
    kind, _, rest = spec.partition(":")
    if kind == "local":
        if not rest.isdigit() or int(rest) < 1:
            raise ClusterError(f"--cluster {spec}: local:N needs N, a whole number of at least 1")
        return "local", int(rest)
    if kind in ("tcp", "tls", "ucx", "inproc", "ws", "wss") and rest.startswith("//"):
        return "address", spec
    raise ClusterError(
        f"--cluster {spec}: expected local:N (N local worker processes) or a scheduler "
        "address such as tcp://HOST:8786"
    )


#: The scheduler settings of a ``local:N`` cluster. A worker is given one task at a time
#: (Dask's default queues one more on each): when a file kills its worker, Dask fails every
#: task given to that worker, and the innocent ones would have to run again.
LOCAL_SCHEDULER_CONFIG = {"distributed.scheduler.worker-saturation": 1.0}


@contextlib.contextmanager
def connect(spec: str) -> Iterator[Client]:
    """Yield a Dask client of the cluster ``spec`` (``parse_cluster``); a local cluster is
    started for the block (one thread per worker: extraction holds the GIL) and closed."""
    require_dask()
    import dask
    from distributed import Client, LocalCluster

    kind, value = parse_cluster(spec)
    if kind == "address":
        with Client(value) as client:
            yield client
        return
    assert isinstance(value, int)
    with (
        dask.config.set(LOCAL_SCHEDULER_CONFIG),
        LocalCluster(
            n_workers=value, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def storage_options_of(pairs: Sequence[str]) -> dict[str, Any]:
    """Return ``KEY=VALUE`` pairs as fsspec storage options; ``a.b=c`` nests (``{"a": {"b":
    "c"}}``), and true, false and numbers are read as such.

    >>> storage_options_of(["anon=true", "client_kwargs.endpoint_url=http://127.0.0.1:9000"])
    {'anon': True, 'client_kwargs': {'endpoint_url': 'http://127.0.0.1:9000'}}
    """
    options: dict[str, Any] = {}
    for pair in pairs:
        key, equals, text = pair.partition("=")
        if not equals or not key:
            raise ClusterError(f"--storage-option {pair}: expected KEY=VALUE")
        value: Any = {"true": True, "false": False}.get(text.lower(), text)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = int(text)
        *parents, last = key.split(".")
        table = options
        for parent in parents:
            table = table.setdefault(parent, {})
        table[last] = value
    return options


@dataclass(frozen=True)
class Job:
    """What every task of a run needs, sent with each task (small)."""

    input_root: str
    #: The fsspec protocol of the input and output (``file``, ``s3`` ...).
    input_protocol: str
    output_root: str
    output_protocol: str
    #: The run's staging prefix under the output.
    staging: str
    storage_options: Mapping[str, Any]
    #: The lexicon files, as (name, bytes): their content travels, not local paths.
    lexicon_files: tuple[tuple[str, bytes], ...] = ()
    #: For an incremental run: where the previous run's parts are (else "").
    previous_root: str = ""


@dataclass(frozen=True)
class Item:
    """One input of a batch."""

    #: The '/'-separated path relative to the input root, as the file system gives it.
    name: str
    size: int
    #: Its number in the run (input order), the panel's document number.
    number: int
    #: Why it is skipped unread (a symbolic link not followed), or None.
    skipped: str | None = None
    #: The relative path of an earlier input with the same doc_id: this one is refused.
    duplicate_of: str | None = None
    #: The previous run's sha256 of this input and the batch whose part holds its facts.
    previous_sha256: str | None = None
    previous_part: int | None = None


@dataclass
class BatchOutcome:
    """What a batch gives back to the driver: its entries and its panel candidates."""

    index: int
    entries: list[ManifestEntry]
    #: The facts with a concept, as (document number, position among its facts, fact).
    panel_facts: list[tuple[int, int, Fact]] = field(default_factory=list)


def plan_batches(sizes: Sequence[int]) -> list[range]:
    """Return the batches of a run, as ranges of input indexes, from the inputs' sizes.

    >>> plan_batches([10] * 250)
    [range(0, 100), range(100, 200), range(200, 250)]
    >>> plan_batches([BATCH_BYTES, 1, 1])
    [range(0, 1), range(1, 3)]
    """
    batches: list[range] = []
    start = 0
    while start < len(sizes):
        end = batch_end(sizes, start, max_files=BATCH_FILES, max_bytes=BATCH_BYTES)
        batches.append(range(start, end))
        start = end
    return batches


# --- on the workers ---------------------------------------------------------------------


def _filesystem(protocol: str, options: Mapping[str, Any]) -> AbstractFileSystem:
    """Return the fsspec file system of ``protocol`` with ``options``."""
    import fsspec

    return fsspec.filesystem(protocol, **dict(options))


#: Lexicons built on this worker, by the digest of their files' contents.
_lexicons: dict[str, Lexicon] = {}


def _job_lexicon(files: tuple[tuple[str, bytes], ...]) -> Lexicon | None:
    """Return the lexicon of the lexicon files ``files`` (name, bytes), built once per worker
    from a private copy of their contents (None: the bundled lexicon)."""
    if not files:
        return None
    key = hashlib.sha256(b"\0".join(name.encode() + b"\0" + raw for name, raw in files)).hexdigest()
    if key not in _lexicons:
        folder = Path(tempfile.mkdtemp(prefix="extract-lexicon-"))
        paths = []
        for number, (name, raw) in enumerate(files):
            path = folder / f"{number:03d}-{Path(name).name}"
            path.write_bytes(raw)
            paths.append(path)
        _lexicons[key] = load_lexicon(paths)
    return _lexicons[key]


def _read_input(fs: AbstractFileSystem, job: Job, item: Item) -> bytes:
    """Return the bytes of ``item``; raise ``UnreadableFile`` as ``read.read_input_bytes``
    does: a file not ``*.txt`` or over the size limit is hashed in blocks, not read."""
    relative = text_of_name(item.name)
    path = posixpath.join(job.input_root, item.name)
    try:
        if not unread_reason(item.name, item.size):
            return bytes(fs.cat_file(path))
        with fs.open(path, "rb") as handle:
            sha256, size = hash_stream(handle)
    except FileNotFoundError:
        raise UnreadableFile(relative, "file vanished during the run", status="error") from None
    except OSError as error:
        reason = f"cannot read: {error.strerror or error}"
        raise UnreadableFile(relative, reason, status="error") from None
    # The size listed decided; the size read names it (the file may have changed since).
    reason = unread_reason(item.name, size) or unread_reason(item.name, item.size)
    raise UnreadableFile(relative, reason, status="skipped", sha256=sha256, size=size)


class _Previous:
    """The previous run's documents of one batch, read from its parts when first asked."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._parts: dict[int, tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]]
        self._parts = {}

    def document(self, item: Item, source: SourceText) -> Document | None:
        """Return the previous run's document of ``source``, when its bytes are unchanged."""
        if item.previous_part is None or item.previous_sha256 != source.sha256:
            return None
        try:
            facts, entries = self._part(item.previous_part)
        except (OSError, ValueError):
            return None  # gone or damaged: extract again
        entry = entries.get(source.doc_id)
        if entry is None or entry["sha256"] != source.sha256:
            return None
        return Document(
            doc_id=source.doc_id,
            path=source.path,
            encoding=source.encoding,
            sha256=source.sha256,
            place=entry["place"],
            place_from=entry["place_from"],
            date=entry["date"],
            date_from=entry["date_from"],
            text="",
            facts=[Fact(**row) for row in facts.get(source.doc_id, [])],
            issues=[Issue(**issue) for issue in entry["issues"]],
        )

    def _part(
        self, index: int
    ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
        if index not in self._parts:
            pyarrow = import_pyarrow()
            fs = _filesystem(self._job.output_protocol, self._job.storage_options)
            root = self._job.previous_root
            with fs.open(posixpath.join(root, FACTS_PARTS, part_name(index)), "rb") as handle:
                fact_rows = pyarrow.parquet.read_table(handle).to_pylist()
            with fs.open(posixpath.join(root, MANIFEST_PARTS, part_name(index)), "rb") as handle:
                entry_rows = pyarrow.parquet.read_table(handle).to_pylist()
            facts: dict[str, list[dict[str, Any]]] = {}
            for row in sorted(fact_rows, key=lambda row: row[FACT_INDEX]):
                row.pop(FACT_INDEX)
                facts.setdefault(row["doc_id"], []).append(row)
            entries = {row["doc_id"]: row for row in entry_rows if row["status"] == "ok"}
            self._parts[index] = (facts, entries)
        return self._parts[index]


def _run_item(job: Job, item: Item, fs: AbstractFileSystem, previous: _Previous) -> InputResult:
    """Return the result of one input of ``job`` (never raises for a bad file)."""
    if item.skipped is not None:
        entry = ManifestEntry(**entry_names(item.name), status="skipped", reason=item.skipped)
        return InputResult(entry)
    try:
        raw = _read_input(fs, job, item)
    except UnreadableFile as error:
        return unreadable_result(item.name, error)
    return extract_input(
        item.name,
        raw,
        lexicon=_job_lexicon(job.lexicon_files),
        duplicate_of=item.duplicate_of,
        reuse=functools.partial(previous.document, item)
        if item.previous_part is not None
        else None,
    )


def extract_items(job: Job, items: Sequence[Item]) -> tuple[BatchTables, BatchOutcome]:
    """Return the Arrow tables and the outcome of ``items`` (a task: on a worker)."""
    fs = _filesystem(job.input_protocol, job.storage_options)
    previous = _Previous(job)
    results = [_run_item(job, item, fs, previous) for item in items]
    return batch_tables(results), _outcome(-1, items, results)


def _outcome(index: int, items: Sequence[Item], results: Sequence[InputResult]) -> BatchOutcome:
    """Return the outcome of batch ``index``: its entries, and its facts with a concept."""
    panel = [
        (item.number, position, fact)
        for item, result in zip(items, results, strict=True)
        if result.document is not None
        for position, fact in concept_facts(result.document.facts)
    ]
    return BatchOutcome(index, [result.entry for result in results], panel)


def write_part(job: Job, index: int, tables: BatchTables) -> None:
    """Write batch ``index``'s facts and manifest parts under the run's staging prefix."""
    pyarrow = import_pyarrow()
    fs = _filesystem(job.output_protocol, job.storage_options)
    for folder, table in ((FACTS_PARTS, tables.facts), (MANIFEST_PARTS, tables.manifest)):
        path = posixpath.join(job.staging, folder, part_name(index))
        with fs.open(path, "wb") as handle:
            pyarrow.parquet.write_table(table, handle)


def run_batch(job: Job, index: int, items: Sequence[Item]) -> BatchOutcome:
    """Extract batch ``index`` and write its parts; return its outcome (a task)."""
    tables, outcome = extract_items(job, items)
    write_part(job, index, tables)
    outcome.index = index
    return outcome


# --- on the driver ----------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterSummary:
    """What became of the files of a cluster run: the totals, and where the outputs are."""

    counts: dict[str, int]
    output: str

    def count(self, status: str) -> int:
        """Return how many files ended with ``status`` (``ok``, ``skipped`` or ``error``)."""
        return self.counts.get(status, 0)

    def totals(self) -> dict[str, int]:
        """Return the run totals written to manifest.json."""
        return {name: self.counts.get(name, 0) for name in _TOTALS}


_TOTALS = ("files", "ok", "skipped", "error", "facts")


def _split_url(url: str, options: Mapping[str, Any]) -> tuple[AbstractFileSystem, str, str]:
    """Return the file system, root path (no trailing '/') and protocol of ``url``."""
    from fsspec.core import url_to_fs

    try:
        fs, root = url_to_fs(url, **dict(options))
    except (ValueError, ImportError) as error:
        raise ClusterError(f"{url}: {error}") from None
    fs.invalidate_cache()  # fsspec shares instances: another may have listed long ago
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return fs, root.rstrip("/") or root, protocol


def _list_inputs(
    fs: AbstractFileSystem, root: str, protocol: str, output_root: str | None
) -> list[tuple[str, int, str | None]]:
    """Return every input under ``root``: (relative name, size, why skipped unread), sorted
    by name. A local folder is listed by ``read.find_input_files``, as a local run does."""
    if protocol in ("file", "local"):
        folder = Path(root)
        found = find_input_files(folder, output_dir=Path(output_root) if output_root else None)
        inputs = []
        for path, skipped in found:
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            inputs.append((path.relative_to(folder).as_posix(), size, skipped))
        return inputs
    if not fs.isdir(root):
        raise ClusterError(f"{protocol}://{root}: no such folder or prefix; check the input URL")
    listed = fs.find(root, detail=True)
    inputs = [
        (posixpath.relpath(path, root), int(info.get("size") or 0), None)
        for path, info in listed.items()
        if info.get("type") != "directory"
    ]
    return sorted(inputs, key=lambda item: text_of_name(item[0]))


def _previous_run(fs: AbstractFileSystem, root: str, version: str) -> dict[str, tuple[str, int]]:
    """Return, for each ok input of the complete previous run in ``root`` made by extractor
    ``version``: its sha256 and the batch whose part holds it (empty when none)."""
    try:
        if not fs.exists(posixpath.join(root, SUCCESS)):
            return {}
        manifest = json.loads(fs.cat_file(posixpath.join(root, MANIFEST_JSON)))
    except (OSError, ValueError):
        return {}
    if manifest.get("extractor_version") != version:
        return {}
    pyarrow = import_pyarrow()
    previous: dict[str, tuple[str, int]] = {}
    for index in range(int(manifest.get("batches", 0))):
        path = posixpath.join(root, MANIFEST_PARTS, part_name(index))
        try:
            with fs.open(path, "rb") as handle:
                table = pyarrow.parquet.read_table(handle, columns=["path", "status", "sha256"])
        except (OSError, ValueError):
            continue
        for row in table.to_pylist():
            if row["status"] == "ok" and row["sha256"]:
                previous[row["path"]] = (row["sha256"], index)
    return previous


def _plan_items(
    inputs: Sequence[tuple[str, int, str | None]], previous: Mapping[str, tuple[str, int]]
) -> list[Item]:
    """Return one item per input: duplicates of a doc_id named, reusable documents found."""
    first_path_of_doc: dict[str, str] = {}
    items = []
    for number, (name, size, skipped) in enumerate(inputs):
        relative = text_of_name(name)
        if skipped is not None or not is_text_name(Path(name)):
            items.append(Item(name, size, number, skipped=skipped))
            continue
        earlier = first_path_of_doc.setdefault(doc_id_of_name(name), relative)
        sha256, part = previous.get(relative, (None, None))
        items.append(
            Item(
                name,
                size,
                number,
                duplicate_of=earlier if earlier != relative else None,
                previous_sha256=sha256,
                previous_part=part,
            )
        )
    return items


def extract_on_cluster(
    client: Client,
    input_url: str,
    output_url: str,
    *,
    storage_options: Mapping[str, Any] | None = None,
    lexicon_files: Sequence[Path] = (),
    incremental: bool = False,
    progress: Callable[[ManifestEntry], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ClusterSummary:
    """Return the summary of a run of every file under ``input_url`` on the cluster of
    ``client``, its outputs written to ``output_url`` (see the module docstring).

    ``input_url`` and ``output_url`` are local paths or fsspec URLs, opened with
    ``storage_options``. The lexicon files are read here and sent with each task; the
    extractor version in manifest.json covers them. With ``incremental``, an input whose
    bytes and extractor version match the previous complete run in ``output_url`` takes
    its facts from that run's parts. ``on_start`` gets the number of inputs;
    ``progress`` each input's entry, batch by batch as they finish.

    Raises ``ClusterError`` for a URL that cannot be used, ``LexiconError`` for a bad
    lexicon file, before any task is sent.
    """
    options = dict(storage_options or {})
    lexicon = load_lexicon(lexicon_files)
    version = extractor_version(lexicon)
    in_fs, input_root, input_protocol = _split_url(input_url, options)
    out_fs, output_root, output_protocol = _split_url(output_url, options)
    local = input_protocol in ("file", "local") and output_protocol in ("file", "local")
    if local:
        _check_output_outside_input(input_root, output_root)
    _check_output_is_ours(out_fs, output_root)
    inputs = _list_inputs(in_fs, input_root, input_protocol, output_root if local else None)
    if on_start is not None:
        on_start(len(inputs))
    previous = _previous_run(out_fs, output_root, version) if incremental else {}
    items = _plan_items(inputs, previous)
    batches = [items[part.start : part.stop] for part in plan_batches([i.size for i in items])]
    staging = posixpath.join(output_root, STAGING, uuid.uuid4().hex)
    job = Job(
        input_root=input_root,
        input_protocol=input_protocol,
        output_root=output_root,
        output_protocol=output_protocol,
        staging=staging,
        storage_options=options,
        lexicon_files=tuple((path.name, path.read_bytes()) for path in lexicon.files),
        previous_root=output_root if previous else "",
    )
    for folder in (FACTS_PARTS, MANIFEST_PARTS):
        out_fs.makedirs(posixpath.join(staging, folder), exist_ok=True)
    counts = dict.fromkeys(_TOTALS, 0)
    panel = PanelBuilder(lexicon=lexicon)
    try:

        def count(outcome: BatchOutcome) -> None:
            for entry in outcome.entries:
                counts["files"] += 1
                counts[entry.status] += 1
                counts["facts"] += entry.facts
                if progress is not None:
                    progress(entry)

        outcomes = _run_batches(client, job, batches, on_outcome=count)
        panel_facts = sorted(
            (fact for outcome in outcomes for fact in outcome.panel_facts),
            key=lambda fact: (fact[0], fact[1]),
        )
        for number, group in _by_document(panel_facts):
            panel.add(group, document=number)
        _write_run_files(out_fs, job, version, counts, len(batches), panel)
        _publish(out_fs, output_root, staging, local=output_protocol in ("file", "local"))
    finally:
        with contextlib.suppress(OSError):
            if out_fs.exists(staging):
                out_fs.rm(staging, recursive=True)
        with contextlib.suppress(OSError):
            staging_root = posixpath.join(output_root, STAGING)
            if out_fs.exists(staging_root) and not out_fs.ls(staging_root):
                out_fs.rmdir(staging_root)
    return ClusterSummary(counts, output_url)


def _by_document(
    facts: Sequence[tuple[int, int, Fact]],
) -> Iterator[tuple[int, list[tuple[int, Fact]]]]:
    """Yield each document's number and its (position, fact) pairs, in order."""
    group: list[tuple[int, Fact]] = []
    number = -1
    for document, position, fact in facts:
        if document != number and group:
            yield number, group
            group = []
        number = document
        group.append((position, fact))
    if group:
        yield number, group


def _run_batches(
    client: Client,
    job: Job,
    batches: Sequence[Sequence[Item]],
    *,
    on_outcome: Callable[[BatchOutcome], None],
) -> list[BatchOutcome]:
    """Return the outcome of every batch, in batch order, run on the cluster of ``client``;
    ``on_outcome`` gets each as it is done.

    Ctrl-C (or any error here, in ``on_outcome`` too) cancels every task of the run.
    """
    from distributed import wait

    futures: dict[Future, int] = {
        client.submit(
            run_batch,
            job,
            index,
            batch,
            key=f"extract-batch-{posixpath.basename(job.staging)}-{index:05d}",
            retries=BATCH_RETRIES,
            pure=False,
        ): index
        for index, batch in enumerate(batches)
    }
    outcomes: dict[int, BatchOutcome] = {}
    watchdog = _Watchdog(client)
    try:
        pending = set(futures)
        while pending:
            try:
                done, pending = wait(
                    list(pending), timeout=WATCH_SECONDS, return_when="FIRST_COMPLETED"
                )
            except TimeoutError:
                watchdog.check()
                continue
            for future in sorted(done, key=futures.__getitem__):
                index = futures[future]
                if future.status == "finished":
                    outcomes[index] = future.result()
                else:
                    # The batch killed its worker (KilledWorker) or raised after its
                    # retries: each of its files again, alone, so that only the culprit
                    # fails.
                    outcomes[index] = _run_alone(client, job, index, batches[index], watchdog)
                future.release()
                on_outcome(outcomes[index])
    finally:
        client.cancel(list(futures))
        for future in futures:
            future.release()
    return [outcomes[index] for index in range(len(batches))]


def _run_alone(
    client: Client, job: Job, index: int, batch: Sequence[Item], watchdog: _Watchdog
) -> BatchOutcome:
    """Return the outcome of batch ``index`` run one file per task; write its parts here.

    A file whose task fails again (its worker died, or it raised) is an ``error`` row.
    """
    futures = [
        client.submit(extract_items, job, [item], retries=BATCH_RETRIES, pure=False)
        for item in batch
    ]
    tables: list[BatchTables] = []
    outcome = BatchOutcome(index, [])
    try:
        for item, future in zip(batch, futures, strict=True):
            failure: BaseException | None = None
            try:
                item_tables, item_outcome = _result(future, watchdog)
            except ClusterLostError:
                raise
            except Exception as error:
                failure = error
            # Released at once: a result left on a worker that dies is computed again.
            future.release()
            if failure is not None:
                item_tables, item_outcome = _run_again(client, job, item, failure, watchdog)
            tables.append(item_tables)
            outcome.entries.extend(item_outcome.entries)
            outcome.panel_facts.extend(item_outcome.panel_facts)
    finally:
        client.cancel(futures)
        for future in futures:
            future.release()
    pyarrow = import_pyarrow()
    write_part(
        job,
        index,
        BatchTables(
            facts=pyarrow.concat_tables([t.facts for t in tables], promote_options="none"),
            manifest=pyarrow.concat_tables([t.manifest for t in tables], promote_options="none"),
        ),
    )
    return outcome


#: Times a file whose task failed alone is run again, one at a time, before it is an
#: ``error``: a worker that dies takes down the tasks waiting on it too, and the file that
#: killed it may be another.
ALONE_ATTEMPTS = 1


def _run_again(
    client: Client, job: Job, item: Item, error: BaseException, watchdog: _Watchdog
) -> tuple[BatchTables, BatchOutcome]:
    """Return the tables and outcome of ``item``, whose task failed with ``error``: run
    again alone, up to ``ALONE_ATTEMPTS`` times, then an ``error`` row with the reason."""
    reason = _failure_reason(error)
    for _ in range(ALONE_ATTEMPTS):
        future = client.submit(extract_items, job, [item], retries=BATCH_RETRIES, pure=False)
        try:
            result: tuple[BatchTables, BatchOutcome] = _result(future, watchdog)
        except ClusterLostError:
            raise
        except Exception as again:
            reason = _failure_reason(again)
        else:
            return result
        finally:
            future.release()
    failed = failed_result(item.name, reason)
    return batch_tables([failed]), _outcome(-1, [item], [failed])


def _failure_reason(error: BaseException) -> str:
    """Return the manifest reason of a file whose task failed with ``error``."""
    from distributed import KilledWorker

    if isinstance(error, KilledWorker):
        return WORKER_DIED
    return f"the task extracting this file failed: {type(error).__name__}: {error}"[:300]


def _write_run_files(
    fs: AbstractFileSystem,
    job: Job,
    version: str,
    counts: Mapping[str, int],
    batches: int,
    panel: PanelBuilder,
) -> None:
    """Write manifest.json, datapackage.json and (when it has rows) panel.parquet under
    the run's staging prefix."""
    manifest = {
        "input": _url(job.input_protocol, job.input_root),
        "extractor_version": version,
        "batches": batches,
        "totals": {name: counts.get(name, 0) for name in _TOTALS},
    }
    fs.pipe_file(
        posixpath.join(job.staging, MANIFEST_JSON),
        (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode(),
    )
    parts = [f"{FACTS_PARTS}/{part_name(index)}" for index in range(batches)]
    fs.pipe_file(
        posixpath.join(job.staging, DATAPACKAGE_JSON),
        (json.dumps(datapackage(parts), ensure_ascii=False, indent=2) + "\n").encode(),
    )
    rows = panel.rows()
    if rows:
        pyarrow = import_pyarrow()
        table = pyarrow.Table.from_pylist(
            [row.values() for row in rows], schema=panel_arrow_schema()
        )
        with fs.open(posixpath.join(job.staging, PANEL_PARQUET), "wb") as handle:
            pyarrow.parquet.write_table(table, handle)


def datapackage(parts: Sequence[str]) -> dict[str, Any]:
    """Return the Data Package describing the fact parts ``parts`` (paths relative to it).

    >>> datapackage(["facts/part-00000.parquet"])["resources"][0]["format"]
    'parquet'
    """
    fields = [
        {"name": column.name, "type": column.kind if column.kind != "list" else "array"}
        for column in fact_columns()
    ]
    fields.append({"name": FACT_INDEX, "type": "integer"})
    return {
        "profile": "data-package",
        "name": "extract-facts",
        "title": "Numeric facts extracted from Chinese report text",
        "resources": [
            {
                "name": "facts",
                "path": list(parts),
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "schema": {"fields": fields},
            }
        ],
    }


def _url(protocol: str, root: str) -> str:
    """Return ``root`` of the file system ``protocol`` as a URL (a local path as is)."""
    return root if protocol in ("file", "local") else f"{protocol}://{root}"


def _publish(fs: AbstractFileSystem, output_root: str, staging: str, *, local: bool) -> None:
    """Replace the previous outputs in ``output_root`` by the staged ones; ``_SUCCESS`` last.

    On a local file system each staged output is renamed into place (a folder at once);
    on object storage, which has no folders and no rename, each object is copied and
    the copy deleted.
    """
    fs.invalidate_cache()  # the workers wrote the parts: this process's listings are old
    success = posixpath.join(output_root, SUCCESS)
    if fs.exists(success):
        fs.rm(success)
    for name in PUBLISHED:
        target = posixpath.join(output_root, name)
        if fs.exists(target):
            fs.rm(target, recursive=True)
    if local:
        for name in PUBLISHED:
            staged = posixpath.join(staging, name)
            if fs.exists(staged):
                fs.mv(staged, posixpath.join(output_root, name), recursive=True)
    else:
        for path in sorted(fs.find(staging)):
            fs.mv(path, posixpath.join(output_root, posixpath.relpath(path, staging)))
    fs.pipe_file(success, b"")
    fs.invalidate_cache()


def _check_output_is_ours(fs: AbstractFileSystem, output_root: str) -> None:
    """Raise ``ClusterError`` when ``output_root`` holds outputs' names (facts/, manifest/,
    ...) that no cluster run wrote: publishing would remove them."""
    present = [name for name in PUBLISHED if fs.exists(posixpath.join(output_root, name))]
    if not present:
        return
    try:
        manifest = json.loads(fs.cat_file(posixpath.join(output_root, MANIFEST_JSON)))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or "batches" not in manifest:
        raise ClusterError(
            f"{output_root}: holds {', '.join(present)}, which no cluster run wrote (a local "
            "run's folder, or your files); pass an empty or new output"
        )


def _check_output_outside_input(input_root: str, output_root: str) -> None:
    """Raise ``ClusterError`` when the local output folder is the input folder or inside it."""
    inside = Path(input_root).resolve()
    output = Path(output_root).resolve()
    if output == inside or inside in output.parents:
        raise ClusterError(
            f"{output_root}: is inside the input folder {input_root}, so a later run would "
            "read its own outputs; pass an output folder outside the input folder"
        )


def read_facts(output_url: str, storage_options: Mapping[str, Any] | None = None) -> Any:
    """Return the facts of a complete cluster run in ``output_url`` as one Arrow table, in
    the order of a local run's facts.jsonl (parts in batch order, rows as written).

    Raises ``ClusterError`` when the run is incomplete (no ``_SUCCESS``).
    """
    return _read_parts(output_url, storage_options, FACTS_PARTS, part_fact_arrow_schema())


def read_manifest(output_url: str, storage_options: Mapping[str, Any] | None = None) -> Any:
    """Return the manifest entries of a complete cluster run as one Arrow table, in input
    order (``manifest_arrow_schema``).

    Raises ``ClusterError`` when the run is incomplete (no ``_SUCCESS``).
    """
    return _read_parts(output_url, storage_options, MANIFEST_PARTS, manifest_arrow_schema())


def _read_parts(
    output_url: str, storage_options: Mapping[str, Any] | None, folder: str, schema: Any
) -> Any:
    """Return the parts in ``folder`` of the complete run in ``output_url`` as one table."""
    fs, root, _ = _split_url(output_url, storage_options or {})
    if not fs.exists(posixpath.join(root, SUCCESS)):
        raise ClusterError(f"{output_url}: no {SUCCESS}: the run is incomplete or no run")
    pyarrow = import_pyarrow()
    manifest = json.loads(fs.cat_file(posixpath.join(root, MANIFEST_JSON)))
    tables = []
    for index in range(int(manifest["batches"])):
        with fs.open(posixpath.join(root, folder, part_name(index)), "rb") as handle:
            tables.append(pyarrow.parquet.read_table(handle))
    if not tables:
        return pyarrow.Table.from_pylist([], schema=schema)
    return pyarrow.concat_tables(tables)
