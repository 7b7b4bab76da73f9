"""Plain text shown on the HTML page: node and edge tooltips, and the short label drawn on the
canvas. Never HTML: the page puts these strings in with ``textContent``.

>>> import kg
>>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
>>> canvas_label(G.nodes["paper:conformal-inverse-optimization"], "paper:conformal-inverse-optimization")
'Conformal Inverse Optimization'
"""
from __future__ import annotations

from typing import Iterable

import networkx as nx

from ...model import AUTHOR, AUTHORED, BENCHMARK, METHOD, PAPER, PROPOSES, USES, with_evidence
from .selection import COAUTHOR


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _first_sentences(text: str, limit: int = 320) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > limit // 2 else cut.rstrip() + "…"


def _title_bullets(G: nx.DiGraph, papers: Iterable[str], limit: int = 4) -> list[str]:
    """Tooltip lines: the first *limit* titles of *papers* (alphabetical), shortened and
    bulleted, and an "… and N more" line."""
    papers = sorted(papers, key=lambda p: (G.nodes[p].get("title") or p).casefold())
    out = ["  • " + _short(G.nodes[p].get("title") or p, 90) for p in papers[:limit]]
    if len(papers) > limit:
        out.append(f"  … and {len(papers) - limit} more")
    return out


def _paper_tooltip(d: dict, n: str) -> str:
    lines = [_short(d.get("title") or d.get("label") or n, 200)]
    authors = list(d.get("authors") or [])
    if authors:
        more = f" (+{len(authors) - 8} more)" if len(authors) > 8 else ""
        lines.append(", ".join(authors[:8]) + more)
    meta = " · ".join(str(d[k]) for k in ("year", "venue") if d.get(k))
    ids = " · ".join(f"{k}: {d[k]}" for k in ("arxiv", "doi") if d.get(k))
    lines.extend(x for x in (meta, ids) if x)
    if d.get("abstract"):
        lines.append(_first_sentences(d["abstract"]))
    return "\n".join(lines)


def node_tooltip(G: nx.DiGraph, n: str) -> str:
    """Plain-text tooltip of node *n* (first line is the heading; counts come from the full
    graph *G*, not only the drawn part).

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> print(node_tooltip(G, "author:timothy-chan"))
    Timothy Chan
    author · 1 paper
      • Conformal Inverse Optimization
    """
    d = G.nodes[n]
    t = d.get("type")
    if t == PAPER:
        return _paper_tooltip(d, n)
    if t == AUTHOR:
        papers = [p for p in G.predecessors(n) if G.edges[p, n].get("type") == AUTHORED]
        head = [d.get("name") or d.get("label") or n,
                f"author · {len(papers)} paper{'s' if len(papers) != 1 else ''}"]
        return "\n".join(head + _title_bullets(G, papers))
    if t in (METHOD, BENCHMARK):
        uses = [p for p in G.predecessors(n) if G.edges[p, n].get("type") == USES]
        props = [p for p in G.predecessors(n) if G.edges[p, n].get("type") == PROPOSES]
        lines = [d.get("name") or d.get("label") or n]
        if d.get("aliases"):
            lines.append("also: " + _short(", ".join(d["aliases"]), 120))
        lines.append(f"{t} · used in {len(uses)} paper{'s' if len(uses) != 1 else ''}"
                     f" · proposed in {len(props)}")
        if props:
            lines.append("proposed by:")
            lines.extend(_title_bullets(G, props, 3))
        return "\n".join(lines)
    return str(d.get("label") or n)


def edge_tooltip(G: nx.DiGraph, u: str, v: str) -> str:
    """Plain-text tooltip of an edge: its role and, for methods and benchmarks, the evidence.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> edge_tooltip(G, "paper:conformal-inverse-optimization", "author:timothy-chan")
    'author of (author 1)'
    """
    e = with_evidence(G.nodes[u], G.edges[u, v])  # the sentence, not its offsets
    t = e.get("type")
    if t == AUTHORED:
        return f"author of (author {int(e.get('position', 0)) + 1})"
    if t == "cooccurs":
        n = e.get("weight", 0)
        return (f"{G.nodes[u].get('label', u)} and {G.nodes[v].get('label', v)}\n"
                f"mentioned together in {n} paper{'s' if n != 1 else ''}")
    if t == COAUTHOR:
        n = e.get("papers", 0)
        return "\n".join([f"co-authors · {n} shared paper{'s' if n != 1 else ''}",
                          *("  • " + _short(x, 90) for x in e.get("titles", [])[:4])])
    lines = [f"{t} · {G.nodes[v].get('label', v)}"]
    if e.get("evidence"):
        lines.append("“" + _short(e["evidence"], 400) + "”")
    if e.get("confidence") is not None:
        lines.append(f"confidence {float(e['confidence']):.2f}")
    return "\n".join(lines)


def canvas_label(d: dict, n: str) -> str:
    """The short label drawn next to node *n* (attributes *d*) on the canvas: a paper's title
    cut to 30 characters, another node's label or name cut to 40."""
    if d.get("type") == PAPER:
        return _short(d.get("title") or d.get("label") or n, 30)
    return _short(d.get("label") or d.get("name") or n, 40)
