#!/usr/bin/env python3
"""Peak memory of a whole build, stage by stage, each stage in a fresh process, next to the
graph's own size and a ``json.load`` of graph.json measured in the same run.

usage: python benchmarks/build_memory.py [--copies N] [--no-extract] [--tree DIR ...] [--json FILE]
                                         [--stages parse,extract,graph,json,store,ntriples,turtle,html,build]

Input: the 10k corpus (../shared/data/corpus), or ``--copies N`` synthetic copies of it
(``benchmarks/scale.py``'s: titles and author names suffixed per copy). Stages:
  parse    kg.graph.read_records of every listing (the records held at once)
  extract  the extractor over every paper (--jobs 1), results written to a work file
  graph    the graph: records merged (kg.graph.build, extract=False), then the extraction
           results of the work file set (kg.graph.set_mentions, share_values): what a build
           holds; "graph alone" = RSS after it minus RSS before it (imports done), in B/paper
  json, store, ntriples, turtle, html
           the graph as in ``graph``, then one export (graph.json, graph.sqlite, graph.nt,
           graph.ttl, graph.html): that process's peak, and its peak minus its RSS before
           the export (what the export adds)
  build    ``python -m kg build INPUT --jobs 1`` (--no-extract if given): the whole build
  build2   the same with ``--jobs 2``: the peak of the process tree's summed PSS (proportional
           set size: pages shared by forked workers counted once, split between them), sampled
           every 0.2 s from /proc/PID/smaps_rollup, and the largest single process's peak RSS
  json.load  baseline: ``json.load`` of the graph.json written above
``--tree DIR`` repeats everything with another kg source tree (e.g. /work/main, before a
change) in the same run and says whether its output files are byte-identical.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from scale import CORPUS, synthetic  # noqa: E402

PY = sys.executable
STAGES = ("parse", "extract", "graph", "json", "store", "ntriples", "turtle", "html", "build", "build2")
EXPORTS = ("json", "store", "ntriples", "turtle", "html")

_PRELUDE = """
import gc, json, resource, sys, time
def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = {}
"""

_GRAPH = """
import kg.graph as g, networkx
from kg.extract.resolve import resolve
gc.collect(); before = rss()
G = g.build(INPUTS, extract=False)
if EXTRACTED:
    with open(RESULTS, encoding='utf-8') as f:
        results = [json.loads(line) for line in f]
    from kg.extract import EXTRACTOR_VERSION
    g.set_mentions(G, results); del results
    G.graph['extractor_version'] = EXTRACTOR_VERSION
    g.share_values(G)
gc.collect(); after = rss()
out.update(graph_mb=after - before, base_mb=before, graph_peak_mb=peak(),
           papers=sum(1 for _, t in G.nodes(data='type') if t == 'paper'), nodes=len(G))
"""

_STAGE = {
    "parse": """
import kg.graph as g
gc.collect(); before = rss()
recs = g.read_records(INPUTS)
out.update(records=len(recs), held_mb=rss() - before, base_mb=before)
""",
    "extract": """
import kg.graph as g
from kg.parallel import run_extraction
G = g.build(INPUTS, extract=False)
papers = sorted(n for n, t in G.nodes(data='type') if t == 'paper')
todo = [{'id': p, 'title': G.nodes[p]['title'], 'abstract': G.nodes[p].get('abstract')} for p in papers]
gc.collect(); before = rss(); pre = peak()
res = run_extraction(todo, jobs=1)
with open(RESULTS, 'w', encoding='utf-8') as f:
    for r in res: f.write(json.dumps(r, ensure_ascii=False) + '\\n')
out.update(papers=len(res), base_mb=before, peak_before_mb=pre)
""",
    "graph": _GRAPH + """
with open(OUT + '/graph.json', 'w', encoding='utf-8') as f: g.write_json(G, f)
""",
    "json": _GRAPH + """
