"""Interactive HTML view of the knowledge graph: one self-contained page, no network needed.

The network data (nodes, edges, vis options) is built with :mod:`pyvis`; the page is rendered
with the package's own template (``kg/export/templates/graph.html``) that inlines vis-network's
JavaScript and CSS from the installed pyvis package, so the page has no ``http(s)://`` script,
stylesheet or font reference and opens by double-click without a network.

* colour and shape per node type with a legend, node size by degree, labels placed so they do
  not cover each other at the current zoom, plain-text tooltips (never HTML from the data);
* a search box (name or alias), a checkbox per node type, neighbourhood highlight on click;
* the layout is computed by vis-network's physics with a fixed random seed, which is switched
  off once stabilised; the page is byte-identical for the same graph;
* :func:`select` keeps the most connected nodes (``max_nodes``), a neighbourhood (``focus`` and
  ``radius``) or some node types (``types``).

>>> import kg
>>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
>>> page = render(G)
>>> "https://" in page.split("<script")[0], page.count("<html")
(False, 1)
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import networkx as nx

from .._io import atomic_write
from ..graph import coauthor_pairs
from ..model import AUTHOR, AUTHORED, BENCHMARK, METHOD, NODE_TYPES, PAPER, PROPOSES, USES, KGError

DEFAULT_MAX_NODES = 2000
COAUTHOR = "coauthor"  # derived author–author edge, drawn only when papers are not shown
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
VIS_VERSION = "9.1.2"

TYPE_STYLE = {
    PAPER: {"color": "#4e79a7", "shape": "square", "title": "papers"},
    AUTHOR: {"color": "#f28e2b", "shape": "dot", "title": "authors"},
    METHOD: {"color": "#59a14f", "shape": "diamond", "title": "methods"},
    BENCHMARK: {"color": "#e15759", "shape": "triangle", "title": "benchmarks"},
}
EDGE_STYLE = {
    AUTHORED: {"color": "#c7c7c7", "dashes": False, "width": 1, "title": "author of"},
    PROPOSES: {"color": "#2e8540", "dashes": False, "width": 2, "title": "proposes"},
    USES: {"color": "#8fa3b8", "dashes": True, "width": 1, "title": "uses"},
    COAUTHOR: {"color": "#f5c28f", "dashes": False, "width": 1, "title": "co-author"},
}


@dataclass
class Selection:
    """The part of a graph that is drawn, and what was left out of it."""

    graph: nx.DiGraph
    candidates: int  # nodes that matched --types / --focus before --max-nodes
    left_out: int  # of those, nodes dropped by --max-nodes
    focus: str | None = None
    radius: int | None = None
    types: tuple[str, ...] = NODE_TYPES
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- selection
def parse_types(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Node types from ``"author,paper"`` (or a list), in model order; all types for None.

    >>> parse_types("author, paper")
    ('paper', 'author')
    >>> parse_types("people")
    Traceback (most recent call last):
    ...
    kg.model.KGError: unknown node type 'people' in --types (choose from paper, author, method, benchmark)
    """
    if value is None:
        return NODE_TYPES
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = set()
    for item in items:
        t = item.strip().lower()
        if not t:
            continue
        t = {"papers": PAPER, "authors": AUTHOR, "methods": METHOD, "benchmarks": BENCHMARK}.get(t, t)
        if t not in NODE_TYPES:
            raise KGError(f"unknown node type {item.strip()!r} in --types "
                          f"(choose from {', '.join(NODE_TYPES)})")
        wanted.add(t)
    if not wanted:
        raise KGError(f"--types is empty (choose from {', '.join(NODE_TYPES)})")
    return tuple(t for t in NODE_TYPES if t in wanted)


def _find_node(G: nx.DiGraph, name: str) -> str:
    """Resolve a user-given name with :func:`kg.query.find_node`, so that an unknown or
    ambiguous name gives the same message as the queries."""
    from ..query import find_node

    return find_node(G, name)


