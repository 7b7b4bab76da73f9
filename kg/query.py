"""Questions to the knowledge graph: co-authors, collaboration paths, communities, centrality,
author profiles, and method/benchmark questions.

NetworkX style: plain functions ``f(G, ...)`` over the graph built by :mod:`kg.graph`, returning
plain lists and dicts (JSON-ready). **No function here changes G.**

Co-authorship is not stored in the graph; it is derived from shared papers. The derived
indexes (co-author projection, name lookup tables, a weighted co-author :class:`networkx.Graph`,
communities and centralities) are computed once per graph and cached in a
:class:`weakref.WeakKeyDictionary` keyed on the graph object. The cache is dropped whenever the
graph is mutated through NetworkX (every ``add_*``/``remove_*`` clears
``G.__networkx_cache__``, where a validity token is kept) or its node count changes; changing
attributes in place (``G.nodes[n][k] = v``) is not detected.

Names are looked up forgivingly (:func:`find_node`): case, spacing, full stops, hyphens and
accents are folded, method/benchmark aliases are known ("EDT" finds "Efficient Diffusion
Transformer" when a paper wrote it so), author names may be given surname first, titles by a
unique fragment. An unknown name raises :class:`NameNotFound` with the closest matches, a name
that fits several nodes :class:`AmbiguousName` with the candidates; both are
:class:`kg.model.KGError`, so the CLI prints one line and exits with code 2.

>>> G = toy_graph()
>>> [(c["name"], c["papers"]) for c in coauthors(G, "bo chen")]
[('Ann Lee', 2), ('Cy Dias', 1)]
>>> [p["title"] for p in papers(G, "llama2")]
['Scaling Llama 2', 'Solo Work']
"""
from __future__ import annotations

import heapq
import math
import re
import unicodedata
import weakref
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .model import (
    AUTHOR,
    AUTHORED,
    BENCHMARK,
    METHOD,
    NODE_TYPES,
    PAPER,
    PROPOSES,
    USES,
    KGError,
    author_key,
    entity_key,
    title_key,
)

__all__ = [
    "NameNotFound", "AmbiguousName", "find_node", "coauthors", "collaboration_path",
    "collaboration_distance", "neighbourhood", "communities", "community", "central",
    "author_profile", "papers", "evaluated_on", "methods_on", "cooccurring", "top_entities",
    "similar_papers", "experts", "entities_like", "coauthor_graph", "louvain", "toy_graph",
]

ENTITY_TYPES = (METHOD, BENCHMARK)
BIG_GRAPH = 2000  # co-author graphs with more authors get sampled betweenness


