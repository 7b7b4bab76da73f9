"""The load-optimised form of a graph: ``graph.sqlite`` beside ``graph.json``.

``graph.json`` stays the interchange file (NetworkX node-link JSON). ``kg build`` / ``kg add``
also write ``graph.sqlite`` (stdlib :mod:`sqlite3`) in the same output set: the nodes and edges
(attributes as the same JSON), indexed by edge end, and the name tables of
:func:`kg.query.find_node` precomputed. A question about one author or one method then reads
only the rows around it (:func:`local_graph`): the node is resolved by indexed look-ups, and the
papers around it, their edges and the nodes they reach are loaded into a small
:class:`networkx.DiGraph` on which the ordinary :mod:`kg.query` functions give the same answer
as on the whole graph. Anything the store cannot answer exactly (an ambiguous or unknown name,
whose message lists candidates from the whole graph; global questions) returns None, and the
caller loads ``graph.json``.

The store is used only when it matches its ``graph.json`` (:func:`open_fresh`): same size,
same fingerprint (a hash of 64 evenly spread 4 KB blocks), and not older than it.

>>> import tempfile, pathlib
>>> from kg.query import toy_graph, coauthors
>>> from kg.graph import save
>>> d = pathlib.Path(tempfile.mkdtemp()); G = toy_graph(); save(G, d / "graph.json")
>>> write(G, d / "graph.sqlite", d / "graph.json")
>>> H = local_graph(d / "graph.json", [("bo chen", "author")])
>>> coauthors(H, "bo chen") == coauthors(G, "bo chen"), len(H) < len(G)
(True, True)
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from .model import AUTHOR, AUTHORED, NODE_TYPES, PAPER, author_key, entity_key, title_key, with_evidence

__all__ = ["write", "open_fresh", "local_graph", "path_graph", "coauthor_graph", "store_path", "fingerprint",
           "STORE_FORMAT"]

STORE_FORMAT = "kg-store/2"
_BLOCKS, _BLOCK = 64, 4096
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (id TEXT PRIMARY KEY, type TEXT, data TEXT NOT NULL);
CREATE TABLE edges (u TEXT NOT NULL, v TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE names (kind TEXT NOT NULL, key TEXT NOT NULL, node TEXT NOT NULL);
CREATE TABLE coauthor_edges (a TEXT NOT NULL, b TEXT NOT NULL, weight INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX edges_u ON edges (u);
CREATE INDEX edges_v ON edges (v);
CREATE INDEX names_key ON names (kind, key);
"""


def store_path(graph_json: str | os.PathLike) -> Path:
    """Where the store of a ``graph.json`` lives: same folder and stem, suffix ``.sqlite``.

    >>> store_path("exports/graph.json").as_posix()
    'exports/graph.sqlite'
    """
    return Path(graph_json).with_suffix(".sqlite")


def fingerprint(path: str | os.PathLike) -> str:
    """A cheap fingerprint of a file: its size and a hash of 64 evenly spread 4 KB blocks.

    >>> import tempfile; p = tempfile.mktemp(); _ = open(p, "w").write("abc")
    >>> fingerprint(p).startswith("3:")
    True
    """
    size = os.path.getsize(path)
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        if size <= _BLOCKS * _BLOCK:
            h.update(f.read())
        else:
            step = (size - _BLOCK) // (_BLOCKS - 1)
            for i in range(_BLOCKS):
                f.seek(i * step)
                h.update(f.read(_BLOCK))
    return f"{size}:{h.hexdigest()}"


def _dumps(d) -> str:
    return json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _name_rows(G) -> Iterable[tuple[str, str, str]]:
    """(kind, key, node) rows, one node at a time (a row can come twice: ``write`` keeps it
    once): the exact ("x") and loose ("l") tables of the query index
    (:func:`kg.query._index.node_keys`, its own definition) and the title keys ("t") of papers."""
    from .query._index import node_keys, tkey

    for n, d in G.nodes(data=True):
        keys = node_keys(n, d)
        if keys is None:
            continue
        t, _name, exact, loose = keys
        for k in exact:
            yield "x", k, n
        for k in loose:
            yield "l", k, n
        if t == PAPER:
            yield "t", tkey(d.get("title") or d.get("label") or n), n


