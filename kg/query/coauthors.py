"""Co-authorship: the co-author graph, an author's co-authors, collaboration paths and
neighbourhoods. Co-authorship is not stored in the graph: it is the projection of
:func:`kg.graph.coauthor_pairs` (authors linked by joint papers), held by the query index.

>>> G = toy_graph()
>>> [(c["name"], c["papers"]) for c in coauthors(G, "bo chen")]
[('Ann Lee', 2), ('Cy Dias', 1)]
>>> collaboration_distance(G, "Ann Lee", "Dee Evans")
3
"""
from __future__ import annotations

import networkx as nx

from ._format import by_papers, newest_first, node_name, paper_titles
from ._index import index
from .exceptions import BadArgument
from .lookup import find_author
from .toy import toy_graph  # noqa: F401  (the examples' graph)

__all__ = ["coauthor_graph", "coauthors", "collaboration_path", "collaboration_distance", "neighbourhood"]


def _build_coauthor_graph(idx) -> nx.Graph:
    H = nx.Graph()
    H.add_nodes_from(idx.authors)
    H.add_weighted_edges_from((a, b, len(ps)) for a in idx.authors for b, ps in idx.co[a].items() if a < b)
    return nx.freeze(H)


def coauthor_graph(G: nx.DiGraph) -> nx.Graph:
    """The co-author projection as an undirected :class:`networkx.Graph`: every author (sorted),
    an edge per pair of authors with a joint paper, ``weight`` = number of joint papers; edges
    in a canonical order (see :mod:`kg.query._index`), whatever order the papers were added in.
    Built once per graph and shared, so it is frozen (:func:`networkx.freeze`): copy it
    (``nx.Graph(H)``) to change it.

    >>> H = coauthor_graph(toy_graph())
    >>> H.number_of_nodes(), H["author:ann-lee"]["author:bo-chen"]["weight"], nx.is_frozen(H)
    (5, 2, True)
    """
    idx = index(G)
    return idx.memo("coauthor_graph", lambda: _build_coauthor_graph(idx))


def coauthors(G: nx.DiGraph, name: str) -> list[dict]:
    """Co-authors of an author: ``name``, ``id``, ``papers`` (number of joint papers) and
    ``titles`` (joint paper titles, newest first), most joint papers first.

    >>> coauthors(toy_graph(), "Ann Lee")
    [{'name': 'Bo Chen', 'id': 'author:bo-chen', 'papers': 2, 'titles': ['Lee and Chen Again', 'Efficient Diffusion Transformers']}]
    """
    a = find_author(G, name)
    return by_papers(G, index(G).co.get(a, {}), None)


def collaboration_path(G: nx.DiGraph, a: str, b: str) -> list[dict]:
    """A shortest collaboration path between two authors: one step per hop, each with
    ``from``/``to`` (names), ``from_id``/``to_id``, ``papers`` (titles of the joint papers
    linking the two, newest first) and ``paper_ids``. Empty when *a* and *b* are the same
    author or are not connected.

    >>> [(s["from"], s["to"], s["papers"]) for s in collaboration_path(toy_graph(), "Ann Lee", "Dee Evans")]
    [('Ann Lee', 'Bo Chen', ['Lee and Chen Again', 'Efficient Diffusion Transformers']), ('Bo Chen', 'Cy Dias', ['Scaling Llama 2']), ('Cy Dias', 'Dee Evans', ['Diffusion on ImageNet'])]
    """
    u, v = find_author(G, a), find_author(G, b)
    idx = index(G)
    try:
        nodes = nx.bidirectional_shortest_path(coauthor_graph(G), u, v)
    except nx.NetworkXNoPath:
        return []
    steps = []
    for x, y in zip(nodes, nodes[1:]):
        ps = newest_first(G, idx.co[x][y])
        steps.append({"from": node_name(G, x), "to": node_name(G, y), "from_id": x, "to_id": y,
                      "papers": paper_titles(G, ps), "paper_ids": ps})
    return steps


def collaboration_distance(G: nx.DiGraph, a: str, b: str) -> int | None:
    """Number of co-authorship hops between two authors (0: same author; None: not connected).

    >>> G = toy_graph()
    >>> collaboration_distance(G, "Ann Lee", "Dee Evans"), collaboration_distance(G, "Ann Lee", "Eve Fox")
    (3, None)
    """
    u, v = find_author(G, a), find_author(G, b)
    if u == v:
        return 0
    return len(collaboration_path(G, u, v)) or None


def neighbourhood(G: nx.DiGraph, name: str, k: int = 2) -> list[dict]:
    """Authors within *k* co-authorship hops of an author (not the author), nearest first:
    ``name``, ``id``, ``distance``, ``via`` (the neighbour one hop closer, by name; None at
    distance 1).

    >>> [(r["name"], r["distance"]) for r in neighbourhood(toy_graph(), "Ann Lee", k=2)]
    [('Bo Chen', 1), ('Cy Dias', 2)]
    """
    if k < 0:
        raise BadArgument("k", k, expected="the number of hops must be 0 or more")
    a = find_author(G, name)
    dist, via = {a: 0}, {}
    # BFS visiting neighbours in sorted order: `via` does not depend on the order papers were added
    for y, x in nx.bfs_predecessors(coauthor_graph(G), a, depth_limit=k, sort_neighbors=sorted):
        dist[y], via[y] = dist[x] + 1, x
    rows = [{"name": node_name(G, n), "id": n, "distance": d,
             "via": node_name(G, via[n]) if d > 1 else None}
            for n, d in dist.items() if n != a]
    rows.sort(key=lambda r: (r["distance"], r["name"].casefold(), r["id"]))
    return rows