# =========================================================================== errors
class NameNotFound(KGError):
    """No node matches a name; ``.suggestions`` holds the closest names (may be empty)."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        super().__init__(message)


class AmbiguousName(KGError):
    """Several nodes match a name; ``.candidates`` holds their node ids."""

    def __init__(self, message: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(message)


# =========================================================================== cached index
_NONWORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")


def _ekey(name: str) -> str:
    """:func:`kg.model.entity_key`, with a fast path for ASCII names (same result)."""
    return _NONWORD.sub("", name.lower()) if name.isascii() else entity_key(name)


def _tkey(title: str) -> str:
    """:func:`kg.model.title_key`, with a fast path for ASCII titles (same result)."""
    return " ".join(_WORD.findall(title.lower())) if title.isascii() else title_key(title)


def _loose_key(name: str) -> str:
    """Letters and digits only, accents stripped, case-folded (``"Xue-Liu"`` → ``"xueliu"``)."""
    return _ekey(name)


def _sorted_tokens(name: str) -> str:
    if name.isascii():
        return " ".join(sorted(_NONWORD.split(name.lower()))).strip()
    n = unicodedata.normalize("NFKD", name)
    n = "".join(c for c in n if not unicodedata.combining(c)).casefold()
    return " ".join(sorted(re.findall(r"[^\W_]+", n)))


class _Index:
    """Everything derived from one graph that the queries need, built in one pass."""

    def __init__(self, G: nx.DiGraph):
        self.n_nodes = len(G)
        self.token = object()
        nodes = G.nodes
        self.papers: list[str] = sorted(n for n, t in G.nodes(data="type") if t == PAPER)
        self.authors_of: dict[str, list[str]] = {}
        self.ents_of: dict[str, list[tuple[str, str]]] = {}
        self.papers_of: dict[str, list[str]] = defaultdict(list)
        self.ent_papers: dict[str, dict[str, str]] = defaultdict(dict)
        co: dict[str, dict[str, list[str]]] = defaultdict(dict)
        for p in self.papers:
            auth, ents = [], []
            for v, e in G._succ[p].items():
                t = e.get("type")
                if t == AUTHORED:
                    auth.append((e.get("position", 0), v))
                elif t in (PROPOSES, USES):
                    ents.append((v, t))
            auth.sort()
            alist = list(dict.fromkeys(v for _, v in auth))
            self.authors_of[p] = alist
            self.ents_of[p] = sorted(ents)
            for a in alist:
                self.papers_of[a].append(p)
            for i, a in enumerate(alist):
                for b in alist[i + 1:]:
                    co[a].setdefault(b, []).append(p)
                    co[b].setdefault(a, []).append(p)
            for v, t in ents:
                self.ent_papers[v][p] = t
        self.authors = sorted(n for n, t in G.nodes(data="type") if t == AUTHOR)
        for a in self.authors:
            co.setdefault(a, {})
        self.co = dict(co)
        self.papers_of = dict(self.papers_of)
        self.ent_papers = dict(self.ent_papers)

        # name lookup tables: key -> set of node ids, by tier
        self.exact: dict[str, set[str]] = defaultdict(set)   # "a:"/"e:"/"t:" + key
        self.loose: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, list[tuple[str, str]]] = defaultdict(list)  # type -> (label, id)
        for n, d in G.nodes(data=True):
            t = d.get("type")
            if t == AUTHOR:
                name = d.get("name") or d.get("label") or n
                self.exact["a:" + author_key(name)].add(n)
                if d.get("key"):
                    self.exact["a:" + d["key"]].add(n)
                self.loose["a:" + _loose_key(name)].add(n)
                self.loose["s:" + _sorted_tokens(name)].add(n)
            elif t in ENTITY_TYPES:
                name = d.get("name") or d.get("label") or n
                self.exact["e:" + _ekey(name)].add(n)
                if d.get("key"):
                    self.exact["e:" + d["key"]].add(n)
                for al in d.get("aliases") or ():
                    self.loose["e:" + _ekey(al)].add(n)
            elif t == PAPER:
                name = d.get("title") or d.get("label") or n
            else:
                continue
            self.labels[t].append((name, n))
        self._title_keys: list[tuple[str, str]] | None = None
        self._title_index: dict[str, set[str]] | None = None
        self._graph: nx.Graph | None = None
        self._partitions: dict[tuple, list[set[str]]] = {}
        self._central: dict[tuple, dict[str, float]] = {}

    def title_keys(self, G) -> list[tuple[str, str]]:
        """(title key, paper) for every paper, built on the first title lookup."""
        if self._title_keys is None:
            self._title_keys = [(_tkey(G.nodes[p].get("title") or G.nodes[p].get("label") or p), p)
                                for p in self.papers]
            self._title_index = defaultdict(set)
            for k, p in self._title_keys:
                self._title_index[k].add(p)
        return self._title_keys

    def titled(self, G, key: str) -> set[str]:
        self.title_keys(G)
        return self._title_index.get(key, set())

    def graph(self) -> nx.Graph:
        if self._graph is None:
            H = nx.Graph()
            H.add_nodes_from(self.authors)
            H.add_weighted_edges_from((a, b, len(ps)) for a in self.authors
                                      for b, ps in self.co[a].items() if a < b)
            self._graph = H
        return self._graph


_CACHE: "weakref.WeakKeyDictionary[nx.Graph, _Index]" = weakref.WeakKeyDictionary()
_CACHE_KEY = "kg.query"


def _index(G: nx.DiGraph) -> _Index:
    """The cached index of *G*, rebuilt if *G* was mutated since."""
    idx = _CACHE.get(G)
    nxcache = getattr(G, "__networkx_cache__", None)
    if idx is not None and len(G) == idx.n_nodes:
        if nxcache is not None and nxcache.get(_CACHE_KEY) is idx.token:
            return idx
        if nxcache is None and getattr(idx, "n_edges", -1) == G.number_of_edges():
            return idx
    idx = _Index(G)
    if nxcache is not None:
        nxcache[_CACHE_KEY] = idx.token  # cleared by NetworkX on any add_*/remove_*
    else:  # pragma: no cover - graphs without the NetworkX cache attribute
        idx.n_edges = G.number_of_edges()
    _CACHE[G] = idx
    return idx


# =========================================================================== lookup
_TYPE_WORDS = {PAPER: "paper", AUTHOR: "author", METHOD: "method", BENCHMARK: "benchmark"}


def _what(types: tuple[str, ...]) -> str:
    words = [_TYPE_WORDS[t] for t in types]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _label(G, n: str) -> str:
    d = G.nodes[n]
    return d.get("name") or d.get("title") or d.get("label") or n


def _describe(G, n: str) -> str:
    d = G.nodes[n]
    extra = ""
    if d.get("type") == PAPER and d.get("year"):
        extra = f", {d['year']}"
    elif d.get("type") == AUTHOR:
        k = len(_index(G).papers_of.get(n, ()))
        extra = f", {k} paper{'s' if k != 1 else ''}"
    return f"{_label(G, n)} ({d.get('type')}{extra})"


def _describe_twin(G, n: str) -> str:
    """:func:`_describe` for a node whose label another candidate shares: its id (which
    :func:`find_node` accepts) and its longest alias, e.g. an acronym's expansion."""
    d = G.nodes[n]
    longest = max(d.get("aliases") or [""], key=lambda a: (len(a.split()), len(a), a))
    aka = f", also {longest!r}" if longest and longest != _label(G, n) else ""
    return f"{_label(G, n)} ({n}{aka})"


