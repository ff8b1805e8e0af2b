"""`dafu convert --scheduler`: the same output bytes from a Dask cluster, and its faults (DESIGN §9).

One local cluster for the module: a scheduler and two worker processes (one thread each) on
127.0.0.1. Faults are made inside the workers by a worker plugin that wraps the batch function:
it kills its own process (SIGKILL) when it meets a chosen letter.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.conftest import LETTERS, SAMPLES, dafu_command, dafu_env, run_dafu

HAVE_DASK = find_spec("distributed") is not None and find_spec("fsspec") is not None
needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="dask[distributed] and fsspec are not installed "
                                                      "(pip install -e '.[test]' brings them)")
if HAVE_DASK:
    from distributed.diagnostics.plugin import WorkerPlugin
else:  # pragma: no cover - the tests that use it are skipped
    WorkerPlugin = object
TIMEOUT = 180  # seconds for one dafu run against the cluster (2 shared cores)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` (run.json aside) by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "run.json"}


def test_plain_convert_imports_no_dask(tmp_path):
    """Without --scheduler, neither Dask nor fsspec is imported (cold start unchanged)."""
    code = ("import sys\nfrom dafu.cli import main\nsys.argv = ['dafu', 'convert', sys.argv[1], '-o', sys.argv[2]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'fsspec') "
            "or m == 'dafu.cli.cluster'), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(SAMPLES), str(tmp_path / "out")],
                          capture_output=True, env=dafu_env(), timeout=120)
    assert done.stderr.decode().strip().splitlines()[-1] == "[]"


class _Killer(WorkerPlugin):
    """A worker plugin: the batch holding letter `id` kills its worker (every time, or once per marker file)."""

    idempotent = False

    def __init__(self, id: str, marker: str | None) -> None:
        self.id, self.marker = id, marker
        self.name = "dafu-test-killer"

    def setup(self, worker) -> None:
        import dafu.cli.cluster as cluster

        self.original = original = cluster.run_batch
        id, marker = self.id, self.marker

        def run_batch(tasks, config):
            if any(t.id == id for t in tasks):
                if marker is None or not os.path.exists(marker):
                    if marker is not None:
                        open(marker, "w").close()
                    os.kill(os.getpid(), signal.SIGKILL)
            return original(tasks, config)

        cluster.run_batch = run_batch

    def teardown(self, worker) -> None:
        import dafu.cli.cluster as cluster

        cluster.run_batch = self.original


@pytest.fixture(scope="module")
def cluster():
    """Yield (scheduler address, client) of a local cluster: two worker processes, one thread each."""
    if not HAVE_DASK:
        pytest.skip("dask[distributed] is not installed")
    import cloudpickle
    import dask
    from distributed import Client, LocalCluster
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers need not import this file
    # one retry per batch before it counts as a killer (the default, 3, makes the poison test slow)
    with dask.config.set({"distributed.scheduler.allowed-failures": 1, "distributed.comm.timeouts.connect": "30s"}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=":0", scheduler_port=0, memory_limit=None,
                          silence_logs=50) as local, Client(local, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            yield local.scheduler_address, client
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.fixture
def plugin(cluster):
    """Return `install(id, marker)`: make the batch holding letter `id` kill its worker; removed after the test."""
    address, client = cluster
    names = []

    def install(id: str, marker: str | None = None) -> None:
        killer = _Killer(id, marker)
        client.register_plugin(killer, name=killer.name)
        names.append(killer.name)

    yield install
    for name in names:
        client.unregister_worker_plugin(name)
    client.wait_for_workers(2, timeout=120)


@pytest.fixture(scope="module")
def local_run(tmp_path_factory) -> Path:
    """Return the output folder of a local --jobs 1 run over the samples and tests/letters."""
    out = tmp_path_factory.mktemp("local") / "out"
    done = run_dafu("convert", SAMPLES, LETTERS, "-o", out, "--jobs", "1", "--quiet", timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr.decode()
    return out


@needs_dask
def test_cluster_run_writes_the_local_bytes(cluster, local_run, tmp_path):
    """metrics.csv, every record, the state and errors.jsonl are byte-identical to a local --jobs 1 run."""
    address, _ = cluster
    out = tmp_path / "out"
    done = run_dafu("convert", SAMPLES, LETTERS, "-o", out, "--scheduler", address, "--quiet", timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    expected = _snapshot(local_run)
    assert "metrics.csv" in expected and len([k for k in expected if k.startswith("letters/")]) == 30
    assert _snapshot(out) == expected


@needs_dask
def test_incremental_on_the_cluster(cluster, local_run, tmp_path):
    """--incremental after a local run: the workers hash the letters, nothing changes, the outputs stay the same."""
    address, _ = cluster
    out = tmp_path / "out"
    shutil.copytree(local_run, out)
    before = _snapshot(out)
    done = run_dafu("convert", SAMPLES, LETTERS, "-o", out, "--incremental", "--scheduler", address,
                    timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr.decode()
    assert _snapshot(out) == before
    summary = json.loads((out / "run.json").read_bytes())
    assert summary["counts"]["unchanged"] == summary["counts"]["letters"] == 30


@needs_dask
def test_worker_killed_mid_run_costs_a_retry(cluster, plugin, local_run, tmp_path):
    """A worker process killed (SIGKILL) holding a batch: the batch runs again elsewhere, the bytes are the same."""
    address, _ = cluster
    marker = tmp_path / "killed-once"
    plugin("14_answer_category_c", str(marker))  # a letter in the middle of the run
    out = tmp_path / "out"
    done = run_dafu("convert", SAMPLES, LETTERS, "-o", out, "--scheduler", address, "--quiet", timeout=TIMEOUT)
    assert marker.exists(), "the worker was never killed"
    assert done.returncode == 0, done.stderr.decode()
    assert _snapshot(out) == _snapshot(local_run)


@needs_dask
def test_a_letter_that_kills_every_worker_is_reported(cluster, plugin, local_run, tmp_path):
    """A letter that kills every worker taking it is an error naming it (errors.jsonl, exit 1); the rest is written."""
    address, _ = cluster
    plugin("20_yian")
    out = tmp_path / "out"
    done = run_dafu("convert", SAMPLES, LETTERS, "-o", out, "--scheduler", address, "--quiet", timeout=TIMEOUT)
    assert done.returncode == 1, done.stderr.decode()
    assert b"20_yian.txt: a Dask worker died converting this letter" in done.stderr
    assert b"Traceback" not in done.stderr
    errors = (out / "errors.jsonl").read_text("utf-8").splitlines()
    assert len(errors) == 1 and "20_yian.txt" in errors[0] and '"kind":"internal"' in errors[0]
    expected = {k: v for k, v in _snapshot(local_run).items()
                if k.startswith("letters/") and k != "letters/20_yian.json"}
    assert {k: v for k, v in _snapshot(out).items() if k.startswith("letters/")} == expected


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@needs_dask
@pytest.mark.parametrize("how", ["option", "environment"])
def test_unreachable_scheduler_is_one_line_and_exit_2(how, local_run, tmp_path):
    """No scheduler listening: one line on stderr, exit 2, the output folder exactly as it was."""
    out = tmp_path / "out"
    shutil.copytree(local_run, out)
    before = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    address = f"tcp://127.0.0.1:{_closed_port()}"
    args = ["convert", SAMPLES, "-o", out] + (["--scheduler", address] if how == "option" else [])
    env = {**dafu_env(), **({"DAFU_SCHEDULER": address} if how == "environment" else {})}
    done = subprocess.run(dafu_command(*args), capture_output=True, env=env, timeout=60)
    assert done.returncode == 2
    assert done.stderr.decode() == f"dafu: error: {address}: cannot reach the Dask scheduler (Connection refused)\n"
    assert {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


@needs_dask
def test_url_inputs_are_read_by_the_workers(cluster, local_run, tmp_path):
    """file:// URLs: the workers open the letters; the outputs are the local run's, the source paths aside."""
    address, _ = cluster
    out = tmp_path / "out"
    done = run_dafu("convert", SAMPLES.as_uri(), LETTERS.as_uri(), "-o", out, "--scheduler", address, "--quiet",
                    timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr.decode()
    root = str(SAMPLES.parent.parent).encode()
    got = {k: v.replace(b"file://" + root, root) for k, v in _snapshot(out).items()}
    assert got == _snapshot(local_run)


@needs_dask
def test_memory_urls_listed_and_read(tmp_path):
    """memory:// (fsspec, in this process): the folder is walked with --glob, ids as for local paths, letters read."""
    import fsspec

    from dafu.cli.cluster import run_batch
    from dafu.cli.parallel import Config
    from dafu.cli.urls import collect_urls
    from dafu.options import DEFAULT_OPTIONS

    fs = fsspec.filesystem("memory")
    for path in sorted(SAMPLES.glob("*.txt"))[:2]:
        fs.pipe(f"/dafu-test/in/sub/{path.name}", path.read_bytes())
    fs.pipe("/dafu-test/in/notes.md", b"not a letter")
    try:
        found = collect_urls(["memory://dafu-test/in"], "*.txt")
        assert [i.id for i in found.items] == ["sub__" + p.stem for p in sorted(SAMPLES.glob("*.txt"))[:2]]
        assert found.items[0].path.startswith("memory://") and not found.problems
        results = run_batch(list(_tasks(found.items)), Config(DEFAULT_OPTIONS, 20_000_000, want_rows=True))
        assert [r.status for r in results] == ["ok", "ok"] and all(r.metrics for r in results)
        missing = collect_urls(["memory://dafu-test/nothing-here"], "*.txt")
        assert not missing.items and [p.kind for p in missing.problems] == ["missing"]
    finally:
        fs.rm("/dafu-test", recursive=True)


def _tasks(items):
    from dafu.cli.parallel import Task

    for i in items:
        yield Task(i.path, i.display, i.id)


@needs_dask
def test_url_output_written_locally_then_put(cli, local_run):
    """-o memory://…: the same files as a local output folder; an --incremental run after it puts only run.json."""
    import fsspec

    fs = fsspec.filesystem("memory")
    base = "/dafu-test-out/run/"

    def remote() -> dict[str, bytes]:
        return {p[len(base):]: fs.cat_file(p) for p in sorted(fs.find(base))}

    try:
        done = cli("convert", SAMPLES, LETTERS, "-o", "memory:/" + base, "--jobs", "1", "--quiet")
        assert done.exit_code == 0, done.stderr
        first = remote()
        local = {k: v for k, v in _snapshot(local_run).items() if k != ".dafu.lock"}  # the lock is not put
        assert first.pop("run.json") and first == local
        done = cli("convert", SAMPLES, LETTERS, "-o", "memory:/" + base, "--jobs", "1", "--quiet", "--incremental")
        assert done.exit_code == 0, done.stderr
        again = remote()
        assert json.loads(again.pop("run.json"))["counts"]["unchanged"] == 30 and again == first
    finally:
        fs.rm("/dafu-test-out", recursive=True)
