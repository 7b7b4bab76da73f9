"""What the page maps: the *view* (``full``, ``coauthors``, ``concepts``) and the clusters that
colour it.

* ``full`` — the graph as it is (papers, authors, methods, benchmarks);
* ``coauthors`` — authors only, linked by derived ``coauthor`` edges (shared papers);
* ``concepts`` — the map VOSviewer users know: methods and benchmarks, linked by derived
  ``cooccurs`` edges (``weight`` = papers that mention both), each with ``papers`` (how many
  papers mention it) and ``mean_year`` (their mean publication year, or None).

:func:`clusters` colours authors by co-author community (:func:`kg.query.louvain_partition` of
:func:`kg.query.coauthor_graph`) and methods/benchmarks by co-occurrence cluster (Louvain of
:func:`cooccurrence_graph`), both seeded.

>>> import kg
>>> G = kg.build(["seeds"])
>>> C = concept_graph(G)
>>> {t for _, t in C.nodes(data="type")} <= {"method", "benchmark"}, C.number_of_edges() > 0
(True, True)
"""
from __future__ import annotations

from collections import Counter
from itertools import combinations

import networkx as nx

from ...model import AUTHOR, BENCHMARK, METHOD, PAPER, PROPOSES, USES, KGError

VIEWS = ("full", "coauthors", "concepts")
COOCCURS = "cooccurs"  # derived method/benchmark edge of the concept map
ENTITY_TYPES = (METHOD, BENCHMARK)


def check_view(view: str | None) -> str:
    """The view name, ``"full"`` for None.

    >>> check_view(None), check_view("Concepts")
    ('full', 'concepts')
    >>> check_view("map")
    Traceback (most recent call last):
    ...
    kg.model.KGError: unknown view 'map' (choose from full, coauthors, concepts)
    """
    v = (view or "full").strip().lower()
    if v not in VIEWS:
        raise KGError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    return v


def entity_papers(G: nx.DiGraph) -> dict[str, list[str]]:
    """``{method or benchmark: [papers that propose or use it]}`` (papers in graph order)."""
    out: dict[str, list[str]] = {n: [] for n, t in G.nodes(data="type") if t in ENTITY_TYPES}
    for p, t in G.nodes(data="type"):
        if t != PAPER:
            continue
        for e in G.successors(p):
            if e in out and G.edges[p, e].get("type") in (USES, PROPOSES):
                out[e].append(p)
    return out


def cooccurrence_graph(G: nx.DiGraph) -> nx.Graph:
    """Methods and benchmarks of *G* (sorted), an edge between two that a paper mentions
    together, ``weight`` = number of such papers.

    >>> import kg
    >>> H = cooccurrence_graph(kg.build(["seeds"]))
    >>> all(w >= 1 for *_, w in H.edges(data="weight"))
    True
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(n for n, t in G.nodes(data="type") if t in ENTITY_TYPES))
    pairs: Counter = Counter()
    for p, t in G.nodes(data="type"):
        if t != PAPER:
            continue
        ents = sorted({e for e in G.successors(p) if e in H
                       and G.edges[p, e].get("type") in (USES, PROPOSES)})
        pairs.update(combinations(ents, 2))
    H.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(pairs.items()))
    return H


def concept_graph(G: nx.DiGraph) -> nx.DiGraph:
    """The concept map of *G*: methods and benchmarks with ``papers`` and ``mean_year``,
    ``cooccurs`` edges with ``weight`` (see the module docstring)."""
    H = cooccurrence_graph(G)
    used = entity_papers(G)
    C = nx.DiGraph()
    C.graph.update(G.graph)
    for n in H:
        papers = used.get(n, [])
        years = [G.nodes[p]["year"] for p in papers if isinstance(G.nodes[p].get("year"), int)]
        C.add_node(n, **G.nodes[n], papers=len(papers),
                   mean_year=round(sum(years) / len(years), 2) if years else None)
    for a, b, w in H.edges(data="weight"):
        C.add_edge(a, b, type=COOCCURS, weight=w, papers=w)
    return C


def _partition(H: nx.Graph) -> dict[str, int]:
    """Louvain cluster number of each node of *H*: 0 for the biggest cluster, then by size;
    nodes without an edge get -1 (no cluster)."""
    from ...query import louvain_partition

    H = nx.Graph(H.subgraph([n for n in H if H.degree(n)]))
    if H.number_of_edges() == 0:
        return {}
    return _numbered(louvain_partition(H, seed=0))


def _numbered(parts) -> dict[str, int]:
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    return {v: (k if len(p) > 1 else -1) for k, p in enumerate(parts) for v in p}


def _coauthor_clusters(G: nx.DiGraph) -> dict[str, int]:
    """:func:`_partition` of :func:`coauthor_graph`, the same clusters; with python-igraph and
    no cached query index, straight from the co-author rows (:func:`kg.query.rows_partition`):
    no NetworkX projection and copy of it, which held most of a big page's memory (a
    100k-paper graph: ≈ 450 MB)."""
    from ...query._index import CACHE_KEY, coauthor_rows
    from ...query.communities import _default_backend, rows_partition

    if CACHE_KEY in getattr(G, "__networkx_cache__", {}) or _default_backend() != "igraph":
        return _partition(coauthor_graph(G))
    authors = sorted(n for n, t in G.nodes(data="type") if t == AUTHOR)
    return _numbered(rows_partition(authors, coauthor_rows(G), seed=0))


def coauthor_graph(G: nx.DiGraph) -> nx.Graph:
    """:func:`kg.query.coauthor_graph` of *G* (the same nodes, edges, weights and order), built
    one author at a time (:func:`kg.query._index.coauthor_rows`) unless the query index of *G*
    is cached already: the whole index (every joint paper of every pair, the name tables) is
    not built for the page's colours.

    >>> from kg.query import toy_graph, coauthor_graph as whole
    >>> H, W = coauthor_graph(toy_graph()), whole(toy_graph())
    >>> list(H.nodes) == list(W.nodes) and list(H.edges(data=True)) == list(W.edges(data=True))
    True
    """
    from ...query import coauthor_graph as indexed
    from ...query._index import CACHE_KEY, coauthor_rows

    if CACHE_KEY in getattr(G, "__networkx_cache__", {}):
        return indexed(G)
    H = nx.Graph()
    H.add_nodes_from(sorted(n for n, t in G.nodes(data="type") if t == AUTHOR))
    H.add_weighted_edges_from(coauthor_rows(G))
    return H


def clusters(G: nx.DiGraph) -> dict[str, int]:
    """``{node: cluster}`` for authors (co-author communities) and methods/benchmarks
    (co-occurrence clusters): cluster numbers 0, 1, … by size within each kind (authors and
    entities are numbered apart), -1 for a node in no cluster of two or more.

    >>> import kg
    >>> c = clusters(kg.build(["seeds"]))
    >>> min(c.values()) >= -1 and 0 in c.values()
    True
    """
    out = {n: -1 for n, t in G.nodes(data="type") if t in (AUTHOR, *ENTITY_TYPES)}
    out.update(_coauthor_clusters(G))
    out.update(_partition(cooccurrence_graph(G)))
    return out