def find_node(G: nx.DiGraph, name: str, types: Iterable[str] | str | None = None) -> str:
    """The node id named *name* among nodes of the given *types* (default: all).

    Tried in order, the first tier that matches decides: a node id (``"author:xue-liu"``);
    the exact normalised name (author key, entity key, title key); the loose name (authors
    without hyphens/spacing/accents, method/benchmark aliases); author names with their words in
    any order; a unique fragment of a paper title. A ``type:`` prefix (``"benchmark:ImageNet"``)
    restricts the types.

    >>> G = toy_graph()
    >>> find_node(G, "LLAMA-2"), find_node(G, "EDT"), find_node(G, "lee,  ann")
    ('method:llama2', 'method:efficientdiffusiontransformer', 'author:ann-lee')
    >>> find_node(G, "Bo Chenn")
    Traceback (most recent call last):
    ...
    kg.query.NameNotFound: no paper, author, method or benchmark named 'Bo Chenn'; closest matches: Bo Chen (author, 3 papers)
    >>> find_node(G, "diffusion", types="paper")
    Traceback (most recent call last):
    ...
    kg.query.AmbiguousName: 'diffusion' matches 2 papers: Diffusion on ImageNet (paper, 2024); Efficient Diffusion Transformers (paper, 2023)
    """
    if types is None:
        types = NODE_TYPES
    elif isinstance(types, str):
        types = (types,)
    types = tuple(t for t in NODE_TYPES if t in set(types))
    if not types:
        raise ValueError("no valid node types given")
    if not isinstance(name, str) or not name.strip():
        raise NameNotFound(f"an empty name is not a {_what(types)}")
    name = name.strip()
    if name in G and G.nodes[name].get("type") in types:
        return name
    head, sep, rest = name.partition(":")
    if sep and head.strip().lower() in NODE_TYPES and rest.strip():
        if head.strip().lower() not in types:
            raise NameNotFound(f"{name!r} is not a {_what(types)}")
        types, name = (head.strip().lower(),), rest.strip()
    idx = _index(G)
    want = set(types)

    def pick(cands: Iterable[str]) -> str | None:
        cands = sorted(c for c in set(cands) if G.nodes[c].get("type") in want)
        if len(cands) == 1:
            return cands[0]
        if cands:
            kinds = {G.nodes[c]["type"] for c in cands}
            what = f"{_TYPE_WORDS[kinds.pop()]}s" if len(kinds) == 1 else "nodes"
            shown = sorted(cands, key=lambda c: _label(G, c).casefold())
            more = f" (and {len(shown) - 10} more)" if len(shown) > 10 else ""
            described = [_describe(G, c) for c in shown[:10]]
            twins = {t for t in described if described.count(t) > 1}
            described = [t if t not in twins else _describe_twin(G, c)  # "ACS (method)" twice:
                         for t, c in zip(described, shown)]            # say which is which
            raise AmbiguousName(f"{name!r} matches {len(cands)} {what}: "
                                + "; ".join(described) + more, cands)
        return None

    ak, ek, tk, lk = author_key(name), entity_key(name), title_key(name), _loose_key(name)
    tiers = [
        idx.exact.get("a:" + ak, set()) | idx.exact.get("e:" + ek, set())
        | (idx.titled(G, tk) if PAPER in want else set()),
        idx.loose.get("a:" + lk, set()) | idx.loose.get("e:" + ek, set()),
        idx.loose.get("s:" + _sorted_tokens(name), set()),
    ]
    for cands in tiers:
        found = pick(cands)
        if found:
            return found
    if PAPER in want and len(tk) >= 4:
        found = pick(p for k, p in idx.title_keys(G) if tk in k)
        if found:
            return found
    raise NameNotFound(f"no {_what(types)} named {name!r}" + _suggest(G, idx, name, types),
                       suggestions=_closest(G, idx, name, types))


def _closest(G, idx: _Index, name: str, types: tuple[str, ...], limit: int = 5) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    found: list[tuple[float, str]] = []
    for t in types:
        choices = idx.labels.get(t, [])
        if not choices:
            continue
        res = process.extract(name, [c for c, _ in choices], scorer=fuzz.WRatio,
                              processor=utils.default_process, limit=limit, score_cutoff=60)
        found.extend((score, choices[i][1]) for _, score, i in res)
    found.sort(key=lambda x: (-x[0], _label(G, x[1])))
    return list(dict.fromkeys(n for _, n in found))[:limit]


def _suggest(G, idx: _Index, name: str, types: tuple[str, ...]) -> str:
    close = _closest(G, idx, name, types)
    if not close:
        return "; no close match"
    return "; closest matches: " + "; ".join(_describe(G, n) for n in close)


# =========================================================================== helpers
def _paper(G, p: str, **extra) -> dict[str, Any]:
    d = G.nodes[p]
    out = {"id": p, "title": d.get("title") or _label(G, p), "year": d.get("year"),
           "venue": d.get("venue")}
    out.update(extra)
    return out


def _titles(G, ps: Iterable[str]) -> list[str]:
    return [G.nodes[p].get("title") or p for p in ps]


def _paper_order(G, ps: Iterable[str]) -> list[str]:
    """Papers newest first (unknown years last), then by title."""
    return sorted(ps, key=lambda p: (-(G.nodes[p].get("year") or 0),
                                     (G.nodes[p].get("title") or p).casefold(), p))


def _author(G, name: str) -> str:
    return find_node(G, name, (AUTHOR,))