def coauthor_graph(con):
    """The co-author graph of :func:`kg.query.coauthor_graph`, rebuilt from the store (same
    nodes, edges, weights and adjacency order), frozen."""
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(n for (n,) in con.execute("SELECT id FROM nodes WHERE type = ? ORDER BY id", (AUTHOR,)))
    H.add_weighted_edges_from(con.execute("SELECT a, b, weight FROM coauthor_edges ORDER BY rowid"))
    return nx.freeze(H)


def path_graph(graph_json: str | os.PathLike, a: str, b: str):
    """For ``kg query path``: the local graph of the authors on the shortest collaboration path
    between the authors named *a* and *b* (found on the co-author graph read from the store),
    with that co-author graph already in its query index, so that
    :func:`kg.query.collaboration_path` on it gives the whole graph's answer. None as
    :func:`local_graph`."""
    import networkx as nx

    from .query._index import index

    con = open_fresh(graph_json)
    if con is None:
        return None
    try:
        u, v = resolve(con, a, AUTHOR), resolve(con, b, AUTHOR)
        if u is None or v is None:
            return None
        H = coauthor_graph(con)
    finally:
        con.close()
    try:
        on_path = nx.bidirectional_shortest_path(H, u, v)
    except nx.NetworkXNoPath:
        on_path = [u, v]
    G = local_graph(graph_json, [(n, AUTHOR) for n in on_path])
    if G is not None:
        index(G)._memo["coauthor_graph"] = H
    return G


def write(G, path: str | os.PathLike, graph_json: str | os.PathLike) -> None:
    """Write the store of *G* to *path*, recording the fingerprint of *graph_json* (the
    ``graph.json`` just written from the same *G*). Deterministic: the same graph gives the
    same bytes."""
    from .query._index import coauthor_rows

    path = Path(path)
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        meta = {"format": STORE_FORMAT, "graph_json": fingerprint(graph_json),
                "graph": _dumps({k: v for k, v in G.graph.items() if k not in ("problems", "warnings")})}
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        nodes = sorted(G)  # ids only: rows are made one at a time
        con.executemany("INSERT INTO nodes VALUES (?, ?, ?)",
                        ((n, G._node[n].get("type"), _dumps(G._node[n])) for n in nodes))
        con.executemany("INSERT INTO edges VALUES (?, ?, ?)",
                        ((u, v, _dumps(with_evidence(G._node[u], G._succ[u][v])))
                         for u in nodes for v in sorted(G._succ[u])))
        del nodes
        # sorted by SQLite (BINARY collation of UTF-8 = code point order, as Python sorts str)
        con.execute("CREATE TEMP TABLE names_in (kind TEXT, key TEXT, node TEXT)")
        con.executemany("INSERT INTO names_in VALUES (?, ?, ?)", _name_rows(G))
        con.execute("INSERT INTO names SELECT DISTINCT kind, key, node FROM names_in ORDER BY kind, key, node")
        con.execute("DROP TABLE names_in")
        con.executemany("INSERT INTO coauthor_edges VALUES (?, ?, ?)", coauthor_rows(G))
        con.executescript(_INDEXES)
        con.commit()
    finally:
        con.close()


def open_fresh(graph_json: str | os.PathLike) -> sqlite3.Connection | None:
    """A read-only connection to the store beside *graph_json* if it exists and matches it
    (format, fingerprint, not older than graph.json); else None."""
    path = store_path(graph_json)
    try:
        if path.stat().st_mtime_ns < Path(graph_json).stat().st_mtime_ns:
            return None
        con = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        if meta.get("format") == STORE_FORMAT and meta.get("graph_json") == fingerprint(graph_json):
            return con
    except (OSError, sqlite3.Error):
        pass
    con.close()
    return None


# --------------------------------------------------------------------------- reading
def _many(con, sql: str, keys: Sequence[str]) -> list[tuple]:
    """Rows of *sql* (with one ``{}`` placeholder list) for *keys*, in chunks."""
    out: list[tuple] = []
    keys = list(keys)
    for i in range(0, len(keys), 900):
        chunk = keys[i:i + 900]
        out += con.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
    return out


def _types(con, nodes: Iterable[str]) -> dict[str, str]:
    return dict(_many(con, "SELECT id, type FROM nodes WHERE id IN ({})", sorted(set(nodes))))


