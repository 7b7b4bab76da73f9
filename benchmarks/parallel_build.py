#!/usr/bin/env python3
"""`kg build --jobs 2` against `--jobs 1`, and `kg add` of 1k papers against a full rebuild, on
the 10k corpus; every figure next to its baseline timed in the same run.

usage: python benchmarks/parallel_build.py [--repeat 2] [--no-extract] [--skip-add]
                                           [--baseline-tree /work/main] [--json FILE]

* build: `kg build CORPUS --jobs 1` and `--jobs 2`, interleaved (j1, j2, j2, j1, ...: the machine
  may be shared, so neither gets the quiet minutes), each in a fresh process: wall time, CPU
  time of the process and its workers, peak RSS of the biggest process, the load average
  before the run. The speed-up is best j1 / best j2. Outputs are compared byte for byte.
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
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")) / "data/corpus/conference-papers-2022-2024.jsonl.gz"
OUTPUTS = ("graph.json", "graph.sqlite", "graph.nt", "graph.ttl", "graph.html")
_WRAP = ("import os, resource, subprocess, sys, time; l = os.getloadavg()[0]; t = time.perf_counter(); "
         "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); w = time.perf_counter() - t; "
         "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
         "print(w, u.ru_utime + u.ru_stime, u.ru_maxrss, l, r.returncode)")


def run(tree: Path, args: list[str]) -> dict:
    """One `kg ARGS` of source *tree* in a fresh wrapper process: wall, cpu, peak RSS, load."""
    env = {**os.environ, "PYTHONPATH": str(tree), "KG_NO_PROGRESS": "1"}
    out = subprocess.run([sys.executable, "-c", _WRAP, sys.executable, "-m", "kg", *args],
                         capture_output=True, text=True, env=env, check=True, cwd=tree)
    wall, cpu, rss, load, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"failed ({code}): kg {' '.join(args)}")
    return {"wall_s": round(float(wall), 2), "cpu_s": round(float(cpu), 2),
            "peak_rss_mb": round(int(rss) / 1024), "load": round(float(load), 2)}


def same_outputs(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in OUTPUTS if (a / n).exists())


def bench_jobs(tree: Path, tmp: Path, repeat: int, extra: list[str], label: str) -> dict:
    runs: dict[int, list[dict]] = {1: [], 2: []}
    order = [1, 2, 2, 1] * ((repeat + 1) // 2)
    for i, jobs in enumerate(order[:2 * repeat]):
        r = run(tree, ["build", str(CORPUS), "--out", str(tmp / f"{label}-j{jobs}"), "--jobs", str(jobs), "-q", *extra])
        runs[jobs].append(r)
        print(f"  {label} --jobs {jobs}: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s cpu, "
              f"{r['peak_rss_mb']} MB, load {r['load']}", flush=True)
    best = {j: min(rs, key=lambda r: r["wall_s"]) for j, rs in runs.items()}
    same = same_outputs(tmp / f"{label}-j1", tmp / f"{label}-j2")
    res = {"runs": runs, "speedup": round(best[1]["wall_s"] / best[2]["wall_s"], 2), "identical": same}
    print(f"{label}: --jobs 1 {best[1]['wall_s']:.1f} s, --jobs 2 {best[2]['wall_s']:.1f} s: "
          f"speed-up {res['speedup']:.2f}x (target 1.7x), outputs identical: {same}", flush=True)
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
    print(f"kg add of 1,000 papers to {len(lines) - 1000:,} (--jobs {jobs}): {add['wall_s']:.1f} s "
          f"(load {add['load']}); full rebuild of the {len(lines):,}: {full['wall_s']:.1f} s (load {full['load']}): "
          f"{res['ratio']:.2f}x; outputs byte-identical to the rebuild: {same}", flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each --jobs (interleaved)")
    ap.add_argument("--no-extract", action="store_true", help="builds without extraction")
    ap.add_argument("--skip-add", action="store_true")
    ap.add_argument("--add-jobs", type=int, default=2)
    ap.add_argument("--baseline-tree", type=Path, metavar="DIR")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"needs the corpus at {CORPUS}")
    extra = ["--no-extract"] if args.no_extract else []
    tmp = Path(tempfile.mkdtemp(prefix="kg-parallel-"))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}; scratch {tmp}")
    report = {"extract": not args.no_extract, "this": bench_jobs(ROOT, tmp, args.repeat, extra, "this tree")}
    if args.baseline_tree:
        report["baseline"] = bench_jobs(args.baseline_tree, tmp, args.repeat, extra, "baseline tree")
    if not args.skip_add:
        report["add"] = bench_add(tmp, args.add_jobs, extra)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
