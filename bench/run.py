"""dafu's benchmark (DESIGN §7): throughput against the floor, scaling, peak RSS, cold start, stage profile.

Every command runs as a child process; wall time is a monotonic clock around it, CPU time and peak
RSS are the operating system's accounting of that child and its reaped descendants (os.wait4). For
`--jobs N` the peak RSS is the largest single process (parent or one worker), not their sum.

    pip install .  &&  python bench/run.py --letters 10000          # the full run
    python bench/run.py --letters 1000 --skip-100k --profile-letters 200   # a quick one
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402

OUT = HERE / "out"
STAGES = ("read", "normalize", "segment", "extract", "process_other", "to_json", "write")


@dataclass
class Run:
    """One finished child: wall and CPU seconds, peak RSS in MB, exit code."""

    wall: float
    cpu: float
    rss_mb: float
    code: int


def measure(argv: list[str], *, stdout=subprocess.DEVNULL) -> Run:
    """Run argv to the end and return its Run (CPU and RSS from wait4: this child and its descendants)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            sys.stderr.write(f"bench: {' '.join(argv)} exited {code}:\n{err.read().decode(errors='replace')[-2000:]}\n")
    scale = 1 / 1048576 if sys.platform == "darwin" else 1 / 1024  # bytes on macOS, KiB on Linux
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale, code)