def _entity(G, name: str, types=ENTITY_TYPES) -> str:
    return find_node(G, name, types)


def _ranked(G, counts: dict[str, list[str]], top: int | None) -> list[dict]:
    rows = [{"name": _label(G, n), "id": n, "papers": len(ps), "titles": _titles(G, _paper_order(G, ps))}
            for n, ps in counts.items()]
    rows.sort(key=lambda r: (-r["papers"], r["name"].casefold(), r["id"]))
    return rows[:top] if top else rows


# =========================================================================== co-authors
def coauthor_graph(G: nx.DiGraph) -> nx.Graph:
    """The co-author projection as an undirected :class:`networkx.Graph` (authors; an edge per
    pair of authors with a joint paper, ``weight`` = number of joint papers). Cached and shared:
    treat it as read-only (copy it to change it).

    >>> H = coauthor_graph(toy_graph())
    >>> H.number_of_nodes(), H["author:ann-lee"]["author:bo-chen"]["weight"]
    (5, 2)
    """
    return _index(G).graph()


def coauthors(G: nx.DiGraph, name: str) -> list[dict]:
    """Co-authors of an author: ``name``, ``id``, ``papers`` (number of joint papers) and
    ``titles`` (joint paper titles, newest first), most joint papers first.

    >>> coauthors(toy_graph(), "Ann Lee")
    [{'name': 'Bo Chen', 'id': 'author:bo-chen', 'papers': 2, 'titles': ['Lee and Chen Again', 'Efficient Diffusion Transformers']}]
    """
    a = _author(G, name)
    return _ranked(G, _index(G).co.get(a, {}), None)


def collaboration_path(G: nx.DiGraph, a: str, b: str) -> list[dict]:
    """A shortest collaboration path between two authors: one step per hop, each with
    ``from``/``to`` (names), ``from_id``/``to_id`` and ``papers`` (titles of the joint papers
    linking the two). Empty when *a* and *b* are the same author or are not connected.

    >>> [(s["from"], s["to"], s["papers"]) for s in collaboration_path(toy_graph(), "Ann Lee", "Dee Evans")]
    [('Ann Lee', 'Bo Chen', ['Lee and Chen Again', 'Efficient Diffusion Transformers']), ('Bo Chen', 'Cy Dias', ['Scaling Llama 2']), ('Cy Dias', 'Dee Evans', ['Diffusion on ImageNet'])]
    """
    u, v = _author(G, a), _author(G, b)
    idx = _index(G)
    try:
        nodes = nx.bidirectional_shortest_path(idx.graph(), u, v)
    except nx.NetworkXNoPath:
        return []
    steps = []
    for x, y in zip(nodes, nodes[1:]):
        ps = _paper_order(G, idx.co[x][y])
        steps.append({"from": _label(G, x), "to": _label(G, y), "from_id": x, "to_id": y,
                      "papers": _titles(G, ps), "paper_ids": ps})
    return steps


def collaboration_distance(G: nx.DiGraph, a: str, b: str) -> int | None:
    """Number of co-authorship hops between two authors (0: same author; None: not connected).

    >>> G = toy_graph()
    >>> collaboration_distance(G, "Ann Lee", "Dee Evans"), collaboration_distance(G, "Ann Lee", "Eve Fox")
    (3, None)
    """
    u, v = _author(G, a), _author(G, b)
    if u == v:
        return 0
    return len(collaboration_path(G, u, v)) or None


def neighbourhood(G: nx.DiGraph, name: str, k: int = 2) -> list[dict]:
    """Authors within *k* co-authorship hops of an author (not the author), nearest first:
    ``name``, ``id``, ``distance``, ``via`` (the neighbour one hop closer, by name).

    >>> [(r["name"], r["distance"]) for r in neighbourhood(toy_graph(), "Ann Lee", k=2)]
    [('Bo Chen', 1), ('Cy Dias', 2)]
    """
    if k < 0:
        raise KGError(f"the number of hops must be >= 0, not {k}")
    a = _author(G, name)
    co = _index(G).co
    dist, via = {a: 0}, {a: None}
    q = deque([a])
    while q:
        x = q.popleft()
        if dist[x] >= k:
            continue
        for y in sorted(co[x]):
            if y not in dist:
                dist[y], via[y] = dist[x] + 1, x
                q.append(y)
    rows = [{"name": _label(G, n), "id": n, "distance": d,
             "via": _label(G, via[n]) if d > 1 else None}
            for n, d in dist.items() if n != a]
    rows.sort(key=lambda r: (r["distance"], r["name"].casefold(), r["id"]))
    return rows


# =========================================================================== communities
def _partition(G, seed: int, resolution: float) -> list[set[str]]:
    idx = _index(G)
    key = (seed, float(resolution))
    if key not in idx._partitions:
        parts = louvain(idx.authors, idx.co, seed=seed, resolution=resolution)
        parts.sort(key=lambda c: (-len(c), min(c)))
        idx._partitions[key] = parts
    return idx._partitions[key]


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


