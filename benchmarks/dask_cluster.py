#!/usr/bin/env python3
"""`kg build --engine dask` on a local multi-process cluster, next to `--jobs 1` / `--jobs 2`
and to the previous Dask path, all timed in the same run.

usage: python benchmarks/dask_cluster.py [INPUT ...] [--workers 2] [--json FILE] [--keep DIR]

Starts `dask scheduler` and `dask worker --nworkers N --nthreads 1` (separate processes), then
builds INPUT (default: the 10k corpus) with all exports:
  jobs1, jobs2   `kg build --jobs 1|2`
  old            the previous Dask path (kg.graph.add with engine="dask": files read by Dask
                 tasks, abstracts sent to the workers inside the task graph, exports on the client)
  dask cold      `kg build --engine dask` (first run on this input)
  dask warm      the same again
Before these, both Dask paths build one seed file once (the workers' imports).
For each Dask run: the number and serialized size of the task graphs the client sent the
scheduler (as the client measures them for its "Sending large graph" warning; data scattered to
or gathered from the workers directly is not in them), and whether one crossed the warning's
default 10 MB. Every output file of each run is compared with the `--jobs 1` one.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")) / "data/corpus/conference-papers-2022-2024.jsonl.gz"
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "KG_NO_PROGRESS": "1"}
FILES = ("graph.json", "graph.sqlite", "graph.ttl", "graph.nt", "graph.html")
OLD = ("import sys, kg.graph as g; from kg.cli.build import write_outputs; "
       "G = g.add(g.new_graph(), sys.argv[3:], engine='dask', scheduler=sys.argv[1], keep_longer=True); "
       "write_outputs(G, sys.argv[2])")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd: list[str], dask: bool = False) -> dict:
    """Wall time; for a Dask client, every task graph it sent the scheduler: the client warns
    "Sending large graph of size X" above a threshold, set here to 1 byte, so that each
    graph's serialized size is printed (the default threshold is 10 MB)."""
    env = {**ENV, "DASK_DISTRIBUTED__ADMIN__LARGE_GRAPH_WARNING_THRESHOLD": "1B"} if dask else ENV
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    out = {"wall_s": round(time.perf_counter() - t, 2), "rc": r.returncode}
    if r.returncode:
        out["stderr"] = r.stderr[-2000:]
    if dask:
        from dask.utils import parse_bytes

        sizes = [parse_bytes(m) for m in re.findall(r"Sending large graph of size ([0-9.]+ [kMGT]?i?B)", r.stderr)]
        out.update(graphs=len(sizes), graph_MB=round(sum(sizes) / 2**20, 3),
                   largest_graph_kB=round(max(sizes, default=0) / 2**10, 1),
                   large_graph_warning=any(x > 10e6 for x in sizes))  # the default threshold
    return out


def same(a: Path, b: Path) -> dict:
    return {f: (a / f).read_bytes() == (b / f).read_bytes() for f in FILES if (a / f).exists()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="*", default=[str(CORPUS)])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--keep", metavar="DIR", help="output folders here (default: a temporary one)")
    ap.add_argument("--skip-local", action="store_true", help="no --jobs 1/2 builds: compare with "
                    "the jobs1 folder an earlier run left in --keep DIR (task graph sizes only)")
    args = ap.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="kg-dask-"))
    addr = f"tcp://127.0.0.1:{free_port()}"
    sched = subprocess.Popen([PY, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                              addr.rsplit(":", 1)[1], "--no-dashboard"], env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = subprocess.Popen([PY, "-m", "distributed.cli.dask_worker", addr, "--nworkers", str(args.workers),
                                "--nthreads", "1", "--no-dashboard"], env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from dask.distributed import Client

        with Client(addr, timeout="60s") as c:
            c.wait_for_workers(args.workers, timeout=120)
        warm = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))[:1]
        run([PY, "-c", OLD, addr, str(tmp / "warmup-old"), *warm])  # the scheduler and workers
        run([PY, "-m", "kg", "build", *warm, "--engine", "dask", "--scheduler", addr, "-q",  # import
             "--out", str(tmp / "warmup")])  # what the tasks need once: not counted below
        kg = [PY, "-m", "kg", "build", *args.inputs, "-q"]
        res = {"inputs": args.inputs, "workers": args.workers}
        local = ("jobs1", "jobs2") if not args.skip_local else ()
        for name in local:
            res[name] = run([*kg, "--jobs", name[-1], "--out", str(tmp / name)])
        res["old"] = run([PY, "-c", OLD, addr, str(tmp / "old"), *args.inputs], dask=True)
        for name in ("dask_cold", "dask_warm"):
            res[name] = run([*kg, "--engine", "dask", "--scheduler", addr, "--out", str(tmp / name)], dask=True)
        for name in (*local[1:], "old", "dask_cold", "dask_warm"):
            res[name]["same_as_jobs1"] = same(tmp / "jobs1", tmp / name)
    finally:
        workers.terminate()
        workers.wait(30)
        sched.terminate()
        sched.wait(30)
    j1 = res["jobs1"]["wall_s"] if "jobs1" in res else float("nan")
    for name in (*local, "old", "dask_cold", "dask_warm"):
        r = res[name]
        extra = "" if "graphs" not in r else \
            (f"  {r['graphs']} task graphs, {r['graph_MB']} MB to the scheduler (largest "
             f"{r['largest_graph_kB']} kB), large-graph warning: {r['large_graph_warning']}")
        print(f"{name:10s} {r['wall_s']:7.2f} s  ({r['wall_s'] / j1:.2f}x jobs1){extra}"
              f"{'  identical' if all(r.get('same_as_jobs1', {'': True}).values()) else '  DIFFERENT ' + str(r.get('same_as_jobs1'))}"
              f"{'  rc ' + str(r['rc']) if r['rc'] else ''}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
