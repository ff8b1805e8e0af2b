"""Throughput of `dafu convert --scheduler` with 1, 2, 4 Dask workers against local --jobs 1 and 2 (DESIGN §7, §9).

A scheduler and N workers (`dask scheduler`, `dask worker --nthreads 1`, each a process) are started
on 127.0.0.1 for each N; the same corpus is converted to a fresh folder; the wall time of the dafu
process is measured (the cluster is up and warm before the clock starts). The outputs of every run are
compared with the local --jobs 1 run (run.json aside). Needs the dask extra.

    python bench/dask_scaling.py --letters 2000                 # bench/corpus/n2000-s0, 1 2 4 workers
    python bench/dask_scaling.py --letters 500 --workers 1 2   # a quick one
    python bench/dask_scaling.py --letters 300 --skip-mojibake  # without the letters whose repair dominates
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402


def _bin(name: str) -> str:
    """Return the script `name` next to this Python, else from PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=3600)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}")
    return seconds


def _same(a: Path, b: Path) -> bool:
    """True when two output folders hold the same files with the same bytes (run.json aside)."""
    def files(root: Path) -> dict[str, Path]:
        return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file() and p.name != "run.json"}

    fa, fb = files(a), files(b)
    return fa.keys() == fb.keys() and all(filecmp.cmp(fa[k], fb[k], shallow=False) for k in fa)


class Cluster:
    """`dask scheduler` and `n` `dask worker` processes on 127.0.0.1; stopped by their process ids."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> Cluster:
        port = self.address.rsplit(":", 1)[1]
        quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(subprocess.Popen([_bin("dask"), "scheduler", "--host", "127.0.0.1", "--port", port,
                                            "--no-dashboard"], **quiet))
        for _ in range(self.n):
            self.procs.append(subprocess.Popen([_bin("dask"), "worker", self.address, "--nthreads", "1",
                                                "--no-dashboard", "--host", "127.0.0.1", "--memory-limit", "0"],
                                               **quiet))
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(self.n, timeout=180)
            client.run(_warm)  # each worker loads the pipeline (and the repair model) before the clock
        return self

    def __exit__(self, *exc) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _without_mojibake(corpus: Path, into: Path) -> Path:
    """Copy the corpus's letters other than the mojibake variant (MANIFEST.tsv) into `into`; return it."""
    for line in (corpus / "MANIFEST.tsv").read_text("utf-8").splitlines()[1:]:
        path, variant, _ = line.split("\t")
        if variant != "mojibake":
            (into / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(corpus / path, into / path)
    return into


def _warm() -> None:
    from dafu import process
    from dafu.normalize.repair import repair_byte_loss

    process("关于第1号提案的答复\n张三委员：\n现答复如下：培训100人次。\n某某局\n2020年1月1日\n")
    repair_byte_loss("议》(第20180218号)收悉?,F(xiàn)答复(fù)如下:")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", "-n", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="worker counts (default 1 2 4)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration; the best is kept")
    parser.add_argument("--skip-mojibake", action="store_true",
                        help="leave out the mojibake letters (their repair dominates a small run's time)")
    args = parser.parse_args(argv)
    corpus = make_corpus.ensure(args.letters)
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="dafu-dask-bench-") as tmp:
        label, count = corpus.name, args.letters
        if args.skip_mojibake:
            corpus = _without_mojibake(corpus, Path(tmp) / "corpus")
            count = sum(1 for _ in corpus.rglob("*.txt"))
            label += ", the mojibake letters left out"
        dafu = [_bin("dafu"), "convert", str(corpus), "--quiet", "-o"]
        reference = Path(tmp) / "jobs1"

        def best(name: str, extra: list[str]) -> float:
            times = []
            for k in range(args.repeat):
                out = Path(tmp) / f"{name}-{k}"
                times.append(_timed(dafu + [str(out)] + extra))
                if out != reference and not _same(reference, out):
                    raise SystemExit(f"bench: {name}: outputs differ from the local --jobs 1 run")
            return min(times)

        reference_time = _timed(dafu + [str(reference), "--jobs", "1"])
        rows.append(("local --jobs 1", reference_time))
        rows.append(("local --jobs 2", best("jobs2", ["--jobs", "2"])))
        for n in args.workers:
            with Cluster(n) as cluster:
                name = f"dask, {n} worker{'s' if n > 1 else ''}"
                rows.append((name, best(f"dask{n}", ["--scheduler", cluster.address])))
    print(f"{count} letters ({label}); {os.cpu_count()} cores; load average (1 min) before: "
          f"{load:.1f}, after: {os.getloadavg()[0]:.1f}")
    print(f"{'run':<18} {'seconds':>8} {'letters/s':>10}")
    for name, seconds in rows:
        print(f"{name:<18} {seconds:>8.2f} {count / seconds:>10.1f}")
    local2 = dict(rows)["local --jobs 2"]
    for name, seconds in rows:
        if name.startswith("dask, 2"):
            extra = (seconds - local2) / count * 1000
            print(f"overhead per letter, dask 2 workers vs local --jobs 2: {extra:.2f} ms")
    print("outputs: every run byte-identical to local --jobs 1 (run.json aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