def _community_summary(G, i: int, members: set[str], top: int) -> dict:
    idx = _index(G)
    inside = {a: sum(1 for b in idx.co[a] if b in members) for a in members}
    ps = {p for a in members for p in idx.papers_of.get(a, ())}
    ranked = sorted(members, key=lambda a: (-inside[a], -len(idx.papers_of.get(a, ())),
                                            _label(G, a).casefold(), a))
    ent: dict[str, Counter] = {METHOD: Counter(), BENCHMARK: Counter()}
    for p in ps:
        for e, _ in idx.ents_of[p]:
            t = G.nodes[e].get("type")
            if t in ent:
                ent[t][e] += 1

    def top_ents(c: Counter) -> list[dict]:
        rows = sorted(c.items(), key=lambda x: (-x[1], _label(G, x[0]).casefold(), x[0]))[:top or None]
        return [{"name": _label(G, e), "id": e, "papers": n} for e, n in rows]

    return {"community": i, "size": len(members), "papers": len(ps),
            "members": [{"name": _label(G, a), "id": a, "degree": inside[a],
                         "papers": len(idx.papers_of.get(a, ()))} for a in (ranked[:top] if top else ranked)],
            "methods": top_ents(ent[METHOD]), "benchmarks": top_ents(ent[BENCHMARK])}


def communities(G: nx.DiGraph, top: int = 5, min_size: int = 2, seed: int = 0,
                resolution: float = 1.0, limit: int | None = None) -> list[dict]:
    """Communities of collaborating authors (Louvain, :func:`louvain`, on the co-author graph weighted by
    joint papers; *seed* makes it deterministic), largest first. Each: ``community`` (index),
    ``size``, ``papers`` (papers with a member among the authors), ``members`` (the *top* most
    central: most co-authors inside the community), ``methods`` and ``benchmarks`` (the *top*
    most used in those papers). Authors without co-authors form singletons, left out when
    *min_size* > 1; *limit* keeps the first communities only.

    >>> [c["size"] for c in communities(toy_graph(), min_size=1)]
    [2, 2, 1]
    """
    out = []
    for i, members in enumerate(_partition(G, seed, resolution)):
        if len(members) < min_size:
            continue
        if limit is not None and len(out) >= limit:
            break
        out.append(_community_summary(G, i, members, top))
    return out


def community(G: nx.DiGraph, name: str, top: int = 5, seed: int = 0,
              resolution: float = 1.0) -> dict:
    """The community of an author (see :func:`communities`), with ``author`` set.

    >>> c = community(toy_graph(), "Cy Dias")
    >>> c["size"], [m["name"] for m in c["members"]], c["methods"][0]["name"]
    (2, ['Cy Dias', 'Dee Evans'], 'Transformer')
    """
    a = _author(G, name)
    for i, members in enumerate(_partition(G, seed, resolution)):
        if a in members:
            return {"author": _label(G, a), **_community_summary(G, i, members, top)}
    raise KGError(f"author {name!r} is in no community")  # pragma: no cover


# =========================================================================== centrality
MEASURES = ("degree", "pagerank", "betweenness")


def central(G: nx.DiGraph, measure: str = "degree", top: int = 10, sample: int | None = None,
            seed: int = 0) -> list[dict]:
    """The most central authors of the co-author graph: ``name``, ``id``, ``score``,
    ``coauthors`` and ``papers``. *measure*: ``degree`` (score = number of distinct
    co-authors), ``pagerank`` (weighted by joint papers) or ``betweenness`` (normalised; on
    graphs of more than 2000 authors estimated from *sample* (default 32) seeded sources).

    >>> [(r["name"], r["score"]) for r in central(toy_graph(), top=2)]
    [('Bo Chen', 2), ('Cy Dias', 2)]
    >>> central(toy_graph(), "betweenness", top=1)[0]["name"]
    'Bo Chen'
    """
    if measure not in MEASURES:
        raise KGError(f"unknown centrality measure {measure!r}; choose from {', '.join(MEASURES)}")
    idx = _index(G)
    if measure == "degree":
        scores: dict[str, float] = {a: len(idx.co[a]) for a in idx.authors}
    else:
        key = (measure, sample, seed)
        if key not in idx._central:
            H = idx.graph()
            if not len(H):
                idx._central[key] = {}
            elif measure == "pagerank":
                idx._central[key] = nx.pagerank(H, weight="weight")
            else:
                k = None
                if len(H) > BIG_GRAPH or sample:
                    k = min(sample or 32, len(H))
                idx._central[key] = nx.betweenness_centrality(H, k=k, seed=seed)
        scores = idx._central[key]
    best = heapq.nsmallest(top, scores.items(), key=lambda x: (-x[1], _label(G, x[0]).casefold(), x[0])) \
        if top else sorted(scores.items(), key=lambda x: (-x[1], _label(G, x[0]).casefold(), x[0]))
    return [{"name": _label(G, a), "id": a,
             "score": s if measure == "degree" else round(s, 6),
             "coauthors": len(idx.co[a]), "papers": len(idx.papers_of.get(a, ()))} for a, s in best]