def dafu_command() -> list[str]:
    """Return the installed `dafu` script (next to this Python first, then on PATH)."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("dafu", path=path)
    if found is None:
        sys.exit("bench: no `dafu` command found; run `pip install .` first")
    return [found]


def compile_bytecode() -> int:
    """Write the .pyc files of the installed dafu (core and cli) and return how many folders were compiled.

    `pip install .` ships them; an editable install run with PYTHONDONTWRITEBYTECODE=1 (as on the shared machine)
    would compile every module again in every timed process (~0.08 s), which no installed dafu pays.
    """
    import compileall
    import importlib.util

    folders = {loc for name in ("dafu", "dafu.cli") if (spec := importlib.util.find_spec(name)) is not None
               for loc in spec.submodule_search_locations or ()}
    for folder in sorted(folders):
        compileall.compile_dir(folder, quiet=1)
    return len(folders)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.txt"))


def warm(folder: Path) -> None:
    """Read every letter once so that every timed run starts with the same page cache."""
    for p in folder.rglob("*.txt"):
        p.read_bytes()


def timed_convert(corpus: Path, jobs: int, name: str) -> Run:
    out = OUT / name
    shutil.rmtree(out, ignore_errors=True)
    run = measure(dafu_command() + ["convert", str(corpus), "-o", str(out), "--jobs", str(jobs), "--quiet"])
    shutil.rmtree(out, ignore_errors=True)
    return run


def timed_floor(corpus: Path) -> Run:
    out = OUT / "floor"
    shutil.rmtree(out, ignore_errors=True)
    run = measure([sys.executable, str(HERE / "floor.py"), str(corpus), "-o", str(out)])
    shutil.rmtree(out, ignore_errors=True)
    return run


def cold_start(runs: int, letter: Path) -> dict[str, dict[str, float]]:
    """Return min/median/max wall ms of `dafu --help`, a one-letter convert and `python -c pass`, interleaved."""
    dafu = dafu_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "dafu --help": dafu + ["--help"],
        "dafu convert <one letter>": dafu + ["convert", str(letter)],
    }
    times: dict[str, list[float]] = {k: [] for k in commands}
    for argv in commands.values():  # one warm-up each: page cache and .pyc files
        measure(argv)
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(measure(argv).wall * 1000)
    return {k: {"min": min(v), "median": statistics.median(v), "max": max(v), "runs": len(v)} for k, v in times.items()}


def _letters(corpus: Path, limit: int) -> list[Path]:
    """Return up to `limit` letters spread evenly over the corpus (the mix stays the corpus's mix)."""
    paths = sorted(corpus.rglob("*.txt"))
    step = max(1, len(paths) // max(1, limit))
    return paths[::step][:limit]


def variants(corpus: Path) -> dict[str, str]:
    """Return path -> variant from the corpus's MANIFEST.tsv."""
    lines = (corpus / "MANIFEST.tsv").read_text("utf-8").splitlines()[1:]
    return {str(corpus / rel): variant for rel, variant, _ in (line.split("\t") for line in lines)}


def stage_times(paths: list[Path], kinds: dict[str, str] | None = None
                ) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Return (seconds per stage, [letters, seconds] per corpus variant) of the `--jobs 1` path, in this process."""
    import importlib

    import dafu
    from dafu.cli.writers import atomic_write
    from dafu.output import record_to_json
    from dafu.read import read_file

    totals = dict.fromkeys(STAGES, 0.0)
    by_variant: dict[str, list[float]] = {}
    modules = {name: importlib.import_module(f"dafu.{name}") for name in ("normalize", "segment", "extract")}
    originals = {name: getattr(mod, name) for name, mod in modules.items()}

    def wrap(name, func):
        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                totals[name] += time.perf_counter() - t
        return timed

    out = OUT / "stages" / "letters"
    shutil.rmtree(out.parent, ignore_errors=True)
    out.mkdir(parents=True)
    # load tables first
    dafu.process("关于第1号提案的答复\n张三委员：\n现答复如下：培训100人次。\n某某局\n2020年1月1日\n")
    for name, mod in modules.items():
        setattr(mod, name, wrap(name, originals[name]))
    try:
        for i, path in enumerate(paths):
            t0 = time.perf_counter()
            decoded = read_file(path)
            t1 = time.perf_counter()
            inner = sum(totals[s] for s in ("normalize", "segment", "extract"))
            record = dafu.process(decoded.text, id=str(i), source=decoded.source(str(path)))
            t2 = time.perf_counter()
            data = record_to_json(record)
            t3 = time.perf_counter()
            atomic_write(str(out / f"{i}.json"), data + b"\n")
            t4 = time.perf_counter()
            totals["read"] += t1 - t0
            totals["process_other"] += (t2 - t1) - (sum(totals[s] for s in ("normalize", "segment", "extract")) - inner)
            totals["to_json"] += t3 - t2
            totals["write"] += t4 - t3
            slot = by_variant.setdefault((kinds or {}).get(str(path), "?"), [0, 0.0])
            slot[0] += 1
            slot[1] += t4 - t0
    finally:
        for name, mod in modules.items():
            setattr(mod, name, originals[name])
        shutil.rmtree(out.parent, ignore_errors=True)
    return totals, by_variant


def top_costs(paths: list[Path], count: int = 10) -> list[dict[str, object]]:
    """Return cProfile's top functions by own time over the `--jobs 1` path of these letters."""
    import cProfile
    import pstats

    import dafu
    from dafu.output import record_to_json
    from dafu.read import read_file

    dafu.process("关于第1号提案的答复\n张三委员：\n现答复如下：培训100人次。\n某某局\n2020年1月1日\n")
    profiler = cProfile.Profile()
    profiler.enable()
    for i, path in enumerate(paths):
        decoded = read_file(path)
        record_to_json(dafu.process(decoded.text, id=str(i), source=decoded.source(str(path))))
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    rows = []
    for (file, line, func), (_, calls, own, cum, _) in stats.items():
        rows.append({"function": f"{_short(file)}:{line}:{func}", "calls": calls, "own_s": own, "cum_s": cum})
    total = sum(r["own_s"] for r in rows) or 1.0
    rows.sort(key=lambda r: r["own_s"], reverse=True)
    for r in rows:
        r["own_share"] = r["own_s"] / total
    return rows[:count]


def _short(file: str) -> str:
    for mark in ("/core/", "/cli/", "site-packages/", "/lib/python"):
        if mark in file:
            return ("dafu/" if mark == "/core/" else "dafu/cli/" if mark == "/cli/" else "") + file.split(mark, 1)[1]
    return file


def _commit() -> str | None:
    """Return the checkout's commit (with +dirty when files differ from it), or None outside git."""
    try:
        head = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(HERE), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True)
    except OSError:
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if head.returncode == 0 else None


def _fmt_rate(letters: int, size: int, run: Run) -> str:
    return (f"{run.wall:9.1f} s wall {run.cpu:9.1f} s cpu {letters / run.wall:9.1f} letters/s "
            f"{size / 1e6 / run.wall:7.3f} MB/s  peak RSS {run.rss_mb:6.1f} MB")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000, help="corpus size for throughput (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-100k", action="store_true", help="do not build or run the 100,000-letter corpus")
    parser.add_argument("--rss-small", type=int, default=1000, help="small corpus for the RSS comparison")
    parser.add_argument("--rss-jobs", default="",
                        help="comma list of --jobs values for the RSS runs (default: 1 and all cores)")
    parser.add_argument("--cold-runs", type=int, default=11, help="runs per cold-start command (median)")
    parser.add_argument("--profile-letters", type=int, default=1000, help="letters in the stage profile (0: skip)")
    parser.add_argument("--cprofile-letters", type=int, default=300, help="letters under cProfile (0: skip)")
    parser.add_argument("--only", default="", help="comma list of parts: throughput,rss,cold,profile (default all)")
    parser.add_argument("--json", default=str(OUT / "results.json"), help="write the figures here too")
    return parser.parse_args(argv)


