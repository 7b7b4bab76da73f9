"""Names to node ids: :func:`find_node` (forgiving), :func:`entities_like` (by fragment) and
:func:`suggestions` (the closest names, for "did you mean").

Case, spacing, full stops, hyphens and accents are folded; method/benchmark aliases are known
("EDT" finds "Efficient Diffusion Transformer" when a paper wrote it so); author names may be
given surname first, titles by a unique fragment. An unknown name raises
:class:`~kg.query.NameNotFound` with the closest matches, a name that fits several nodes
:class:`~kg.query.AmbiguousName` with the candidates.

>>> from kg.query import toy_graph
>>> G = toy_graph()
>>> find_node(G, "Chen, Bo"), suggestions(G, "Bo Chenn")
('author:bo-chen', ['author:bo-chen'])
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..model import AUTHOR, BENCHMARK, METHOD, NODE_TYPES, PAPER, author_key, entity_key, title_key
from ._format import node_name
from ._index import ENTITY_TYPES, Index, ekey, index, sorted_tokens
from .exceptions import AmbiguousName, BadArgument, NameNotFound

__all__ = ["find_node", "entities_like", "suggestions"]

_TYPE_WORDS = {PAPER: "paper", AUTHOR: "author", METHOD: "method", BENCHMARK: "benchmark"}


def _what(types: tuple[str, ...]) -> str:
    words = [_TYPE_WORDS[t] for t in types]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _describe(G, n: str) -> str:
    d = G.nodes[n]
    extra = ""
    if d.get("type") == PAPER and d.get("year"):
        extra = f", {d['year']}"
    elif d.get("type") == AUTHOR:
        k = len(index(G).papers_of.get(n, ()))
        extra = f", {k} paper{'s' if k != 1 else ''}"
    return f"{node_name(G, n)} ({d.get('type')}{extra})"


def _describe_twin(G, n: str) -> str:
    """:func:`_describe` for a node whose name another candidate shares: its id (which
    :func:`find_node` accepts) and its longest alias, e.g. an acronym's expansion."""
    d = G.nodes[n]
    longest = max(d.get("aliases") or [""], key=lambda a: (len(a.split()), len(a), a))
    aka = f", also {longest!r}" if longest and longest != node_name(G, n) else ""
    return f"{node_name(G, n)} ({n}{aka})"


def _node_types(types: Iterable[str] | str | None) -> tuple[str, ...]:
    if types is None:
        return NODE_TYPES
    wanted = {types} if isinstance(types, str) else set(types)
    out = tuple(t for t in NODE_TYPES if t in wanted)
    if not out:
        raise BadArgument("types", types if isinstance(types, str) else sorted(wanted), NODE_TYPES,
                          "choose node types among " + ", ".join(map(repr, NODE_TYPES)))
    return out


def _pick(G, name: str, cands: Iterable[str], want: set[str]) -> str | None:
    """The one candidate of a wanted type; None if none; :class:`AmbiguousName` if several."""
    cands = sorted(c for c in set(cands) if G.nodes[c].get("type") in want)
    if len(cands) <= 1:
        return cands[0] if cands else None
    kinds = {G.nodes[c]["type"] for c in cands}
    what = f"{_TYPE_WORDS[kinds.pop()]}s" if len(kinds) == 1 else "nodes"
    shown = sorted(cands, key=lambda c: node_name(G, c).casefold())
    more = f" (and {len(shown) - 10} more)" if len(shown) > 10 else ""
    described = [_describe(G, c) for c in shown[:10]]
    twins = {t for t in described if described.count(t) > 1}
    described = [t if t not in twins else _describe_twin(G, c)  # "ACS (method)" twice:
                 for t, c in zip(described, shown)]            # say which is which
    raise AmbiguousName(f"{name!r} matches {len(cands)} {what}: " + "; ".join(described) + more, cands)


