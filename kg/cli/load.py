"""``kg load FILE``: load a graph (RDF export or graph.json), print its summary, optionally
write it back as graph.json."""
from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``load`` command.

    >>> p = argparse.ArgumentParser(); register(p.add_subparsers())
    >>> p.parse_args(["load", "g.nt", "--out", "g.json"]).out
    'g.json'
    """
    p = sub.add_parser(
        "load", help="load an RDF export or graph.json and print its summary",
        description="Load a graph from an RDF export (.ttl, .nt, .jsonld, .nq) or a graph.json, "
        "print its summary and, with --out, write it as node-link graph.json.")
    p.add_argument("file", metavar="FILE", help="RDF export or graph.json")
    p.add_argument("--out", default=None, metavar="PATH", help="write the graph as graph.json here")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    """Load ``args.file``; print the summary; write ``args.out`` if given."""
    from .. import load
    from ..graph import save, summary

    G = load(args.file)
    for w in G.graph.pop("warnings", []):  # e.g. evidence missing from an RDF file
        print(f"kg: warning: {w}", file=sys.stderr)
    if args.out:
        save(G, args.out)
    s = summary(G)
    if args.json:
        print(json.dumps({**s, **({"written": [args.out]} if args.out else {})}, ensure_ascii=False))
        return 0
    print(f"papers: {s['papers']}  authors: {s['authors']}  co-author pairs: {s['coauthor_pairs']}  "
          f"sources: {s['sources']}")
    print(f"methods: {s['methods']}  benchmarks: {s['benchmarks']}  "
          f"proposes: {s['proposes_edges']}  uses: {s['uses_edges']}")
    if args.out:
        print(f"wrote: {args.out}")
    return 0