# =========================================================================== author profile
def author_profile(G: nx.DiGraph, name: str) -> dict:
    """Everything about an author: ``name``, ``id``, ``papers`` (with ``position`` in the
    author list, newest first), ``coauthors`` (as :func:`coauthors`), ``methods_proposed``,
    ``methods_used`` and ``benchmarks`` (each ``name``, ``id``, ``papers`` count, ``titles``).

    >>> p = author_profile(toy_graph(), "ann lee")
    >>> [x["title"] for x in p["papers"]], [m["name"] for m in p["methods_proposed"]]
    (['Lee and Chen Again', 'Efficient Diffusion Transformers'], ['Efficient Diffusion Transformer'])
    >>> [(m["name"], m["papers"]) for m in p["methods_used"]], [b["name"] for b in p["benchmarks"]]
    ([('Transformer', 2)], ['ImageNet'])
    """
    a = _author(G, name)
    idx = _index(G)
    ps = _paper_order(G, idx.papers_of.get(a, ()))
    groups: dict[str, dict[str, list[str]]] = {"methods_proposed": {}, "methods_used": {},
                                               "benchmarks": {}}
    for p in ps:
        for e, role in idx.ents_of[p]:
            t = G.nodes[e].get("type")
            g = "benchmarks" if t == BENCHMARK else "methods_proposed" if role == PROPOSES else "methods_used"
            groups[g].setdefault(e, []).append(p)
    return {"name": _label(G, a), "id": a,
            "papers": [_paper(G, p, position=idx.authors_of[p].index(a),
                              authors=[_label(G, x) for x in idx.authors_of[p]]) for p in ps],
            "coauthors": _ranked(G, idx.co.get(a, {}), None),
            **{g: _ranked(G, d, None) for g, d in groups.items()}}


# =========================================================================== concepts
def papers(G: nx.DiGraph, name: str, role: str | None = None, like: bool = False) -> list[dict]:
    """Papers that propose or use a method, or are evaluated on a benchmark: ``id``,
    ``title``, ``role`` (``proposes``/``uses``), ``year``, ``venue`` and ``via`` (the
    method/benchmark name); proposing papers first, then by title. *role* keeps one role only.
    With *like*, every method/benchmark whose name or alias contains *name* counts
    ("transformer" → Transformer, Decision Transformer, …); a paper is listed once.

    >>> [(p["title"], p["role"]) for p in papers(toy_graph(), "EDT")]
    [('Efficient Diffusion Transformers', 'proposes'), ('Diffusion on ImageNet', 'uses')]
    >>> [(p["title"], p["via"]) for p in papers(toy_graph(), "diffusion transf", like=True)]
    [('Efficient Diffusion Transformers', 'Efficient Diffusion Transformer'), ('Diffusion on ImageNet', 'Efficient Diffusion Transformer')]
    """
    if role not in (None, PROPOSES, USES):
        raise KGError(f"unknown role {role!r}; choose proposes or uses")
    idx = _index(G)
    ents = entities_like(G, name) if like else [_entity(G, name)]
    best: dict[str, tuple[str, str]] = {}
    for e in ents:
        for p, r in idx.ent_papers.get(e, {}).items():
            if role is not None and r != role:
                continue
            if p not in best or (r == PROPOSES and best[p][0] != PROPOSES):
                best[p] = (r, e)
    rows = [_paper(G, p, role=r, via=_label(G, e)) for p, (r, e) in best.items()]
    rows.sort(key=lambda r: (r["role"] != PROPOSES, r["title"].casefold(), r["id"]))
    return rows


def entities_like(G: nx.DiGraph, fragment: str, types=ENTITY_TYPES) -> list[str]:
    """Methods/benchmarks whose name or an alias contains *fragment* (compared on
    :func:`kg.model.entity_key`), by name; :class:`NameNotFound` if none.

    >>> entities_like(toy_graph(), "transformer")
    ['method:efficientdiffusiontransformer', 'method:transformer']
    """
    frag = _ekey(fragment or "")
    if not frag:
        raise NameNotFound("an empty name matches nothing")
    types = (types,) if isinstance(types, str) else tuple(types)
    found = [n for n, d in G.nodes(data=True) if d.get("type") in types
             and any(frag in _ekey(x) for x in [d.get("name") or "", *(d.get("aliases") or ())])]
    if not found:
        idx = _index(G)
        raise NameNotFound(f"no {_what(types)} name contains {fragment!r}"
                           + _suggest(G, idx, fragment, types), _closest(G, idx, fragment, types))
    return sorted(found, key=lambda n: (_label(G, n).casefold(), n))


def _via_papers(G, name: str, src: str, dst: str, top: int | None) -> list[dict]:
    e = _entity(G, name, (src,))
    idx = _index(G)
    found: dict[str, list[str]] = {}
    for p in idx.ent_papers.get(e, {}):
        for x, _ in idx.ents_of[p]:
            if G.nodes[x].get("type") == dst:
                found.setdefault(x, []).append(p)
    return _ranked(G, found, top)


def evaluated_on(G: nx.DiGraph, method: str, top: int | None = None) -> list[dict]:
    """Benchmarks a method is evaluated on: benchmarks of the papers that propose or use it,
    with ``papers`` (count of shared papers) and ``titles``, most shared first.

    >>> [(b["name"], b["papers"]) for b in evaluated_on(toy_graph(), "Transformer")]
    [('ImageNet', 2), ('MMLU', 1)]
    """
    return _via_papers(G, method, METHOD, BENCHMARK, top)


