"""``kg diff OLD NEW --out FILE``: the change between two graphs' N-Triples exports, as a
SPARQL Update (``.ru``) or an RDF Patch (``.rdfp``) for a triple store that keeps the graph."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``diff`` command.

    >>> p = argparse.ArgumentParser(); register(p.add_subparsers())
    >>> p.parse_args(["diff", "a.nt", "b.nt", "--out", "d.ru"]).out
    'd.ru'
    """
    from ..export.vocab import DEFAULT_BASE

    p = sub.add_parser(
        "diff", help="write the RDF delta between two graphs (SPARQL Update or RDF Patch)",
        description="Compare the N-Triples exports of two graphs (each a .nt export, read as it "
        "is, or a graph.json / other RDF export, exported with --base) and write what a store "
        "holding OLD must delete and insert to hold NEW: SPARQL Update DELETE DATA / INSERT "
        "DATA for a .ru file, an RDF Patch for a .rdfp file.")
    p.add_argument("old", metavar="OLD", help="the graph the store holds")
    p.add_argument("new", metavar="NEW", help="the graph it should hold")
    p.add_argument("--out", required=True, metavar="FILE", help="delta file: .ru or .rdfp")
    p.add_argument("--base", default=DEFAULT_BASE, metavar="IRI",
                   help=f"base IRI for inputs that are not .nt (default: {DEFAULT_BASE})")
    p.set_defaults(func=run)


def run(args) -> int:
    """Write the delta; print its size."""
    from ..export.rdf import ParameterError, check_base
    from ..export.rdf.delta import check_delta_path, lines_of, write_delta

    try:
        check_delta_path(args.out)
        check_base(args.base)
    except ParameterError as exc:
        raise exc.for_options({"delta": "--out", "base": "--base"}) from None
    d = write_delta(lines_of(args.old, args.base), lines_of(args.new, args.base), args.out)
    print(f"deleted: {len(d.deleted)}  inserted: {len(d.inserted)}  wrote: {args.out}")
    return 0
