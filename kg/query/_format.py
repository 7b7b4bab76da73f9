"""How query answers name nodes and list papers (shared by the query modules).

>>> from kg.query import toy_graph
>>> G = toy_graph()
>>> node_name(G, "author:ann-lee"), paper_titles(G, newest_first(G, ["paper:solo-work", "paper:scaling-llama-2"]))
('Ann Lee', ['Scaling Llama 2', 'Solo Work'])
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx


def node_name(G: nx.DiGraph, n: str) -> str:
    """The name a node is shown by in answers: its name, title or label, else its id."""
    d = G.nodes[n]
    return d.get("name") or d.get("title") or d.get("label") or n


def paper_titles(G: nx.DiGraph, ps: Iterable[str]) -> list[str]:
    """The titles of papers *ps*, in the order given."""
    return [G.nodes[p].get("title") or p for p in ps]


def newest_first(G: nx.DiGraph, ps: Iterable[str]) -> list[str]:
    """Papers newest first (unknown years last), then by title."""
    return sorted(ps, key=lambda p: (-(G.nodes[p].get("year") or 0),
                                     (G.nodes[p].get("title") or p).casefold(), p))


def paper_row(G: nx.DiGraph, p: str, **extra) -> dict[str, Any]:
    """A paper in an answer: ``id``, ``title``, ``year``, ``venue`` and the *extra* fields."""
    d = G.nodes[p]
    out = {"id": p, "title": d.get("title") or node_name(G, p), "year": d.get("year"),
           "venue": d.get("venue")}
    out.update(extra)
    return out


def by_papers(G: nx.DiGraph, papers_of: dict[str, Iterable[str]], top: int | None) -> list[dict]:
    """Nodes with the papers that link them to the question: ``name``, ``id``, ``papers``
    (count) and ``titles`` (newest first); most papers first, then by name; the first *top*."""
    rows = [{"name": node_name(G, n), "id": n, "papers": len(ps), "titles": paper_titles(G, newest_first(G, ps))}
            for n, ps in papers_of.items()]
    rows.sort(key=lambda r: (-r["papers"], r["name"].casefold(), r["id"]))
    return rows[:top] if top else rows


def ranked_counts(G: nx.DiGraph, counts: dict[str, int], top: int | None) -> list[dict]:
    """``{name, id, papers}`` for nodes with a count of papers, most first, then by name."""
    rows = sorted(counts.items(), key=lambda x: (-x[1], node_name(G, x[0]).casefold(), x[0]))
    return [{"name": node_name(G, e), "id": e, "papers": n} for e, n in (rows[:top] if top else rows)]
