"""``kg add`` re-resolving only the entities the new papers touch (:func:`update_mentions`).

The graph's entities are name blocks: every method/benchmark node is indexed under the
:func:`kg.model.entity_key` of its name and aliases (and the gazetteer entry they belong to),
which covers every identity key :func:`kg.extract.resolve.mention_identity` can give one of its
mentions. Starting from the identity keys of the new (or re-extracted) papers' mentions, the
closure takes every node indexed under a reached key, then the keys of that node's mentions,
until nothing new is reached; plus the nodes of re-extracted papers' old mentions, the nodes of
acronyms whose "several expansions" status the new papers change, and any node whose key the
re-resolved entities take. Only the mentions of those nodes (and the new ones) are resolved
again (by :func:`kg.extract.resolve`, with the acronym status of the whole graph); every other
node keeps its name, key, aliases and edges, which a full resolution would give them too
(their mentions, keys and "first seen" order are unchanged). Node order, paper edge order and
entity predecessor order are then made those of a build from scratch (entity nodes in
first-seen order over papers by id, after all papers and authors), so graph.json is the same
bytes as ``kg build`` of all listings (``tests/test_incremental.py``).

When more than half of the entity nodes would be re-resolved, :func:`update_mentions` changes
nothing and returns None: the caller re-resolves everything (:func:`kg.entities.set_mentions`).
"""
from __future__ import annotations

import gc
from collections import defaultdict, deque
from contextlib import contextmanager
from typing import Any

import networkx as nx

from .entities import ENTITY_KINDS, edge_mentions, found_forms, mention_nodes, node_attrs, paper_edges, sort_results
from .extract.lexicon import load
from .extract.resolve import expansions, mention_forms, mention_identity, resolve
from .model import AUTHORED, BENCHMARK, METHOD, PAPER, PROPOSES, USES, entity_id, entity_key

ENTITY_TYPES = (METHOD, BENCHMARK)


class _TooMany(Exception):
    pass


def form_index(G: nx.DiGraph, lex) -> dict[tuple, list[str]]:
    """``{(kind, entity_key(form)) or ("g", kind, gazetteer name): [entity node, ...]}`` over
    the name and aliases of every method/benchmark node of *G*."""
    index: dict[tuple, list[str]] = defaultdict(list)
    for n, d in G._node.items():
        kind = d.get("type")
        if kind not in ENTITY_TYPES:
            continue
        keys = set()
        for f in (d["name"], *d.get("aliases", ())):
            k = entity_key(f)
            if not k:
                continue
            keys.add((kind, k))
            entry = lex.by_key.get(k)  # Lexicon.lookup(f), the key computed once
            if entry is not None and entry.kind == kind:
                keys.add(("g", kind, entry.canonical))
        for k in keys:
            index[k].append(n)
    return index


class _Ambiguous:
    """``(kind, acronym key) in amb``: the acronym has several expansions across the papers
    of the graph after the add (computed on demand, from the index)."""

    def __init__(self, closure: _Closure):
        self.closure = closure

    def __contains__(self, acronym: tuple) -> bool:
        return self.closure.ambiguous(acronym, new=True)


