"""A run on a Dask cluster (cluster.py) gives the facts and manifest entries of a local run,
row for row and in order, on local folders and on S3 (moto's server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed", reason="needs the dask extra")
pytest.importorskip("fsspec", reason="needs the dask extra")

import cloudpickle  # noqa: E402  # type: ignore[import-untyped]
import dask  # noqa: E402  # type: ignore[import-untyped]

from conftest import run_cli  # noqa: E402
from extract import cluster  # noqa: E402
from extract.core import WORKER_DIED  # noqa: E402
from extract.encode import fact_row  # noqa: E402
from extract.models import Fact  # noqa: E402
from extract.runner import extract_paths  # noqa: E402
from extract.schema import FACT_INDEX  # noqa: E402

RAW = Path(__file__).resolve().parents[1] / "raw"
#: The input file whose extraction kills its worker process (``KillerPlugin``).
KILLER = "zz-killer"


class KillerPlugin(distributed.WorkerPlugin):  # type: ignore[misc]
    """On every worker (restarted ones too): extracting ``KILLER`` kills the process, as
    the kernel's out-of-memory killer would; the test_jobs.py way, on a Dask worker."""

    def setup(self, worker: Any) -> None:
        from extract import pipeline

        real = pipeline.extract_source

        def dies_on_killer(source: Any, **options: Any) -> Any:
            if source.doc_id == KILLER:
                os._exit(1)
            return real(source, **options)

        pipeline.extract_source = dies_on_killer


def local_cluster() -> Any:
    """Return a context of a local cluster of two single-threaded worker processes, and its
    client, with the scheduler settings of ``--cluster local:N``."""
    return distributed.Client(
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A local cluster, shared by the module's tests (it takes seconds to start)."""
    with dask.config.set(cluster.LOCAL_SCHEDULER_CONFIG), local_cluster() as dask_client:
        yield dask_client
        dask_client.cluster.close()


@pytest.fixture
def killer_client() -> Iterator[Any]:
    """A local cluster of its own, whose workers die extracting ``KILLER``: a worker that
    dies takes its task down at once (Dask's default allows three deaths)."""
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    settings = {**cluster.LOCAL_SCHEDULER_CONFIG, "distributed.scheduler.allowed-failures": 0}
    with dask.config.set(settings), local_cluster() as dask_client:
        dask_client.register_plugin(KillerPlugin())
        yield dask_client
        dask_client.cluster.close()


def make_corpus(folder: Path) -> Path:
    """Return ``folder`` holding the sample reports three times, a binary file, a GB18030
    file, a file that is no .txt and two names of one doc_id."""
    for copy in ("a", "b", "c"):
        shutil.copytree(RAW, folder / copy)
    paragraph = next(
        line for line in (RAW / "江西省_2026.txt").read_text(encoding="utf-8").splitlines()
        if "%" in line and len(line) > 60
    )
    (folder / "gb18030.txt").write_bytes(paragraph.encode("gb18030"))
    (folder / "scan.txt").write_bytes(b"%PDF-1.4 binary")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "twice.txt").write_text("增长5%。\n", encoding="utf-8")
    (folder / "twice.TXT").write_text("增长6%。\n", encoding="utf-8")
    return folder


