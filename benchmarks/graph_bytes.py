#!/usr/bin/env python3
"""Where the bytes of an in-memory graph go: every Python object reachable from the graph
counted once (``sys.getsizeof``), by what holds it, per paper; next to the process's RSS
growth for the same graph (what the allocator really took, holes included).

usage: python benchmarks/graph_bytes.py GRAPH.json            # the graph as kg.graph.load gives it
       python benchmarks/graph_bytes.py --work DIR [--copies N] # as a build holds it: the records of
                                                               # benchmarks/build_memory.py's input and
                                                               # its extraction results (DIR/results.jsonl)
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def rss() -> float:
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20


def breakdown(G) -> Counter:
    """Bytes by category; each object counted once, under the first category that reaches it."""
    seen: set[int] = set()
    out: Counter = Counter()

    def size(obj, cat: str) -> None:
        stack = [obj]
        while stack:
            o = stack.pop()
            if id(o) in seen:
                continue
            seen.add(id(o))
            out[cat] += sys.getsizeof(o)
            if isinstance(o, dict):
                for k, v in o.items():
                    stack.append(k)
                    stack.append(v)
            elif isinstance(o, (list, tuple, set, frozenset)):
                stack.extend(o)

    for outer in (G._node, G._succ, G._pred):
        seen.add(id(outer))
        out["networkx: node table, successor and predecessor maps"] += sys.getsizeof(outer)
    for n in G:  # node ids first (shared by every edge end)
        size(n, "node ids")
    for n in G:
        seen.add(id(G._succ[n])), seen.add(id(G._pred[n]))
        out["networkx: node table, successor and predecessor maps"] += sys.getsizeof(G._succ[n]) + sys.getsizeof(G._pred[n])
    for n, d in G.nodes(data=True):
        t = d.get("type")
        for k, v in d.items():
            if k == "abstract":
                size(v, "paper abstracts")
        seen.add(id(d))
        out[f"{t} attribute dicts"] += sys.getsizeof(d)
        for k, v in d.items():
            size(k, "attribute keys")
            size(v, f"{t} attribute values")
    for u, v, d in G.edges(data=True):
        t = d.get("type")
        if id(d) in seen:  # an attribute dict shared by several edges (kg.persist.SharedAttrs)
            continue
        seen.add(id(d))
        out[f"{t} edge dicts"] += sys.getsizeof(d)
        for k, x in d.items():
            size(k, "attribute keys")
            size(x, "evidence strings" if k == "evidence" else f"{t} edge values")
    size(G.graph, "graph metadata")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graph", nargs="?", type=Path)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--copies", type=int, default=1)
    args = ap.parse_args()
    import kg.graph as g
    import networkx  # noqa: F401

    gc.collect()
    before = rss()
    if args.graph:
        G = g.load(args.graph)
        how = f"kg.graph.load({args.graph})"
    else:
        from scale import CORPUS

        inputs = [str(args.work / "corpus")] if args.copies > 1 else [str(CORPUS)]
        G = g.build(inputs, extract=False)
        with open(args.work / "results.jsonl", encoding="utf-8") as f:
            results = [json.loads(line) for line in f]
        g.set_mentions(G, results)
        del results
        g.share_values(G)
        how = f"built from {inputs} and {args.work / 'results.jsonl'}"
    gc.collect()
    grown = rss() - before
    papers = sum(1 for _, t in G.nodes(data="type") if t == "paper")
    parts = breakdown(G)
    total = sum(parts.values())
    print(f"{how}: {papers} papers, {len(G)} nodes, {G.number_of_edges()} edges")
    print(f"RSS growth {grown:.0f} MB = {grown * 2**20 / papers:.0f} B/paper; "
          f"objects (sys.getsizeof) {total / 2**20:.0f} MB = {total / papers:.0f} B/paper")
    for cat, b in parts.most_common():
        print(f"  {b / papers:7.0f} B/paper  {100 * b / total:5.1f} %  {cat}")


if __name__ == "__main__":
    main()
