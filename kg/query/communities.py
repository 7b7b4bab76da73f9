"""Communities of collaborating authors: Louvain on the co-author graph weighted by joint
papers, from a library: python-igraph's multilevel algorithm (:meth:`igraph.Graph.community_multilevel`,
fast) when igraph is importable, else :func:`networkx.community.louvain_communities`. Both are
seeded, on the co-author graph with its authors and edges in a canonical order, so that the same
graph gives the same communities whatever order its papers were added in. The two give
partitions of the same quality (modularity within about 0.002 on the corpus co-author graph),
not the same partition.

>>> [(c["size"], [m["name"] for m in c["members"]]) for c in communities(toy_graph(), min_size=1)]
[(2, ['Bo Chen', 'Ann Lee']), (2, ['Cy Dias', 'Dee Evans']), (1, ['Eve Fox'])]
"""
from __future__ import annotations

import random
from collections import Counter

import networkx as nx

from ..model import BENCHMARK, METHOD
from ._format import node_name, ranked_counts
from ._index import index
from .coauthors import coauthor_graph
from .exceptions import BadArgument, KGError
from .lookup import find_author
from .toy import toy_graph  # noqa: F401  (the examples' graph)

__all__ = ["communities", "community", "louvain", "louvain_partition", "BACKENDS"]

BACKENDS = ("igraph", "networkx")


def _default_backend() -> str:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return "networkx"
    return "igraph"


def to_igraph(H: nx.Graph):
    """*H* as an :class:`igraph.Graph` (vertex *i* is the *i*-th node of *H*, edges in *H*'s
    order, edge attribute ``weight``, default 1), and the list of *H*'s nodes.

    >>> g, nodes = to_igraph(nx.Graph([("a", "b", {"weight": 2})]))
    >>> g.vcount(), g.es["weight"], nodes
    (2, [2.0], ['a', 'b'])
    """
    import igraph

    nodes = list(H)
    pos = {v: i for i, v in enumerate(nodes)}
    edges, weights = [], []
    for u, v, w in H.edges(data="weight", default=1):
        edges.append((pos[u], pos[v]))
        weights.append(float(w))
    g = igraph.Graph(n=len(nodes), edges=edges)
    g.es["weight"] = weights
    return g, nodes


def igraph_multilevel(g, seed: int = 0, resolution: float = 1.0, weights="weight") -> list[int]:
    """The community of each vertex of the :class:`igraph.Graph` *g* (*weights*: the edge
    attribute's name, or the weights in edge order, e.g. an ``array("d")``, which igraph then
    reads as C doubles for this call instead of keeping a Python float per edge) by igraph's
    multilevel algorithm, seeded: igraph draws from a
    :class:`random.Random` (*seed*) for this call only, then from :mod:`random` again.

    >>> g, nodes = to_igraph(nx.Graph([("a", "b"), ("c", "d")]))
    >>> igraph_multilevel(g)
    [0, 0, 1, 1]
    """
    import igraph

    igraph.set_random_number_generator(random.Random(seed))  # igraph shuffles the node order
    try:
        return g.community_multilevel(weights=weights, resolution=resolution).membership
    finally:
        igraph.set_random_number_generator(random)  # python-igraph's default generator


def membership_sets(nodes: list, membership: list[int]) -> list[set]:
    """The communities as sets of *nodes*, from each node's community number.

    >>> [sorted(p) for p in membership_sets(["a", "b", "c"], [0, 1, 0])]
    [['a', 'c'], ['b']]
    """
    parts: dict[int, set] = {}
    for v, c in zip(nodes, membership):
        parts.setdefault(c, set()).add(v)
    return list(parts.values())


def louvain_partition(H: nx.Graph, seed: int = 0, resolution: float = 1.0, threshold: float = 1e-7,
                      backend: str | None = None) -> list[set]:
    """Louvain communities of an undirected graph *H* (edge attribute ``weight``, default 1) as
    a list of node sets. *backend*: ``"igraph"`` (multilevel; *threshold* unused: it stops when
    no move improves modularity) or ``"networkx"`` (:func:`networkx.community.louvain_communities`,
    stopping when a level gains less than *threshold*); default igraph when importable.
    Seeded by *seed*; the result follows the order of *H*'s nodes and edges.

    >>> H = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")])
    >>> [sorted(map(sorted, louvain_partition(H, backend=b))) for b in BACKENDS]
    [[['a', 'b', 'c'], ['d', 'e', 'f']], [['a', 'b', 'c'], ['d', 'e', 'f']]]
    """
    backend = backend or _default_backend()
    if backend not in BACKENDS:
        raise BadArgument("backend", backend, BACKENDS)
    if H.number_of_edges() == 0:
        return [{v} for v in H]
    if backend == "igraph":
        g, nodes = to_igraph(H)
        return membership_sets(nodes, igraph_multilevel(g, seed, resolution))
    return nx.community.louvain_communities(H, weight="weight", resolution=resolution,
                                            threshold=threshold, seed=seed)


