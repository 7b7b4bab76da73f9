"""``kg export rdf``: write the graph as RDF (Turtle, N-Triples, JSON-LD, N-Quads)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model import KGError
from . import int_at_least

DEFAULT_GRAPH = "exports/graph.json"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``rdf`` exporter to the ``kg export`` sub-commands.

    >>> p = argparse.ArgumentParser(); register(p.add_subparsers())
    >>> p.parse_args(["rdf", "--format", "nquads"]).format
    'nquads'
    """
    from ..export.rdf import FORMATS
    from ..export.vocab import DEFAULT_BASE

    p = sub.add_parser(
        "rdf", help="write the graph as RDF for triple stores",
        description="Write a graph (graph.json, or an RDF export) as RDF: Turtle, N-Triples, "
        "JSON-LD (with a context) or N-Quads (one named graph per source listing). The output "
        "is deterministic: the same graph and base give byte-identical files.")
    p.add_argument("--graph", default=DEFAULT_GRAPH, metavar="PATH",
                   help=f"graph to export (default: {DEFAULT_GRAPH})")
    p.add_argument("--format", choices=list(FORMATS), default=None,
                   help="RDF format (default: from the --out suffix, else turtle)")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="output file, '-' for stdout (default: graph.EXT beside --graph)")
    p.add_argument("--base", default=DEFAULT_BASE, metavar="IRI",
                   help=f"base IRI of the data, ending with /, # or : (default: {DEFAULT_BASE})")
    p.add_argument("--schema-https", action="store_true",
                   help="write schema.org terms as https://schema.org/ (rdflib 7's SDO) instead of "
                   "http://schema.org/ (the default: schema.org's own JSON-LD context, Wikidata)")
    p.add_argument("--license", default=None, metavar="IRI",
                   help="the licence of the export, an http(s) IRI: dcterms:license of <base>graph "
                   "(default: the graph's 'license', else none)")
    p.add_argument("--shard-size", type=int_at_least(1), default=None, metavar="N",
                   help="ntriples/nquads: split into files of at most N lines (NAME-00001.nt, ...)")
    p.set_defaults(func=run)


#: the options of this command for the parameters of :func:`kg.export.rdf.write_rdf`
OPTIONS = {"base": "--base", "fmt": "--format", "shard_size": "--shard-size", "out": "--out"}


def run(args) -> int:
    """Export the graph; print the files written (nothing when writing to stdout). An error
    about a parameter of the library names this command's option instead."""
    from ..export.rdf import ParameterError

    try:
        return _export(args)
    except ParameterError as exc:
        raise exc.for_options(OPTIONS) from None


def _export(args) -> int:
    from ..export.rdf import FORMATS, SUFFIX_FORMAT, check_base, write_rdf
    from ..export.rdf.terms import safe_iri
    from .. import load

    check_base(args.base)  # before the (possibly slow) load
    license_iri = getattr(args, "license", None)
    if license_iri is not None and not safe_iri(license_iri):
        raise KGError(f"invalid --license {license_iri!r}: it must be an http(s) IRI such as "
                      "https://creativecommons.org/licenses/by/4.0/")
    fmt = args.format
    if fmt is None:
        fmt = SUFFIX_FORMAT.get(Path(args.out).suffix, "turtle") if args.out not in (None, "-") else "turtle"
    if args.out == "-":
        if args.shard_size:
            raise KGError("--shard-size needs an output file name (--out)")
        G = load(args.graph)
        if license_iri:
            G.graph["license"] = license_iri
        write_rdf(G, sys.stdout, fmt, base=args.base, schema_https=args.schema_https)
        return 0
    out = Path(args.out) if args.out else Path(args.graph).with_name("graph" + FORMATS[fmt])
    if out.resolve() == Path(args.graph).resolve():
        raise KGError("--out would overwrite the input graph", str(out))
    G = load(args.graph)
    if license_iri:
        G.graph["license"] = license_iri
    written = write_rdf(G, out, fmt, base=args.base, shard_size=args.shard_size,
                        schema_https=args.schema_https)
    print("wrote: " + ", ".join(str(w) for w in written))
    return 0