def resolve(con, name: str, types: Iterable[str] | str | None = None) -> str | None:
    """The node :func:`kg.query.find_node` would return for *name*, when it returns one node
    without looking at the whole graph; None when it would not (the caller then asks the
    graph itself, which raises the same error as always)."""
    wanted = NODE_TYPES if types is None else ({types} if isinstance(types, str) else set(types))
    types = tuple(t for t in NODE_TYPES if t in wanted)
    if not types or not isinstance(name, str) or not name.strip():
        return None
    from .query._index import ekey, sorted_tokens

    name = name.strip()
    if _types(con, [name]).get(name) in types:
        return name
    head, sep, rest = name.partition(":")
    if sep and head.strip().lower() in NODE_TYPES and rest.strip():
        if head.strip().lower() not in types:
            return None
        types, name = (head.strip().lower(),), rest.strip()
    ak, ek, tk = author_key(name), entity_key(name), title_key(name)
    tiers = [[("x", "a:" + ak), ("x", "e:" + ek)] + ([("t", tk)] if PAPER in types else []),
             [("l", "a:" + ekey(name)), ("l", "e:" + ek)],
             [("l", "s:" + sorted_tokens(name))]]
    for keys in tiers:
        cands = {n for kind, key in keys
                 for (n,) in con.execute("SELECT node FROM names WHERE kind = ? AND key = ?", (kind, key))}
        found = [n for n, t in _types(con, cands).items() if t in types]
        if found:
            return found[0] if len(found) == 1 else None
    if PAPER in types and len(tk) >= 4:
        found = {n for (n,) in con.execute("SELECT node FROM names WHERE kind = 't' AND instr(key, ?) > 0", (tk,))}
        return found.pop() if len(found) == 1 else None
    return None


def _around(con, seeds: set[str]) -> tuple[set[str], set[str]]:
    """The papers linked to *seeds* (seed papers themselves, and papers with an edge to a
    seed) and every node those papers link to."""
    types = _types(con, seeds)
    papers = {n for n, t in types.items() if t == PAPER}
    others = sorted(n for n, t in types.items() if t != PAPER)
    papers |= {u for (u,) in _many(con, "SELECT u FROM edges WHERE v IN ({})", others)}
    reached = {v for (v,) in _many(con, "SELECT v FROM edges WHERE u IN ({})", sorted(papers))}
    return papers, reached


def local_graph(graph_json: str | os.PathLike, names: Sequence[tuple[str, Iterable[str] | str | None]],
                hops: int = 1, follow: Iterable[str] = (AUTHOR,)):
    """The part of the graph a question about *names* (``(name, types)`` pairs, as given to
    :func:`kg.query.find_node`) needs, read from the store beside *graph_json*: each named
    node, and *hops* times over the papers linked to the nodes so far with all their edges and
    the nodes they reach (the next hop starts from the reached nodes of the types in *follow*:
    by default authors, so that hop 2 adds the co-authors' papers). None when
    there is no fresh store or a name does not resolve to one node there."""
    import networkx as nx

    con = open_fresh(graph_json)
    if con is None:
        return None
    try:
        seeds = set()
        for name, types in names:
            n = resolve(con, name, types)
            if n is None:
                return None
            seeds.add(n)
        follow = set(follow)
        nodes, papers, frontier = set(seeds), set(), set(seeds)
        for _ in range(hops):
            ps, reached = _around(con, frontier)
            new_papers = ps - papers
            papers |= new_papers
            frontier = {n for n, t in _types(con, reached - nodes).items() if t in follow}
            nodes |= ps | reached
            if not frontier:
                break
        G = nx.DiGraph()
        G.graph.update(json.loads(con.execute("SELECT value FROM meta WHERE key = 'graph'").fetchone()[0]))
        G.add_nodes_from((n, json.loads(d)) for n, d in
                         sorted(_many(con, "SELECT id, data FROM nodes WHERE id IN ({})", sorted(nodes))))
        G.add_edges_from((u, v, json.loads(d)) for u, v, d in
                         sorted(_many(con, "SELECT u, v, data FROM edges WHERE u IN ({})", sorted(papers))))
        return G
    finally:
        con.close()
