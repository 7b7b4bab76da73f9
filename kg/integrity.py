"""Structural checks of a loaded graph: every node and edge has the attributes the rest of
``kg`` reads, of the right type, so that a damaged ``graph.json`` is one clear line at load
time (:func:`kg.graph.load`) instead of a traceback somewhere later."""
from __future__ import annotations

from typing import Any

import networkx as nx

from .model import AUTHOR, AUTHORED, BENCHMARK, METHOD, PAPER, PROPOSES, USES

_REQUIRED = {  # node type -> attribute -> accepted types (None: may be null)
    PAPER: {"title": (str,), "authors": (list,), "sources": (list,), "abstract": (str, type(None))},
    AUTHOR: {"name": (str,)},
    METHOD: {"name": (str,)},
    BENCHMARK: {"name": (str,)},
}
_EDGE_TARGET = {AUTHORED: (AUTHOR,), PROPOSES: (METHOD, BENCHMARK), USES: (METHOD, BENCHMARK)}


def check_graph(G: nx.DiGraph) -> str | None:
    """The first structural problem of a loaded graph (a node or edge without the attributes
    the rest of ``kg`` reads), or None.

    >>> G = nx.DiGraph(); G.add_node("author:x", type="author")
    >>> check_graph(G)
    "node 'author:x' (author): 'name' is missing"
    """
    if not isinstance(G.graph.get("sources", []), list):
        return "graph 'sources' is not a list"
    for n, d in G.nodes(data=True):
        t = d.get("type")
        if not isinstance(n, str):
            return f"node id {str(n)[:80]!r} is {_kind(n)}, not str"
        if t not in _REQUIRED:
            return f"node {str(n)[:80]!r}: type {str(t)[:40]!r} is not one of {', '.join(_REQUIRED)}"
        for key, types in _REQUIRED[t].items():
            if key not in d and type(None) not in types:
                return f"node {str(n)[:80]!r} ({t}): {key!r} is missing"
            if key in d and not isinstance(d[key], types):
                return f"node {str(n)[:80]!r} ({t}): {key!r} is {_kind(d[key])}, not {types[0].__name__}"
        if t == PAPER and not all(isinstance(x, str) for x in d["authors"] + d["sources"]):
            return f"node {str(n)[:80]!r} (paper): authors and sources must be lists of strings"
    for u, v, e in G.edges(data=True):
        t = e.get("type")
        where = f"edge {str(u)[:60]!r} -> {str(v)[:60]!r}"
        if t not in _EDGE_TARGET:
            return f"{where}: type {str(t)[:40]!r} is not one of {', '.join(_EDGE_TARGET)}"
        if G.nodes[u].get("type") != PAPER or G.nodes[v].get("type") not in _EDGE_TARGET[t]:
            return f"{where}: a {t} edge must go from a paper to a {' or '.join(_EDGE_TARGET[t])}"
        if t != AUTHORED and not isinstance(e.get("surface"), str):
            return f"{where}: 'surface' is {_kind(e.get('surface'))}, not str"
    return None


def _kind(value: Any) -> str:
    name = type(value).__name__
    return "null" if value is None else f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
