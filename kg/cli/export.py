"""``kg export FORMAT``: one sub-command per exporter (``rdf``, ``html``), each registered by its
own module (``kg.cli.export_rdf``, ``kg.cli.export_html``)."""
from __future__ import annotations

import argparse
import importlib

EXPORTERS = ("export_rdf", "export_html")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``kg export`` and its exporters."""
    p = sub.add_parser("export", help="export the graph (rdf, html)",
                       description="Export a graph.json as RDF or as an interactive HTML page.")
    inner = p.add_subparsers(dest="exporter", metavar="FORMAT")
    for name in EXPORTERS:
        importlib.import_module(f"{__package__}.{name}").register(inner)
    p.set_defaults(func=lambda args: p.print_help() or 2)