class _Closure:
    """The entity nodes to re-resolve for the *fresh* results (``{paper id: result}``)."""

    def __init__(self, G: nx.DiGraph, fresh: dict[str, dict], limit: int):
        self.G, self.fresh, self.limit = G, fresh, limit
        self.lex = load()
        self.index = form_index(G, self.lex)
        self.read: dict[str, list] = {}  # node -> [(paper, kind, forms, expansions)] of its mentions
        self.status: dict[tuple, bool] = {}
        self.amb = _Ambiguous(self)
        self.nodes: set[str] = set()
        self.blocks: set[tuple] = set()
        self.queue: deque = deque()
        self.new_defs: dict[tuple, set] = defaultdict(set)
        self.new = [(kind, mention_forms(e)) for r in fresh.values() for field, kind in ENTITY_KINDS
                    for e in r.get(field) or ()]
        for kind, forms in self.new:
            for k, long in expansions(kind, forms, self.lex):
                self.new_defs[k].add(long)

    def mentions_of(self, n: str) -> list:
        got = self.read.get(n)
        if got is None:
            kind = self.G._node[n]["type"]
            got = []
            for p in self.G._pred[n]:
                for ent in edge_mentions(self.G._succ[p][n]):
                    forms = mention_forms(ent)
                    got.append((p, kind, forms, expansions(kind, forms, self.lex)))
            self.read[n] = got
        return got

    def ambiguous(self, acronym: tuple, new: bool) -> bool:
        """Whether *acronym* has several expansions after the add (*new*) or before it."""
        if new and acronym in self.status:
            return self.status[acronym]
        longs = set(self.new_defs.get(acronym, ())) if new else set()
        for n in self.index.get(acronym, ()):  # a mention defining it has the acronym as a form
            for p, _, _, defs in self.mentions_of(n):
                if not (new and p in self.fresh):
                    longs.update(long for k, long in defs if k == acronym)
        if new:
            self.status[acronym] = len(longs) > 1
        return len(longs) > 1

    def add(self, n: str) -> None:
        if n in self.nodes:
            return
        self.nodes.add(n)
        if len(self.nodes) > self.limit:
            raise _TooMany
        for p, kind, forms, _ in self.mentions_of(n):
            if p not in self.fresh:
                self.queue.extend(mention_identity(kind, forms, self.amb, self.lex).keys)

    def seed(self) -> None:
        G = self.G
        for kind, forms in self.new:
            self.queue.extend(mention_identity(kind, forms, self.amb, self.lex).keys)
        changed = set(self.new_defs)
        for p in self.fresh:  # re-extracted papers: their old mentions go
            for v, e in list(G._succ.get(p, {}).items()):
                if e["type"] in (PROPOSES, USES):
                    self.add(v)
                    changed.update(k for q, _, _, defs in self.mentions_of(v) if q == p for k, _ in defs)
        for acronym in sorted(changed):  # acronyms whose several-expansions status changes
            if self.ambiguous(acronym, new=False) != self.ambiguous(acronym, new=True):
                for n in self.index.get(acronym, ()):
                    self.add(n)

    def close(self) -> None:
        while self.queue:
            key = self.queue.popleft()
            block = (key[1], key[-1]) if key[0] == "k" else key
            if block in self.blocks:
                continue
            self.blocks.add(block)
            for n in self.index.get(block, ()):
                self.add(n)


def _resolve_part(G: nx.DiGraph, c: _Closure, rows: dict) -> tuple[list[dict], dict, dict]:
    """The re-resolved results of the papers with a mention in the closure (only those
    mentions, in the order of a full resolution), and their found forms."""
    papers = set(c.fresh)
    for n in c.nodes:
        papers.update(G._pred[n])
    part = []
    for p in sorted(papers):
        if p in c.fresh:
            r = sort_results([c.fresh[p]])[0]
            part.append({"id": p, **{k: [dict(e) for e in r[k]] for k in ("methods", "benchmarks")}})
            continue
        if p not in rows:
            rows[p] = mention_nodes(G, p)
        part.append({"id": p, **{k: [dict(e) for n, e in rows[p][k] if n in c.nodes]
                                 for k in ("methods", "benchmarks")}})
    surfaces: dict = {}
    found: dict = {}
    found_forms(part, surfaces, found)
    resolve(part, ambiguous=c.amb)
    return part, surfaces, found


def _new_ids(part: list[dict]) -> set[str]:
    return {entity_id(ntype, e["key"]) for r in part for kind, ntype in ENTITY_KINDS for e in r[kind]}


def _apply(G: nx.DiGraph, c: _Closure, part: list[dict], surfaces: dict, found: dict) -> int:
    """Replace the closure's nodes and their edges by the re-resolved ones (edges that come out
    the same are left alone), then restore a full build's order. Returns the number of entity
    nodes re-resolved."""
    made: dict[str, tuple[str, dict, set]] = {}  # node -> (type, first mention, alias forms)
    plan = []
    for r in part:
        edges, nodes = paper_edges(r, surfaces, found)
        for nid, (ntype, e, forms) in nodes.items():
            if nid in made:
                made[nid][2].update(forms)
            else:
                made[nid] = (ntype, e, set(forms))
        old = {n: d for n, d in G._succ[r["id"]].items() if n in c.nodes}
        if old != edges or list(old) != list(edges):
            G.remove_edges_from([(r["id"], n) for n in old])
            plan.append((r["id"], edges))
    G.remove_nodes_from([n for n in c.nodes if n not in made])
    for nid, (ntype, e, forms) in made.items():
        attrs = {**node_attrs(ntype, e), "aliases": sorted(forms - {e["name"]})}
        if nid not in G:
            G.add_node(nid, **attrs)
        elif G._node[nid] != attrs or list(G._node[nid]) != list(attrs):
            G._node[nid].clear()
            G._node[nid].update(attrs)
    for pid, edges in plan:
        for nid, attrs in edges.items():
            G.add_edge(pid, nid, **attrs)
    build_order(G, {pid for pid, _ in plan})
    return len(made)


