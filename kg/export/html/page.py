"""The HTML page: pyvis network data rendered with the package's own Jinja template
(``kg/export/templates/graph.html``), vis-network's JavaScript and CSS inlined.

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
from functools import lru_cache
from pathlib import Path

import networkx as nx

from ..._io import atomic_open
from ...model import AUTHOR, AUTHORED, BENCHMARK, METHOD, NODE_TYPES, PAPER, PROPOSES, USES, KGError
from .positions import layout_clusters
from .selection import COAUTHOR, Selection, select
from .data import edge_rows, index_without_edges, write_index
from .tooltips import canvas_label, edge_tooltip, node_tooltip
from .views import COOCCURS, clusters

DEFAULT_MAX_NODES = 2000
DEFAULT_TITLE = "kg — knowledge graph"
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
VIS_VERSION = "9.1.2"
WEBGL_FROM = 3000  # pages drawing more nodes than this use the WebGL renderer (sigma.js)
RENDERERS = ("auto", "canvas", "webgl")
WEBGL_MAX_SIZE = 12.0  # sigma node size cap (a node of degree ~200 reaches it)
MAP_COLOURS_FROM = 1000  # full-view pages drawing more nodes are coloured by map cluster
# map cluster colours (Tableau 20, dark and light alternating), repeated past twenty clusters
MAP_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#17becf", "#bcbd22", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
               "#c49c94", "#f7b6d2", "#9edae5", "#dbdb8d", "#7f7f7f", "#393b79")
VENDOR = {"graphology": "graphology-0.26.0.umd.min.js", "sigma": "sigma-3.0.3.min.js"}

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
    COOCCURS: {"color": "#b9b9c9", "dashes": False, "width": 1, "title": "co-occurs"},
}
# cluster colours (Tableau 10 without grey); nodes outside the ten biggest clusters are grey
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#17becf")


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


class _Ids(list):
    """pyvis' ``node_ids`` list with set membership: pyvis' ``add_node`` tests ``n_id not in
    self.node_ids``, O(n) per node in a list (35 s of 47k nodes)."""

    def __init__(self):
        super().__init__()
        self._set = set()

    def __contains__(self, item) -> bool:
        return item in self._set

    def append(self, item) -> None:
        self._set.add(item)
        super().append(item)


def build_network(sel: Selection | nx.DiGraph, G: nx.DiGraph | None = None, tooltips: bool = True):
    """The :class:`pyvis.network.Network` of a selection (or a whole graph): one vis node per
    graph node with ``kind`` (node type), ``names`` (label, name and aliases, for the search),
    colour, shape, ``value`` (from the degree), a plain-text ``title``; one edge per graph edge
    with ``kind`` and a plain-text ``title``. *G* (default: the drawn graph) gives the counts
    shown in tooltips; *tooltips* False leaves them out (the WebGL page shows a details panel).

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
    net.node_ids = _Ids()
    deg = dict(H.degree())
    pos, net.map_clusters = layout_clusters(H)
    for n in sorted(H.nodes):
        d = H.nodes[n]
        t = d.get("type", PAPER)
        style = TYPE_STYLE.get(t, TYPE_STYLE[PAPER])
        names = sorted({s for s in [d.get("label"), d.get("name"), d.get("title"),
                                    *(d.get("aliases") or [])] if s})
        k = deg.get(n, 0)
        if "papers" in d:  # concept map: sized by the papers that mention it
            k = d["papers"]
        net.add_node(n, label=canvas_label(d, n), shape=style["shape"], color=style["color"],
                     title=(node_tooltip(G, n) if n in G else str(d.get("label", n))) if tooltips else "",
                     value=round(math.sqrt(k + 1), 3), kind=t, names=names, degree=k,
                     mc=net.map_clusters.get(n, -1),
                     x=pos[n][0], y=pos[n][1],
                     font={"size": round(min(26, 12 + 2.2 * math.sqrt(k)), 1)})
    node_set = set(net.node_ids)
    net.get_nodes = lambda: node_set  # pyvis checks membership in a list: O(n) per edge
    for u, v in sorted(H.edges):
        e = H.edges[u, v]
        t = e.get("type", USES)
        style = EDGE_STYLE.get(t, EDGE_STYLE[USES])
        tip = "" if not tooltips else edge_tooltip(G, u, v) if G.has_edge(u, v) else edge_tooltip(H, u, v)
        width = style["width"]
        if t == COOCCURS:
            width = round(min(6.0, 0.6 + math.log2(e.get("weight", 1))), 2)
        net.add_edge(u, v, kind=t, title=tip, color=style["color"], dashes=style["dashes"],
                     width=width, arrows="" if t in (COAUTHOR, COOCCURS) else "to",
                     conf=e.get("confidence"))
    del net.get_nodes
    net.node_ids = list(net.node_ids)
    net.set_options(json.dumps(vis_options(H.number_of_nodes())))
    return net


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
def webgl_assets() -> tuple[str, str]:
    """graphology's and sigma.js's JavaScript (UMD builds vendored in
    ``kg/export/templates/vendor/``, MIT).

    >>> g, s = webgl_assets()
    >>> "graphology" in g and "Sigma" in s
    True
    """
    out = []
    for name in ("graphology", "sigma"):
        path = TEMPLATE_DIR / "vendor" / VENDOR[name]
        if not path.is_file():
            raise KGError(f"{path}: the vendored {name} library is missing")
        text = path.read_text(encoding="utf-8")
        if re.search(r"</script", text, re.I) or re.search(r"https?://", text):
            raise KGError(f"cannot inline {path}: contains a closing tag or a web address")
        out.append(text)
    return out[0], out[1]


