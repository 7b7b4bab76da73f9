"""``kg export html``: the graph as one self-contained interactive HTML page."""
from __future__ import annotations

import argparse
from pathlib import Path
import sys
import time

from ..model import KGError
from . import int_at_least

FLAGS = {"max_nodes": "--max-nodes", "focus": "--focus", "radius": "--radius", "types": "--types",
         "view": "--view"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``html`` to the ``kg export`` sub-commands.

    >>> from kg.cli import make_parser
    >>> args = make_parser().parse_args(["export", "html", "--types", "author", "--max-nodes", "50"])
    >>> args.types, args.max_nodes, args.out, args.view
    ('author', 50, None, 'full')
    """
    from ..export.html import DEFAULT_MAX_NODES

    p = subparsers.add_parser(
        "html", help="interactive HTML page (works offline)",
        description="Draw the graph as one self-contained HTML page (no network needed): search "
        "box over every node, a checkbox per node and edge type, neighbourhood highlight and a details "
        "panel on click, clusters, year/venue/confidence filters, tooltips.")
    p.add_argument("--graph", default="exports/graph.json", metavar="PATH",
                   help="graph to draw (default: exports/graph.json)")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="page to write (default: graph.html beside --graph)")
    p.add_argument("--max-nodes", type=int_at_least(0), default=DEFAULT_MAX_NODES, metavar="N",
                   help=f"keep the N most connected nodes that each link to another kept one (default {DEFAULT_MAX_NODES}; 0: all)")
    p.add_argument("--focus", metavar="NAME", help="draw only the neighbourhood of this author, "
                   "method, benchmark or paper")
    p.add_argument("--radius", type=int_at_least(0), default=None, metavar="K",
                   help="steps around --focus (default 1)")
    p.add_argument("--types", metavar="LIST", help="node types to draw, e.g. author,paper "
                   "(authors alone are linked by co-authorship)")
    p.add_argument("--view", choices=("full", "coauthors", "concepts"), default="full",
                   help="what the page maps: the whole graph (default), authors linked by shared "
                   "papers, or methods and benchmarks linked by co-occurrence (a concept map)")
    p.add_argument("--renderer", choices=("auto", "canvas", "webgl"), default="auto",
                   help="canvas (vis-network) or WebGL (sigma.js); auto: WebGL past 3,000 nodes")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    p.set_defaults(func=run)


def run(args) -> int:
    """Write the page; print what was drawn and how long it took. Returns the exit code.

    >>> import argparse
    >>> run(argparse.Namespace(graph="no/such.json", out="x.html", max_nodes=10, focus=None,
    ...                        radius=None, types=None, view="full", quiet=True))
    Traceback (most recent call last):
    ...
    kg.model.KGError: no/such.json: no such file
    """
    from ..export.html import SelectionError, select, write_html
    from .. import load

    if args.out is None:
        args.out = str(Path(args.graph).with_name("graph.html"))
    if args.out.endswith((".json", ".ttl", ".nt")):
        raise KGError(f"--out {args.out!r} does not look like an HTML file name")
    G = load(args.graph)
    t = time.perf_counter()
    try:
        sel = select(G, max_nodes=args.max_nodes or None, focus=args.focus, radius=args.radius,
                     types=args.types, view=getattr(args, "view", None))
    except SelectionError as exc:  # the library names its parameters; we name our flags
        raise exc.renamed(FLAGS) from None
    write_html(G, args.out, sel, renderer=getattr(args, "renderer", "auto"))
    if not args.quiet:
        H = sel.graph
        left = f"; {sel.left_out} of {sel.candidates} nodes left out (--max-nodes)" if sel.left_out else ""
        print(f"wrote {args.out}: {H.number_of_nodes()} nodes, {H.number_of_edges()} edges{left} "
              f"({time.perf_counter() - t:.1f}s)", file=sys.stdout)
    return 0