def _move_last(d: dict, keys) -> None:
    """Move the items of *keys* (in that order) to the end of *d*, in place (NetworkX's views
    hold the dict); the other items keep their order."""
    for k in keys:
        d[k] = d.pop(k)


def build_order(G: nx.DiGraph, edited: set[str]) -> None:
    """Give *G* the order of a build from scratch: each paper's edges its authors' first, then
    its entities' in the order of its mentions (for the *edited* papers and those with an author
    linked after their entities); entity nodes after all others, in first-seen order over the
    papers by id; each entity's papers by id."""
    papers = sorted(n for n, d in G._node.items() if d.get("type") == PAPER)
    for p in papers:
        succ = G._succ[p]
        types = [e["type"] for e in succ.values()]
        if p not in edited and (AUTHORED not in types or AUTHORED not in types[types.count(AUTHORED):]):
            continue  # authors first already, entity edges untouched
        rows = mention_nodes(G, p)
        ents = dict.fromkeys(v for k in ("methods", "benchmarks") for v, _ in rows[k])
        _move_last(succ, [v for v, t in zip(list(succ), types) if t == AUTHORED] + list(ents))
    first = dict.fromkeys(v for p in papers for v, e in G._succ[p].items() if e["type"] in (PROPOSES, USES))
    if sum(1 for d in G._node.values() if d.get("type") in ENTITY_TYPES) != len(first):
        raise AssertionError("an entity node without a paper")
    if list(G._node)[-len(first):] != list(first):
        for d in (G._node, G._succ, G._pred):
            _move_last(d, first)
    for v in first:
        pred = G._pred[v]
        if len(pred) > 1:
            order = sorted(pred)
            if list(pred) != order:
                _move_last(pred, order)


@contextmanager
def _gc_paused():
    """The cyclic garbage collector paused: it would rescan the whole graph's objects again
    and again while the touched part is rebuilt (nothing here forms reference cycles)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def update_mentions(G: nx.DiGraph, fresh: dict[str, dict], share: float = 0.5) -> dict[str, Any] | None:
    """Give *G* (an extracted graph after :func:`kg.graph.add_records`) the entities of the
    *fresh* extraction results (``{paper id: result}``: new and re-extracted papers), re-resolving
    only what they touch; the graph equals a full :func:`kg.entities.set_mentions`. Returns what
    was done (``mode``, ``blocks``, ``entities_reresolved``, ``mentions_reresolved``,
    ``entities_total``), or None, changing nothing, when more than *share* of the entity nodes
    would be re-resolved."""
    with _gc_paused():
        return _update(G, fresh, share)


def _update(G: nx.DiGraph, fresh: dict[str, dict], share: float) -> dict[str, Any] | None:
    total = sum(1 for _, t in G.nodes(data="type") if t in ENTITY_TYPES)
    c = _Closure(G, fresh, int(total * share))
    rows: dict = {}
    try:
        c.seed()
        while True:
            c.close()
            part, surfaces, found = _resolve_part(G, c, rows)
            clash = [n for n in _new_ids(part) if n in G and n not in c.nodes]
            if not clash:  # a re-resolved entity taking the key of a kept one: that one too
                break
            for n in clash:
                c.add(n)
    except _TooMany:
        return None
    made = _apply(G, c, part, surfaces, found)
    return {"mode": "touched", "blocks": len(c.blocks), "entities_reresolved": made,
            "mentions_reresolved": sum(len(r["methods"]) + len(r["benchmarks"]) for r in part),
            "entities_total": sum(1 for _, t in G.nodes(data="type") if t in ENTITY_TYPES)}