def local_facts(output: Path) -> list[dict[str, Any]]:
    """Return the facts of a local run's facts.jsonl, in order."""
    lines = (output / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def cluster_facts(output: str, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Return the facts of a cluster run as facts.jsonl rows, in order; check fact_index."""
    rows = cluster.read_facts(output, options).to_pylist()
    expected_index: dict[str, int] = {}
    facts = []
    for row in rows:
        index = row.pop(FACT_INDEX)
        assert index == expected_index.get(row["doc_id"], 0)
        expected_index[row["doc_id"]] = index + 1
        facts.append(json.loads(json.dumps(fact_row(Fact(**row)), ensure_ascii=False)))
    return facts


def local_entries(output: Path) -> list[dict[str, Any]]:
    """Return the manifest entries of a local run, in order."""
    return list(json.loads((output / "manifest.json").read_text(encoding="utf-8"))["files"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus, and a local run of it (the reference)."""
    folder = make_corpus(tmp_path_factory.mktemp("corpus") / "in")
    reference = tmp_path_factory.mktemp("local") / "out"
    extract_paths(folder, reference, jobs=1, formats={"jsonl", "parquet"})
    return folder, reference


@pytest.mark.parametrize("batch_files", [4, 100], ids=["many-batches", "one-batch"])
def test_a_cluster_run_gives_the_local_runs_facts_and_entries(
    client: Any,
    corpus: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_files: int,
) -> None:
    monkeypatch.setattr(cluster, "BATCH_FILES", batch_files)
    folder, reference = corpus
    summary = cluster.extract_on_cluster(client, str(folder), str(tmp_path / "out"))
    assert cluster_facts(str(tmp_path / "out")) == local_facts(reference)
    assert cluster.read_manifest(str(tmp_path / "out")).to_pylist() == local_entries(reference)
    assert summary.count("error") == 1  # twice.txt, the second name of doc_id twice
    parts = sorted(path.name for path in (tmp_path / "out" / "facts").iterdir())
    assert parts == [cluster.part_name(i) for i in range(len(parts))]
    assert (tmp_path / "out" / cluster.SUCCESS).exists()
    assert not (tmp_path / "out" / cluster.STAGING).exists()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"] == summary.totals()


@pytest.mark.parametrize("batch_files", [4, 100], ids=["batch-of-four", "one-batch"])
def test_a_file_that_kills_its_worker_fails_alone(
    killer_client: Any,
    corpus: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_files: int,
) -> None:
    monkeypatch.setattr(cluster, "BATCH_FILES", batch_files)
    folder, reference = corpus
    shutil.copytree(folder, tmp_path / "in")
    (tmp_path / "in" / f"{KILLER}.txt").write_text("全年增长7%。\n", encoding="utf-8")
    output = str(tmp_path / "out")
    summary = cluster.extract_on_cluster(killer_client, str(tmp_path / "in"), output)
    assert cluster_facts(output) == local_facts(reference)
    *entries, killed = cluster.read_manifest(output).to_pylist()
    assert entries == local_entries(reference)
    assert (killed["doc_id"], killed["status"], killed["reason"]) == (KILLER, "error", WORKER_DIED)
    assert summary.count("error") == 2


def test_the_panel_is_the_local_runs(
    client: Any, corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    pyarrow = pytest.importorskip("pyarrow.parquet")
    folder, reference = corpus
    cluster.extract_on_cluster(client, str(folder), str(tmp_path / "out"))
    panel = pyarrow.read_table(tmp_path / "out" / "panel.parquet")
    assert panel.equals(pyarrow.read_table(reference / "panel.parquet"))


def test_an_interrupted_run_leaves_the_previous_outputs_as_they_were(
    client: Any, corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, _ = corpus
    output = tmp_path / "out"
    cluster.extract_on_cluster(client, str(folder), str(output))
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}

    def interrupt(entry: Any) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cluster.extract_on_cluster(client, str(folder), str(output), progress=interrupt)
    after = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    assert after == before


def test_a_run_on_a_cluster_without_workers_gives_up_and_keeps_the_outputs(
    client: Any, corpus: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = corpus
    output = tmp_path / "out"
    cluster.extract_on_cluster(client, str(folder), str(output))
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    monkeypatch.setattr(cluster, "WATCH_SECONDS", 0.2)
    monkeypatch.setattr(cluster, "NO_WORKER_SECONDS", 1.0)
    empty = distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0")
    with empty, distributed.Client(empty) as workerless:
        with pytest.raises(cluster.ClusterLostError, match="no worker"):
            cluster.extract_on_cluster(workerless, str(folder), str(output))
    after = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    assert after == before


def test_an_incremental_run_reuses_unchanged_files(
    client: Any, corpus: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "BATCH_FILES", 4)
    folder, reference = corpus
    changed = tmp_path / "in"
    shutil.copytree(folder, changed)
    output = str(tmp_path / "out")
    cluster.extract_on_cluster(client, str(changed), output)
    (changed / "twice.TXT").write_text("增长8%。\n", encoding="utf-8")  # twice.txt's first
    cluster.extract_on_cluster(client, str(changed), output, incremental=True)
    entries = cluster.read_manifest(output).to_pylist()
    reused = {entry["path"] for entry in entries if entry["reused"]}
    ok = {entry["path"] for entry in entries if entry["status"] == "ok"}
    assert len(reused) > 20
    assert reused == ok - {"twice.TXT"}
    facts = cluster_facts(output)
    assert [fact for fact in facts if fact["doc_id"] != "twice"] == [
        fact for fact in local_facts(reference) if fact["doc_id"] != "twice"
    ]
    assert [fact["mention"] for fact in facts if fact["doc_id"] == "twice"] == ["8%"]


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, Any]]:
    """A local S3 server (moto) on 127.0.0.1 with a bucket; yields the storage options."""
    moto_server = pytest.importorskip("moto.server", reason="needs moto[server]")
    boto3 = pytest.importorskip("boto3")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    options = {
        "key": "testing",
        "secret": "testing",
        "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"},
    }
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket="reports")
    try:
        yield options
    finally:
        server.stop()


