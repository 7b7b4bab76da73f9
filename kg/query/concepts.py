"""Methods and benchmarks: the papers that propose or use them, what is evaluated on what,
what is mentioned together, and what is used most.

>>> [p["title"] for p in papers(toy_graph(), "llama2")]
['Scaling Llama 2', 'Solo Work']
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from ..model import BENCHMARK, METHOD, PROPOSES, USES
from ._format import by_papers, node_name, paper_row, ranked_counts
from ._index import ENTITY_TYPES, index
from .exceptions import BadArgument
from .lookup import entities_like, find_entity
from .toy import toy_graph  # noqa: F401  (the examples' graph)

__all__ = ["papers", "evaluated_on", "methods_on", "cooccurring", "top_entities", "ENTITY_TYPES"]

ROLES = (PROPOSES, USES)


def _check_role(role: str | None) -> None:
    if role not in (None, *ROLES):
        raise BadArgument("role", role, ROLES)


def papers(G: nx.DiGraph, name: str, role: str | None = None, like: bool = False) -> list[dict]:
    """Papers that propose or use a method, or are evaluated on a benchmark: ``id``,
    ``title``, ``role`` (``proposes``/``uses``), ``year``, ``venue`` and ``via`` (the
    method/benchmark name); proposing papers first, then by title. *role* keeps one role only.
    With *like*, every method/benchmark whose name or alias contains *name* counts
    ("transformer" → Transformer, Decision Transformer, …); a paper is listed once.

    >>> [(p["title"], p["role"]) for p in papers(toy_graph(), "EDT")]
    [('Efficient Diffusion Transformers', 'proposes'), ('Diffusion on ImageNet', 'uses')]
    >>> [(p["title"], p["via"]) for p in papers(toy_graph(), "diffusion transf", like=True)]
    [('Efficient Diffusion Transformers', 'Efficient Diffusion Transformer'), ('Diffusion on ImageNet', 'Efficient Diffusion Transformer')]
    """
    _check_role(role)
    idx = index(G)
    ents = entities_like(G, name) if like else [find_entity(G, name)]
    best: dict[str, tuple[str, str]] = {}
    for e in ents:
        for p, r in idx.ent_papers.get(e, {}).items():
            if role is not None and r != role:
                continue
            if p not in best or (r == PROPOSES and best[p][0] != PROPOSES):
                best[p] = (r, e)
    rows = [paper_row(G, p, role=r, via=node_name(G, e)) for p, (r, e) in best.items()]
    rows.sort(key=lambda r: (r["role"] != PROPOSES, r["title"].casefold(), r["id"]))
    return rows


def _via_papers(G, name: str, src: str, dst: str, top: int | None) -> list[dict]:
    e = find_entity(G, name, (src,))
    idx = index(G)
    found: dict[str, list[str]] = {}
    for p in idx.ent_papers.get(e, {}):
        for x, _ in idx.ents_of[p]:
            if G.nodes[x].get("type") == dst:
                found.setdefault(x, []).append(p)
    return by_papers(G, found, top)


def evaluated_on(G: nx.DiGraph, method: str, top: int | None = None) -> list[dict]:
    """Benchmarks a method is evaluated on: benchmarks of the papers that propose or use it,
    with ``papers`` (count of shared papers) and ``titles``, most shared first.

    >>> [(b["name"], b["papers"]) for b in evaluated_on(toy_graph(), "Transformer")]
    [('ImageNet', 2), ('MMLU', 1)]
    """
    return _via_papers(G, method, METHOD, BENCHMARK, top)


def methods_on(G: nx.DiGraph, benchmark: str, top: int | None = None) -> list[dict]:
    """Methods evaluated on a benchmark: methods of the papers evaluated on it, with
    ``papers`` (count of shared papers) and ``titles``, most shared first.

    >>> [(m["name"], m["papers"]) for m in methods_on(toy_graph(), "imagenet")]
    [('Efficient Diffusion Transformer', 2), ('Transformer', 2)]
    """
    return _via_papers(G, benchmark, BENCHMARK, METHOD, top)


def cooccurring(G: nx.DiGraph, name: str, top: int | None = None) -> list[dict]:
    """Methods (for a benchmark: benchmarks) mentioned in the same papers as *name*:
    ``name``, ``id``, ``count`` (shared papers), ``lift`` = count·N / (n_a·n_b) and
    ``pmi`` = log2(lift), with N the number of papers and n_x the papers mentioning x; most
    shared first, then highest lift.

    >>> [(m["name"], m["count"], m["lift"]) for m in cooccurring(toy_graph(), "Transformer")]
    [('Efficient Diffusion Transformer', 2, 1.25), ('Llama 2', 1, 0.625)]
    """
    e = find_entity(G, name)
    idx = index(G)
    kind = G.nodes[e]["type"]
    n_total = len(idx.papers)
    mine = idx.ent_papers.get(e, {})
    counts: Counter = Counter()
    for p in mine:
        for x, _ in idx.ents_of[p]:
            if x != e and G.nodes[x].get("type") == kind:
                counts[x] += 1
    rows = []
    for x, c in counts.items():
        lift = c * n_total / (len(mine) * len(idx.ent_papers[x]))
        rows.append({"name": node_name(G, x), "id": x, "count": c, "lift": round(lift, 4),
                     "pmi": round(math.log2(lift), 4)})
    rows.sort(key=lambda r: (-r["count"], -r["lift"], r["name"].casefold(), r["id"]))
    return rows[:top] if top else rows


def top_entities(G: nx.DiGraph, kind: str = METHOD, top: int | None = 10, by: str | None = None,
                 role: str | None = None) -> list[dict] | dict[str, list[dict]]:
    """The most used methods or benchmarks (*kind*): ``name``, ``id``, ``papers`` (papers that
    propose or use it; *role* keeps one role). With *by* = ``"year"`` or ``"venue"``, a dict
    from each known year/venue (sorted; papers without one are left out) to its own ranking.

    >>> [(m["name"], m["papers"]) for m in top_entities(toy_graph(), top=2)]
    [('Transformer', 4), ('Efficient Diffusion Transformer', 2)]
    >>> {y: [m["name"] for m in ms] for y, ms in top_entities(toy_graph(), "benchmark", by="year").items()}
    {'2022': ['MMLU'], '2023': ['ImageNet'], '2024': ['ImageNet', 'MMLU']}
    """
    if kind not in ENTITY_TYPES:
        raise BadArgument("kind", kind, ENTITY_TYPES)
    if by not in (None, "year", "venue"):
        raise BadArgument("by", by, ("year", "venue"))
    _check_role(role)
    idx = index(G)
    groups: dict[Any, Counter] = defaultdict(Counter)
    for e, ps in idx.ent_papers.items():
        if G.nodes[e].get("type") != kind:
            continue
        for p, r in ps.items():
            if role is not None and r != role:
                continue
            g = G.nodes[p].get(by) if by else None
            if by and g in (None, ""):
                continue
            groups[g][e] += 1
    if by is None:
        return ranked_counts(G, groups.get(None, Counter()), top)
    return {str(g): ranked_counts(G, groups[g], top) for g in sorted(groups, key=lambda g: (str(type(g)), g))}
