"""Node positions for the HTML page, computed in Python so the page runs no physics.

Each connected part is laid out by Fruchterman–Reingold — python-igraph's
``layout_fruchterman_reingold`` when igraph is importable (fast, C), else NetworkX's
``spring_layout`` — from seeded starting positions, scaled to a mean edge length of one (more
where nodes would crowd), and the parts are packed in rows, the biggest first, into a landscape
rectangle. The same graph and seed give the same positions. :func:`edge_length_ratio` and
:func:`crowded_share` measure a layout's quality.

>>> import kg
>>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
>>> pos = layout(G, backend="networkx")
>>> len(pos) == G.number_of_nodes(), pos == layout(G.copy(), backend="networkx")
(True, True)
"""
from __future__ import annotations

import math
import random

import networkx as nx

EDGE_PX = 70.0  # mean edge length on the vis canvas (at least)
MIN_GAP = 0.3  # in EDGE_PX: the nearest neighbour of nine nodes in ten is at least this far
BACKENDS = ("igraph", "networkx")
# spring_layout iterations: nx's default 50 stops short of igraph's quality on small parts,
# where nx runs dense numpy code; from 500 nodes on its code loops in Python: keep 50 there
NX_ITERATIONS, NX_ITERATIONS_BIG, NX_BIG = 100, 50, 500
# igraph FR iterations on parts of IGRAPH_BIG nodes or more (igraph's default 500 below): on the
# 44k-node part of the 10k corpus graph 150 iterations give the same edge/pair (0.194 vs 0.195)
# and crowding (0.838 vs 0.840) in about half the time (benchmarks/html_speed.py, docs/html.md)
IGRAPH_ITERATIONS_BIG, IGRAPH_BIG = 150, 10_000


def default_backend() -> str:
    """``"igraph"`` when python-igraph can be imported, else ``"networkx"``.

    >>> default_backend() in BACKENDS
    True
    """
    try:
        import igraph  # noqa: F401
    except ImportError:
        return "networkx"
    return "igraph"


def _parts(H: nx.DiGraph) -> list[tuple[list, "np.ndarray"]]:
    """Connected parts of *H* (biggest first, then by first node id), each as its sorted node
    list and its undirected edges as index pairs (sorted, no duplicates, no loops)."""
    import numpy as np

    comps = sorted((sorted(c) for c in nx.connected_components(H.to_undirected(as_view=True))),
                   key=lambda c: (-len(c), c[0]))
    where = {v: (k, i) for k, comp in enumerate(comps) for i, v in enumerate(comp)}
    pairs: list[set] = [set() for _ in comps]
    for u, v in H.edges():
        (k, i), (_, j) = where[u], where[v]
        if i != j:
            pairs[k].add((i, j) if i < j else (j, i))
    return [(comp, np.array(sorted(e), dtype=np.int64).reshape(-1, 2)) for comp, e in zip(comps, pairs)]


def _igraph_part(n: int, edges, start) -> "np.ndarray":
    import igraph
    import numpy as np

    g = igraph.Graph(n=n, edges=edges.tolist())
    niter = IGRAPH_ITERATIONS_BIG if n >= IGRAPH_BIG else 500
    return np.array(g.layout_fruchterman_reingold(seed=start.tolist(), niter=niter).coords, dtype=float)


def _networkx_part(n: int, edges, start) -> "np.ndarray":
    import numpy as np

    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges.tolist())
    unit = start / (2 * math.sqrt(n)) + 0.5  # nx starts from the unit square
    pos = nx.spring_layout(g, pos={i: unit[i] for i in range(n)}, seed=0,
                           iterations=NX_ITERATIONS if n < NX_BIG else NX_ITERATIONS_BIG)
    return np.array([pos[i] for i in range(n)], dtype=float)


def _scaled(p, edges):
    """*p* scaled to a mean edge length of 1, or more where that leaves over a tenth of the
    nodes closer than :data:`MIN_GAP` to their nearest neighbour."""
    import numpy as np
    from scipy.spatial import cKDTree

    scale = 1.0
    if len(edges):
        mean = float(np.sqrt(((p[edges[:, 0]] - p[edges[:, 1]]) ** 2).sum(1)).mean())
        scale = 1.0 / mean if mean > 1e-9 else 1.0
    gap = float(np.quantile(cKDTree(p).query(p, k=2)[0][:, 1], 0.1)) * scale
    if gap > 1e-9:
        scale *= max(1.0, min(MIN_GAP / gap, 4.0))
    return p * scale


def _pack(parts, placed) -> dict[str, tuple[float, float]]:
    """Shelf packing: rows whose height is set by their first (biggest) part; the parts after
    it are stacked in columns inside the row, aiming at a 2:1 landscape rectangle."""
    import numpy as np

    boxes = []
    for (comp, _), p in zip(parts, placed):
        p = p - (p.min(0) + p.max(0)) / 2
        boxes.append((comp, p, p.max(0) - p.min(0) + 1.2))
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