def methods_on(G: nx.DiGraph, benchmark: str, top: int | None = None) -> list[dict]:
    """Methods evaluated on a benchmark: methods of the papers evaluated on it, with
    ``papers`` (count of shared papers) and ``titles``, most shared first.

    >>> [(m["name"], m["papers"]) for m in methods_on(toy_graph(), "imagenet")]
    [('Efficient Diffusion Transformer', 2), ('Transformer', 2)]
    """
    return _via_papers(G, benchmark, BENCHMARK, METHOD, top)


def cooccurring(G: nx.DiGraph, name: str, top: int | None = None) -> list[dict]:
    """Methods (for a benchmark: benchmarks) mentioned in the same papers as *name*:
    ``name``, ``id``, ``count`` (shared papers), ``lift`` = count·N / (n_a·n_b) and
    ``pmi`` = log2(lift), with N the number of papers and n_x the papers mentioning x; most
    shared first, then highest lift.

    >>> [(m["name"], m["count"], m["lift"]) for m in cooccurring(toy_graph(), "Transformer")]
    [('Efficient Diffusion Transformer', 2, 1.25), ('Llama 2', 1, 0.625)]
    """
    e = _entity(G, name)
    idx = _index(G)
    kind = G.nodes[e]["type"]
    n_total = len(idx.papers)
    mine = idx.ent_papers.get(e, {})
    counts: Counter = Counter()
    for p in mine:
        for x, _ in idx.ents_of[p]:
            if x != e and G.nodes[x].get("type") == kind:
                counts[x] += 1
    rows = []
    for x, c in counts.items():
        lift = c * n_total / (len(mine) * len(idx.ent_papers[x]))
        rows.append({"name": _label(G, x), "id": x, "count": c, "lift": round(lift, 4),
                     "pmi": round(math.log2(lift), 4)})
    rows.sort(key=lambda r: (-r["count"], -r["lift"], r["name"].casefold(), r["id"]))
    return rows[:top] if top else rows


def top_entities(G: nx.DiGraph, kind: str = METHOD, top: int | None = 10, by: str | None = None,
                 role: str | None = None) -> list[dict] | dict[str, list[dict]]:
    """The most used methods or benchmarks (*kind*): ``name``, ``id``, ``papers`` (papers that
    propose or use it; *role* keeps one role). With *by* = ``"year"`` or ``"venue"``, a dict
    from each known year/venue (sorted; papers without one are left out) to its own ranking.

    >>> [(m["name"], m["papers"]) for m in top_entities(toy_graph(), top=2)]
    [('Transformer', 4), ('Efficient Diffusion Transformer', 2)]
    >>> {y: [m["name"] for m in ms] for y, ms in top_entities(toy_graph(), "benchmark", by="year").items()}
    {'2022': ['MMLU'], '2023': ['ImageNet'], '2024': ['ImageNet', 'MMLU']}
    """
    if kind not in ENTITY_TYPES:
        raise KGError(f"unknown kind {kind!r}; choose method or benchmark")
    if by not in (None, "year", "venue"):
        raise KGError(f"cannot group by {by!r}; choose year or venue")
    if role not in (None, PROPOSES, USES):
        raise KGError(f"unknown role {role!r}; choose proposes or uses")
    idx = _index(G)
    groups: dict[Any, Counter] = defaultdict(Counter)
    for e, ps in idx.ent_papers.items():
        if G.nodes[e].get("type") != kind:
            continue
        for p, r in ps.items():
            if role is not None and r != role:
                continue
            g = G.nodes[p].get(by) if by else None
            if by and g in (None, ""):
                continue
            groups[g][e] += 1

    def rank(c: Counter) -> list[dict]:
        rows = sorted(c.items(), key=lambda x: (-x[1], _label(G, x[0]).casefold(), x[0]))
        return [{"name": _label(G, e), "id": e, "papers": n} for e, n in (rows[:top] if top else rows)]

    if by is None:
        return rank(groups.get(None, Counter()))
    return {str(g): rank(groups[g]) for g in sorted(groups, key=lambda g: (str(type(g)), g))}


SIMILARITY = ("jaccard", "adamic-adar")


