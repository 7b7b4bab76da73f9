"""Query latencies on the 10k-paper corpus graph.

    python benchmarks/query_speed.py                  # build from ../shared/data/corpus/ (no extraction)
    python benchmarks/query_speed.py --extract        # ... with method/benchmark extraction (slow)
    python benchmarks/query_speed.py --graph exports/graph.json
    python benchmarks/query_speed.py --endpoint [--graph exports/graph.json] [-n 50]

Prints the graph's size, the one-off index/projection build time (cold: the first query of a
graph pays it once), then median / p95 / max latencies of warm co-author, collaboration-path
and author-profile queries over seeded random authors (targets: < 1 ms, < 5 ms, < 5 ms) and the
time of Louvain communities of the whole co-author graph (target: < 10 s).

Then Louvain before/after (issue 12), on the seed co-author graph and on this graph's, in the
same run: the hand-written Louvain kg.query had (baseline, benchmarks/louvain_baseline.py),
NetworkX's louvain_communities, python-igraph's multilevel (conversion timed apart), leidenalg,
and kg.query.louvain_partition as shipped; CPU time (best of --repeat) and modularity.

With --endpoint, instead: the graph's N-Triples export bulk-loaded into a local ``oxigraph
serve`` (load time printed), and per question the latency through SPARQL (``kg.endpoint``, a
fresh connection per question, as one ``kg query --endpoint`` call) next to the same question
in memory (warm) and to what a cold in-memory ``kg query`` pays first (load graph.json + index);
every answer is checked to equal the in-memory one.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import kg  # noqa: E402
from kg import query as q  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "corpus"
TARGETS = {"coauthors": 1.0, "collaboration_path": 5.0, "author_profile": 5.0}


def _stats(times_ms: list[float]) -> str:
    times_ms = sorted(times_ms)
    p95 = times_ms[min(len(times_ms) - 1, int(0.95 * len(times_ms)))]
    return f"median {statistics.median(times_ms):7.3f} ms  p95 {p95:7.3f} ms  max {times_ms[-1]:7.3f} ms"


def _time(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t) * 1000


def corpus_graph(path: str, extract: bool = False):
    """The graph of the corpus through kg.build; gzipped JSON-lines files are first unpacked
    to a temporary .jsonl (the listing readers take plain text)."""
    import gzip
    import shutil
    import tempfile

    p = Path(path)
    files = sorted(p.glob("*.jsonl*")) if p.is_dir() else [p]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = []
        for f in files:
            if f.suffix == ".gz":
                out = Path(tmp) / f.name[:-3]
                with gzip.open(f, "rb") as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                f = out
            inputs.append(str(f))
        return kg.build(inputs, extract=extract)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", help="a graph.json to load instead of building from the corpus")
    ap.add_argument("--corpus", default=str(CORPUS), help="corpus folder or file (default: %(default)s)")
    ap.add_argument("--extract", action="store_true", help="extract methods/benchmarks when building")
    ap.add_argument("-n", type=int, default=300, help="queries per kind (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="Louvain runs per algorithm, best kept (default: %(default)s)")
    ap.add_argument("--endpoint", action="store_true",
                    help="time the questions through SPARQL against a local Oxigraph server instead")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    if args.graph:
        G = kg.load(args.graph)
        how = f"loaded {args.graph}"
    else:
        if not Path(args.corpus).exists():
            print(f"no corpus at {args.corpus}; pass --graph or --corpus", file=sys.stderr)
            return 2
        G = corpus_graph(args.corpus, extract=args.extract)
        how = f"built from {args.corpus}" + (" with extraction" if args.extract else " (no extraction)")
    load_s = time.perf_counter() - t
    s = kg.summary(G)
    print(f"graph: {how} in {load_s:.1f} s")
    print(f"  {G.number_of_nodes()} nodes, {G.number_of_edges()} edges: {s['papers']} papers, "
          f"{s['authors']} authors, {s['coauthor_pairs']} co-author pairs, {s['methods']} methods, "
          f"{s['benchmarks']} benchmarks")

    if args.endpoint:
        return endpoint_comparison(G, args.graph, min(args.n, 100), args.seed)
    q.clear_cache(G)
    t = time.perf_counter()
    H = q.coauthor_graph(G)  # builds the cached index and the co-author projection
    print(f"index + co-author projection (cold, once per graph): {(time.perf_counter() - t) * 1000:.0f} ms "
          f"({H.number_of_nodes()} authors, {H.number_of_edges()} co-author edges); "
          "the query figures below are warm")

    rng = random.Random(args.seed)
    authors = sorted(H.nodes)
    sample = [rng.choice(authors) for _ in range(args.n)]
    names = [G.nodes[a]["name"] for a in sample]
    import networkx as nx

    giant = sorted(max(nx.connected_components(H), key=len))
    pairs = [(G.nodes[rng.choice(giant)]["name"], G.nodes[rng.choice(giant)]["name"]) for _ in range(args.n)]
    print(f"largest connected co-author component: {len(giant)} authors (path queries sample from it)")
    q.clear_cache(G)
    cold = _time(q.collaboration_path, G, *pairs[0])
    print(f"{'collaboration_path (cold)':26s} {cold:7.1f} ms: the first query of a graph, index + projection included")

    results = {
        "coauthors": [_time(q.coauthors, G, n) for n in names],
        "collaboration_path": [_time(q.collaboration_path, G, a, b) for a, b in pairs],
        "author_profile": [_time(q.author_profile, G, n) for n in names],
        "find_node (author name)": [_time(q.find_node, G, n.upper()) for n in names],
    }
    dist = [len(q.collaboration_path(G, a, b)) for a, b in pairs]
    ok = True
    for k, v in results.items():
        target = TARGETS.get(k)
        verdict = ""
        if target is not None:
            good = statistics.median(v) < target
            ok &= good
            verdict = f"  (target < {target:g} ms: {'ok' if good else 'MISSED'})"
        print(f"{k:26s} {_stats(v)}{verdict}")
    print(f"  mean collaboration distance over the sampled pairs: {statistics.mean(dist):.2f}")

    t = time.perf_counter()
    comms = q.communities(G, min_size=2)
    c_s = time.perf_counter() - t
    good = c_s < 10
    ok &= good
    print(f"{'communities (Louvain)':26s} {c_s:7.2f} s for the whole co-author graph: "
          f"{len(comms)} communities of >= 2 authors, largest {comms[0]['size'] if comms else 0}"
          f"  (target < 10 s: {'ok' if good else 'MISSED'})")
    for measure in ("pagerank", "betweenness"):
        t = time.perf_counter()
        q.central(G, measure, top=10)
        print(f"{'central (' + measure + ')':26s} {time.perf_counter() - t:7.2f} s (first call; cached after)")
    louvain_comparison(G, args.repeat)
    return 0 if ok else 1


def _best(fn, repeat: int):
    """(best CPU time of this process in s over *repeat* runs, last result): CPU time, not
    wall time, so that other jobs on the machine change the figure less."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t)
    return best, out