def _fr_parts(parts, rng, part_layout) -> list:
    """Each part laid out on its own (Fruchterman–Reingold from seeded starts, scaled)."""
    import numpy as np

    placed = []
    for comp, edges in parts:
        n = len(comp)
        if n <= 2:
            placed.append(np.array([[0.0, 0.0], [1.0, 0.0]])[:n])
            continue
        start = rng.uniform(-1, 1, (n, 2)) * math.sqrt(n)
        placed.append(_scaled(part_layout(n, edges, start), edges))
    return placed


def _check_backend(backend: str | None) -> str:
    backend = default_backend() if backend is None else backend
    if backend not in BACKENDS:
        raise ValueError(f"unknown layout backend {backend!r} (choose from {', '.join(BACKENDS)})")
    return backend


class _seeded_igraph:
    """igraph's FR draws from igraph's generator: seed it for the block, then restore
    Python's ``random`` (igraph's default)."""

    def __init__(self, backend: str, seed: int):
        self.on, self.seed = backend == "igraph", seed

    def __enter__(self):
        if self.on:
            import igraph

            igraph.set_random_number_generator(random.Random(self.seed))

    def __exit__(self, *exc):
        if self.on:
            import igraph

            igraph.set_random_number_generator(random)


def parts_layout(H: nx.DiGraph, seed: int = 7, backend: str | None = None) -> dict[str, tuple[float, float]]:
    """The one-level layout (kg before the map layout, and the NetworkX fallback):
    Fruchterman–Reingold per connected part with *backend*, the parts packed in rows.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> pos = parts_layout(G)
    >>> len(pos) == G.number_of_nodes(), pos == parts_layout(G.copy())
    (True, True)
    """
    import numpy as np

    backend = _check_backend(backend)
    parts = _parts(H)
    with _seeded_igraph(backend, seed):
        placed = _fr_parts(parts, np.random.default_rng(seed),
                           _igraph_part if backend == "igraph" else _networkx_part)
    return _pack(parts, placed)


def layout_clusters(H: nx.DiGraph, seed: int = 7, backend: str | None = None
                    ) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
    """Deterministic positions (vis canvas pixels) for every node of *H* and its map cluster:
    with igraph (the default *backend* when importable) the two-level map of
    :func:`~kg.export.html.maplayout.map_layout`; with ``"networkx"`` :func:`parts_layout`,
    every node in cluster -1. The same graph and *seed* give the same result."""
    if _check_backend(backend) == "networkx":
        return parts_layout(H, seed, "networkx"), {n: -1 for n in H}
    from .maplayout import map_layout

    return map_layout(H, seed)


def layout(H: nx.DiGraph, seed: int = 7, backend: str | None = None) -> dict[str, tuple[float, float]]:
    """The positions of :func:`layout_clusters`.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> pos = layout(G)
    >>> len(pos) == G.number_of_nodes(), pos == layout(G.copy())
    (True, True)
    """
    return layout_clusters(H, seed, backend)[0]


def edge_length_ratio(H: nx.DiGraph, pos: dict) -> float:
    """Layout quality: the mean edge length over the mean distance between two nodes of the
    same connected part (parts of 3 nodes or more). Near 1 for random positions; a layout that
    keeps neighbours close and spreads the rest gets a small ratio.

    >>> G = nx.path_graph(10)
    >>> edge_length_ratio(G, {i: (i, 0) for i in G}) < 0.3 < edge_length_ratio(G, {i: (i % 2, 0) for i in G})
    True
    """
    import numpy as np
    from scipy.spatial.distance import pdist

    edge_sum = edge_n = pair_sum = pair_n = 0.0
    U = H.to_undirected(as_view=True) if H.is_directed() else H
    for comp in nx.connected_components(U):
        if len(comp) < 3:
            continue
        nodes = sorted(comp, key=str)
        pair_sum += float(pdist(np.array([pos[v] for v in nodes], dtype=float)).sum())
        pair_n += len(nodes) * (len(nodes) - 1) / 2
        for u, v in U.subgraph(comp).edges():
            if u != v:
                edge_sum += math.dist(pos[u], pos[v])
                edge_n += 1
    return (edge_sum / edge_n) / (pair_sum / pair_n) if edge_n and pair_sum else 0.0


def crowded_share(pos: dict, distance: float = 0.25 * EDGE_PX) -> float:
    """Share of nodes that have another node closer than *distance* (default a quarter of the
    mean edge length): nodes drawn on top of each other.

    >>> crowded_share({"a": (0, 0), "b": (1, 0), "c": (500, 0)})
    0.6666666666666666
    """
    import numpy as np
    from scipy.spatial import cKDTree

    if len(pos) < 2:
        return 0.0
    p = np.array(list(pos.values()), dtype=float)
    d, _ = cKDTree(p).query(p, k=2)
    return float((d[:, 1] < distance).mean())
