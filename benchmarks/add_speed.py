#!/usr/bin/env python3
"""`kg add` of 1k papers against a full rebuild of all of them, with and without extraction,
timed in one run; and the entity resolution of that add, touched blocks only against all.

usage: python benchmarks/add_speed.py [--new 1000] [--limit N] [--jobs 1] [--baseline-tree /work/main]
                                      [--skip-no-extract] [--json FILE]

The corpus (10,432 papers) is split into its first papers and its last --new (two JSON Lines
files). For each mode (with extraction, then `--no-extract`): `kg build BASE`, then (timed)
`kg add NEW --keep-longer` to it and `kg build BASE NEW` (the full rebuild), each in a fresh
process (`benchmarks/parallel_build.py`'s runner: wall time, CPU of the process and its
workers, peak RSS, the load average before the run); the two output folders are compared byte
for byte. ``--baseline-tree DIR`` also times that source tree's `kg add` (e.g. the main
checkout, which re-resolves every entity) on a copy of the same base folder. With extraction,
the resolution stage alone is then timed in one process on the base graph.json: ``kg.graph.add``
with ``touched=True`` (this change) and ``touched=False`` (every entity re-resolved), CPU seconds
of ``_resolve_entities``, the graphs compared.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import parallel_build  # noqa: E402
from parallel_build import CORPUS, ROOT, same_outputs  # noqa: E402

CWD = Path(tempfile.gettempdir())


def run(tree: Path, args: list[str]) -> dict:
    """`kg ARGS` of source *tree* in a fresh process (``parallel_build.run``), every tree from
    one working directory: the graph records listings by their path relative to it, so that
    outputs of two trees can be compared."""
    return parallel_build.run(tree, args, cwd=CWD)

_STAGE = r"""
import json, sys, time
import kg.graph as g
spent = {}
_orig = g._resolve_entities
def timed(*a, **k):
    t = time.process_time()
    r = _orig(*a, **k)
    spent["s"] = time.process_time() - t
    return r
g._resolve_entities = timed
graph, new = sys.argv[1], sys.argv[2]
out = {}
texts = []
for touched in (True, False, True, False):
    G, info = g.load(graph), {}
    g.add(G, [new], keep_longer=True, resolution=info, touched=touched)
    key = "touched" if touched else "all"
    out.setdefault(key, []).append(round(spent["s"], 3))
    out[key + "_info"] = info
    texts.append(g.to_json(G))
out["same_graph"] = len(set(texts)) == 1
print(json.dumps(out))
"""


def _line(label: str, r: dict) -> str:
    return (f"{label}: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, {r['peak_rss_mb']} MB peak "
            f"(load before {r['load']})")


def bench(tmp: Path, base: Path, new: Path, jobs: int, extra: list[str], baseline: Path | None) -> dict:
    tag = "no-extract" if extra else "extract"
    j = ["--jobs", str(jobs), "-q", *extra]
    inc, full = tmp / f"inc-{tag}", tmp / f"full-{tag}"
    res: dict = {"base_build": run(ROOT, ["build", str(base), "--out", str(inc), *j])}
    shutil.copy(inc / "graph.json", tmp / f"base-{tag}.json")
    if baseline:
        shutil.copytree(inc, tmp / f"inc-baseline-{tag}")
    res["add"] = run(ROOT, ["add", str(new), "--graph", str(inc / "graph.json"), "--keep-longer", *j])
    res["full_rebuild"] = run(ROOT, ["build", str(base), str(new), "--out", str(full), *j])
    res["identical"] = same_outputs(inc, full)
    if baseline:
        b = tmp / f"inc-baseline-{tag}"
        res["baseline_add"] = run(baseline, ["add", str(new), "--graph", str(b / "graph.json"), "--keep-longer", *j])
        res["baseline_identical"] = same_outputs(b, full)
    res["ratio_wall"] = round(res["add"]["wall_s"] / res["full_rebuild"]["wall_s"], 2)
    res["ratio_cpu"] = round(res["add"]["cpu_s"] / res["full_rebuild"]["cpu_s"], 2)
    print(f"[{tag}, --jobs {jobs}]")
    print("  " + _line("kg build BASE (not compared)", res["base_build"]))
    print("  " + _line("kg add NEW", res["add"]))
    print("  " + _line("kg build BASE NEW (full rebuild)", res["full_rebuild"]))
    print(f"  add / full rebuild: {res['ratio_wall']:.2f}x wall, {res['ratio_cpu']:.2f}x CPU; "
          f"outputs byte-identical: {res['identical']}")
    if baseline:
        r = res["baseline_add"]
        print("  " + _line(f"kg add NEW by {baseline}", r) + f": {r['cpu_s'] / res['full_rebuild']['cpu_s']:.2f}x "
              f"the rebuild's CPU; outputs byte-identical: {res['baseline_identical']}")
    return res


def stage(tmp: Path, new: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_NO_PROGRESS": "1"}
    load = round(os.getloadavg()[0], 2)
    out = subprocess.run([sys.executable, "-c", _STAGE, str(tmp / "base-extract.json"), str(new)],
                         capture_output=True, text=True, env=env, check=True, cwd=CWD)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r["load"] = load
    t, a, info = min(r["touched"]), min(r["all"]), r["touched_info"]
    print(f"[resolution stage of the add, CPU s, best of 2, load before {load}] touched blocks: {t:.2f} s "
          f"({info['entities_reresolved']:,} of {info['entities_total']:,} entities, "
          f"{info['mentions_reresolved']:,} mentions, {info['blocks']:,} name blocks); every entity: "
          f"{a:.2f} s; {t / a:.2f}x; same graph: {r['same_graph']}")
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--new", type=int, default=1000, help="papers added (the corpus's last N)")
    ap.add_argument("--limit", type=int, help="only the corpus's first N papers (a quick trial)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--baseline-tree", type=Path, metavar="DIR")
    ap.add_argument("--skip-no-extract", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"needs the corpus at {CORPUS}")
    tmp = Path(tempfile.mkdtemp(prefix="kg-add-speed-"))
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        lines = f.readlines()[:args.limit]
    base, new = tmp / "base.jsonl", tmp / "new.jsonl"
    base.write_text("".join(lines[:-args.new]), encoding="utf-8")
    new.write_text("".join(lines[-args.new:]), encoding="utf-8")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}; {len(lines) - args.new:,} "
          f"papers + {args.new:,} added ({len(lines):,} in the rebuild); scratch {tmp}", flush=True)
    report = {"extract": bench(tmp, base, new, args.jobs, [], args.baseline_tree)}
    report["resolution_stage"] = stage(tmp, new)
    if not args.skip_no_extract:
        report["no_extract"] = bench(tmp, base, new, args.jobs, ["--no-extract"], args.baseline_tree)
    print(f"load average at the end: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