def similar_papers(G: nx.DiGraph, title: str, top: int = 10, score: str = "jaccard") -> list[dict]:
    """Papers similar to a paper by shared methods, benchmarks and authors: ``id``, ``title``,
    ``score``, ``shared`` (``methods``, ``benchmarks``, ``authors``: names) and ``reason``.
    *score*: ``jaccard`` (shared / all features of the two papers) or ``adamic-adar`` (sum over
    shared features of 1/log(number of papers with that feature): rare ones weigh more).

    >>> r = similar_papers(toy_graph(), "Efficient Diffusion Transformers")
    >>> r[0]["title"], r[0]["score"], r[0]["reason"]
    ('Lee and Chen Again', 0.6, 'shares authors: Ann Lee, Bo Chen; methods: Transformer')
    """
    if score not in SIMILARITY:
        raise KGError(f"unknown similarity {score!r}; choose jaccard or adamic-adar")
    p = find_node(G, title, (PAPER,))
    idx = _index(G)

    def features(q: str) -> set[str]:
        return set(idx.authors_of.get(q, ())) | {e for e, _ in idx.ents_of.get(q, ())}

    def holders(f: str) -> Iterable[str]:
        return idx.papers_of.get(f, ()) if G.nodes[f].get("type") == AUTHOR else idx.ent_papers.get(f, {})

    mine = features(p)
    shared: dict[str, set[str]] = defaultdict(set)
    for f in mine:
        for q in holders(f):
            if q != p:
                shared[q].add(f)
    rows = []
    for q, fs in shared.items():
        if score == "jaccard":
            s = len(fs) / len(mine | features(q))
        else:
            s = sum(1 / math.log(len(holders(f))) for f in fs)
        by_type = {t: sorted((_label(G, f) for f in fs if G.nodes[f].get("type") == t), key=str.casefold)
                   for t in (AUTHOR, METHOD, BENCHMARK)}
        parts = [f"{w}: {', '.join(by_type[t])}" for t, w in
                 ((AUTHOR, "authors"), (METHOD, "methods"), (BENCHMARK, "benchmarks")) if by_type[t]]
        rows.append(_paper(G, q, score=round(s, 4),
                           shared={"methods": by_type[METHOD], "benchmarks": by_type[BENCHMARK],
                                   "authors": by_type[AUTHOR]},
                           reason="shares " + "; ".join(parts)))
    rows.sort(key=lambda r: (-r["score"], r["title"].casefold(), r["id"]))
    return rows[:top] if top else rows


def experts(G: nx.DiGraph, name: str, top: int | None = 10) -> list[dict]:
    """Authors ranked by their papers that propose or use a method (or benchmark): ``name``,
    ``id``, ``papers``, ``proposes``, ``uses`` (counts) and ``titles``; most papers first, then
    most proposing papers.

    >>> [(x["name"], x["papers"], x["proposes"]) for x in experts(toy_graph(), "transformer", top=3)]
    [('Bo Chen', 3, 0), ('Ann Lee', 2, 0), ('Cy Dias', 2, 0)]
    """
    e = _entity(G, name)
    idx = _index(G)
    by: dict[str, dict[str, str]] = defaultdict(dict)
    for p, r in idx.ent_papers.get(e, {}).items():
        for a in idx.authors_of.get(p, ()):
            by[a][p] = r
    rows = [{"name": _label(G, a), "id": a, "papers": len(ps),
             "proposes": sum(r == PROPOSES for r in ps.values()),
             "uses": sum(r == USES for r in ps.values()),
             "titles": _titles(G, _paper_order(G, ps))} for a, ps in by.items()]
    rows.sort(key=lambda r: (-r["papers"], -r["proposes"], r["name"].casefold(), r["id"]))
    return rows[:top] if top else rows


# =========================================================================== example graph
def toy_graph() -> nx.DiGraph:
    """A five-paper example graph (the one the examples here use), built like
    :func:`kg.graph.build` would, with hand-written method/benchmark mentions.

    >>> G = toy_graph(); sorted(t for _, t in G.nodes(data="type")).count("paper")
    5
    """
    from .graph import add_records, new_graph
    from .model import Record, entity_id

    G = new_graph()
    data = [
        ("Efficient Diffusion Transformers", ["Ann Lee", "Bo Chen"], 2023, "ICLR",
         [("method", "Efficient Diffusion Transformer", "proposes", ["EDT"]),
          ("method", "Transformer", "uses", []), ("benchmark", "ImageNet", "uses", [])]),
        ("Scaling Llama 2", ["Bo Chen", "Cy Dias"], 2024, "NeurIPS",
         [("method", "Llama 2", "uses", []), ("method", "Transformer", "uses", []),
          ("benchmark", "MMLU", "uses", [])]),
        ("Diffusion on ImageNet", ["Cy Dias", "Dee Evans"], 2024, "ICLR",
         [("method", "Transformer", "uses", []), ("method", "EDT", "uses", []),
          ("benchmark", "ImageNet", "uses", [])]),
        ("Solo Work", ["Eve Fox"], 2022, "ICML",
         [("method", "Llama 2", "uses", []), ("benchmark", "MMLU", "uses", [])]),
        ("Lee and Chen Again", ["Ann Lee", "Bo Chen"], 2024, None,
         [("method", "Transformer", "uses", [])]),
    ]
    add_records(G, [Record(t, a, f"About {t}.", "toy.txt", year=y, venue=v) for t, a, y, v, _ in data])
    canon = {"edt": "Efficient Diffusion Transformer"}
    for t, _, _, _, ments in data:
        pid = next(n for n, d in G.nodes(data=True) if d.get("title") == t)
        for kind, surface, role, aliases in ments:
            name = canon.get(entity_key(surface), surface)
            nid = entity_id(kind, entity_key(name))
            if nid not in G:
                G.add_node(nid, type=kind, label=name, name=name, key=entity_key(name), aliases=[])
            al = set(G.nodes[nid]["aliases"]) | ({surface} - {name}) | set(aliases)
            G.nodes[nid]["aliases"] = sorted(al)
            G.add_edge(pid, nid, type=role, surface=surface, aliases=sorted(aliases),
                       evidence=f"We {role[:-1]} {surface}.", start=0, end=0, confidence=0.9)
    return G
