"""Interactive HTML view of the knowledge graph: one self-contained page, no network needed.

The network data (nodes, edges, vis options) is built with :mod:`pyvis`; the page is rendered
with the package's own template (``kg/export/templates/graph.html``) that inlines vis-network's
JavaScript and CSS from the installed pyvis package, so the page has no ``http(s)://`` script,
stylesheet or font reference and opens by double-click without a network.

* :mod:`.selection` — :func:`select` keeps the most connected nodes (``max_nodes``), a
  neighbourhood (``focus`` and ``radius``) or some node types (``types``): a :class:`Selection`;
* :mod:`.positions` — :func:`layout`: positions computed in Python, so the page runs no physics
  (with python-igraph the two-level map of :mod:`.maplayout`: Leiden communities, each in its
  disc, discs placed by the community graph; else :func:`parts_layout`, NetworkX
  Fruchterman–Reingold per connected part; seeded);
* :mod:`.tooltips` — plain-text tooltips (never HTML from the data) and canvas labels;
* :mod:`.page` — colour and shape per node type with a legend, node size by degree, a search
  box, a checkbox per node type, neighbourhood highlight on click; :func:`render` and
  :func:`write_html` take a :class:`Selection`. The page is byte-identical for the same graph.

>>> import kg
>>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
>>> sel = select(G, types="author,paper")
>>> page = render(G, sel)
>>> "https://" in page.split("<script")[0], page.count("<html")
(False, 1)
"""
from .maplayout import map_layout
from .page import (DEFAULT_MAX_NODES, DEFAULT_TITLE, EDGE_STYLE, TEMPLATE_DIR, TYPE_STYLE,
                   VIS_VERSION, build_network, render, vis_assets, vis_options,
                   write_build_exports, write_html)
from .positions import (EDGE_PX, crowded_share, default_backend, edge_length_ratio, layout,
                        layout_clusters, parts_layout)
from .selection import COAUTHOR, Selection, SelectionError, parse_types, select
from .tooltips import canvas_label, edge_tooltip, node_tooltip

__all__ = [
    "COAUTHOR", "DEFAULT_MAX_NODES", "DEFAULT_TITLE", "EDGE_PX", "EDGE_STYLE", "TEMPLATE_DIR",
    "TYPE_STYLE", "VIS_VERSION", "Selection", "SelectionError", "build_network", "canvas_label",
    "crowded_share", "default_backend", "edge_length_ratio", "edge_tooltip", "layout",
    "layout_clusters", "map_layout", "node_tooltip", "parse_types", "parts_layout", "render",
    "select", "vis_assets", "vis_options", "write_build_exports", "write_html",
]
