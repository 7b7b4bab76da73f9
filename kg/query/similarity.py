"""Papers similar to a paper, by the authors, methods and benchmarks they share (Jaccard or
Adamic–Adar).

>>> [r["title"] for r in similar_papers(toy_graph(), "Solo Work")]
['Scaling Llama 2']
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from ..model import AUTHOR, BENCHMARK, METHOD, PAPER
from ._format import node_name, paper_row
from ._index import index
from .exceptions import BadArgument
from .lookup import find_node
from .toy import toy_graph  # noqa: F401  (the examples' graph)

__all__ = ["similar_papers", "SIMILARITY"]

SIMILARITY = ("jaccard", "adamic-adar")
_FEATURES = ((AUTHOR, "authors"), (METHOD, "methods"), (BENCHMARK, "benchmarks"))


def similar_papers(G: nx.DiGraph, title: str, top: int = 10, score: str = "jaccard") -> list[dict]:
    """Papers similar to a paper by shared methods, benchmarks and authors: ``id``, ``title``,
    ``score``, ``shared`` (``methods``, ``benchmarks``, ``authors``: names) and ``reason``.
    *score*: ``jaccard`` (shared / all features of the two papers) or ``adamic-adar`` (sum over
    shared features of 1/log(number of papers with that feature): rare ones weigh more).

    >>> r = similar_papers(toy_graph(), "Efficient Diffusion Transformers")
    >>> r[0]["title"], r[0]["score"], r[0]["reason"]
    ('Lee and Chen Again', 0.6, 'shares authors: Ann Lee, Bo Chen; methods: Transformer')
    """
    if score not in SIMILARITY:
        raise BadArgument("score", score, SIMILARITY)
    p = find_node(G, title, (PAPER,))
    idx = index(G)

    def features(q: str) -> set[str]:
        return set(idx.authors_of.get(q, ())) | {e for e, _ in idx.ents_of.get(q, ())}

    def holders(f: str) -> Iterable[str]:
        return idx.papers_of.get(f, ()) if G.nodes[f].get("type") == AUTHOR else idx.ent_papers.get(f, {})

    mine = features(p)
    shared: dict[str, set[str]] = defaultdict(set)
    for f in mine:
        for q in holders(f):
            if q != p:
                shared[q].add(f)
    rows = []
    for q, fs in shared.items():
        if score == "jaccard":
            s = len(fs) / len(mine | features(q))
        else:
            s = sum(1 / math.log(len(holders(f))) for f in fs)
        by_type = {t: sorted((node_name(G, f) for f in fs if G.nodes[f].get("type") == t), key=str.casefold)
                   for t, _ in _FEATURES}
        parts = [f"{w}: {', '.join(by_type[t])}" for t, w in _FEATURES if by_type[t]]
        rows.append(paper_row(G, q, score=round(s, 4),
                              shared={"methods": by_type[METHOD], "benchmarks": by_type[BENCHMARK],
                                      "authors": by_type[AUTHOR]},
                              reason="shares " + "; ".join(parts)))
    rows.sort(key=lambda r: (-r["score"], r["title"].casefold(), r["id"]))
    return rows[:top] if top else rows