def select(G: nx.DiGraph, max_nodes: int | None = None, focus: str | None = None,
           radius: int | None = None, types: str | Iterable[str] | None = None) -> Selection:
    """The subgraph to draw: nodes of *types*, within *radius* (default 1) steps of *focus*
    (either edge direction), then the *max_nodes* most connected of them (the focus is kept).
    When authors are drawn without papers, co-authors are linked by derived ``coauthor`` edges.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> s = select(G, max_nodes=5)
    >>> s.graph.number_of_nodes(), s.left_out == s.candidates - 5
    (5, True)
    >>> select(G, focus="Timothy Chan").graph.number_of_nodes()
    2
    """
    types_t = parse_types(types)
    if max_nodes is not None and max_nodes < 0:
        raise KGError(f"--max-nodes must be 0 (no limit) or more, not {max_nodes}")
    if radius is not None and radius < 0:
        raise KGError(f"--radius must be 0 or more, not {radius}")
    if radius is not None and focus is None:
        raise KGError("--radius needs --focus NAME")
    keep = [n for n, t in G.nodes(data="type") if t in types_t]
    H = nx.DiGraph(G.subgraph(keep))
    H.graph.update(G.graph)
    notes = []
    if AUTHOR in types_t and PAPER not in types_t:
        authors = {n for n, t in H.nodes(data="type") if t == AUTHOR}
        for (a, b), papers in sorted(coauthor_pairs(G, authors).items()):
            H.add_edge(a, b, type=COAUTHOR, papers=len(papers),
                       titles=sorted(G.nodes[p].get("title", p) for p in papers))
        notes.append("authors linked by shared papers")
    focus_id = None
    if focus is not None:
        focus_id = _find_node(G, focus)
        ftype = G.nodes[focus_id].get("type")
        if ftype not in types_t:
            raise KGError(f"--focus {focus!r} is a {ftype}, which --types leaves out")
        radius = 1 if radius is None else radius
        near = nx.single_source_shortest_path_length(H.to_undirected(as_view=True), focus_id,
                                                     cutoff=radius)
        H = nx.DiGraph(H.subgraph(near))
    candidates = H.number_of_nodes()
    left_out = 0
    if max_nodes and candidates > max_nodes:
        deg = dict(H.degree())
        ranked = sorted(H.nodes, key=lambda n: (n != focus_id, -deg[n], n))
        H = nx.DiGraph(H.subgraph(ranked[:max_nodes]))
        left_out = candidates - max_nodes
    H.graph.update(G.graph)
    return Selection(H, candidates, left_out, focus_id, radius if focus_id else None, types_t, notes)


# --------------------------------------------------------------------------- layout
EDGE_PX = 70.0  # ideal edge length on the vis canvas


GRAVITY = 0.5  # pull to the centre: parts settle as discs of radius ~ sqrt(n / GRAVITY)


def _step(pos, disp, t):
    import numpy as np

    length = np.sqrt(np.maximum((disp ** 2).sum(-1), 1e-12))[..., None]
    return pos + disp / length * np.minimum(length, t)