def _webgl_data(nodes: list[dict], edges: list[dict], index: dict) -> tuple[list, list]:
    """The drawn nodes and edges for sigma.js, compactly: ``[node, x, y, size, degree, map
    cluster]`` and ``[source, target, edge type, confidence]`` (nodes as positions in
    ``index["N"]``). Sizes grow with the square root of the degree, capped at
    :data:`WEBGL_MAX_SIZE`, so hubs stand out without covering their cluster."""
    at = {r[0]: i for i, r in enumerate(index["N"])}
    etype = {t: i for i, t in enumerate(index["ET"])}
    wn = [[at[n["id"]], round(n["x"], 1), round(n["y"], 1),
           round(min(WEBGL_MAX_SIZE, 1.0 + 0.8 * n["value"]), 2), n["degree"], n.get("mc", -1)]
          for n in nodes]
    we = [[at[e["from"]], at[e["to"]], etype.get(e["kind"], 0), e.get("conf"),
           e.get("width", 1)] for e in edges]
    return wn, we


@lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    return env.get_template("graph.html")


def _selection(G: nx.DiGraph, selection: Selection | None, select_args: dict) -> Selection:
    """*selection*, or (when None) ``select(G, **select_args)`` with *max_nodes* defaulting to
    :data:`DEFAULT_MAX_NODES`."""
    if selection is None:
        return select(G, **{"max_nodes": DEFAULT_MAX_NODES, **select_args})
    if not isinstance(selection, Selection):
        raise TypeError(f"selection must be a Selection (from select()), not {type(selection).__name__}")
    if select_args:
        raise TypeError(f"give either a selection or select()'s arguments, not both "
                        f"({', '.join(sorted(select_args))})")
    return selection


def _cluster_legend(G: nx.DiGraph, cluster: dict, V: nx.DiGraph) -> list[dict]:
    """The ten biggest clusters of each kind drawn in the view: colour, size and name (the
    most connected member, then the next)."""
    out = []
    deg = dict(G.degree())
    for kind, types in (("co-author communities", (AUTHOR,)),
                        ("method/benchmark clusters", (METHOD, BENCHMARK))):
        members: dict[int, list] = {}
        for n, t in V.nodes(data="type"):
            if t in types and cluster.get(n, -1) >= 0:
                members.setdefault(cluster[n], []).append(n)
        for c in sorted(members)[:len(PALETTE)]:
            top = sorted(members[c], key=lambda n: (-deg[n], n))[:2]
            out.append({"kind": kind, "cluster": c, "color": PALETTE[c % len(PALETTE)],
                        "size": len(members[c]),
                        "name": ", ".join(G.nodes[n].get("label", n) for n in top)})
    return out


def _map_legend(H: nx.DiGraph, map_clusters: dict, n: int = 10) -> list[dict]:
    """The *n* biggest map clusters (the layout's communities): colour, size and name (the
    two most connected members)."""
    members: dict[int, list] = {}
    for v, c in map_clusters.items():
        if c >= 0:
            members.setdefault(c, []).append(v)
    deg = dict(H.degree())
    out = []
    for c in sorted(members)[:n]:  # named by its most connected authors, methods, benchmarks
        top = sorted(members[c], key=lambda v: (H.nodes[v].get("type") == PAPER, -deg[v], v))[:2]
        out.append({"cluster": c, "color": MAP_PALETTE[c % len(MAP_PALETTE)], "size": len(members[c]),
                    "name": ", ".join(canvas_label(H.nodes[v], v)[:30] for v in top)})
    return out


def _stats(sel: Selection, n_nodes: int, n_edges: int, G: nx.DiGraph) -> list[str]:
    """The header's parts (joined by " · " in the page)."""
    parts = [f"{n_nodes:,} nodes, {n_edges:,} edges"]
    if sel.view != "full":
        parts.append(f"view: {sel.view}")
    if sel.focus:
        parts.append(f"neighbourhood of {G.nodes[sel.focus].get('label', sel.focus)} "
                     f"(radius {sel.radius})")
    if tuple(sel.types) != NODE_TYPES and sel.view == "full":
        parts.append("types: " + ", ".join(sel.types))
    parts.extend(sel.notes)
    return parts