def rows_partition(nodes: list, rows, seed: int = 0, resolution: float = 1.0) -> list[set]:
    """:func:`louvain_partition` (igraph backend) of the graph of *rows* ``(u, v, weight)``,
    without a NetworkX graph: the nodes of *nodes* that are in a row, in *nodes*' order, and
    the rows' edges in row order (held as two integer arrays). Rows come grouped by their
    first node, in *nodes*' order, each ``u`` before ``v`` in *nodes* (the order of
    :func:`kg.query._index.coauthor_rows`); then this is the partition that
    ``louvain_partition(nx.Graph(H.subgraph(nodes with an edge)))`` gives for the graph ``H``
    built from *nodes* and then *rows*, at a small part of its memory. Needs python-igraph.

    >>> sorted(map(sorted, rows_partition(list("abcdefg"), [("a", "b", 1), ("a", "c", 1),
    ...     ("b", "c", 1), ("c", "d", 1), ("d", "e", 1), ("d", "f", 1), ("e", "f", 1)])))
    [['a', 'b', 'c'], ['d', 'e', 'f']]
    """
    from array import array

    import igraph
    import numpy as np

    pos = {v: i for i, v in enumerate(nodes)}
    ends, weights = array("q"), array("d")
    for u, v, w in rows:
        ends.append(pos[u])
        ends.append(pos[v])
        weights.append(float(w))
    del pos
    if not weights:
        return []
    pairs = np.frombuffer(ends, dtype=np.int64).reshape(-1, 2)
    used = np.unique(pairs)  # the nodes with an edge, in *nodes*' order
    g = igraph.Graph(n=len(used), edges=np.searchsorted(used, pairs))
    del pairs, ends
    membership = igraph_multilevel(g, seed, resolution, weights)
    del g, weights
    return membership_sets([nodes[i] for i in used.tolist()], membership)


def louvain(nodes: list, adj: dict, seed: int = 0, resolution: float = 1.0, *,
            threshold: float = 1e-7, backend: str | None = None) -> list[set]:
    """:func:`louvain_partition` of the graph given as *nodes* and *adj* ``{u: {v: weight or
    list-of-papers}}`` (a list counts as its length), nodes and edges taken in sorted order.

    >>> sorted(map(sorted, louvain(list("abcdef"), {"a": {"b": 1, "c": 1}, "b": {"a": 1, "c": 1},
    ...     "c": {"a": 1, "b": 1, "d": 1}, "d": {"c": 1, "e": 1, "f": 1}, "e": {"d": 1, "f": 1},
    ...     "f": {"d": 1, "e": 1}})))
    [['a', 'b', 'c'], ['d', 'e', 'f']]
    """
    keep = set(nodes)
    H = nx.Graph()
    H.add_nodes_from(sorted(keep))
    H.add_weighted_edges_from(sorted(
        (min(u, v), max(u, v), float(len(w) if isinstance(w, (list, tuple, set)) else w))
        for u in keep for v, w in adj.get(u, {}).items() if v in keep and v != u))
    return louvain_partition(H, seed=seed, resolution=resolution, threshold=threshold, backend=backend)


def _partition(G, seed: int, resolution: float) -> list[set[str]]:
    """The communities of *G*'s co-author graph, largest first (cached per graph)."""
    def compute():
        parts = louvain_partition(coauthor_graph(G), seed=seed, resolution=resolution)
        return sorted(parts, key=lambda c: (-len(c), min(c)))

    return index(G).memo(("communities", seed, float(resolution)), compute)


def _community_summary(G, i: int, members: set[str], top: int) -> dict:
    idx = index(G)
    inside = {a: sum(1 for b in idx.co[a] if b in members) for a in members}
    ps = {p for a in members for p in idx.papers_of.get(a, ())}
    ranked = sorted(members, key=lambda a: (-inside[a], -len(idx.papers_of.get(a, ())),
                                            node_name(G, a).casefold(), a))
    ent: dict[str, Counter] = {METHOD: Counter(), BENCHMARK: Counter()}
    for p in ps:
        for e, _ in idx.ents_of[p]:
            t = G.nodes[e].get("type")
            if t in ent:
                ent[t][e] += 1
    return {"community": i, "size": len(members), "papers": len(ps),
            "members": [{"name": node_name(G, a), "id": a, "degree": inside[a],
                         "papers": len(idx.papers_of.get(a, ()))} for a in (ranked[:top] if top else ranked)],
            "methods": ranked_counts(G, ent[METHOD], top), "benchmarks": ranked_counts(G, ent[BENCHMARK], top)}


def communities(G: nx.DiGraph, top: int = 5, min_size: int = 2, seed: int = 0,
                resolution: float = 1.0, limit: int | None = None) -> list[dict]:
    """Communities of collaborating authors (:func:`louvain_partition` of :func:`coauthor_graph`;
    *seed* makes it deterministic), largest first. Each: ``community`` (index), ``size``,
    ``papers`` (papers with a member among the authors), ``members`` (the *top* most central:
    most co-authors inside the community), ``methods`` and ``benchmarks`` (the *top* most used
    in those papers). Authors without co-authors form singletons, left out when *min_size* > 1;
    *limit* keeps the first communities only.

    >>> [c["size"] for c in communities(toy_graph(), min_size=1)]
    [2, 2, 1]
    """
    out = []
    for i, members in enumerate(_partition(G, seed, resolution)):
        if len(members) < min_size:
            continue
        if limit is not None and len(out) >= limit:
            break
        out.append(_community_summary(G, i, members, top))
    return out


def community(G: nx.DiGraph, name: str, top: int = 5, seed: int = 0,
              resolution: float = 1.0) -> dict:
    """The community of an author (see :func:`communities`), with ``author`` set.

    >>> c = community(toy_graph(), "Cy Dias")
    >>> c["size"], [m["name"] for m in c["members"]], c["methods"][0]["name"]
    (2, ['Cy Dias', 'Dee Evans'], 'Transformer')
    """
    a = find_author(G, name)
    for i, members in enumerate(_partition(G, seed, resolution)):
        if a in members:
            return {"author": node_name(G, a), **_community_summary(G, i, members, top)}
    raise KGError(f"author {name!r} is in no community")  # pragma: no cover
