#!/usr/bin/env python3
"""`kg build --jobs 2` against `--jobs 1`, and `kg add` of 1k papers against a full rebuild, on
the 10k corpus; every figure next to its baseline timed in the same run.

usage: python benchmarks/parallel_build.py [--repeat 2] [--no-extract] [--skip-add] [--skip-jobs]
                                           [--tree DIR] [--baseline-tree /work/main] [--json FILE]

* build: `kg build CORPUS --jobs 1` and `--jobs 2`, interleaved (j1, j2, j2, j1, ...: the machine
  may be shared, so neither gets the quiet minutes), each in a fresh process: wall time, CPU
  time of the process and its workers, peak RSS of the biggest process, the load average
  before the run, and the critical path: the process's own CPU seconds plus, for each process
  pool, those of its busiest worker (what the wall time is on two idle cores, less waiting).
  On a machine shared with other sessions the kernel's per-session fair share (autogroup) can
  give a session the same CPU rate however many processes it runs: then the wall speed-up says
  nothing and the critical path is the figure. Outputs are compared byte for byte.
  ``--baseline-tree DIR`` also times another kg source tree (e.g. before this change) the same way.
* add: the corpus split into the first 9,432 papers and the last 1,000 (two JSON Lines files):
  `kg build BASE`, then `kg add NEW --keep-longer` against `kg build BASE NEW` (the full
  rebuild, same --jobs); both output folders compared byte for byte (`--keep-longer`: the
  merge rule of a build, for papers listed in both files).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")) / "data/corpus/conference-papers-2022-2024.jsonl.gz"
OUTPUTS = ("graph.json", "graph.sqlite", "graph.nt", "graph.ttl", "graph.html")
# runs `kg ARGS` in this interpreter; every process pool's work is timed per worker process
# (CPU seconds), so that the critical path (the parent's own CPU + per pool the busiest worker)
# can be told apart from the wall time a loaded machine gives
_WRAP = r"""
import json, os, resource, sys, time
import kg.parallel as P
phases = []

def _timed(item):
    fn, x = item
    t = time.process_time()
    r = fn(x)
    return r, os.getpid(), time.process_time() - t

if hasattr(P, "map_processes"):
    _orig = P.map_processes

    def map_processes(fn, items, jobs, flatten=False, **kw):
        out = _orig(_timed, [(fn, x) for x in items], jobs)
        per = {}
        for _, pid, cpu in out:
            per[pid] = per.get(pid, 0) + cpu
        phases.append(per)
        res = [r for r, _, _ in out]
        return [y for r in res for y in r] if flatten else res
    P.map_processes = map_processes

from kg.cli import main
load = os.getloadavg()[0]
t0, c0 = time.perf_counter(), os.times()
sys.stdout = open(os.devnull, "w")
code = main(sys.argv[1:])
wall, c1 = time.perf_counter() - t0, os.times()
own = c1.user - c0.user + c1.system - c0.system
kids = c1.children_user - c0.children_user + c1.children_system - c0.children_system
crit = own + sum(max(p.values()) for p in phases) if hasattr(P, "map_processes") else None
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.__stdout__.write(json.dumps({"code": code, "wall_s": round(wall, 2), "own_cpu_s": round(own, 2),
    "workers_cpu_s": round(kids, 2), "critical_path_s": None if crit is None else round(crit, 2),
    "pools": [sorted(round(v, 2) for v in p.values()) for p in phases],
    "peak_rss_mb": round(rss / 1024), "load": round(load, 2)}) + "\n")