def find_node(G: nx.DiGraph, name: str, types: Iterable[str] | str | None = None) -> str:
    """The node id named *name* among nodes of the given *types* (default: all).

    Tried in order, the first tier that matches decides: a node id (``"author:xue-liu"``);
    the exact normalised name (author key, entity key, title key); the loose name (authors
    without hyphens/spacing/accents, method/benchmark aliases); author names with their words in
    any order; a unique fragment of a paper title. A ``type:`` prefix (``"benchmark:ImageNet"``)
    restricts the types.

    >>> from kg.query import toy_graph
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
    >>> find_node(G, "EDT", types="dataset")
    Traceback (most recent call last):
    ...
    kg.query.BadArgument: types='dataset': choose node types among 'paper', 'author', 'method', 'benchmark'
    """
    types = _node_types(types)
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
    idx = index(G)
    want = set(types)
    ak, ek, tk = author_key(name), entity_key(name), title_key(name)
    tiers = [
        idx.exact.get("a:" + ak, set()) | idx.exact.get("e:" + ek, set())
        | (idx.titled(G, tk) if PAPER in want else set()),
        idx.loose.get("a:" + ekey(name), set()) | idx.loose.get("e:" + ek, set()),
        idx.loose.get("s:" + sorted_tokens(name), set()),
    ]
    for cands in tiers:
        found = _pick(G, name, cands, want)
        if found:
            return found
    if PAPER in want and len(tk) >= 4:
        found = _pick(G, name, (p for k, p in idx.title_keys(G) if tk in k), want)
        if found:
            return found
    raise NameNotFound(f"no {_what(types)} named {name!r}" + _suggest(G, idx, name, types),
                       suggestions=_closest(G, idx, name, types))


def find_author(G: nx.DiGraph, name: str) -> str:
    """:func:`find_node` among authors."""
    return find_node(G, name, (AUTHOR,))


def find_entity(G: nx.DiGraph, name: str, types=ENTITY_TYPES) -> str:
    """:func:`find_node` among methods and benchmarks (or *types*)."""
    return find_node(G, name, types)


def suggestions(G: nx.DiGraph, name: str, types: Iterable[str] | str | None = None,
                limit: int = 5) -> list[str]:
    """The node ids of *types* (default: all) whose names are closest to *name* (rapidfuzz
    WRatio, score >= 60), best first, at most *limit*: what :class:`NameNotFound` suggests.

    >>> from kg.query import toy_graph
    >>> suggestions(toy_graph(), "Transformr", "method")
    ['method:transformer', 'method:efficientdiffusiontransformer']
    """
    return _closest(G, index(G), name, _node_types(types), limit)


def _closest(G, idx: Index, name: str, types: tuple[str, ...], limit: int = 5) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    found: list[tuple[float, str]] = []
    for t in types:
        choices = idx.labels.get(t, [])
        if not choices:
            continue
        res = process.extract(name, [c for c, _ in choices], scorer=fuzz.WRatio,
                              processor=utils.default_process, limit=limit, score_cutoff=60)
        found.extend((score, choices[i][1]) for _, score, i in res)
    found.sort(key=lambda x: (-x[0], node_name(G, x[1])))
    return list(dict.fromkeys(n for _, n in found))[:limit]


def _suggest(G, idx: Index, name: str, types: tuple[str, ...]) -> str:
    close = _closest(G, idx, name, types)
    if not close:
        return "; no close match"
    return "; closest matches: " + "; ".join(_describe(G, n) for n in close)


def entities_like(G: nx.DiGraph, fragment: str, types=ENTITY_TYPES) -> list[str]:
    """Methods/benchmarks whose name or an alias contains *fragment* (compared on
    :func:`kg.model.entity_key`), by name; :class:`~kg.query.NameNotFound` if none.

    >>> from kg.query import toy_graph
    >>> entities_like(toy_graph(), "transformer")
    ['method:efficientdiffusiontransformer', 'method:transformer']
    """
    frag = ekey(fragment or "")
    if not frag:
        raise NameNotFound("an empty name matches nothing")
    types = (types,) if isinstance(types, str) else tuple(types)
    found = [n for n, d in G.nodes(data=True) if d.get("type") in types
             and any(frag in ekey(x) for x in [d.get("name") or "", *(d.get("aliases") or ())])]
    if not found:
        idx = index(G)
        raise NameNotFound(f"no {_what(types)} name contains {fragment!r}"
                           + _suggest(G, idx, fragment, types), _closest(G, idx, fragment, types))
    return sorted(found, key=lambda n: (node_name(G, n).casefold(), n))
