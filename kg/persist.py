"""Writing and reading ``graph.json``: NetworkX node-link JSON, deterministic (sorted nodes,
edges and keys), written streaming and atomically, checked on load. Re-exported by
:mod:`kg.graph` (``kg.graph.save``, ``kg.graph.load``).

Memory: :func:`share_values` makes equal attribute values one object (author names, types,
venues, sources, years, surfaces, a sentence given as evidence of several mentions...), so
that a graph holds each repeated value once, and makes edges with equal attributes of plain
values only (an authorship edge: ``type`` and ``position``) share one read-only attribute
dict (:class:`SharedAttrs`); :func:`load` does the same while it builds the graph, with the
attribute *keys* held once too (the JSON parser makes a new key string per node and edge),
freeing the parsed JSON item by item.
"""
from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

import networkx as nx

from ._io import atomic_open
from .model import PROPOSES, USES, KGError, lean_mention, mention_text, with_evidence

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
    H.add_edges_from(sorted(((u, v, with_evidence(G._node[u], d)) for u, v, d in G.edges(data=True)),
                            key=lambda x: (x[0], x[1])))
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
            f.write(sep + dumps({**with_evidence(G._node[u], G._succ[u][v]), "source": u, "target": v}))
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
        G = _read_streaming(p)
        if G is None:  # not in write_json's layout: parse the whole file, then build
            text = p.read_text(encoding="utf-8")
            data = json.loads(text)
            del text
            if not isinstance(data, dict) or not isinstance(data.get("graph"), dict):
                raise ValueError("not a kg graph")
            _check_format(data["graph"])
            G = _from_node_link(data)
    except RecursionError:
        raise KGError("not a kg graph.json file (JSON nested too deeply)", str(path)) from None
    except (ValueError, UnicodeDecodeError, AttributeError, KeyError, TypeError) as exc:
        raise KGError(f"not a kg graph.json file ({exc.__class__.__name__}: {exc})"[:200], str(path)) from None
    from .integrity import check_graph

    problem = check_graph(G)
    if problem:
        raise KGError(f"damaged kg graph.json: {problem}"[:300], str(path))
    return G


class SharedAttrs(dict):
    """The attribute dict of several edges with equal attributes (see :func:`share_values`):
    read-only, since a change would change every edge holding it. Copy the graph
    (``G.copy()``, ``nx.DiGraph(G)``: plain dicts) or replace the edge to change one.

    >>> d = SharedAttrs(type="author", position=0)
    >>> d["position"] = 1
    Traceback (most recent call last):
    ...
    TypeError: the attributes of this edge are shared with other edges (kg.persist.SharedAttrs): copy the graph to change them
    >>> import pickle; pickle.loads(pickle.dumps(d)) == d, json.dumps(d)
    (True, '{"type": "author", "position": 0}')
    """

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("the attributes of this edge are shared with other edges "
                        "(kg.persist.SharedAttrs): copy the graph to change them")

    __setitem__ = __delitem__ = update = pop = popitem = setdefault = clear = _refuse
    __ior__ = _refuse

    def __reduce__(self):
        return SharedAttrs, (dict(self),)


def share_values(G: nx.DiGraph) -> nx.DiGraph:
    """Make equal values in the attributes of *G*'s nodes and edges one object (strings,
    integers and floats, also inside lists and dicts; abstracts are left alone: they are
    unique), and edges whose attributes are equal plain values (str, int, bool, None: an
    authorship edge's ``type`` and ``position``) share one read-only :class:`SharedAttrs`
    dict, in place; return *G*. What readers see is unchanged; the memory of repeated values is
    not paid once per node or edge.

    >>> from kg.query import toy_graph
    >>> G = share_values(toy_graph())
    >>> a, b = (d["type"] for _, d in list(G.nodes(data=True))[:2])
    >>> a == b and a is b
    True
    >>> e = [d for *_, d in G.edges(data=True) if d["type"] == "author" and d["position"] == 0]
    >>> len(e) > 1 and all(d is e[0] for d in e)
    True
    """
    memo: dict = {}
    for _, d in G.nodes(data=True):
        _share_dict(d, memo)
    shared: dict = {}
    for u, nbrs in G._succ.items():
        for v, d in nbrs.items():
            if type(d) is not SharedAttrs:
                _share_dict(d, memo)
                s = _shared_attrs(d, shared)
                if s is not d:
                    nbrs[v] = G._pred[v][u] = s
    return G


def evidence_as_offsets(G: nx.DiGraph) -> nx.DiGraph:
    """Hold, in place, the ``evidence`` of every mention of *G* that is its paper's text at
    ``start:end`` as :data:`kg.model.AT_OFFSETS` (the sentence is in the abstract already):
    what :func:`kg.graph.set_mentions` and :func:`load` do as they go; return *G*. Readers
    get the sentence from :func:`kg.model.with_evidence` (every writer of kg uses it)."""
    for u, nbrs in G._succ.items():
        text = None
        for d in nbrs.values():
            if d.get("type") in (PROPOSES, USES):
                text = mention_text(G._node[u]) if text is None else text
                lean_mention(d, text)
    return G


def evidence_as_text(G: nx.DiGraph) -> nx.DiGraph:
    """The opposite of :func:`evidence_as_offsets`, in place (before a paper's text changes:
    :func:`kg.graph.add`); return *G*."""
    for u, nbrs in G._succ.items():
        for v, d in nbrs.items():
            full = with_evidence(G._node[u], d)
            if full is not d:
                nbrs[v] = G._pred[v][u] = full
    return G


_PLAIN = (str, int, bool, type(None))