def _fr_batch(parts: list[tuple[int, "np.ndarray"]], rng, iterations: int = 60) -> list:
    """Fruchterman–Reingold with exact repulsion for many small parts at once: the parts are
    padded to the same size and simulated together (repulsion only inside a part)."""
    import numpy as np

    B, m = len(parts), max(n for n, _ in parts)
    pos = np.zeros((B, m, 2), np.float32)
    mask = np.zeros((B, m), bool)
    flat = []
    for b, (n, edges) in enumerate(parts):
        pos[b, :n] = (rng.uniform(-1, 1, (n, 2)) * math.sqrt(n)).astype(np.float32)
        mask[b, :n] = True
        flat.append(edges + b * m)
    pair = (mask[:, :, None] & mask[:, None, :]) & ~np.eye(m, dtype=bool)[None]
    e = np.concatenate(flat) if flat else np.zeros((0, 2), np.int64)
    sizes = np.array([n for n, _ in parts], np.float32)[:, None, None]
    t0 = np.maximum(0.1, 0.2 * np.sqrt(sizes))
    for i in range(iterations):
        delta = pos[:, :, None, :] - pos[:, None, :, :]
        inv = pair / np.maximum((delta ** 2).sum(-1), 1e-4)
        disp = (delta * inv[..., None]).sum(2)
        if len(e):
            p = pos.reshape(-1, 2)
            dv = p[e[:, 0]] - p[e[:, 1]]
            f = dv * np.sqrt((dv ** 2).sum(1))[:, None]
            d = disp.reshape(-1, 2)
            np.add.at(d, e[:, 0], -f)
            np.add.at(d, e[:, 1], f)
        disp -= GRAVITY * pos
        pos = _step(pos, disp, (t0 * (1 - i / iterations) + 0.01).astype(np.float32))
    return [pos[b, :n].astype(float) for b, (n, _) in enumerate(parts)]


def _fr_grid(n: int, edges, pos, iterations: int = 80):
    """Fruchterman–Reingold for a big part: repulsion from the node density convolved with
    the 1/r force kernel on a grid (FFT); attraction and a short-range push along edges
    exactly. About O(n + E + grid log grid) per iteration."""
    import numpy as np

    half = 1.4 * math.sqrt(n / GRAVITY) + 4
    g = 128 if n < 1500 else 256
    h = 2 * half / g
    u = (np.arange(2 * g) - g) * h  # kernel offsets, zero in the middle
    ux, uy = np.meshgrid(u, u, indexing="ij")
    r2 = ux ** 2 + uy ** 2
    r2[g, g] = np.inf
    kx = np.fft.rfft2(np.fft.ifftshift(ux / r2))
    ky = np.fft.rfft2(np.fft.ifftshift(uy / r2))
    t0 = 0.1 * half
    a, b = (edges[:, 0], edges[:, 1]) if len(edges) else (None, None)
    for i in range(iterations):
        pos = np.clip(pos, -half + h, half - h)
        cell = np.floor((pos + half) / h).astype(np.int64)
        flat = cell[:, 0] * (2 * g) + cell[:, 1]
        rho = np.bincount(flat, minlength=4 * g * g).reshape(2 * g, 2 * g)
        rf = np.fft.rfft2(rho)
        fx = np.fft.irfft2(rf * kx, s=rho.shape).ravel()[flat]
        fy = np.fft.irfft2(rf * ky, s=rho.shape).ravel()[flat]
        disp = np.stack([fx, fy], 1)
        if a is not None:
            dv = pos[a] - pos[b]
            d2 = np.maximum((dv ** 2).sum(1), 1e-4)[:, None]
            f = dv * np.sqrt(d2) - dv / d2  # attraction d^2, exact repulsion 1/d for neighbours
            np.add.at(disp, a, -f)
            np.add.at(disp, b, f)
        disp -= GRAVITY * pos
        pos = _step(pos, disp, t0 * (1 - i / iterations) + 0.02)
    return pos


