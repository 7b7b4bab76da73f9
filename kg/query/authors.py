"""Authors: an author's profile, and the experts on a method or benchmark.

>>> [x["name"] for x in experts(toy_graph(), "EDT")]
['Ann Lee', 'Bo Chen', 'Cy Dias', 'Dee Evans']
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..identity import author_identity
from ..model import BENCHMARK, PROPOSES, USES
from ._format import by_papers, newest_first, node_name, paper_row, paper_titles
from ._index import index
from .lookup import find_author, find_entity
from .toy import toy_graph  # noqa: F401  (the examples' graph)

__all__ = ["author_profile", "experts"]


def author_profile(G: nx.DiGraph, name: str) -> dict:
    """Everything about an author: ``name``, ``id``, ``papers`` (with ``position`` in the
    author list, newest first), ``coauthors`` (as :func:`kg.query.coauthors`),
    ``methods_proposed``, ``methods_used`` and ``benchmarks`` (each ``name``, ``id``, ``papers``
    count, ``titles``), and ``identity`` (:func:`kg.identity.author_identity`: ORCID / OpenAlex /
    S2 ids and their IRIs, other spellings, and ``possibly_several`` with ``coauthor_groups`` when
    the author's papers fall into groups with no co-author in common).

    >>> p = author_profile(toy_graph(), "ann lee")
    >>> [x["title"] for x in p["papers"]], [m["name"] for m in p["methods_proposed"]]
    (['Lee and Chen Again', 'Efficient Diffusion Transformers'], ['Efficient Diffusion Transformer'])
    >>> [(m["name"], m["papers"]) for m in p["methods_used"]], [b["name"] for b in p["benchmarks"]]
    ([('Transformer', 2)], ['ImageNet'])
    >>> p["identity"]
    {'iris': [], 'aliases': []}
    """
    a = find_author(G, name)
    idx = index(G)
    ps = newest_first(G, idx.papers_of.get(a, ()))
    groups: dict[str, dict[str, list[str]]] = {"methods_proposed": {}, "methods_used": {},
                                               "benchmarks": {}}
    for p in ps:
        for e, role in idx.ents_of[p]:
            t = G.nodes[e].get("type")
            g = "benchmarks" if t == BENCHMARK else "methods_proposed" if role == PROPOSES else "methods_used"
            groups[g].setdefault(e, []).append(p)
    return {"name": node_name(G, a), "id": a,
            "papers": [paper_row(G, p, position=idx.authors_of[p].index(a),
                                 authors=[node_name(G, x) for x in idx.authors_of[p]]) for p in ps],
            "coauthors": by_papers(G, idx.co.get(a, {}), None),
            **{g: by_papers(G, d, None) for g, d in groups.items()},
            "identity": author_identity(G, a)}


def experts(G: nx.DiGraph, name: str, top: int | None = 10) -> list[dict]:
    """Authors ranked by their papers that propose or use a method (or benchmark): ``name``,
    ``id``, ``papers``, ``proposes``, ``uses`` (counts) and ``titles``; most papers first, then
    most proposing papers.

    >>> [(x["name"], x["papers"], x["proposes"]) for x in experts(toy_graph(), "transformer", top=3)]
    [('Bo Chen', 3, 0), ('Ann Lee', 2, 0), ('Cy Dias', 2, 0)]
    """
    e = find_entity(G, name)
    idx = index(G)
    by: dict[str, dict[str, str]] = defaultdict(dict)
    for p, r in idx.ent_papers.get(e, {}).items():
        for a in idx.authors_of.get(p, ()):
            by[a][p] = r
    rows = [{"name": node_name(G, a), "id": a, "papers": len(ps),
             "proposes": sum(r == PROPOSES for r in ps.values()),
             "uses": sum(r == USES for r in ps.values()),
             "titles": paper_titles(G, newest_first(G, ps))} for a, ps in by.items()]
    rows.sort(key=lambda r: (-r["papers"], -r["proposes"], r["name"].casefold(), r["id"]))
    return rows[:top] if top else rows
