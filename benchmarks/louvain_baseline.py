"""The hand-written Louvain that ``kg.query`` used before issue 12 (kg 0.1, ``kg/query.py``),
kept here unchanged **only as the baseline** of ``benchmarks/query_speed.py``: the library
now uses python-igraph's multilevel algorithm, with NetworkX's Louvain as the fallback.
"""
from __future__ import annotations

from collections import defaultdict


def louvain(nodes: list, adj: dict, seed: int = 0, resolution: float = 1.0) -> list[set]:
    """Louvain communities (Blondel et al. 2008) of an undirected weighted graph given as
    *nodes* and *adj* ``{u: {v: weight or list-of-papers}}`` (a list counts as its length).
    Same method and modularity gain as :func:`networkx.community.louvain_communities`
    (seeded node order, levels of local moves then aggregation), on integer arrays: several
    times faster on the 10k-paper co-author graph.

    >>> sorted(map(sorted, louvain(list("abcdef"), {"a": {"b": 1, "c": 1}, "b": {"a": 1, "c": 1},
    ...     "c": {"a": 1, "b": 1, "d": 1}, "d": {"c": 1, "e": 1, "f": 1}, "e": {"d": 1, "f": 1},
    ...     "f": {"d": 1, "e": 1}})))
    [['a', 'b', 'c'], ['d', 'e', 'f']]
    """
    import random

    rng = random.Random(seed)
    pos = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    # current level: neighbour weights (no self loops), self-loop weights, node strengths
    nbrs: list[dict[int, float]] = [dict() for _ in range(n)]
    for u in nodes:
        iu = pos[u]
        for v, w in adj.get(u, {}).items():
            if v != u and v in pos:
                nbrs[iu][pos[v]] = float(len(w) if isinstance(w, (list, tuple, set)) else w)
    loops = [0.0] * n
    membership = list(range(n))  # original node -> current-level node
    m2 = sum(sum(d.values()) for d in nbrs)  # 2m
    if m2 == 0:
        return [{v} for v in nodes]
    while True:
        size = len(nbrs)
        k = [sum(nbrs[i].values()) + 2 * loops[i] for i in range(size)]
        com = list(range(size))
        tot = k[:]
        order = list(range(size))
        rng.shuffle(order)
        moved_any = False
        improved = True
        while improved:
            improved = False
            for u in order:
                ku, cu = k[u], com[u]
                w2c: dict[int, float] = {}
                for v, w in nbrs[u].items():
                    c = com[v]
                    w2c[c] = w2c.get(c, 0.0) + w
                tot[cu] -= ku
                f = resolution * ku / m2
                best, best_gain = cu, w2c.get(cu, 0.0) - f * tot[cu]
                for c, w in w2c.items():
                    gain = w - f * tot[c]
                    if gain > best_gain + 1e-12:
                        best, best_gain = c, gain
                tot[best] += ku
                if best != cu:
                    com[u] = best
                    improved = moved_any = True
        if not moved_any:
            break
        renum: dict[int, int] = {}
        for c in com:
            renum.setdefault(c, len(renum))
        new_nbrs: list[dict[int, float]] = [dict() for _ in range(len(renum))]
        new_loops = [0.0] * len(renum)
        for u in range(size):
            cu = renum[com[u]]
            new_loops[cu] += loops[u]
            row = new_nbrs[cu]
            for v, w in nbrs[u].items():
                cv = renum[com[v]]
                if cv == cu:
                    new_loops[cu] += w / 2  # each internal edge is seen from both ends
                else:
                    row[cv] = row.get(cv, 0.0) + w
        membership = [renum[com[x]] for x in membership]
        nbrs, loops = new_nbrs, new_loops
        if len(nbrs) == size:
            break
    groups: dict[int, set] = defaultdict(set)
    for v, c in zip(nodes, membership):
        groups[c].add(v)
    return list(groups.values())
