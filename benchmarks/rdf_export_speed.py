"""RDF export speed on the 10k-paper corpus graph.

    python benchmarks/rdf_export_speed.py                      # corpus from ../shared, no extraction
    python benchmarks/rdf_export_speed.py --extract            # ... with method/benchmark extraction (minutes)
    python benchmarks/rdf_export_speed.py --graph exports/graph.json
    python benchmarks/rdf_export_speed.py --reference 624cb03 --cpu   # before/after the package split

Times, on the same graph in the same run: kg's streaming N-Triples / Turtle / N-Quads / JSON-LD
writers (and the graph -> statements mapping alone, ``iter_blocks``), and, on the same triples,
rdflib's Turtle and N-Triples serializers and pyoxigraph's N-Triples serializer. Prints triples/s
for each and the ratio of kg's N-Triples speed to rdflib's Turtle serializer (target: kg
N-Triples >= 300,000 triples/s). Wall-clock, best of --repeat runs; rdflib is timed on the first
--rdflib-sample triples (its Turtle serializer is superlinear on the whole graph).

With ``--reference REV`` the single-module exporter of an older commit (``kg/export/rdf.py``,
e.g. 624cb03, before it became a package) is timed too, interleaved with the current one on
the same graph, and its output checked to be byte-identical. ``--cpu`` times process CPU
time instead of wall-clock (steadier on a machine shared with other jobs). Since issue 16 the
export differs from 624cb03's on purpose (new vocabulary IRI, positions, venues...), so the
reference output is reported as DIFFERENT; its timing is still comparable. Validation speed:
``benchmarks/rdf_validate_speed.py``. Figures: docs/rdf.md.
"""
from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402
from kg.export import rdf  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "corpus"
TARGET = 300_000


CLOCK = time.perf_counter


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = CLOCK()
        fn()
        times.append(CLOCK() - t)
    return min(times)


