"""The query index: everything the queries derive from a graph, computed once per graph and
kept in **one** cache, ``G.__networkx_cache__["kg.query"]``.

That dict is NetworkX's own per-graph cache (it holds converted graphs of dispatch backends):
NetworkX empties it on every structural change (``add_*``, ``remove_*``, ``update``, ``clear``),
so a graph changed that way is indexed again on the next query; the index is also rebuilt when
the node count differs. Changing attributes in place (``G.nodes[n]["name"] = …``) is not seen:
call :func:`clear_cache` after doing so. Graphs without ``__networkx_cache__`` are indexed on
every call (correct, only slower).

What the index holds: per paper its authors (in author order) and methods/benchmarks; per
author its papers and co-authors (from :func:`kg.graph.coauthor_pairs`, the one place the
co-author projection is computed); per method/benchmark its papers; the name lookup tables of
:func:`kg.query.find_node`; and, through :meth:`Index.memo`, results computed on first use (the
frozen co-author graph, communities, centralities).

>>> from kg.query import toy_graph
>>> G = toy_graph()
>>> idx = index(G)
>>> idx is index(G), sorted(idx.co["author:ann-lee"]), "kg.query" in G.__networkx_cache__
(True, ['author:bo-chen'], True)
>>> clear_cache(G); "kg.query" in G.__networkx_cache__
False
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator
from typing import Any

import networkx as nx

from ..graph import coauthor_pairs
from ..model import AUTHOR, AUTHORED, BENCHMARK, METHOD, PAPER, PROPOSES, USES, author_key, entity_key, title_key

__all__ = ["Index", "index", "clear_cache", "coauthor_rows", "CACHE_KEY"]

CACHE_KEY = "kg.query"
ENTITY_TYPES = (METHOD, BENCHMARK)

_NONWORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")


def ekey(name: str) -> str:
    """:func:`kg.model.entity_key` (letters and digits only, accents stripped, case-folded:
    ``"Xue-Liu"`` → ``"xueliu"``), with a fast path for ASCII names (same result).

    >>> ekey("LLaMA-2"), ekey("Kianté")
    ('llama2', 'kiante')
    """
    return _NONWORD.sub("", name.lower()) if name.isascii() else entity_key(name)


def tkey(title: str) -> str:
    """:func:`kg.model.title_key`, with a fast path for ASCII titles (same result).

    >>> tkey("Scaling  Llama-2!")
    'scaling llama 2'
    """
    return " ".join(_WORD.findall(title.lower())) if title.isascii() else title_key(title)


def sorted_tokens(name: str) -> str:
    """The words of a name, accents stripped, case-folded and sorted (word order ignored).

    >>> sorted_tokens("Liu, Xue") == sorted_tokens("xue liu")
    True
    """
    if name.isascii():
        return " ".join(sorted(_NONWORD.split(name.lower()))).strip()
    n = unicodedata.normalize("NFKD", name)
    n = "".join(c for c in n if not unicodedata.combining(c)).casefold()
    return " ".join(sorted(re.findall(r"[^\W_]+", n)))


def node_keys(n: str, d: dict) -> tuple[str, str, list[str], list[str]] | None:
    """The name keys of node *n* (attributes *d*) in the query index's tables: ``(type, name,
    exact keys, loose keys)``, or None for a node no name lookup finds. The one definition,
    used by :class:`Index` and by :mod:`kg.store` (which writes the tables row by row).

    >>> node_keys("author:ann-lee", {"type": "author", "name": "Ann Lee"})[2]
    ['a:ann lee']
    """
    t = d.get("type")
    if t == AUTHOR:
        name = d.get("name") or d.get("label") or n
        exact = ["a:" + author_key(name)] + (["a:" + d["key"]] if d.get("key") else [])
        return t, name, exact, ["a:" + ekey(name), "s:" + sorted_tokens(name)]
    if t in ENTITY_TYPES:
        name = d.get("name") or d.get("label") or n
        exact = ["e:" + ekey(name)] + (["e:" + d["key"]] if d.get("key") else [])
        return t, name, exact, ["e:" + ekey(al) for al in d.get("aliases") or ()]
    if t == PAPER:
        return t, d.get("title") or d.get("label") or n, [], []
    return None


class Index:
    """Everything derived from one graph that the queries need (see the module docstring).
    Read-only for its users; derived results go through :meth:`memo`."""

    def __init__(self, G: nx.DiGraph):
        self.n_nodes = len(G)
        self.papers: list[str] = sorted(n for n, t in G.nodes(data="type") if t == PAPER)
        self.authors: list[str] = sorted(n for n, t in G.nodes(data="type") if t == AUTHOR)
        self.authors_of: dict[str, list[str]] = {}
        self.ents_of: dict[str, list[tuple[str, str]]] = {}
        papers_of: dict[str, list[str]] = defaultdict(list)
        ent_papers: dict[str, dict[str, str]] = defaultdict(dict)
        for p in self.papers:
            auth, ents = [], []
            for v, e in G._succ[p].items():
                t = e.get("type")
                if t == AUTHORED:
                    auth.append((e.get("position", 0), v))
                elif t in (PROPOSES, USES):
                    ents.append((v, t))
            alist = list(dict.fromkeys(v for _, v in sorted(auth)))
            self.authors_of[p] = alist
            self.ents_of[p] = sorted(ents)
            for a in alist:
                papers_of[a].append(p)
            for v, t in ents:
                ent_papers[v][p] = t
        self.papers_of = dict(papers_of)
        self.ent_papers = dict(ent_papers)
        co: dict[str, dict[str, list[str]]] = {a: {} for a in self.authors}
        for (a, b), ps in coauthor_pairs(G).items():
            co.setdefault(a, {})[b] = co.setdefault(b, {})[a] = ps
        # author -> co-author -> joint papers; co-authors in the order of their first joint paper
        # (by id), then author position: a canonical order (not the order papers were added in)
        # that the shortest paths and the co-author graph follow
        def first(item: tuple[str, list[str]]) -> tuple[str, int]:
            p = min(item[1])
            return p, self.authors_of[p].index(item[0])

        self.co = {a: dict(sorted(nb.items(), key=first)) for a, nb in co.items()}
        self._lookup_tables(G)
        self._title_keys: list[tuple[str, str]] | None = None
        self._title_index: dict[str, set[str]] = {}
        self._memo: dict[Hashable, Any] = {}

    def _lookup_tables(self, G: nx.DiGraph) -> None:
        """Name tables of :func:`kg.query.find_node`: key -> node ids, by tier."""
        self.exact: dict[str, set[str]] = defaultdict(set)   # "a:"/"e:" + key
        self.loose: dict[str, set[str]] = defaultdict(set)   # "a:"/"e:"/"s:" + key
        self.labels: dict[str, list[tuple[str, str]]] = defaultdict(list)  # type -> (name, id)
        for n, d in G.nodes(data=True):
            keys = node_keys(n, d)
            if keys is None:
                continue
            t, name, exact, loose = keys
            for k in exact:
                self.exact[k].add(n)
            for k in loose:
                self.loose[k].add(n)
            self.labels[t].append((name, n))

    def title_keys(self, G: nx.DiGraph) -> list[tuple[str, str]]:
        """(title key, paper) for every paper, built on the first title lookup."""
        if self._title_keys is None:
            self._title_keys = [(tkey(G.nodes[p].get("title") or G.nodes[p].get("label") or p), p)
                                for p in self.papers]
            for k, p in self._title_keys:
                self._title_index.setdefault(k, set()).add(p)
        return self._title_keys

    def titled(self, G: nx.DiGraph, key: str) -> set[str]:
        """The papers whose title key is *key*."""
        self.title_keys(G)
        return self._title_index.get(key, set())

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, computed once per index under *key* (dropped with the index)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def coauthor_rows(G: nx.DiGraph) -> Iterator[tuple[str, str, int]]:
    """The edges of :func:`kg.query.coauthor_graph` in the order it adds them (authors sorted,
    co-authors in the index's canonical order: by first joint paper, then position in it), so
    that :func:`coauthor_graph` rebuilds the same graph, adjacency order included. Computed one
    author at a time (the same rows as from :class:`Index`, without holding
    the whole projection).

    >>> from kg.query import toy_graph
    >>> G = toy_graph(); idx = Index(G)
    >>> list(coauthor_rows(G)) == [(a, b, len(ps)) for a in idx.authors
    ...                             for b, ps in idx.co[a].items() if a < b]
    True
    """
    authors_of: dict[str, list[str]] = {}

    def authors(p: str) -> list[str]:  # as Index.authors_of: by position, each author once
        if p not in authors_of:
            auth = sorted((e.get("position", 0), v) for v, e in G._succ[p].items() if e.get("type") == AUTHORED)
            authors_of[p] = list(dict.fromkeys(v for _, v in auth))
        return authors_of[p]

    for a in sorted(n for n, t in G.nodes(data="type") if t == AUTHOR):
        joint: dict[str, list] = {}  # co-author -> [joint papers, first joint paper]
        for p, e in G._pred[a].items():
            if e.get("type") != AUTHORED or G.nodes[p].get("type") != PAPER:
                continue
            for b in authors(p):
                if b != a:
                    j = joint.setdefault(b, [0, p])
                    j[0] += 1
                    j[1] = min(j[1], p)
        order = sorted(joint, key=lambda b: (joint[b][1], authors(joint[b][1]).index(b)))
        for b in order:
            if a < b:
                yield a, b, joint[b][0]
        if len(authors_of) > 100_000:  # a cache, not a second copy of the graph
            authors_of.clear()


def index(G: nx.DiGraph) -> Index:
    """The index of *G*, from the cache or built (and cached) now."""
    cache = getattr(G, "__networkx_cache__", None)
    if cache is None:  # pragma: no cover - graphs without NetworkX's cache attribute
        return Index(G)
    idx = cache.get(CACHE_KEY)
    if idx is None or idx.n_nodes != len(G):
        idx = cache[CACHE_KEY] = Index(G)
    return idx


def clear_cache(G: nx.DiGraph) -> None:
    """Drop what :mod:`kg.query` cached for *G* (needed only after changing node or edge
    attributes in place; structural changes through NetworkX drop it already)."""
    cache = getattr(G, "__networkx_cache__", None)
    if cache is not None:
        cache.pop(CACHE_KEY, None)