def layout(H: nx.DiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic positions (vis canvas pixels) for every node of *H*: each connected part
    is laid out by a force-directed method (seeded), then the parts are packed in rows, the
    biggest first, into a landscape rectangle.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> pos = layout(G)
    >>> len(pos) == G.number_of_nodes(), pos == layout(G.copy())
    (True, True)
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    U = H.to_undirected(as_view=True)
    parts = sorted((sorted(c) for c in nx.connected_components(U)), key=lambda c: (-len(c), c[0]))
    placed: list = [None] * len(parts)
    small: list[tuple[int, int, np.ndarray]] = []
    for k, comp in enumerate(parts):
        n = len(comp)
        if n == 1:
            placed[k] = np.zeros((1, 2))
            continue
        index = {v: i for i, v in enumerate(comp)}
        edges = np.array(sorted({tuple(sorted((index[x], index[y]))) for x, y in U.edges(comp)}),
                         dtype=np.int64).reshape(-1, 2)
        if n == 2:
            placed[k] = np.array([[-0.5, 0.0], [0.5, 0.0]])
        elif n <= 300:
            small.append((k, n, edges))
        else:
            placed[k] = _fr_grid(n, edges, rng.uniform(-1, 1, (n, 2)) * math.sqrt(n))
    small.sort(key=lambda x: (x[1], x[0]))
    while small:  # batches of similar size, bounded memory
        batch = []
        while small and (not batch or (len(batch) + 1) * small[0][1] ** 2 <= 60_000):
            batch.append(small.pop(0))
        for (k, _, _), p in zip(batch, _fr_batch([(n, e) for _, n, e in batch], rng)):
            placed[k] = p
    boxes = []
    for comp, p in zip(parts, placed):
        p = p - (p.min(0) + p.max(0)) / 2
        boxes.append((comp, p, p.max(0) - p.min(0) + 1.2))
    # shelf packing: rows whose height is set by their first (biggest) part; the parts after
    # it are stacked in columns inside the row, aiming at a 2:1 landscape rectangle
    area = sum(float(s[0] * s[1]) for *_, s in boxes)
    row_w = max(math.sqrt(area * 2.0), float(boxes[0][2][0]) if boxes else 1.0)
    out: dict[str, tuple[float, float]] = {}
    row_y, row_h, col_x, col_y, col_w = 0.0, -1.0, 0.0, 0.0, 0.0
    for comp, p, size in boxes:
        w, h = float(size[0]), float(size[1])
        if row_h < 0:
            row_h = h
        if col_y + h > row_h + 1e-9:  # next column
            col_x, col_y, col_w = col_x + col_w, 0.0, 0.0
        if col_x > 0 and col_x + w > row_w:  # next row
            row_y, row_h, col_x, col_y, col_w = row_y + row_h, h, 0.0, 0.0, 0.0
        centre = np.array([col_x + w / 2, row_y + col_y + h / 2])
        for v, q in zip(comp, p + centre):
            out[v] = (round(float(q[0]) * EDGE_PX, 1), round(float(q[1]) * EDGE_PX, 1))
        col_y += h
        col_w = max(col_w, w)
    return out


# --------------------------------------------------------------------------- network data
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


def _titles(G: nx.DiGraph, papers: Iterable[str], limit: int = 4) -> list[str]:
    papers = sorted(papers, key=lambda p: (G.nodes[p].get("title") or p).casefold())
    out = ["  • " + _short(G.nodes[p].get("title") or p, 90) for p in papers[:limit]]
    if len(papers) > limit:
        out.append(f"  … and {len(papers) - limit} more")
    return out


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
    if t == AUTHOR:
        papers = [p for p in G.predecessors(n) if G.edges[p, n].get("type") == AUTHORED]
        head = [d.get("name") or d.get("label") or n,
                f"author · {len(papers)} paper{'s' if len(papers) != 1 else ''}"]
        return "\n".join(head + _titles(G, papers))
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
            lines.extend(_titles(G, props, 3))
        return "\n".join(lines)
    return str(d.get("label") or n)


def edge_tooltip(G: nx.DiGraph, u: str, v: str) -> str:
    """Plain-text tooltip of an edge: its role and, for methods and benchmarks, the evidence.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> edge_tooltip(G, "paper:conformal-inverse-optimization", "author:timothy-chan")
    'author of (author 1)'
    """
    e = G.edges[u, v]
    t = e.get("type")
    if t == AUTHORED:
        return f"author of (author {int(e.get('position', 0)) + 1})"
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


def _label(d: dict, n: str) -> str:
    if d.get("type") == PAPER:
        return _short(d.get("title") or d.get("label") or n, 30)
    return _short(d.get("label") or d.get("name") or n, 40)


def vis_options(n_nodes: int) -> dict:
    """vis-network options: positions come from :func:`layout`, so physics is off and the
    page is usable as soon as it is drawn; straight edges (fast), hover tooltips.

    >>> vis_options(100)["physics"]["enabled"]
    False
    """
    big = n_nodes > 1500
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False,
                        "keyboard": False, "multiselect": False},
        "nodes": {"borderWidth": 1, "scaling": {"min": 6, "max": 34},
                  "font": {"face": "Helvetica,Arial,sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 0.5,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}}},
        "physics": {"enabled": False, "stabilization": {"enabled": False}},
    }


def build_network(sel: Selection | nx.DiGraph, G: nx.DiGraph | None = None):
    """The :class:`pyvis.network.Network` of a selection (or a whole graph): one vis node per
    graph node with ``kind`` (node type), ``names`` (label, name and aliases, for the search),
    colour, shape, ``value`` (from the degree), a plain-text ``title``; one edge per graph edge
    with ``kind`` and a plain-text ``title``. *G* (default: the drawn graph) gives the counts
    shown in tooltips.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> net = build_network(G)
    >>> len(net.nodes) == G.number_of_nodes(), len(net.edges) == G.number_of_edges()
    (True, True)
    """
    from pyvis.network import Network

    H = sel.graph if isinstance(sel, Selection) else sel
    G = H if G is None else G
    net = Network(directed=True, cdn_resources="in_line")
    deg = dict(H.degree())
    pos = layout(H)
    for n in sorted(H.nodes):
        d = H.nodes[n]
        t = d.get("type", PAPER)
        style = TYPE_STYLE.get(t, TYPE_STYLE[PAPER])
        names = sorted({s for s in [d.get("label"), d.get("name"), d.get("title"),
                                    *(d.get("aliases") or [])] if s})
        k = deg.get(n, 0)
        net.add_node(n, label=_label(d, n), shape=style["shape"], color=style["color"],
                     title=node_tooltip(G, n) if n in G else str(d.get("label", n)),
                     value=round(math.sqrt(k + 1), 3), kind=t, names=names, degree=k,
                     x=pos[n][0], y=pos[n][1],
                     font={"size": round(min(26, 12 + 2.2 * math.sqrt(k)), 1)})
    node_set = set(net.node_ids)
    net.get_nodes = lambda: node_set  # pyvis checks membership in a list: O(n) per edge
    for u, v in sorted(H.edges):
        e = H.edges[u, v]
        t = e.get("type", USES)
        style = EDGE_STYLE.get(t, EDGE_STYLE[USES])
        tip = edge_tooltip(G, u, v) if G.has_edge(u, v) else edge_tooltip(H, u, v)
        net.add_edge(u, v, kind=t, title=tip, color=style["color"], dashes=style["dashes"],
                     width=style["width"], arrows="to" if t != COAUTHOR else "")
    del net.get_nodes
    net.set_options(json.dumps(vis_options(H.number_of_nodes())))
    return net


# --------------------------------------------------------------------------- page
def _script_json(obj) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>``, ``&`` or line separators."""
    s = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for a, b in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        s = s.replace(a, b)
    return s


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, read from the installed pyvis package.

    >>> js, css = vis_assets()
    >>> "vis-network" in css and len(js) > 100_000
    True
    """
    import pyvis

    base = Path(pyvis.__file__).resolve().parent
    for d in (base / "templates" / "lib" / f"vis-{VIS_VERSION}", base / "lib" / f"vis-{VIS_VERSION}"):
        js, css = d / "vis-network.min.js", d / "vis-network.css"
        if js.is_file() and css.is_file():
            js_text, css_text = js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
            if re.search(r"</script", js_text, re.I) or re.search(r"</style", css_text, re.I):
                raise KGError(f"cannot inline {d}: contains a closing tag")
            if re.search(r"url\(\s*['\"]?(https?:)?//|@import", css_text):
                raise KGError(f"cannot inline {css}: refers to remote resources")
            return js_text, css_text
    raise KGError(f"vis-network {VIS_VERSION} not found in the pyvis package ({base})")


@lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    return env.get_template("graph.html")


def render(G: nx.DiGraph, max_nodes: int | None = DEFAULT_MAX_NODES, focus: str | None = None,
           radius: int | None = None, types: str | Iterable[str] | None = None,
           title: str = "kg — knowledge graph") -> str:
    """The whole HTML page of *G* (see :func:`select` for the arguments), as a string.
    The same graph and arguments always give the same page.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> render(G) == render(G.copy())
    True
    """
    return _render(G, select(G, max_nodes, focus, radius, types), title)


def _render(G: nx.DiGraph, sel: Selection, title: str) -> str:
    net = build_network(sel, G)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    H = sel.graph
    counts = {t: 0 for t in NODE_TYPES}
    for _, t in H.nodes(data="type"):
        counts[t] = counts.get(t, 0) + 1
    edge_counts: dict[str, int] = {}
    for *_, t in H.edges(data="type"):
        edge_counts[t] = edge_counts.get(t, 0) + 1
    legend = [{"type": t, "label": TYPE_STYLE[t]["title"], "color": TYPE_STYLE[t]["color"],
               "shape": TYPE_STYLE[t]["shape"], "count": counts.get(t, 0)}
              for t in sel.types]
    edge_legend = [{"type": t, "label": EDGE_STYLE[t]["title"], "color": EDGE_STYLE[t]["color"],
                    "dashes": EDGE_STYLE[t]["dashes"], "count": edge_counts[t]}
                   for t in (AUTHORED, COAUTHOR, PROPOSES, USES) if edge_counts.get(t)]
    subtitle = []
    if sel.focus:
        subtitle.append(f"neighbourhood of {G.nodes[sel.focus].get('label', sel.focus)} "
                        f"(radius {sel.radius})")
    if tuple(sel.types) != NODE_TYPES:
        subtitle.append("types: " + ", ".join(sel.types))
    subtitle.extend(sel.notes)
    js, css = vis_assets()
    data = {"nodes": nodes, "edges": edges, "focus": sel.focus}
    return _template().render(
        title=title, vis_js=js, vis_css=css, data_json=_script_json(data),
        options_json=_script_json(json.loads(options)), n_nodes=len(nodes), n_edges=len(edges),
        candidates=sel.candidates, left_out=sel.left_out, legend=legend,
        edge_legend=edge_legend, subtitle=" · ".join(subtitle), vis_version=VIS_VERSION)


def write_html(G: nx.DiGraph, path: str | os.PathLike, max_nodes: int | None = DEFAULT_MAX_NODES,
               focus: str | None = None, radius: int | None = None,
               types: str | Iterable[str] | None = None) -> Selection:
    """Write the page of *G* to *path* atomically; return the :class:`Selection` drawn.

    >>> import kg, tempfile, pathlib
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.html"
    >>> write_html(G, p, max_nodes=10).graph.number_of_nodes(), p.stat().st_size > 100_000
    (10, True)
    """
    sel = select(G, max_nodes, focus, radius, types)
    atomic_write(path, _render(G, sel, "kg — knowledge graph"))
    return sel


def write_build_exports(G: nx.DiGraph, folder: str | os.PathLike) -> list[Path]:
    """``kg build`` hook: write ``graph.html`` into *folder* (at most
    :data:`DEFAULT_MAX_NODES` nodes, the most connected).

    >>> import kg, tempfile
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> [p.name for p in write_build_exports(G, tempfile.mkdtemp())]
    ['graph.html']
    """
    out = Path(folder) / "graph.html"
    write_html(G, out)
    return [out]
