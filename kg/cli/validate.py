"""``kg validate FILE``: check an RDF export against the SHACL shapes shipped with kg."""
from __future__ import annotations

import argparse

from . import int_at_least


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` command.

    >>> p = argparse.ArgumentParser(); register(p.add_subparsers())
    >>> p.parse_args(["validate", "g.ttl"]).file
    'g.ttl'
    """
    p = sub.add_parser(
        "validate", help="validate an RDF export against the kg SHACL shapes",
        description="Validate an RDF export (.ttl, .nt, .jsonld, .nq) against the closed SHACL "
        "shapes shipped in the package (kg/shapes.ttl), run as SPARQL queries on pyoxigraph "
        "(or with pyshacl: --engine pyshacl). A file with no kg data does not conform. Exit "
        "code 0: conforms; 1: violations (the first ones are printed, one a line); 2: the file "
        "cannot be read.")
    p.add_argument("file", metavar="FILE", help="RDF file to validate")
    p.add_argument("--engine", choices=("oxigraph", "pyshacl"), default="oxigraph",
                   help="oxigraph: the shapes as SPARQL queries (fast, default); pyshacl: the "
                   "reference SHACL engine (its full report)")
    p.add_argument("--max-violations", type=int_at_least(1), default=20, metavar="N",
                   help="oxigraph engine: stop after N violations (default 20)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing; use the exit code")
    p.set_defaults(func=run)


def run(args) -> int:
    """Validate ``args.file``; return 0 if it conforms, 1 if not."""
    from ..export.rdf import validate

    conforms, text = validate(args.file, engine=args.engine, limit=args.max_violations)
    if not args.quiet:
        print(f"{args.file}: conforms" if conforms else text.rstrip())
    return 0 if conforms else 1