gc.collect(); out['before_export_mb'] = rss(); out['peak_before_export_mb'] = peak()
with open(OUT + '/graph.json', 'w', encoding='utf-8') as f: g.write_json(G, f)
""",
    "store": _GRAPH + """
from kg import store
gc.collect(); out['before_export_mb'] = rss(); out['peak_before_export_mb'] = peak()
store.write(G, OUT + '/graph.sqlite', OUT + '/graph.json')
""",
    "ntriples": _GRAPH + """
from kg.export.rdf import write_rdf
gc.collect(); out['before_export_mb'] = rss(); out['peak_before_export_mb'] = peak()
write_rdf(G, OUT + '/graph.nt', 'ntriples')
""",
    "turtle": _GRAPH + """
from kg.export.rdf import write_rdf
gc.collect(); out['before_export_mb'] = rss(); out['peak_before_export_mb'] = peak()
write_rdf(G, OUT + '/graph.ttl', 'turtle')
""",
    "html": _GRAPH + """
from kg.export.html import write_build_exports
gc.collect(); out['before_export_mb'] = rss(); out['peak_before_export_mb'] = peak()
write_build_exports(G, OUT)
""",
}


def _tree(pid: int) -> list[int]:
    """*pid* and its descendants (Linux ``/proc/PID/task/*/children``)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return out


def _proc_mb(pid: int, file: str, field: str) -> float:
    """A ``kB`` field of ``/proc/PID/<file>`` in MB (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def build_jobs2(cmd: list[str], env: dict) -> dict:
    """Run *cmd* (a ``kg build --jobs 2``) sampling the summed PSS of its process tree."""
    import time
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    best, most, single = 0.0, 0, 0.0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        best = max(best, sum(_proc_mb(p, "smaps_rollup", "Pss:") for p in pids))
        single = max([single, *(_proc_mb(p, "status", "VmHWM:") for p in pids)])
        most = max(most, len(pids))
        time.sleep(0.2)
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode:
        raise SystemExit(f"kg build --jobs 2 failed ({proc.returncode}): {err[-500:]}")
    return {"peak_mb": best, "max_single_rss_mb": single, "processes": most}


def run_stage(stage: str, tree: Path, inputs: list[str], work: Path, out: Path, extracted: bool) -> dict:
    """Run *stage* with the kg source tree *tree* in a fresh interpreter: its figures."""
    env = {**os.environ, "PYTHONPATH": str(tree), "KG_NO_PROGRESS": "1"}
    t = __import__("time").perf_counter()
    if stage == "build2":
        cmd = [PY, "-m", "kg", "build", *inputs, "--jobs", "2", "-q", "--out", str(out / "build2")]
        d = build_jobs2(cmd + ([] if extracted else ["--no-extract"]), env)
        return {**d, "secs": __import__("time").perf_counter() - t}
    if stage == "build":
        cmd = [PY, "-m", "kg", "build", *inputs, "--jobs", "1", "-q", "--out", str(out / "build")]
        cmd += [] if extracted else ["--no-extract"]
        wrap = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, r.returncode)")
        res = subprocess.run([PY, "-c", wrap, *cmd], capture_output=True, text=True, env=env, check=True)
        mb, code = res.stdout.split()
        if code != "0":
            raise SystemExit(f"kg build failed ({code}) with tree {tree}: {res.stderr[-500:]}")
        return {"peak_mb": float(mb), "secs": __import__("time").perf_counter() - t}
    code = (_PRELUDE + f"INPUTS, RESULTS, OUT, EXTRACTED = {inputs!r}, {str(work / 'results.jsonl')!r}, "
            f"{str(out)!r}, {extracted!r}\n" + _STAGE[stage]
            + "\nout['peak_mb'] = peak(); print(json.dumps(out))\n")
    res = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=env)
    if res.returncode:
        raise SystemExit(f"stage {stage} failed with tree {tree}:\n{res.stderr[-2000:]}")
    d = json.loads(res.stdout.splitlines()[-1])
    d["secs"] = __import__("time").perf_counter() - t
    return d


def json_load(path: Path) -> dict:
    code = (_PRELUDE + f"t = time.perf_counter(); d = json.load(open({str(path)!r}, encoding='utf-8'))\n"
            "out.update(secs=time.perf_counter() - t, peak_mb=peak()); print(json.dumps(out))")
    res = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def measure_tree(tree: Path, stages: list[str], inputs: list[str], work: Path, extracted: bool) -> dict:
    out = work / ("out-" + tree.name)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rows: dict = {}
    for stage in stages:
        if stage == "extract" and (not extracted or (work / "results.jsonl").exists()):
            if extracted:
                print(f"  [{tree}] extract: results.jsonl of an earlier run in {work} reused", flush=True)
            continue
        rows[stage] = run_stage(stage, tree, inputs, work, out, extracted)
        print(f"  [{tree}] {stage}: {rows[stage]['peak_mb']:.0f} MB peak, {rows[stage]['secs']:.1f} s", flush=True)
    if (out / "graph.json").exists():
        rows["json.load"] = json_load(out / "graph.json")
    rows["out"] = str(out)
    return rows


def report(tree: str, rows: dict) -> None:
    g = rows.get("graph") or next((rows[s] for s in EXPORTS if s in rows), None)
    print(f"== {tree}")
    if g:
        print(f"  graph alone {g['graph_mb']:8.0f} MB = {g['graph_mb'] * 2**20 / g['papers']:.0f} B/paper "
              f"({g['papers']} papers, {g['nodes']} nodes; interpreter + imports before it {g['base_mb']:.0f} MB)")
    for stage in (*STAGES, "json.load"):
        r = rows.get(stage)
        if not r:
            continue
        extra = ""
        if "before_export_mb" in r:  # above the graph's own peak, or not at all
            adds = r["peak_mb"] - r["before_export_mb"] if r["peak_mb"] > r["peak_before_export_mb"] else 0
            extra = f"  export adds {adds:6.0f} MB over the graph"
        if g:
            extra += f"  peak / graph {r['peak_mb'] / g['graph_mb']:5.2f}x"
        if "processes" in r:
            extra += (f"  (summed PSS of up to {r['processes']} processes; largest single RSS "
                      f"{r['max_single_rss_mb']:.0f} MB)")
        print(f"  {stage:9s} peak {r['peak_mb']:7.0f} MB  {r['secs']:6.1f} s{extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--no-extract", action="store_true")
    ap.add_argument("--tree", type=Path, action="append", default=[], help="another kg source tree, same run")
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--tmp", type=Path)
    ap.add_argument("--work", type=Path, help="keep the work files here; an earlier run's extraction "
                    "results (results.jsonl) are reused, so the extract stage is skipped")
    args = ap.parse_args()
    stages = [s for s in args.stages.split(",") if s]
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    results = {}
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.copies > 1:
            n = synthetic(args.copies, work / "corpus") if not (work / "corpus").exists() else 0
            inputs = [str(work / "corpus")]
            print(f"{args.copies} copies: {n} papers", flush=True)
        else:
            inputs = [str(CORPUS)]
        for tree in [ROOT, *args.tree]:
            results[str(tree)] = measure_tree(tree.resolve(), stages, inputs, work, not args.no_extract)
        for tree, rows in results.items():
            report(tree, rows)
        trees = list(results.values())
        for other in trees[1:]:
            for sub in ("", "build/", "build2/"):
                for name in ("graph.json", "graph.sqlite", "graph.nt", "graph.ttl", "graph.html"):
                    a, b = Path(trees[0]["out"]) / sub / name, Path(other["out"]) / sub / name
                    if a.exists() and b.exists():
                        print(f"  {sub}{name}: {'identical' if a.read_bytes() == b.read_bytes() else 'DIFFERENT'}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
