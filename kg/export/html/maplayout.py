"""The two-level map layout of the HTML page (:func:`map_layout`), the default of
:func:`~kg.export.html.positions.layout` with python-igraph.

Each connected part of :data:`MAP_FROM` nodes or more is split into Leiden communities
(``leidenalg`` on python-igraph, modularity, seeded); each community is laid out on its own by
Fruchterman–Reingold (scaled to a mean edge length of one, as a small part is) and becomes a
disc; the discs are placed by a weighted Fruchterman–Reingold layout of the community graph
(weight: the edges between two communities), scaled so that linked discs touch, then pushed
apart until no two overlap. The small parts, laid out one by one, are set in rings around
that map, the biggest first. A hairball of 44k nodes thus becomes a map of clusters whose
edges are mostly short, with the long ones running between neighbouring clusters.

>>> import kg
>>> G = kg.build(["seeds"], extract=False)
>>> pos, cluster = map_layout(G)
>>> len(pos) == G.number_of_nodes(), (pos, cluster) == map_layout(G.copy())
(True, True)
"""
from __future__ import annotations

import math

import networkx as nx

from .positions import EDGE_PX, _fr_parts, _igraph_part, _pack, _parts, _seeded_igraph

MAP_FROM = 100  # parts with this many nodes or more are mapped by community
GAP = 1.5  # between two discs, in mean edge lengths
PUSH_ROUNDS = 300  # overlap removal between the discs
ASPECT = 1.6  # the map is stretched to a landscape ellipse (a page is wider than high)


def _communities(n: int, edges, seed: int):
    """Leiden communities (modularity) of a connected part, numbered 0, 1, … by size (then
    by smallest member)."""
    import igraph
    import leidenalg
    import numpy as np

    g = igraph.Graph(n=n, edges=edges.tolist())
    member = np.array(leidenalg.find_partition(g, leidenalg.ModularityVertexPartition,
                                               seed=seed).membership)
    groups = sorted(range(member.max() + 1), key=lambda c: (-int((member == c).sum()),
                                                            int(np.argmax(member == c))))
    renum = np.empty(len(groups), dtype=np.int64)
    renum[groups] = np.arange(len(groups))
    return renum[member]


def _discs(n: int, edges, member, rng) -> tuple:
    """Every community laid out on its own, centred: (node indices, positions) per community
    and the discs' radii."""
    import numpy as np

    k = int(member.max()) + 1
    where = np.empty(n, dtype=np.int64)
    members = [np.flatnonzero(member == c) for c in range(k)]
    for nodes in members:
        where[nodes] = np.arange(len(nodes))
    inside = edges[member[edges[:, 0]] == member[edges[:, 1]]]
    by_comm = [[] for _ in range(k)]
    for i, j in inside.tolist():
        by_comm[member[i]].append((where[i], where[j]))
    parts = [(list(nodes), np.array(e, dtype=np.int64).reshape(-1, 2)) for nodes, e in zip(members, by_comm)]
    placed = []
    for p in _fr_parts(parts, rng, _igraph_part):
        placed.append(p - p.mean(0) if len(p) else p)
    radii = np.array([float(np.sqrt((p ** 2).sum(1)).max()) + 0.5 if len(p) else 0.5 for p in placed])
    return [(nodes, p) for (nodes, _), p in zip(parts, placed)], radii


def _centres(edges, member, radii, rng):
    """Disc centres: weighted FR of the community graph, scaled so that linked discs touch
    (median), then overlaps pushed apart (each disc moves in proportion to the other's area)."""
    import igraph
    import numpy as np

    k = len(radii)
    if k == 1:
        return np.zeros((1, 2))
    a, b = member[edges[:, 0]], member[edges[:, 1]]
    cross = a != b
    pairs, weight = np.unique(np.sort(np.stack([a[cross], b[cross]], 1), 1), axis=0, return_counts=True)
    g = igraph.Graph(n=k, edges=pairs.tolist())
    start = rng.uniform(-1, 1, (k, 2)) * math.sqrt(k)
    c = np.array(g.layout_fruchterman_reingold(seed=start.tolist(), niter=500,
                                               weights=np.log1p(weight).tolist()).coords, dtype=float)
    if len(pairs):
        d = np.sqrt(((c[pairs[:, 0]] - c[pairs[:, 1]]) ** 2).sum(1))
        need = radii[pairs[:, 0]] + radii[pairs[:, 1]] + GAP
        c *= float(np.median(need / np.maximum(d, 1e-9)))
    c = _apart(c, radii)
    c[:, 1] /= ASPECT  # landscape: squeezed in height, then apart again
    c = _apart(c, radii)
    return c - (c.min(0) + c.max(0)) / 2


