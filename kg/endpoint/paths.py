"""``kg query path`` over SPARQL: the shortest collaboration path found by a bidirectional
breadth-first search that asks the store for the co-authors of one search level at a time.

The search is NetworkX's (:func:`networkx.bidirectional_shortest_path`, the one
:func:`kg.query.collaboration_path` runs on :func:`kg.query.coauthor_graph`), step for step, and
each author's co-authors come in the order that graph's adjacency has them, so that the path is
the same one when several are equally short: the co-authors with a smaller id, sorted, then
those with a larger id by their first joint paper (smallest paper id) and their position in
its author list (see :mod:`kg.query._index`).
"""
from __future__ import annotations

import networkx as nx

from ..model import AUTHOR
from ..query._index import index
from .client import Endpoint, values
from .graph import Reader, _chunks, _grow, resolve

__all__ = ["coauthors_in_order", "path_graph", "shortest_path"]


def coauthors_in_order(reader: Reader, authors: list[str]) -> dict[str, list[str]]:
    """For each author IRI in *authors*: its co-authors (IRIs) in the adjacency order of
    :func:`kg.query.coauthor_graph`; every IRI seen gets its node id in ``reader.ids``."""
    lists: dict[str, dict[str, list[tuple[int, str]]]] = {a: {} for a in authors}  # a -> paper id -> (pos, IRI)
    ids = reader.ids
    for chunk in _chunks(authors):
        rows = reader.ep.select(f"""SELECT DISTINCT ?a ?pid ?y ?yid ?i WHERE {{ {values("a", chunk)}
  ?p schema:author ?a ; dcterms:identifier ?pid ; kg:authorship ?e .
  ?e kg:author ?y ; kg:position ?i . ?y dcterms:identifier ?yid }}""")
        for r in rows:
            ids[r["y"].value] = r["yid"].value
            lists[r["a"].value].setdefault(r["pid"].value, []).append((int(r["i"].value), r["y"].value))
    out = {}
    for a, papers in lists.items():
        me = ids[a]
        order: dict[str, list[str]] = {}  # paper id -> author IRIs in author order (as the index)
        joint: dict[str, list[str]] = {}  # co-author IRI -> joint paper ids
        for pid, entries in papers.items():
            order[pid] = list(dict.fromkeys(y for _, y in sorted(entries, key=lambda e: (e[0], ids[e[1]]))))
            for y in order[pid]:
                if y != a:
                    joint.setdefault(y, []).append(pid)

        first = {y: (min(ps), order[min(ps)].index(y)) for y, ps in joint.items()}
        lower = sorted((y for y in joint if ids[y] < me), key=lambda y: ids[y])
        out[a] = lower + sorted((y for y in joint if ids[y] > me), key=first.__getitem__)
    return out


def shortest_path(reader: Reader, source: str, target: str) -> list[str] | None:
    """The author IRIs on the path :func:`networkx.bidirectional_shortest_path` finds on the
    co-author graph from *source* to *target*; None when they are not connected."""
    if source == target:
        return [source]
    adj: dict[str, list[str]] = {}

    def expand(level: list[str]) -> None:
        todo = [v for v in level if v not in adj]
        if todo:
            adj.update(coauthors_in_order(reader, todo))

    pred, succ = {source: None}, {target: None}
    forward, reverse = [source], [target]
    meet = None
    while forward and reverse and meet is None:
        if len(forward) <= len(reverse):
            level, forward = forward, []
            expand(level)
            for v in level:
                for w in adj[v]:
                    if w not in pred:
                        forward.append(w)
                        pred[w] = v
                    if w in succ:
                        meet = w
                        break
                if meet is not None:
                    break
        else:
            level, reverse = reverse, []
            expand(level)
            for v in level:
                for w in adj[v]:
                    if w not in succ:
                        succ[w] = v
                        reverse.append(w)
                    if w in pred:
                        meet = w
                        break
                if meet is not None:
                    break
    if meet is None:
        return None
    path, w = [], meet
    while w is not None:
        path.append(w)
        w = pred[w]
    path.reverse()
    w = succ[path[-1]]
    while w is not None:
        path.append(w)
        w = succ[w]
    return path


def path_graph(ep: Endpoint | str, a: str, b: str) -> nx.DiGraph:
    """For ``kg query path``: the local graph of the authors on the shortest collaboration path
    between the authors named *a* and *b*, with the path (alone) as its co-author graph in its
    query index, so that :func:`kg.query.collaboration_path` on it gives the whole graph's
    answer (as :func:`kg.store.path_graph`)."""
    reader = Reader.of(ep)
    u, v = resolve(reader, a, AUTHOR), resolve(reader, b, AUTHOR)
    reader.ids.update({s: d["id"] for s, d in reader.nodes.items()})
    on_path = shortest_path(reader, u, v)
    G = _grow(reader, set(on_path or [u, v]), 1, {AUTHOR})
    H = nx.Graph()
    H.add_nodes_from(reader.nodes[s]["id"] for s in (on_path or [u, v]))
    if on_path:
        nx.add_path(H, [reader.nodes[s]["id"] for s in on_path])
    index(G)._memo["coauthor_graph"] = nx.freeze(H)
    return G
