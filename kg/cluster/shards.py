"""The N-Triples export written by the Dask workers, one shard per range of nodes.

The export (:func:`kg.export.rdf.mapping.iter_blocks`) is the graph's own blocks (metadata,
source listings, extractor, venues: they need the whole graph, so the client writes them),
then one block group per node in sorted id order, each needing only the node, its out-edges and
its neighbours' ids. So the sorted nodes are cut into ranges; each range's sub-graph is sent to
a worker directly (``scatter``, never through the scheduler), the worker writes its shard, and
the shards in order are the one-process ``graph.nt``, byte for byte (the merge is a plain
concatenation, :func:`write_ntriples`).
"""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import networkx as nx

from ..export.rdf.mapping import _Export, _node_blocks, iter_blocks
from ..export.rdf.terms import check_base, node_path
from ..export.rdf.writers import ntriples, shard_path, write_text
from ..export.vocab import DEFAULT_BASE


def node_ranges(G: nx.DiGraph, parts: int) -> list[list]:
    """The nodes of *G* in export order, cut into at most *parts* ranges of about equal
    weight (a paper weighs its out-edges: authorship entries and mentions).

    >>> G = nx.DiGraph(); G.add_nodes_from("cab")
    >>> node_ranges(G, 2)
    [['a', 'b'], ['c']]
    """
    nodes = sorted(G._node, key=str)
    weight = [1 + len(G._succ[n]) for n in nodes]
    per = max(1, -(-sum(weight) // max(1, parts)))
    out, cur, w = [], [], 0
    for n, wn in zip(nodes, weight):
        cur.append(n)
        w += wn
        if w >= per:
            out.append(cur)
            cur, w = [], 0
    return out + [cur] if cur else out


def sub_graph(G: nx.DiGraph, nodes: list) -> nx.DiGraph:
    """What the blocks of *nodes* read: the nodes, their out-edges, their neighbours (ids only)
    and the graph's metadata (sources, extractor version)."""
    S = nx.DiGraph()
    S.graph.update({k: v for k, v in G.graph.items() if k not in ("problems", "warnings")})
    S.add_nodes_from((n, G._node[n]) for n in nodes)
    S.add_edges_from((n, v, e) for n in nodes for v, e in G._succ[n].items())
    return S


def write_range(S: nx.DiGraph, nodes: list, base: str, path: str) -> int:
    """Worker side: the N-Triples of the blocks of *nodes* into *path*; returns its size."""
    x = _Export(S, base)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        write_text(ntriples(b for n in nodes for b in _node_blocks(x, n)), f.write)
    return os.path.getsize(path)


def write_ntriples(client, G: nx.DiGraph, out: str | os.PathLike, base: str = DEFAULT_BASE,
                   parts: int | None = None) -> list[Path]:
    """Write the N-Triples export of *G* to *out* (equal to :func:`kg.export.rdf.write_rdf`'s):
    the workers write the node shards ``out``-00001…, the client the graph's own blocks, then
    concatenates them into *out* and removes the shards. *out*'s folder must be shared with
    the workers (like the input files)."""
    base = check_base(base)
    out = Path(out)
    parts = parts or 2 * max(1, len(client.scheduler_info().get("workers", {})))
    ranges = node_ranges(G, parts)
    first = base + node_path(ranges[0][0]) if ranges else None
    futures, paths = [], []
    for i, nodes in enumerate(ranges, 1):
        sub = client.scatter(sub_graph(G, nodes), direct=True)
        paths.append(shard_path(out, i))
        futures.append(client.submit(write_range, sub, nodes, base, str(paths[-1]), pure=False))
    head = itertools.takewhile(lambda b: str(b[0]) != first, iter_blocks(G, base))
    try:
        with open(out, "w", encoding="utf-8", newline="\n") as f:
            write_text(ntriples(head), f.write)
            client.gather(futures, direct=True)
            for p in paths:
                with open(p, encoding="utf-8", newline="\n") as part:
                    shutil.copyfileobj(part, f, 1 << 20)
    finally:
        for p in paths:
            p.unlink(missing_ok=True)
    return [out]