def _apart(c, radii):
    """Disc centres *c* moved until no two discs overlap (at most :data:`PUSH_ROUNDS` rounds;
    of two overlapping discs the smaller moves more)."""
    import numpy as np

    c, k, area = c.copy(), len(radii), radii ** 2
    share = area[None, :] / (area[:, None] + area[None, :])
    for _ in range(PUSH_ROUNDS):
        diff = c[:, None, :] - c[None, :, :]
        dist = np.sqrt((diff ** 2).sum(2)) + np.eye(k)
        over = np.maximum(radii[:, None] + radii[None, :] + GAP - dist, 0.0)
        np.fill_diagonal(over, 0.0)
        if not over.any():
            break
        c += ((over * share / dist)[:, :, None] * diff).sum(1) * 0.5
    return c


def _ring(placed, radius: float) -> list:
    """Offsets of the small parts (each centred), in rings (ellipses of :data:`ASPECT`)
    around an ellipse of half-height *radius*."""
    import numpy as np

    out, angle, ring, ring_w = [], 0.0, None, 0.0
    for p in placed:
        r = float(np.sqrt((p ** 2).sum(1)).max()) + 0.5 if len(p) > 1 else 0.5
        if ring is None:
            ring, angle, ring_w = radius + GAP + r, 0.0, r
        width = (2 * r + GAP) / (ring * math.hypot(ASPECT * math.sin(angle), math.cos(angle)))
        if angle + width > 2 * math.pi:  # the next ring, outside this one
            ring, angle, ring_w = ring + ring_w + GAP + r, 0.0, r
            width = (2 * r + GAP) / (ring * math.cos(0.0))
        mid = angle + width / 2
        out.append(np.array([ASPECT * ring * math.cos(mid), ring * math.sin(mid)]))
        angle += width
        ring_w = max(ring_w, r)
    return out


def map_layout(H: nx.DiGraph, seed: int = 7) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
    """Positions (vis canvas pixels) of every node of *H* and its map cluster (the Leiden
    community of a part of :data:`MAP_FROM` nodes or more, numbered by size across the map;
    -1 in a smaller part). Needs python-igraph and leidenalg; deterministic for *seed*.
    Without a part of :data:`MAP_FROM` nodes the parts are packed in rows, as
    :func:`~kg.export.html.positions.parts_layout` does."""
    import numpy as np

    rng = np.random.default_rng(seed)
    parts = _parts(H)
    big = [(comp, e) for comp, e in parts if len(comp) >= MAP_FROM]
    small = parts[len(big):]
    with _seeded_igraph("igraph", seed):
        if not big:
            return _pack(parts, _fr_parts(parts, rng, _igraph_part)), {v: -1 for v in H}
        comps, discs, radii, member, edges_all, offset, n0 = [], [], [], [], [], 0, 0
        for comp, edges in big:
            m = _communities(len(comp), edges, seed)
            d, r = _discs(len(comp), edges, m, rng)
            comps.extend(comp)
            discs.extend((nodes, p, n0) for nodes, p in d)
            radii.append(r)
            member.append(m + offset)
            edges_all.append(edges + n0)
            offset, n0 = offset + len(r), n0 + len(comp)
        radii, member, edges_all = np.concatenate(radii), np.concatenate(member), np.concatenate(edges_all)
        centres = _centres(edges_all, member, radii, rng)
        small_placed = [p - p.mean(0) for p in _fr_parts(small, rng, _igraph_part)]
    xy = np.zeros((len(comps), 2))
    for c, (nodes, p, n0) in enumerate(discs):
        xy[np.asarray(nodes, dtype=np.int64) + n0] = p + centres[c]
    order = np.argsort([-len(d[0]) for d in discs], kind="stable")  # numbered by size on the map
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    pos = {v: xy[i] for i, v in enumerate(comps)}
    cluster = {v: int(rank[member[i]]) for i, v in enumerate(comps)}
    radius = float(np.sqrt((xy[:, 0] / ASPECT) ** 2 + xy[:, 1] ** 2).max())
    for (comp, _), p, at in zip(small, small_placed, _ring(small_placed, radius)):
        for v, q in zip(comp, p + at):
            pos[v], cluster[v] = q, -1
    return ({v: (round(float(q[0]) * EDGE_PX, 1), round(float(q[1]) * EDGE_PX, 1)) for v, q in pos.items()},
            cluster)
