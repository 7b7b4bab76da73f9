"""The most central authors of the co-author graph: degree (distinct co-authors), PageRank
(weighted by joint papers) and betweenness (exact on small graphs, sampled on big ones), from
NetworkX; scores are computed once per graph and measure.

>>> [(r["name"], r["score"]) for r in central(toy_graph(), top=2)]
[('Bo Chen', 2), ('Cy Dias', 2)]
"""
from __future__ import annotations

import heapq

import networkx as nx

from ._format import node_name
from ._index import index
from .coauthors import coauthor_graph
from .exceptions import BadArgument
from .toy import toy_graph  # noqa: F401  (the examples' graph)

__all__ = ["central", "MEASURES", "BIG_GRAPH"]

MEASURES = ("degree", "pagerank", "betweenness")
BIG_GRAPH = 2000  # co-author graphs with more authors get sampled betweenness


def _scores(G, measure: str, sample: int | None, seed: int) -> dict[str, float]:
    idx = index(G)
    if measure == "degree":
        return {a: len(idx.co[a]) for a in idx.authors}

    def compute() -> dict[str, float]:
        H = coauthor_graph(G)
        if not len(H):
            return {}
        if measure == "pagerank":
            return nx.pagerank(H, weight="weight")
        k = min(sample or 32, len(H)) if len(H) > BIG_GRAPH or sample else None
        return nx.betweenness_centrality(H, k=k, seed=seed)

    return idx.memo(("central", measure, sample, seed), compute)


def central(G: nx.DiGraph, measure: str = "degree", top: int = 10, sample: int | None = None,
            seed: int = 0) -> list[dict]:
    """The most central authors of the co-author graph: ``name``, ``id``, ``score``,
    ``coauthors`` and ``papers``. *measure*: ``degree`` (score = number of distinct
    co-authors), ``pagerank`` (weighted by joint papers) or ``betweenness`` (normalised; on
    graphs of more than 2000 authors estimated from *sample* (default 32) seeded sources).

    >>> [(r["name"], r["score"]) for r in central(toy_graph(), top=2)]
    [('Bo Chen', 2), ('Cy Dias', 2)]
    >>> central(toy_graph(), "betweenness", top=1)[0]["name"]
    'Bo Chen'
    """
    if measure not in MEASURES:
        raise BadArgument("measure", measure, MEASURES)
    idx = index(G)
    scores = _scores(G, measure, sample, seed)

    def order(x):
        return -x[1], node_name(G, x[0]).casefold(), x[0]

    best = heapq.nsmallest(top, scores.items(), key=order) if top else sorted(scores.items(), key=order)
    return [{"name": node_name(G, a), "id": a,
             "score": s if measure == "degree" else round(s, 6),
             "coauthors": len(idx.co[a]), "papers": len(idx.papers_of.get(a, ()))} for a, s in best]
