#!/usr/bin/env python3
"""Scale benchmark: build, load and cold-query costs of a --no-extract graph, each next to a
baseline timed in the same run.

usage: python benchmarks/scale.py [--copies 1,10,30,100] [--graph DIR] [--repeat 3] [--json FILE]
                                  [--baseline-tree /work/main] [--only-json] [--limit-gb 18]
                                  [--no-store-max 10] [--extract-sample 1000]

For each size (the 10k corpus, and synthetic copies of it: ``--copies 10`` is ~100k papers,
titles and author names suffixed per copy so that nothing merges; one listing file per copy),
in fresh processes:
  build   `kg build --no-extract` wall time and peak RSS (graph.json, graph.sqlite, RDF, HTML;
          with --only-json graph.json and graph.sqlite only)
          vs the same build by another kg source tree (--baseline-tree: e.g. before this change)
  graph   RSS of the graph alone: kg.graph.build(..., extract=False) in a fresh process, minus
          the same process before building (bytes per paper)
  load    kg.graph.load(graph.json) wall and peak    vs plain json.load of the same file
          kg.store.local_graph for one author       (the store's answer to one question)
  query   cold `kg query coauthors NAME` (store)     vs the same with --no-store (graph.json;
          up to --no-store-max copies) and vs bare `python -c pass` / `python -c "import networkx"`
  extract (--extract-sample N) CPU seconds of the extractor on N corpus abstracts: the per-core
          rate from which the extraction of each size is projected (not run at these sizes)
NAME is the author with the most papers. ``--graph DIR`` measures an already built 10k folder.
Every process runs under an address-space limit (--limit-gb) so that a size too big for the
machine fails instead of pushing it into swap.
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
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "KG_NO_PROGRESS": "1"}
_WRAP = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
         "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


LIMIT = [18 * 2**30]


def _limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (LIMIT[0], LIMIT[0]))


def measure(cmd: list[str], repeat: int = 1, env: dict | None = None) -> tuple[float, float]:
    """Best wall seconds and its peak RSS (MB) of *cmd*, each run in a fresh wrapper process."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        out = subprocess.run([PY, "-c", _WRAP, *cmd], capture_output=True, text=True, env=env or ENV,
                             check=True, preexec_fn=_limit)
        secs, rss, code = out.stdout.split()
        if code != "0":
            raise SystemExit(f"failed ({code}): {' '.join(cmd)}")
        best = min(best, (float(secs), int(rss) / 1024))
    return best


def in_process(code: str) -> dict:
    """Run *code* (which prints one JSON object) in a fresh interpreter; its output."""
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=ENV, check=True,
                         preexec_fn=_limit)
    return json.loads(out.stdout.splitlines()[-1])


