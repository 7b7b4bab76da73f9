#!/usr/bin/env python3
"""Scale benchmark: build, load and cold-query costs of a --no-extract graph, each next to a
baseline timed in the same run.

usage: python benchmarks/scale.py [--copies 1,10] [--graph DIR] [--repeat 3] [--json FILE]
                                  [--baseline-tree /work/main]

For each size (the 10k corpus, and synthetic copies of it: ``--copies 10`` is ~100k papers,
titles and author names suffixed per copy so that nothing merges), in fresh processes:
  build   `kg build --no-extract` wall time and peak RSS (graph.json, graph.sqlite, RDF, HTML)
          vs the same build by another kg source tree (--baseline-tree: e.g. before this change)
  load    kg.graph.load(graph.json)                 vs plain json.load of the same file
          kg.store.local_graph for one author       (the store's answer to one question)
  query   cold `kg query coauthors NAME` (store)     vs the same with --no-store (graph.json)
          and vs bare `python -c pass` / `python -c "import networkx"` (interpreter + NetworkX)
NAME is the author with the most papers. ``--graph DIR`` measures an already built 10k folder.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")) / "data/corpus/conference-papers-2022-2024.jsonl.gz"
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "KG_NO_PROGRESS": "1"}
_WRAP = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
         "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


def measure(cmd: list[str], repeat: int = 1, env: dict | None = None) -> tuple[float, float]:
    """Best wall seconds and its peak RSS (MB) of *cmd*, each run in a fresh wrapper process."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        out = subprocess.run([PY, "-c", _WRAP, *cmd], capture_output=True, text=True, env=env or ENV, check=True)
        secs, rss, code = out.stdout.split()
        if code != "0":
            raise SystemExit(f"failed ({code}): {' '.join(cmd)}")
        best = min(best, (float(secs), int(rss) / 1024))
    return best


def in_process(code: str) -> dict:
    """Run *code* (which prints one JSON object) in a fresh interpreter; its output."""
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=ENV, check=True)
    return json.loads(out.stdout)


def synthetic(copies: int, path: Path) -> int:
    """The corpus *copies* times over as JSON Lines (copy k > 0: titles and author names get
    a " k<N>" suffix, ids dropped, so that copies are new papers by new authors)."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for k in range(copies):
            for r in rows:
                if k:
                    r = {key: v for key, v in r.items() if key in ("title", "abstract", "authors", "year", "venue")}
                    r["title"] = f"{r['title']} k{k}"
                    r["authors"] = [f"{a} K{k}" if isinstance(a, str) else a for a in r.get("authors") or []]
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
                n += 1
    return n


def busiest_author(graph: Path) -> str:
    import sqlite3

    con = sqlite3.connect(graph.with_suffix(".sqlite"))
    (name,) = con.execute("SELECT json_extract(n.data, '$.name') FROM nodes n JOIN "
                          "(SELECT v, count(*) c FROM edges GROUP BY v ORDER BY c DESC, v LIMIT 1) e "
                          "ON n.id = e.v").fetchone()
    return name


def one_size(folder: Path, repeat: int) -> dict:
    graph = folder / "graph.json"
    name = busiest_author(graph)
    res = {"graph_json_mb": round(graph.stat().st_size / 2**20, 1),
           "graph_sqlite_mb": round(graph.with_suffix(".sqlite").stat().st_size / 2**20, 1), "author": name}
    q = ["-m", "kg", "query", "coauthors", name, "--graph", str(graph)]
    res["query_store"] = measure([PY, *q], repeat)
    res["query_json"] = measure([PY, *q, "--no-store"], 1)
    res["python_bare"] = measure([PY, "-c", "pass"], repeat)
    res["python_networkx"] = measure([PY, "-c", "import networkx"], repeat)
    res["load"] = in_process(
        "import json, time; t = time.perf_counter(); import kg.graph as g; G = g.load(%r); "
        "a = time.perf_counter() - t; t = time.perf_counter(); json.load(open(%r, encoding='utf-8')); "
        "b = time.perf_counter() - t; from kg import store; t = time.perf_counter(); "
        "H = store.local_graph(%r, [(%r, 'author')]); c = time.perf_counter() - t; "
        "print(json.dumps({'kg_load': a, 'json_load': b, 'store_local': c, 'local_nodes': len(H), 'nodes': len(G)}))"
        % (str(graph), str(graph), str(graph), name))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", default="1", help="sizes as copies of the corpus (default 1 = 10k)")
    ap.add_argument("--graph", type=Path, help="an already built 10k output folder (skips its build)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--baseline-tree", type=Path, metavar="DIR",
                    help="also build with the kg source tree DIR (e.g. the main checkout) in the same run")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for copies in map(int, args.copies.split(",")):
            row: dict = {"copies": copies}
            if copies == 1 and args.graph:
                folder = args.graph
            else:
                src = Path(tmp) / f"corpus-x{copies}.jsonl"
                row["papers"] = synthetic(copies, src) if copies > 1 else None
                folder = Path(tmp) / f"out{copies}"
                cmd = [PY, "-m", "kg", "build", str(src if copies > 1 else CORPUS), "--no-extract", "--jobs", "1", "-q"]
                row["build"] = measure(cmd + ["--out", str(folder)])
                if args.baseline_tree:
                    base = Path(tmp) / f"base{copies}"
                    row["build_baseline"] = measure(cmd + ["--out", str(base)],
                                                    env={**ENV, "PYTHONPATH": str(args.baseline_tree)})
                    row["same_graph_json"] = (base / "graph.json").read_bytes() == (folder / "graph.json").read_bytes()
            row.update(one_size(folder, args.repeat))
            results.append(row)
            print_row(row)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))


def print_row(r: dict) -> None:
    ld = r["load"]
    print(f"== corpus x{r['copies']} ({ld['nodes']} nodes; graph.json {r['graph_json_mb']} MB, "
          f"graph.sqlite {r['graph_sqlite_mb']} MB)")
    if "build" in r:
        print(f"  build --no-extract --jobs 1        {r['build'][0]:7.2f} s  peak {r['build'][1]:6.0f} MB")
    if "build_baseline" in r:
        print(f"  baseline: same build, other tree   {r['build_baseline'][0]:7.2f} s  peak "
              f"{r['build_baseline'][1]:6.0f} MB  (graph.json identical: {r['same_graph_json']})")
    print(f"  kg.graph.load                      {ld['kg_load']:7.2f} s   json.load same file {ld['json_load']:.2f} s"
          f"  ({ld['kg_load'] / ld['json_load']:.2f}x)")
    print(f"  store.local_graph (1 author)       {ld['store_local']:7.3f} s   ({ld['local_nodes']} nodes read)")
    for key, what in (("query_store", "cold query coauthors (store)"), ("query_json", "cold query coauthors (--no-store)"),
                      ("python_bare", "baseline: python -c pass"), ("python_networkx", "baseline: import networkx")):
        print(f"  {what:34s} {r[key][0]:7.2f} s  peak {r[key][1]:6.0f} MB")


if __name__ == "__main__":
    main()