"""


def run(tree: Path, args: list[str], cwd: Path | None = None) -> dict:
    """One `kg ARGS` of source *tree* in a fresh process (working directory *cwd*, default
    *tree*): wall, CPU (own, workers'), critical path, peak RSS of the biggest process, load
    average before it."""
    env = {**os.environ, "PYTHONPATH": str(tree), "KG_NO_PROGRESS": "1"}
    out = subprocess.run([sys.executable, "-c", _WRAP, *args], capture_output=True, text=True,
                         env=env, check=True, cwd=cwd or tree)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if r["code"] != 0:
        raise SystemExit(f"failed ({r['code']}): kg {' '.join(args)}")
    r["cpu_s"] = round(r["own_cpu_s"] + r["workers_cpu_s"], 2)
    if r["critical_path_s"] is None:  # a tree without map_processes: workers split evenly
        jobs = int(args[args.index("--jobs") + 1]) if "--jobs" in args else 1
        r["critical_path_s"] = round(r["own_cpu_s"] + r["workers_cpu_s"] / jobs, 2)
        r["critical_path_note"] = "workers' CPU / jobs (no per-worker figures in this tree)"
    return r


def same_outputs(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in OUTPUTS if (a / n).exists())


def bench_jobs(tree: Path, tmp: Path, repeat: int, extra: list[str], label: str) -> dict:
    runs: dict[int, list[dict]] = {1: [], 2: []}
    order = [1, 2, 2, 1] * ((repeat + 1) // 2)
    for i, jobs in enumerate(order[:2 * repeat]):
        r = run(tree, ["build", str(CORPUS), "--out", str(tmp / f"{label}-j{jobs}"), "--jobs", str(jobs), "-q", *extra])
        runs[jobs].append(r)
        print(f"  {label} --jobs {jobs}: {r['wall_s']:.1f} s wall (load {r['load']}), cpu {r['cpu_s']:.1f} s "
              f"(own {r['own_cpu_s']:.1f}, workers {r['workers_cpu_s']:.1f} {r['pools']}), critical path "
              f"{r['critical_path_s']:.1f} s, {r['peak_rss_mb']} MB", flush=True)
    best = {j: min(rs, key=lambda r: r["wall_s"]) for j, rs in runs.items()}
    crit = {j: min(r["critical_path_s"] for r in rs) for j, rs in runs.items()}
    same = same_outputs(tmp / f"{label}-j1", tmp / f"{label}-j2")
    res = {"runs": runs, "speedup": round(best[1]["wall_s"] / best[2]["wall_s"], 2),
           "speedup_critical_path": round(crit[1] / crit[2], 2), "identical": same}
    print(f"{label}: wall --jobs 1 {best[1]['wall_s']:.1f} s, --jobs 2 {best[2]['wall_s']:.1f} s: "
          f"{res['speedup']:.2f}x; critical path {crit[1]:.1f} s vs {crit[2]:.1f} s: "
          f"{res['speedup_critical_path']:.2f}x (target 1.7x); outputs identical: {same}", flush=True)
    return res


def bench_add(tmp: Path, jobs: int, extra: list[str]) -> dict:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    base, new = tmp / "base.jsonl", tmp / "new.jsonl"
    base.write_text("".join(lines[:-1000]), encoding="utf-8")
    new.write_text("".join(lines[-1000:]), encoding="utf-8")
    j = ["--jobs", str(jobs), "-q", *extra]
    run(ROOT, ["build", str(base), "--out", str(tmp / "inc"), *j])
    add = run(ROOT, ["add", str(new), "--graph", str(tmp / "inc/graph.json"), "--keep-longer", *j])
    full = run(ROOT, ["build", str(base), str(new), "--out", str(tmp / "full"), *j])
    same = same_outputs(tmp / "inc", tmp / "full")
    res = {"add_1k": add, "full_rebuild": full, "ratio": round(add["wall_s"] / full["wall_s"], 2), "identical": same}
    res["ratio_cpu"] = round(add["cpu_s"] / full["cpu_s"], 2)
    print(f"kg add of 1,000 papers to {len(lines) - 1000:,} (--jobs {jobs}): {add['wall_s']:.1f} s wall "
          f"(load {add['load']}), {add['cpu_s']:.1f} s cpu; full rebuild of the {len(lines):,}: "
          f"{full['wall_s']:.1f} s wall (load {full['load']}), {full['cpu_s']:.1f} s cpu: {res['ratio']:.2f}x wall, "
          f"{res['ratio_cpu']:.2f}x cpu; outputs byte-identical to the rebuild: {same}", flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each --jobs (interleaved)")
    ap.add_argument("--no-extract", action="store_true", help="builds without extraction")
    ap.add_argument("--skip-add", action="store_true")
    ap.add_argument("--skip-jobs", action="store_true", help="only the kg add part")
    ap.add_argument("--add-jobs", type=int, default=2)
    ap.add_argument("--baseline-tree", type=Path, metavar="DIR")
    ap.add_argument("--tree", type=Path, default=ROOT, metavar="DIR", help="the kg source tree timed (default: this one)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"needs the corpus at {CORPUS}")
    extra = ["--no-extract"] if args.no_extract else []
    tmp = Path(tempfile.mkdtemp(prefix="kg-parallel-"))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}; scratch {tmp}")
    report: dict = {"extract": not args.no_extract}
    if not args.skip_jobs:
        report["this"] = bench_jobs(args.tree, tmp, args.repeat, extra, "this tree" if args.tree == ROOT else str(args.tree))
    if args.baseline_tree:
        report["baseline"] = bench_jobs(args.baseline_tree, tmp, args.repeat, extra, "baseline tree")
    if not args.skip_add:
        report["add"] = bench_add(tmp, args.add_jobs, extra)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)  # ~0.5 GB of 10k output folders


if __name__ == "__main__":
    main()