def louvain_rows(H, repeat: int = 1, seed: int = 0) -> list[tuple[str, float, list]]:
    """(name, CPU seconds, partition) of each Louvain on the weighted co-author graph *H*."""
    import networkx as nx
    from louvain_baseline import louvain as own_louvain

    rows = []
    adj = {u: {v: d["weight"] for v, d in H[u].items()} for u in H}
    t, parts = _best(lambda: own_louvain(list(H), adj, seed=seed), repeat)
    rows.append(("own Louvain (baseline, kg <= 0.1)", t, parts))
    t, parts = _best(lambda: nx.community.louvain_communities(H, weight="weight", seed=seed), repeat)
    rows.append(("networkx louvain_communities", t, parts))
    try:
        import leidenalg
    except ImportError as exc:  # pragma: no cover
        print(f"  (igraph/leidenalg not importable: {exc})")
    else:
        from kg.query.communities import igraph_multilevel, membership_sets, to_igraph

        t_conv, (g, nodes) = _best(lambda: to_igraph(H), repeat)
        t, membership = _best(lambda: igraph_multilevel(g, seed), repeat)
        rows.append((f"igraph multilevel (+{t_conv * 1000:.0f} ms conversion)", t, membership_sets(nodes, membership)))
        t, lp = _best(lambda: leidenalg.find_partition(g, leidenalg.ModularityVertexPartition,
                                                        weights="weight", seed=seed), repeat)
        rows.append(("leidenalg (modularity)", t, membership_sets(nodes, lp.membership)))
    t, parts = _best(lambda: q.louvain_partition(H, seed=seed), repeat)
    rows.append(("kg.query.louvain_partition (as shipped)", t, parts))
    return rows


def louvain_comparison(G, repeat: int = 3) -> None:
    """Print the Louvain table for the seed co-author graph and for *G*'s."""
    import networkx as nx

    seeds = kg.build([str(ROOT / "seeds")], extract=False)
    for what, H in (("the seed", q.coauthor_graph(seeds)), ("this graph's", q.coauthor_graph(G))):
        print(f"Louvain on {what} co-author graph ({H.number_of_nodes()} authors, "
              f"{H.number_of_edges()} edges), CPU time, best of {repeat}, seed 0:")
        for name, t, parts in louvain_rows(H, repeat):
            print(f"  {name:46s} {t * 1000:9.1f} ms  modularity {nx.community.modularity(H, parts):.4f}"
                  f"  {len(parts)} communities")