def reference_module(rev: str):
    """``kg/export/rdf.py`` as it was at *rev*, imported as ``kg.export._rdf_reference``."""
    import importlib.util
    import subprocess

    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:kg/export/rdf.py"],
                         capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "rdf_reference.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("kg.export._rdf_reference", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", help="graph.json to export (default: build the corpus)")
    ap.add_argument("--extract", action="store_true", help="extract methods/benchmarks when building")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each kg writer (best is kept)")
    ap.add_argument("--rdflib-sample", type=int, default=100_000, metavar="N",
                    help="time rdflib's serializers on the first N triples (0: all). rdflib's Turtle "
                    "serializer slows down superlinearly on the whole graph (it binds a prefix per "
                    "distinct namespace: one per paper here), so the default measures its best case")
    ap.add_argument("--reference", metavar="REV", help="also time kg/export/rdf.py of this git commit")
    ap.add_argument("--cpu", action="store_true", help="time process CPU time, not wall-clock")
    args = ap.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time
    ref = reference_module(args.reference) if args.reference else None

    t = time.perf_counter()
    if args.graph:
        G = kg.load(args.graph)
        what = args.graph
    else:
        files = sorted(CORPUS.glob("*.jsonl*"))
        if not files:
            print(f"needs the corpus in {CORPUS} (or --graph)", file=sys.stderr)
            return 2
        G = kg.build([str(f) for f in files], extract=args.extract)
        what = f"corpus ({'with' if args.extract else 'without'} extraction)"
    s = kg.summary(G)
    n = rdf.count_triples(G)
    print(f"graph: {what}: {s['papers']} papers, {s['authors']} authors, {s['methods']} methods, "
          f"{s['benchmarks']} benchmarks; {n:,} triples  [{time.perf_counter() - t:.1f} s to get]")

    results: dict[str, float] = {}
    from collections import deque
    dt = best(lambda: deque(rdf.iter_blocks(G), 0), args.repeat)
    print(f"kg mapping   {dt:7.2f} s  {n / dt:>11,.0f} triples/s  (iter_blocks only: graph -> terms, no syntax)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for fmt in ("ntriples", "turtle", "nquads", "jsonld"):
            out = tmp / f"g{rdf.FORMATS[fmt]}"
            if ref is not None:
                ref_out = tmp / f"ref{rdf.FORMATS[fmt]}"
                dts = [best(lambda: m.write_rdf(G, o, fmt), 1)
                       for _ in range(args.repeat) for m, o in ((ref, ref_out), (rdf, out))]
                dt_ref, dt = min(dts[0::2]), min(dts[1::2])
                same = ref_out.read_bytes() == out.read_bytes()
                results[f"reference {fmt}"] = n / dt_ref
                print(f"ref {fmt:<8} {dt_ref:7.2f} s  {n / dt_ref:>11,.0f} triples/s  ({args.reference}; "
                      f"output {'byte-identical' if same else 'DIFFERENT'})")
            else:
                dt = best(lambda: rdf.write_rdf(G, out, fmt), args.repeat)
            results[f"kg {fmt}"] = n / dt
            print(f"kg {fmt:<9} {dt:7.2f} s  {n / dt:>11,.0f} triples/s  ({out.stat().st_size / 1e6:.0f} MB)")

        import pyoxigraph as ox
        from rdflib import BNode, Graph, Literal, URIRef

        t = time.perf_counter()
        triples = [q.triple for q in ox.parse(path=str(tmp / "g.nt"), format=ox.RdfFormat.N_TRIPLES)]
        print(f"(parsed back with pyoxigraph: {len(triples):,} triples in {time.perf_counter() - t:.1f} s)")
        assert len(triples) == n
        dt = best(lambda: ox.serialize(triples, str(tmp / "ox.nt"), ox.RdfFormat.N_TRIPLES), 1)
        results["pyoxigraph ntriples"] = n / dt
        print(f"pyoxigraph nt  {dt:7.2f} s  {n / dt:>11,.0f} triples/s  (serialising ready-made Triple objects)")

        def conv(x):
            if isinstance(x, ox.NamedNode):
                return URIRef(x.value)
            if isinstance(x, ox.BlankNode):
                return BNode(x.value)
            return Literal(x.value, lang=x.language, datatype=None if x.language else URIRef(x.datatype.value))

        sample = triples[:args.rdflib_sample] if args.rdflib_sample else triples
        m = len(sample)
        t = time.perf_counter()
        g = Graph()
        for tr in sample:
            g.add((conv(tr.subject), conv(tr.predicate), conv(tr.object)))
        print(f"(rdflib Graph of {m:,} triples built in {time.perf_counter() - t:.1f} s)")
        dt = best(lambda: g.serialize(tmp / "rdflib.nt", format="nt", encoding="utf-8"), 1)
        results["rdflib ntriples"] = m / dt
        print(f"rdflib nt      {dt:7.2f} s  {m / dt:>11,.0f} triples/s  ({m:,} triples)")
        dt = best(lambda: g.serialize(tmp / "rdflib.ttl", format="turtle", encoding="utf-8"), 1)
        results["rdflib turtle"] = m / dt
        print(f"rdflib turtle  {dt:7.2f} s  {m / dt:>11,.0f} triples/s  ({m:,} triples)")

    if ref is not None:
        print("now / reference: " + ", ".join(f"{fmt} {results['kg ' + fmt] / results['reference ' + fmt]:.2f}x"
                                              for fmt in ("ntriples", "turtle", "nquads", "jsonld")))
    nt = results["kg ntriples"]
    ref = results["rdflib turtle"]
    ratio = f"{nt / ref:.1f}x rdflib's Turtle serializer"
    print(f"\nkg N-Triples export: {nt:,.0f} triples/s = {ratio}, "
          f"{nt / results['rdflib ntriples']:.1f}x rdflib N-Triples, "
          f"{nt / results['pyoxigraph ntriples']:.2f}x pyoxigraph; target >= {TARGET:,}: "
          f"{'met' if nt >= TARGET else 'NOT met'}")
    return 0 if nt >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
