#!/usr/bin/env python3
"""The benchmark suite: every stage of kg on the shared corpus at several sizes.

usage: python benchmarks/run.py [--sizes 1000,5000,10000] [--json benchmarks/results/run.json]
                                [--skip-e2e]

For each size, in a fresh subprocess (so peak RSS is per size), it times:
  parse       kg.ingest on a JSON Lines file of N papers   vs json.loads of the same lines
  extraction  kg.extract on the N abstracts (one process)  vs spacy.blank("en") tokenizing them
  graph       kg.graph merge + resolution (no extraction)  vs plain networkx add_nodes/add_edges
  queries     co-authors / path / author profile            vs networkx G.neighbors on the same authors
  rdf         N-Triples export                              vs rdflib's Turtle serializer (rate on <= 100k triples)
  html        HTML page of a bounded subgraph (500 nodes)   (no baseline)
and prints one table (throughput, ratio to the baseline, peak RSS), written also as JSON.
Then (unless skipped): end-to-end `kg build` of the whole corpus, the --jobs 2 speed-up, and
the cost of `kg add` of 1k new papers to the rest versus extracting those 1k alone.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")) / "data/corpus/conference-papers-2022-2024.jsonl.gz"


def timed(fn, repeat=1):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_corpus(n: int) -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return rows[:n]


def one_size(n: int) -> dict:
    """All stage measurements for the first *n* corpus papers (run in a subprocess)."""
    import networkx as nx
    import spacy

    import kg
    from kg.graph import add_records, new_graph, set_mentions
    from kg.ingest import read_listing

    rows = load_corpus(n)
    tmp = Path(tempfile.mkdtemp())
    src = tmp / "papers.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res: dict = {"papers": n, "stages": {}}

    def stage(name, secs, items, unit, base_secs=None, base_name=None):
        res["stages"][name] = {"seconds": round(secs, 4), "items": items, "unit": unit,
                               "throughput": round(items / secs, 1) if secs else None,
                               "baseline": base_name,
                               "baseline_throughput": round(items / base_secs, 1) if base_secs else None,
                               "ratio": round(base_secs / secs, 3) if base_secs and secs else None}

    # parse
    t_parse, listing = timed(lambda: read_listing(src))
    t_json, _ = timed(lambda: [json.loads(x) for x in lines])
    stage("parse", t_parse, n, "papers", t_json, "json.loads")

    # extraction (one process)
    from kg.extract import Extractor
    ex = Extractor()
    papers = [{"id": i, "title": r["title"], "abstract": r.get("abstract")} for i, r in enumerate(rows)]
    texts = [p["title"] + "\n" + (p["abstract"] or "") for p in papers]
    nlp = spacy.blank("en")
    list(ex.extract_many(papers[:50]))  # warm both up
    list(nlp.tokenizer.pipe(texts[:50]))
    t_tok, _ = timed(lambda: [len(d) for d in nlp.tokenizer.pipe(texts, batch_size=256)], repeat=2)
    t_ext, results = timed(lambda: list(ex.extract_many(papers)), repeat=2)
    stage("extraction", t_ext, n, "abstracts", t_tok, "spacy.blank tokenizer")

    # graph: merge records + resolve mentions
    def build_graph():
        G = new_graph()
        add_records(G, listing.records)
        from kg.model import paper_id
        mapped = [{**r, "id": paper_id(rows[r["id"]]["title"])} for r in results]
        by = {}
        for r in mapped:
            by.setdefault(r["id"], r)
        set_mentions(G, list(by.values()))
        return G

    def plain_graph():
        H = nx.DiGraph()
        for r in rows:
            H.add_node(r["title"])
            for a in r["authors"]:
                H.add_edge(r["title"], a)
        return H

    t_graph, G = timed(build_graph)
    t_plain, _ = timed(plain_graph)
    stage("graph", t_graph, n, "papers", t_plain, "networkx add_edge")

    # queries
    try:
        from kg import query as q
        authors = sorted((d["name"] for _, d in G.nodes(data=True) if d["type"] == "author"))[:: max(1, n // 200)][:200]
        q.coauthors(G, authors[0])  # warm caches
        t_co, _ = timed(lambda: [q.coauthors(G, a) for a in authors])
        aids = [q.find_node(G, a) for a in authors]
        t_nb, _ = timed(lambda: [list(G.predecessors(a)) for a in aids])
        stage("query:coauthors", t_co, len(authors), "queries", t_nb, "G.predecessors")
        t_prof, _ = timed(lambda: [q.author_profile(G, a) for a in authors])
        stage("query:author", t_prof, len(authors), "queries")
        pairs = list(zip(authors, reversed(authors)))[:100]
        # the co-author projection is built once per graph, on the first path query: timed on
        # its own, so that the per-query figure is a warm path query
        t_proj, _ = timed(lambda: q.coauthor_graph(G))
        stage("query:coauthor-projection (one-off)", t_proj, 1, "runs")

        def paths():
            for a, b in pairs:
                try:
                    q.collaboration_path(G, a, b)
                except Exception:
                    pass
        t_path, _ = timed(paths)
        stage("query:path", t_path, len(pairs), "queries")
        t_comm, _ = timed(lambda: q.communities(G))
        stage("query:communities", t_comm, 1, "runs")
    except ImportError as exc:
        res["stages"]["queries"] = {"skipped": str(exc)}

    # rdf
    try:
        from kg.export import rdf
        out = tmp / "g.nt"
        t_nt, ntriples = timed(lambda: rdf.write_rdf(G, out, fmt="ntriples"))
        triples = sum(1 for _ in open(out, encoding="utf-8"))
        import itertools

        import rdflib
        # rdflib's Turtle serializer slows down super-linearly on big graphs: time it on (at
        # most) the first 100k triples and compare rates (triples/s)
        g = rdflib.Graph()
        with open(out, encoding="utf-8") as f:
            sample = "".join(itertools.islice(f, 100_000))
        g.parse(data=sample, format="nt")
        t_ttl, _ = timed(lambda: g.serialize(format="turtle"))
        t_ttl *= triples / len(g)  # the same rate over all triples
        stage("rdf:ntriples", t_nt, triples, "triples", t_ttl, "rdflib turtle")
    except (ImportError, AttributeError, TypeError) as exc:
        res["stages"]["rdf"] = {"skipped": repr(exc)}

    # html
    try:
        from kg.export import html
        t_html, page = timed(lambda: html.render(G, max_nodes=500))
        stage("html (500 nodes)", t_html, 500, "nodes")
    except (ImportError, AttributeError, TypeError) as exc:
        res["stages"]["html"] = {"skipped": repr(exc)}

    res["peak_rss_mb"] = round(peak_rss_mb(), 1)
    res["graph"] = kg.summary(G)
    return res


def run_cmd(args: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of a child command."""
    t = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
                   env={**os.environ, "KG_NO_PROGRESS": "1"})
    wall = time.perf_counter() - t
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def print_table(results: list[dict]) -> None:
    print(f"{'size':>6} {'stage':<18} {'throughput':>14} {'unit':<10} {'baseline':<22} {'ratio':>7}")
    for r in results:
        for name, s in r["stages"].items():
            if "skipped" in s:
                print(f"{r['papers']:>6} {name:<18} skipped: {s['skipped']}")
                continue
            ratio = f"{s['ratio']:.2f}x" if s.get("ratio") else "-"
            print(f"{r['papers']:>6} {name:<18} {s['throughput']:>14,.1f} {s['unit'] + '/s':<10} "
                  f"{(s['baseline'] or '-'):<22} {ratio:>7}")
        print(f"{r['papers']:>6} {'peak RSS':<18} {r['peak_rss_mb']:>14,.1f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,5000,10000")
    ap.add_argument("--json", default=str(ROOT / "benchmarks/results/run.json"))
    ap.add_argument("--skip-e2e", action="store_true")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"needs the corpus at {CORPUS}")
    if args.one:
        print(json.dumps(one_size(args.one)))
        return
    results = []
    for n in [int(x) for x in args.sizes.split(",")]:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True, capture_output=True,
                             text=True, env={**os.environ, "KG_NO_PROGRESS": "1"}, cwd=ROOT)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print_table(results)
    report = {"sizes": results}
    if not args.skip_e2e:
        from kg.parallel import run_extraction

        rows = load_corpus(4000)
        papers = [{"id": i, "title": r["title"], "abstract": r.get("abstract")} for i, r in enumerate(rows)]
        run_extraction(papers[:100], jobs=1)  # load the pipeline once (forked workers share it)
        t_j1, res1 = timed(lambda: run_extraction(papers, jobs=1))
        t_j2, res2 = timed(lambda: run_extraction(papers, jobs=2))
        print(f"\nextraction of {len(papers):,} abstracts: --jobs 1 {t_j1:.1f} s, --jobs 2 {t_j2:.1f} s "
              f"(speed-up {t_j1 / t_j2:.2f}x, identical: {res1 == res2})")
        report["extraction_jobs"] = {"jobs1_s": t_j1, "jobs2_s": t_j2, "speedup": t_j1 / t_j2}
        kg_bin = [sys.executable, "-m", "kg"]
        tmp = Path(tempfile.mkdtemp())
        wall1, rss1 = run_cmd(kg_bin + ["build", str(CORPUS), "--out", str(tmp / "j1"), "--jobs", "1", "-q"])
        wall2, rss2 = run_cmd(kg_bin + ["build", str(CORPUS), "--out", str(tmp / "j2"), "--jobs", "2", "-q"])
        same = (tmp / "j1/graph.json").read_bytes() == (tmp / "j2/graph.json").read_bytes()
        print(f"\nend-to-end kg build of {CORPUS.name}: --jobs 1 {wall1:.1f} s, --jobs 2 {wall2:.1f} s "
              f"(speed-up {wall1 / wall2:.2f}x, identical output: {same}); peak RSS {max(rss1, rss2):.0f} MB")
        # incremental: build all but the last 1000 papers, then add those 1000
        rows = load_corpus(10**9)
        base, new = tmp / "base.jsonl", tmp / "new.jsonl"
        base.write_text("".join(json.dumps(r) + "\n" for r in rows[:-1000]), encoding="utf-8")
        new.write_text("".join(json.dumps(r) + "\n" for r in rows[-1000:]), encoding="utf-8")
        run_cmd(kg_bin + ["build", str(base), "--out", str(tmp / "inc"), "--jobs", "1", "-q", "--only-json"])
        wall_add, _ = run_cmd(kg_bin + ["add", str(new), "--graph", str(tmp / "inc/graph.json"), "--jobs", "1", "-q", "--only-json"])
        wall_new, _ = run_cmd(kg_bin + ["build", str(new), "--out", str(tmp / "new"), "--jobs", "1", "-q", "--only-json"])
        print(f"kg add of 1,000 papers to {len(rows) - 1000:,}: {wall_add:.1f} s; building those 1,000 alone: "
              f"{wall_new:.1f} s; full build (--jobs 1, with RDF and HTML): {wall1:.1f} s")
        report["e2e"] = {"jobs1_s": wall1, "jobs2_s": wall2, "speedup": wall1 / wall2, "identical": same,
                         "peak_rss_mb": max(rss1, rss2), "add_1k_s": wall_add, "build_1k_s": wall_new,
                         }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=1))
    print(f"\nresults written to {args.json}")


if __name__ == "__main__":
    main()