# --------------------------------------------------------------------------- --endpoint
def _oxigraph(folder: Path, nt: Path):
    """A local ``oxigraph serve`` over *nt* bulk-loaded into *folder*: (process, query URL, load s)."""
    import shutil
    import socket
    import subprocess
    import urllib.request

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    t = time.perf_counter()
    subprocess.run([binary, "load", "--location", str(folder), "--file", str(nt)], check=True, capture_output=True)
    load_s = time.perf_counter() - t
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).close()
            return proc, url, load_s
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the oxigraph server did not start")


def endpoint_comparison(G, graph_json: str | None, n: int, seed: int) -> int:
    """Per-question latency through SPARQL next to in memory (see the module docstring)."""
    import tempfile

    import networkx as nx

    from kg import store
    from kg.endpoint import Endpoint, central, cooccurring, local_graph, path_graph, top_entities
    from kg.export import rdf

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        kg.save(G, tmp / "graph.json")
        save_s = time.perf_counter() - t
        t = time.perf_counter()
        G2 = kg.load(tmp / "graph.json")
        q.coauthor_graph(G2)
        cold_s = time.perf_counter() - t
        store.write(G, tmp / "graph.sqlite", tmp / "graph.json")
        rdf.write_rdf(G, tmp / "graph.nt")
        proc, url, load_s = _oxigraph(tmp / "db", tmp / "graph.nt")
        try:
            print(f"graph.nt ({(tmp / 'graph.nt').stat().st_size / 1e6:.0f} MB) bulk-loaded into Oxigraph in "
                  f"{load_s:.1f} s; baseline, a cold in-memory question first pays load graph.json + index: "
                  f"{cold_s * 1000:.0f} ms (graph.json written in {save_s:.1f} s)")
            rng = random.Random(seed)
            H = q.coauthor_graph(G)
            authors = sorted(H.nodes)
            giant = sorted(max(nx.connected_components(H), key=len))
            ents = sorted(x for x, t in G.nodes(data="type") if t in ("method", "benchmark"))
            papers = sorted(x for x, t in G.nodes(data="type") if t == "paper")
            names = [G.nodes[rng.choice(authors)]["name"] for _ in range(n)]
            pairs = [(G.nodes[rng.choice(giant)]["name"], G.nodes[rng.choice(giant)]["name"]) for _ in range(n)]
            es = [rng.choice(ents) for _ in range(n)] if ents else []
            ps = [rng.choice(papers) for _ in range(n)]
            sim = dict(hops=2, follow=("author", "method", "benchmark"))
            gj = tmp / "graph.json"
            cases = [  # (question, arguments, in memory, through the endpoint)
                ("coauthors", names, q.coauthors, lambda ep, x: q.coauthors(local_graph(ep, [(x, "author")]), x)),
                ("coauthors (graph.sqlite)", names, q.coauthors,
                 lambda ep, x: q.coauthors(store.local_graph(gj, [(x, "author")]), x)),
                ("author_profile", names, q.author_profile,
                 lambda ep, x: q.author_profile(local_graph(ep, [(x, "author")]), x)),
                ("neighbourhood k=2", names, lambda g, x: q.neighbourhood(g, x, 2),
                 lambda ep, x: q.neighbourhood(local_graph(ep, [(x, "author")], hops=2), x, 2)),
                ("collaboration_path", pairs, lambda g, ab: q.collaboration_path(g, *ab),
                 lambda ep, ab: q.collaboration_path(path_graph(ep, *ab), *ab)),
                ("find_node (NAME upper)", [x.upper() for x in names], q.find_node,
                 lambda ep, x: q.find_node(local_graph(ep, [(x, None)], hops=0), x)),
                ("similar_papers", ps, q.similar_papers,
                 lambda ep, x: q.similar_papers(local_graph(ep, [(x, "paper")], **sim), x)),
                ("papers (method/benchmark)", es, q.papers, lambda ep, x: q.papers(local_graph(ep, [(x, None)]), x)),
                ("cooccurring", es, q.cooccurring, lambda ep, x: cooccurring(ep, x)),
                ("top_entities benchmark", ["benchmark"] * 5 if ents else [], q.top_entities,
                 lambda ep, x: top_entities(ep, x)),
                ("central degree", ["degree"] * 5, lambda g, x: q.central(g, x), lambda ep, x: central(ep, x)),
            ]
            bad = 0
            for label, args, mem, via in cases:
                if not args:
                    continue
                t_mem, t_ep = [], []
                for x in args:
                    t = time.perf_counter()
                    want = mem(G, x)
                    t_mem.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    got = via(Endpoint(url), x)
                    t_ep.append((time.perf_counter() - t) * 1000)
                    bad += got != want
                how = "sqlite  " if "sqlite" in label else "endpoint"
                print(f"{label:26s} {how} {_stats(t_ep)}\n{'':26s} in memory {_stats(t_mem)} (warm)")
            print(f"answers differing from the in-memory ones: {bad}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