def _throughput(args: argparse.Namespace, corpus: Path, size: int) -> dict[str, object]:
    warm(corpus)
    floor = timed_floor(corpus)
    print(f"floor           {_fmt_rate(args.letters, size, floor)}", flush=True)
    jobs1 = timed_convert(corpus, 1, "jobs1")
    print(f"dafu --jobs 1   {_fmt_rate(args.letters, size, jobs1)}", flush=True)
    n = cores()
    jobsn = timed_convert(corpus, n, f"jobs{n}")
    print(f"dafu --jobs {n}   {_fmt_rate(args.letters, size, jobsn)}", flush=True)
    print(f"ratio dafu --jobs 1 / floor: {jobs1.wall / floor.wall:.1f} x wall, {jobs1.cpu / floor.cpu:.1f} x cpu "
          f"(target <= 10, DESIGN §7)")
    print(f"speedup --jobs {n} / --jobs 1: {jobs1.wall / jobsn.wall:.2f} x (target >= 1.7 on 2 cores)", flush=True)
    return {"bytes": size, "floor": asdict(floor), "jobs1": asdict(jobs1), f"jobs{n}": asdict(jobsn)}


def _rss(args: argparse.Namespace) -> dict[str, object]:
    rss = {}
    sizes = [args.rss_small] + ([] if args.skip_100k else [100_000])
    for letters in sizes:
        folder = make_corpus.ensure(letters, args.seed, jobs=cores())
        for jobs in [int(j) for j in args.rss_jobs.split(",") if j] or (1, cores()):
            run = timed_convert(folder, jobs, f"rss{letters}-j{jobs}")
            rss[f"{letters} letters, --jobs {jobs}"] = asdict(run)
            print(f"peak RSS {letters:>7} letters --jobs {jobs}: {run.rss_mb:6.1f} MB "
                  f"({run.wall:.1f} s wall; target < 150 MB)", flush=True)
    return rss


def _cold(args: argparse.Namespace, corpus: Path) -> dict[str, dict[str, float]]:
    samples = HERE.parent / "samples"
    letter = next(iter(sorted(samples.glob("003_*.txt"))), None) or sorted(corpus.rglob("*.txt"))[1]
    cold = cold_start(args.cold_runs, letter)
    for name, t in cold.items():
        print(f"cold start {name:28} median {t['median']:6.0f} ms  (min {t['min']:.0f}, max {t['max']:.0f}, "
              f"{t['runs']} runs)", flush=True)
    print("targets: dafu --help < 150 ms, one-letter convert < 300 ms")
    return cold


def _profile(args: argparse.Namespace, corpus: Path, results: dict[str, object]) -> None:
    paths = _letters(corpus, args.profile_letters)
    stages, by_variant = stage_times(paths, variants(corpus))
    total = sum(stages.values())
    results["stages"] = {"letters": len(paths), "seconds": stages, "by_variant": by_variant}
    print(f"stages over {len(paths)} letters (--jobs 1 path, in process): {total:.1f} s")
    for name, sec in stages.items():
        print(f"  {name:14} {sec:8.2f} s  {sec / total:6.1%}")
    print("time by corpus variant (all stages):")
    for name, (n, sec) in sorted(by_variant.items()):
        print(f"  {name:12} {n:6} letters {sec:8.2f} s  {sec / total:6.1%}  {1000 * sec / n:8.1f} ms/letter")
    if args.cprofile_letters:
        top = top_costs(paths[: args.cprofile_letters])
        results["top_costs"] = top
        print(f"cProfile over {min(len(paths), args.cprofile_letters)} letters, top functions by own time:")
        for r in top:
            print(f"  {r['own_s']:8.2f} s {r['own_share']:6.1%} {r['calls']:>9} calls  {r['function']}")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    parts = set(args.only.split(",")) if args.only else {"throughput", "rss", "cold", "profile"}
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "cores": cores(),
                                  "load_before": os.getloadavg(), "letters": args.letters, "commit": _commit()}
    corpus = make_corpus.ensure(args.letters, args.seed, jobs=cores())
    size = corpus_bytes(corpus)
    results["bytecode_folders"] = compile_bytecode()
    print(f"corpus {corpus}: {args.letters} letters, {size / 1e6:.1f} MB; {cores()} cores; "
          f"load {os.getloadavg()[0]:.1f}; commit {results['commit']}", flush=True)
    if "throughput" in parts:
        results["throughput"] = _throughput(args, corpus, size)
    if "rss" in parts:
        results["rss"] = _rss(args)
    if "cold" in parts:
        results["cold_start_ms"] = _cold(args, corpus)
    if "profile" in parts and args.profile_letters:
        _profile(args, corpus, results)
    results["load_after"] = os.getloadavg()
    Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0

if __name__ == "__main__":
    sys.exit(main())