def _shared_attrs(d: dict, shared: dict) -> dict:
    """The one :class:`SharedAttrs` for the attributes *d* if they are plain values only (their
    types are part of the key: ``1`` and ``True`` are different), else *d* itself."""
    if not d or any(type(x) not in _PLAIN for x in d.values()):
        return d
    key = tuple((k, type(x), x) for k, x in d.items())
    s = shared.get(key)
    if s is None:
        s = shared[key] = SharedAttrs(d)
    return s


def _share(v, memo: dict):
    t = type(v)
    if t is str:
        return memo.setdefault(v, v)
    if t is int:  # not bool (True == 1); ints and strings never compare equal
        return memo.setdefault(v, v)
    if t is float:  # apart from ints (1.0 == 1), signed zeros apart; NaN is never shared
        return v if v != v else memo.setdefault((float, v, math.copysign(1.0, v)), v)
    if t is list:
        v[:] = [_share(x, memo) for x in v]
    elif t is dict:
        _share_dict(v, memo)
    return v


def _share_dict(d: dict, memo: dict) -> None:
    for k, v in d.items():
        if k != "abstract":
            d[k] = _share(v, memo)


def _lean(v, memo: dict):
    """A parsed JSON value with equal values shared (:func:`_share`) and dict keys interned:
    new lists and dicts (the parsed ones are dropped)."""
    t = type(v)
    if t is dict:
        return {sys.intern(k) if type(k) is str else k: x if k == "abstract" else _lean(x, memo)
                for k, x in v.items()}
    if t is list:
        return [_lean(x, memo) for x in v]
    return _share(v, memo)


def _node_id(x):
    return tuple(_node_id(y) for y in x) if isinstance(x, list) else x


def _check_format(graph) -> None:
    if not isinstance(graph, dict) or graph.get("format") != GRAPH_FORMAT:
        raise ValueError("not a kg graph")


def _drain(items: list):
    for i, d in enumerate(items):
        items[i] = None
        yield d


def _from_node_link(data: dict) -> nx.DiGraph:
    """``nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")``, with equal
    ids and values shared (:func:`share_values`) and each parsed node and edge freed once added."""
    if data.get("multigraph", False) or not data.get("directed", True):
        return nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
    return _assemble(data.get("graph", {}), _drain(data["nodes"]), data["edges"])


def _assemble(graph: dict, nodes, edges: list) -> nx.DiGraph:
    """The graph of node-link *nodes* (an iterable of dicts) and *edges* (a list, emptied)."""
    G = nx.DiGraph()
    G.graph = graph
    memo: dict = {}
    shared: dict = {}
    unnamed = 0
    for d in nodes:
        if "id" in d:
            node = _node_id(d.pop("id"))
        else:
            node, unnamed = unnamed, unnamed + 1
        node = _share(node, memo) if type(node) is str else node
        d = _lean(d, memo)  # keys interned, values shared: a new dict, the parsed one dropped
        if node in G._node:
            G._node[node].update(d)
        else:
            G.add_node(node)
            G._node[node] = d
    for d in _drain(edges):
        u, v = d.pop("source"), d.pop("target")
        u = tuple(u) if isinstance(u, list) else u
        v = tuple(v) if isinstance(v, list) else v
        u = _share(u, memo) if type(u) is str else u
        v = _share(v, memo) if type(v) is str else v
        d = _lean(d, memo)
        if d.get("type") in (PROPOSES, USES) and u in G._node:  # its sentence: in the paper's text
            lean_mention(d, mention_text(G._node[u]))
        if G.has_edge(u, v):  # an edge listed twice: its attributes merged (in a new dict)
            d = {**G._succ[u][v], **d}
        else:
            G.add_edge(u, v)
        G._succ[u][v] = G._pred[v][u] = _shared_attrs(d, shared)
    return G


class _Scanner:
    """Parse a JSON text one value at a time from a file (1 MB of text held at a time)."""

    decoder = json.JSONDecoder()

    def __init__(self, f):
        self.f, self.buf, self.pos = f, "", 0

    def more(self) -> bool:
        chunk = self.f.read(1 << 20)
        if chunk:
            self.buf, self.pos = self.buf[self.pos:] + chunk, 0
        return bool(chunk)

    def expect(self, literal: str) -> bool:
        while len(self.buf) - self.pos < len(literal) and self.more():
            pass
        if self.buf.startswith(literal, self.pos):
            self.pos += len(literal)
            return True
        return False

    def value(self):
        while True:
            try:
                value, self.pos = self.decoder.raw_decode(self.buf, self.pos)
                return value
            except json.JSONDecodeError:
                if not self.more():  # not a value cut by the end of the text read so far
                    raise

    def items(self):
        """The values of the array whose "[" was just read, up to and including its "]"."""
        if self.expect("]"):
            return
        while True:
            yield self.value()
            if not self.expect(","):
                if self.expect("]"):
                    return
                raise ValueError(f"expected ',' or ']' at character {self.pos} of the text read")

    def rest(self) -> str:
        while self.more():
            pass
        return self.buf[self.pos:]


def _read_streaming(p: Path) -> nx.DiGraph | None:
    """The graph of a ``graph.json`` in :func:`write_json`'s layout, parsed one node or edge at
    a time (the whole text is never held); None if the file is laid out otherwise."""
    with open(p, encoding="utf-8") as f:
        sc = _Scanner(f)
        if not sc.expect('{"directed":true,"edges":['):
            return None
        edges = list(sc.items())
        if not sc.expect(',"graph":'):
            return None
        graph = sc.value()
        _check_format(graph)
        if not sc.expect(',"multigraph":false,"nodes":['):
            return None
        G = _assemble(graph, sc.items(), edges)
        if not sc.expect("}") or sc.rest().strip(" \t\n\r"):
            raise ValueError("extra data after the graph")
    return G