def render(G: nx.DiGraph, selection: Selection | None = None, *, title: str = DEFAULT_TITLE,
           renderer: str = "auto", **select_args) -> str:
    """The whole HTML page of *selection* (a :func:`select` of *G*), as a string; without
    one, of ``select(G, **select_args)`` (*max_nodes* default :data:`DEFAULT_MAX_NODES`).
    The same graph and selection always give the same page. *renderer*: ``canvas``
    (vis-network), ``webgl`` (sigma.js) or ``auto`` (WebGL past :data:`WEBGL_FROM` nodes).
    :func:`write_html` writes the same bytes without holding the page as one string.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> render(G) == render(G.copy()) == render(G, select(G, max_nodes=DEFAULT_MAX_NODES))
    True
    """
    parts: list[str] = []
    _write_page(parts.append, G, _selection(G, selection, select_args), title, renderer)
    return "".join(parts)


_INDEX_MARK = "\x00kg-page-index\x00"  # where the index goes in the rendered template


def _write_page(write, G: nx.DiGraph, sel: Selection, title: str, renderer: str) -> None:
    """Write the page of *sel* through *write* in pieces: the template around the index, and
    the index of the whole graph (the biggest part) streamed by :func:`write_index`."""
    if renderer not in RENDERERS:
        raise KGError(f"unknown renderer {renderer!r} (choose from {', '.join(RENDERERS)})")
    H = sel.graph
    if renderer == "auto":
        renderer = "webgl" if H.number_of_nodes() > WEBGL_FROM else "canvas"
    net = build_network(sel, G, tooltips=renderer == "canvas")
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    map_clusters = net.map_clusters
    del net
    V = sel.source if sel.source is not None else H
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
                   for t in (AUTHORED, COAUTHOR, PROPOSES, USES, COOCCURS) if edge_counts.get(t)]
    cluster = clusters(G)
    index = index_without_edges(G, V, H, cluster)
    years = sorted({y for _, y in G.nodes(data="year") if isinstance(y, int)})
    map_legend = _map_legend(H, map_clusters)
    colour = ("map" if sel.view == "full" and len(nodes) > MAP_COLOURS_FROM and map_legend
              else "type" if sel.view == "full" else "cluster")
    data = {"nodes": nodes, "edges": edges, "focus": sel.focus, "view": sel.view, "colour": colour,
            "palette": list(PALETTE), "mapPalette": list(MAP_PALETTE),
            "types": {t: TYPE_STYLE[t] for t in TYPE_STYLE},
            "edgeStyle": {t: EDGE_STYLE[t] for t in EDGE_STYLE}}
    if renderer == "canvas":
        js, css = vis_assets()
        libraries, generator, options = [js], f"vis-network {VIS_VERSION}", json.loads(options)
    else:
        css = ""
        libraries, generator, options = list(webgl_assets()), "sigma.js 3.0.3, graphology 0.26.0", {}
        data["nodes"], data["edges"] = _webgl_data(nodes, edges, index)
    in_view = V.number_of_nodes()
    page = _template().render(
        title=title, libraries=libraries, vis_css=css, data_json=_script_json(data),
        index_json=_INDEX_MARK, renderer=renderer, generator=generator,
        renderer_js="vis.js" if renderer == "canvas" else "webgl.js",
        options_json=_script_json(options), n_nodes=len(nodes), n_edges=len(edges),
        candidates=sel.candidates, left_out=sel.left_out, legend=legend,
        edge_legend=edge_legend, stats=_stats(sel, len(nodes), len(edges), G),
        not_drawn=G.number_of_nodes() - len(nodes), n_graph=G.number_of_nodes(),
        in_view=in_view, clusters=_cluster_legend(G, cluster, V), years=years,
        map_clusters=map_legend, colour=colour,
        venues=index["V"], view=sel.view, vis_version=VIS_VERSION)
    del data, nodes, edges
    head, mark, tail = page.partition(_INDEX_MARK)
    if not mark or _INDEX_MARK in tail:
        raise KGError("the page template must hold the index exactly once")  # pragma: no cover
    del page
    write(head)
    del head
    write_index(write, index, edge_rows(G), _script_json)
    write(tail)


def write_html(G: nx.DiGraph, path: str | os.PathLike, selection: Selection | None = None,
               renderer: str = "auto", **select_args) -> Selection:
    """Write the page of *selection* (see :func:`render`: the same bytes) to *path*
    atomically, in pieces (the page is never one string in memory); return the
    :class:`Selection` drawn.

    >>> import kg, tempfile, pathlib
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.html"
    >>> write_html(G, p, select(G, max_nodes=10)).graph.number_of_nodes(), p.stat().st_size > 100_000
    (10, True)
    >>> p.read_text(encoding="utf-8") == render(G, select(G, max_nodes=10))
    True
    """
    sel = _selection(G, selection, select_args)
    with atomic_open(path, "w") as f:
        _write_page(f.write, G, sel, DEFAULT_TITLE, renderer)
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
