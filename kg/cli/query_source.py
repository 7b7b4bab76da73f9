"""Where a ``kg query`` question is asked: ``graph.json`` (``--graph``), the part of it read
from the fresh ``graph.sqlite`` beside it (:mod:`kg.store`), or a SPARQL store holding the RDF
export (``--endpoint``, :mod:`kg.endpoint`). Same answers from each; the commands in
:mod:`kg.cli.query` call :func:`graph_for`, :func:`path_graph_for` and :func:`ask`.
"""
from __future__ import annotations

from pathlib import Path

from ..model import KGError


def graph_for(args, *names, hops: int = 1, follow=("author",), like: bool = False):
    """The graph to ask: with *names* (``(name, types)`` pairs the question is about), the part
    of it read from the fresh ``graph.sqlite`` beside ``--graph`` (:func:`kg.store.local_graph`:
    same answers, no full load) when there is one and ``--no-store`` is not given; else the
    whole ``graph.json``. With ``--endpoint``, the part read from the SPARQL store
    (:func:`kg.endpoint.local_graph`); a question with no *names* needs the whole graph there."""
    if getattr(args, "endpoint", None):
        from ..endpoint import local_graph

        if not names and not like:
            raise KGError(f"`kg query {args.question}` needs the whole graph (every co-author pair): "
                          "ask graph.json with --graph PATH instead of --endpoint")
        return local_graph(endpoint_of(args), names, hops=hops, follow=follow,
                           like_fragment=args.name if like else None)
    path = Path(args.graph)
    if not path.exists():
        raise KGError(f"no graph at {args.graph}: run `kg build` first or pass --graph PATH")
    if names and path.suffix == ".json" and not getattr(args, "no_store", False):
        from ..store import local_graph

        G = local_graph(path, names, hops=hops, follow=follow)
        if G is not None:
            return G
    from ..graph import load

    return load(path)


def path_graph_for(args):
    """:func:`graph_for` for ``path``: from the store when it can (:func:`kg.store.path_graph`),
    from the SPARQL endpoint with ``--endpoint`` (:func:`kg.endpoint.path_graph`)."""
    if args.endpoint:
        from ..endpoint import path_graph

        return path_graph(endpoint_of(args), args.a, args.b)
    path = Path(args.graph)
    if path.exists() and path.suffix == ".json" and not args.no_store:
        from ..store import path_graph

        G = path_graph(path, args.a, args.b)
        if G is not None:
            return G
    return graph_for(args)


def endpoint_of(args):
    """The :class:`kg.endpoint.Endpoint` of ``--endpoint`` (one per command)."""
    if getattr(args, "_endpoint", None) is None:
        from ..endpoint import Endpoint

        args._endpoint = Endpoint(args.endpoint)
    return args._endpoint


def ask(args, question: str, *a, **kw):
    """``kg.query.<question>(G, …)`` on the graph, or with ``--endpoint`` the SPARQL aggregate
    ``kg.endpoint.<question>(endpoint, …)`` (same arguments, same answer)."""
    if args.endpoint:
        from .. import endpoint

        return getattr(endpoint, question)(endpoint_of(args), *a, **kw)
    from .. import query

    return getattr(query, question)(graph_for(args), *a, **kw)