def synthetic(copies: int, folder: Path) -> int:
    """The corpus *copies* times over as JSON Lines, one file per copy in *folder* (copy k > 0:
    titles and author names get a " k<N>" suffix, ids dropped, so that copies are new papers
    by new authors)."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for k in range(copies):
        with open(folder / f"copy{k:04d}.jsonl", "w", encoding="utf-8") as out:
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


_TIMED = ("import json, resource, time; t = time.perf_counter(); {code}; "
          "print(json.dumps({{'secs': time.perf_counter() - t, "
          "'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024{extra}}}))")


def timed(code: str, extra: str = "") -> dict:
    """Seconds (from before *code*'s imports) and peak RSS of *code* in a fresh interpreter."""
    return in_process(_TIMED.format(code=code, extra=extra))


def graph_rss(src: Path) -> dict:
    """RSS of the graph alone: a fresh process's RSS after ``kg.graph.build(extract=False)``
    minus before it (imports done), and the build's peak in that process."""
    code = ("import gc, json, resource; import kg.graph as g\n"
            "def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
            "gc.collect(); a = rss(); G = g.build([%r], extract=False); gc.collect(); b = rss()\n"
            "n = sum(1 for _, t in G.nodes(data='type') if t == 'paper')\n"
            "print(json.dumps({'graph_mb': (b - a) / 2**20, 'base_mb': a / 2**20, 'papers': n, "
            "'bytes_per_paper': (b - a) / n, 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
            % str(src))
    return in_process(code)


def one_size(folder: Path, repeat: int, no_store: bool = True, json_load: bool = True) -> dict:
    graph = folder / "graph.json"
    name = busiest_author(graph)
    res = {"graph_json_mb": round(graph.stat().st_size / 2**20, 1),
           "graph_sqlite_mb": round(graph.with_suffix(".sqlite").stat().st_size / 2**20, 1), "author": name}
    q = ["-m", "kg", "query", "coauthors", name, "--graph", str(graph)]
    res["query_store"] = measure([PY, *q], repeat)
    if no_store:
        res["query_json"] = measure([PY, *q, "--no-store"], 1)
    res["python_bare"] = measure([PY, "-c", "pass"], repeat)
    res["python_networkx"] = measure([PY, "-c", "import networkx"], repeat)
    res["kg_load"] = timed("import kg.graph as g; G = g.load(%r)" % str(graph),
                           ", 'nodes': len(G), 'rss_mb': int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20")
    if json_load:
        res["json_load"] = timed("json.load(open(%r, encoding='utf-8'))" % str(graph))
    res["store_local"] = timed("from kg import store; H = store.local_graph(%r, [(%r, 'author')])"
                               % (str(graph), name), ", 'local_nodes': len(H)")
    return res


def extraction_rate(n: int) -> dict:
    """CPU seconds of the extractor (loaded beforehand) on the first *n* corpus papers."""
    code = ("import gzip, itertools, json, time; from kg.extract import Extractor; ex = Extractor(); "
            "rows = [json.loads(l) for l in itertools.islice(gzip.open(%r, 'rt', encoding='utf-8'), %d)]; "
            "papers = [{'id': i, 'title': r.get('title'), 'abstract': r.get('abstract')} for i, r in enumerate(rows)]; "
            "list(ex.extract_many(papers[:50])); c = time.process_time(); list(ex.extract_many(papers)); "
            "print(json.dumps({'papers': len(papers), 'cpu_s': time.process_time() - c}))" % (str(CORPUS), n))
    return in_process(code)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", default="1", help="sizes as copies of the corpus (default 1 = 10k)")
    ap.add_argument("--graph", type=Path, help="an already built 10k output folder (skips its build)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--baseline-tree", type=Path, metavar="DIR",
                    help="also build with the kg source tree DIR (e.g. the main checkout) in the same run")
    ap.add_argument("--only-json", action="store_true", help="build graph.json + graph.sqlite only (no RDF/HTML)")
    ap.add_argument("--limit-gb", type=float, default=18, help="address-space limit of every measured process")
    ap.add_argument("--no-store-max", type=int, default=10, metavar="COPIES",
                    help="largest size at which the --no-store query (a whole-graph load) is timed")
    ap.add_argument("--json-load-max", type=int, default=30, metavar="COPIES",
                    help="largest size at which the plain json.load baseline is timed (it holds the whole "
                         "file as Python objects: ~3x graph.json)")
    ap.add_argument("--extract-sample", type=int, default=0, metavar="N",
                    help="time the extractor on N abstracts to project extraction per size")
    ap.add_argument("--graph-rss-max", type=int, default=10**6, metavar="COPIES",
                    help="largest size at which the graph alone is built again to measure its RSS")
    ap.add_argument("--tmp", type=Path, help="work folder (default: a temporary one)")
    args = ap.parse_args()
    LIMIT[0] = int(args.limit_gb * 2**30)
    results = []
    rate = extraction_rate(args.extract_sample) if args.extract_sample else None
    if rate:
        print(f"extraction: {rate['papers']} abstracts in {rate['cpu_s']:.1f} CPU s "
              f"({rate['papers'] / rate['cpu_s']:.0f} abstracts/s per core)", flush=True)
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for copies in map(int, args.copies.split(",")):
            row: dict = {"copies": copies}
            if copies == 1 and args.graph:
                folder = args.graph
            else:
                src = Path(tmp) / f"corpus-x{copies}"
                row["papers"] = synthetic(copies, src) if copies > 1 else None
                src = src if copies > 1 else CORPUS
                folder = Path(tmp) / f"out{copies}"
                cmd = [PY, "-m", "kg", "build", str(src), "--no-extract", "--jobs", "1", "-q"]
                cmd += ["--only-json"] if args.only_json else []
                row["build"] = measure(cmd + ["--out", str(folder)])
                if args.baseline_tree:
                    base = Path(tmp) / f"base{copies}"
                    row["build_baseline"] = measure(cmd + ["--out", str(base)],
                                                    env={**ENV, "PYTHONPATH": str(args.baseline_tree)})
                    row["same_graph_json"] = (base / "graph.json").read_bytes() == (folder / "graph.json").read_bytes()
                    shutil.rmtree(base)
                if copies <= args.graph_rss_max:
                    row["graph"] = graph_rss(src)
            row.update(one_size(folder, args.repeat, copies <= args.no_store_max, copies <= args.json_load_max))
            if rate:
                papers = row.get("papers") or row.get("graph", {}).get("papers") or 0
                row["extract_projected_s_per_core"] = papers * rate["cpu_s"] / rate["papers"]
            results.append(row)
            print_row(row)
            if args.json:
                args.json.parent.mkdir(parents=True, exist_ok=True)
                args.json.write_text(json.dumps(results, indent=2))
            if folder != args.graph:
                shutil.rmtree(folder)
            if copies > 1:
                shutil.rmtree(Path(tmp) / f"corpus-x{copies}")


def print_row(r: dict) -> None:
    ld, js = r["kg_load"], r.get("json_load")
    print(f"== corpus x{r['copies']} ({ld['nodes']} nodes; graph.json {r['graph_json_mb']} MB, "
          f"graph.sqlite {r['graph_sqlite_mb']} MB)")
    if "build" in r:
        print(f"  build --no-extract --jobs 1        {r['build'][0]:7.2f} s  peak {r['build'][1]:6.0f} MB")
    if "graph" in r:
        gr = r["graph"]
        print(f"  graph alone (RSS after - before)   {gr['graph_mb']:7.0f} MB = {gr['bytes_per_paper']:.0f} B/paper "
              f"({gr['papers']} papers; that process's peak {gr['peak_mb']:.0f} MB, base {gr['base_mb']:.0f} MB)")
        if "build" in r:
            print(f"  build peak / graph                 {r['build'][1] / gr['graph_mb']:7.2f}x "
                  f"(peak - base: {(r['build'][1] - gr['base_mb']) / gr['graph_mb']:.2f}x)")
    if "build_baseline" in r:
        print(f"  baseline: same build, other tree   {r['build_baseline'][0]:7.2f} s  peak "
              f"{r['build_baseline'][1]:6.0f} MB  (graph.json identical: {r['same_graph_json']})")
    base = (f"json.load same file {js['secs']:.2f} s, peak {js['peak_mb']:.0f} MB ({ld['secs'] / js['secs']:.2f}x)"
            if js else "json.load baseline not run at this size (--json-load-max)")
    print(f"  kg.graph.load                      {ld['secs']:7.2f} s  peak {ld['peak_mb']:6.0f} MB   {base}")
    print(f"  RSS after kg.graph.load            {ld['rss_mb']:7.0f} MB (the loaded graph, resident)")
    sl = r["store_local"]
    print(f"  store.local_graph (1 author)       {sl['secs']:7.3f} s   ({sl['local_nodes']} nodes read; incl. import)")
    for key, what in (("query_store", "cold query coauthors (store)"), ("query_json", "cold query coauthors (--no-store)"),
                      ("python_bare", "baseline: python -c pass"), ("python_networkx", "baseline: import networkx")):
        if key in r:
            print(f"  {what:34s} {r[key][0]:7.2f} s  peak {r[key][1]:6.0f} MB")
    if "extract_projected_s_per_core" in r:
        print(f"  extraction, projected (not run)    {r['extract_projected_s_per_core'] / 60:7.1f} min per core")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