def test_a_cluster_run_reads_and_writes_s3(
    client: Any, corpus: tuple[Path, Path], s3: dict[str, Any]
) -> None:
    import fsspec  # type: ignore[import-untyped]

    folder, reference = corpus
    fs = fsspec.filesystem("s3", **s3)
    fs.put(str(folder) + "/", "reports/raw/", recursive=True)
    cluster.extract_on_cluster(client, "s3://reports/raw", "s3://reports/out", storage_options=s3)
    assert cluster_facts("s3://reports/out", s3) == local_facts(reference)
    assert cluster.read_manifest("s3://reports/out", s3).to_pylist() == local_entries(reference)
    assert fs.exists("reports/out/_SUCCESS")


def test_the_cli_writes_a_cluster_run_to_s3(
    corpus: tuple[Path, Path], s3: dict[str, Any]
) -> None:
    _, reference = corpus
    endpoint = s3["client_kwargs"]["endpoint_url"]
    options = [
        "--storage-option=key=testing",
        "--storage-option=secret=testing",
        f"--storage-option=client_kwargs.endpoint_url={endpoint}",
        "--storage-option=client_kwargs.region_name=us-east-1",
    ]
    result = run_cli(RAW, "s3://reports/cli-out", "--cluster", "local:2", "-q", *options)
    assert result.returncode == 0, result.stderr
    local = [fact for fact in local_facts(reference) if fact["doc_id"].startswith("a/")]
    expected = [{**fact, "doc_id": fact["doc_id"].removeprefix("a/")} for fact in local]
    assert cluster_facts("s3://reports/cli-out", s3) == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(["--cluster", "local:0"], "local:N needs N", id="no-workers"),
        pytest.param(["--cluster", "somewhere"], "expected local:N", id="no-address"),
        pytest.param(["--cluster", "local:1", "-j", "2"], "-j/--jobs applies", id="jobs"),
        pytest.param(["--storage-option", "a=b"], "applies to a --cluster run", id="no-cluster"),
    ],
)
def test_cluster_mistakes_are_usage_errors(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    result = run_cli(RAW, tmp_path / "out", *arguments)
    assert result.returncode == 2
    assert message in result.stderr


def test_a_local_runs_folder_is_refused_as_a_cluster_output(
    client: Any, corpus: tuple[Path, Path]
) -> None:
    folder, reference = corpus
    before = {path: path.read_bytes() for path in reference.rglob("*") if path.is_file()}
    with pytest.raises(cluster.ClusterError, match="no cluster run wrote"):
        cluster.extract_on_cluster(client, str(folder), str(reference))
    assert {path: path.read_bytes() for path in reference.rglob("*") if path.is_file()} == before


@pytest.mark.parametrize(
    "reader",
    [
        pytest.param(cluster.read_facts, id="facts"),
        pytest.param(cluster.read_manifest, id="manifest"),
    ],
)
def test_reading_an_output_without_success_marker_is_refused(reader: Any, tmp_path: Path) -> None:
    (tmp_path / cluster.MANIFEST_JSON).write_text('{"batches": 0}', encoding="utf-8")
    with pytest.raises(cluster.ClusterError, match="no _SUCCESS"):
        reader(str(tmp_path))
