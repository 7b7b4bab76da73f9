"""Writing and reading ``graph.json``: NetworkX node-link JSON, deterministic (sorted nodes,
edges and keys), written streaming and atomically, checked on load. Re-exported by
:mod:`kg.graph` (``kg.graph.save``, ``kg.graph.load``).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx

from ._io import atomic_open
from .model import KGError

GRAPH_FORMAT = "kg-graph/1"


def to_json(G: nx.DiGraph) -> str:
    """Serialise *G* as NetworkX node-link JSON, deterministically (sorted nodes, edges, keys).

    >>> from kg.graph import new_graph
    >>> to_json(new_graph())[:30]
    '{"directed":true,"edges":[],"g'
    """
    H = nx.DiGraph()
    H.graph.update({k: v for k, v in G.graph.items() if k not in ("problems", "warnings")})
    H.add_nodes_from(sorted(G.nodes(data=True), key=lambda x: x[0]))
    H.add_edges_from(sorted(G.edges(data=True), key=lambda x: (x[0], x[1])))
    data = nx.node_link_data(H, edges="edges")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_json(G: nx.DiGraph, f) -> None:
    """Write *G* to the text file *f* as node-link JSON, streaming: the same bytes as
    :func:`to_json`, one node or edge at a time (no second copy of the graph in memory).

    >>> import io
    >>> from kg.query import toy_graph
    >>> buf = io.StringIO(); write_json(toy_graph(), buf); buf.getvalue() == to_json(toy_graph())
    True
    """
    def dumps(obj) -> str:
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    f.write('{"directed":true,"edges":[')
    sep = ""
    for u in sorted(G):
        for v in sorted(G._succ[u]):
            f.write(sep + dumps({**G._succ[u][v], "source": u, "target": v}))
            sep = ","
    graph = {k: v for k, v in G.graph.items() if k not in ("problems", "warnings")}
    f.write('],"graph":' + dumps(graph) + ',"multigraph":false,"nodes":[')
    sep = ""
    for n in sorted(G):
        f.write(sep + dumps({**G.nodes[n], "id": n}))
        sep = ","
    f.write("]}\n")


def save(G: nx.DiGraph, path: str | os.PathLike) -> None:
    """Write *G* to *path* as node-link JSON (:func:`write_json`, streaming), atomically.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> from kg.graph import new_graph
    >>> save(new_graph(), p); load(p).graph["format"]
    'kg-graph/1'
    """
    with atomic_open(path, "w") as f:
        write_json(G, f)


def load(path: str | os.PathLike) -> nx.DiGraph:
    """Load a graph written by :func:`save` (``graph.json``), checked (:func:`kg.integrity.check_graph`): a
    damaged file is a one-line :class:`KGError`, never a traceback later. RDF exports are
    loaded by :func:`kg.load` (through :mod:`kg.export.rdf`, a later stage this module does
    not import).

    >>> load("does/not/exist.json")
    Traceback (most recent call last):
    ...
    kg.model.KGError: does/not/exist.json: no such file
    """
    p = Path(path)
    if not p.exists():
        raise KGError("no such file", str(path))
    if not p.is_file():
        raise KGError("not a regular file", str(path))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("graph"), dict) \
                or data["graph"].get("format") != GRAPH_FORMAT:
            raise ValueError("not a kg graph")
        G = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
    except RecursionError:
        raise KGError("not a kg graph.json file (JSON nested too deeply)", str(path)) from None
    except (ValueError, UnicodeDecodeError, AttributeError, KeyError, TypeError) as exc:
        raise KGError(f"not a kg graph.json file ({exc.__class__.__name__}: {exc})"[:200], str(path)) from None
    from .integrity import check_graph

    problem = check_graph(G)
    if problem:
        raise KGError(f"damaged kg graph.json: {problem}"[:300], str(path))
    return G
