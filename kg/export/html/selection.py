"""Which part of the graph the HTML page draws: :func:`select` returns a :class:`Selection`.

Bad arguments raise :class:`SelectionError`, a :class:`~kg.model.KGError` whose message names
the parameters of :func:`select`; a front end renames them (``kg export html`` names its flags).

>>> import kg
>>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
>>> select(G, max_nodes=3).graph.number_of_nodes()
3
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import networkx as nx

from ...graph import coauthor_pairs
from ...model import AUTHOR, BENCHMARK, METHOD, NODE_TYPES, PAPER, KGError, ParameterError

COAUTHOR = "coauthor"  # derived author–author edge, drawn only when papers are not shown
PARAMETERS = ("max_nodes", "focus", "radius", "types", "view")


class SelectionError(ParameterError):
    """A bad argument of :func:`select` (a :class:`~kg.model.ParameterError`): the template's
    ``{max_nodes}``, ``{focus}``, ``{radius}``, ``{types}`` and ``{view}`` fields are the
    parameter names; :meth:`renamed` gives the same error with other names for them.

    >>> e = SelectionError("{radius} needs {focus}")
    >>> str(e), str(e.renamed({"radius": "--radius", "focus": "--focus NAME"}))
    ('radius needs focus', '--radius needs --focus NAME')
    """

    params = PARAMETERS


SelectionError.__module__ = "kg.export.html"  # shown (and pickled) under the public path


@dataclass
class Selection:
    """The part of a graph that is drawn, and what was left out of it."""

    graph: nx.DiGraph
    candidates: int  # nodes that matched types / focus before max_nodes
    left_out: int  # of those, nodes dropped by max_nodes
    focus: str | None = None
    radius: int | None = None
    types: tuple[str, ...] = NODE_TYPES
    notes: list[str] = field(default_factory=list)
    view: str = "full"  # see kg.export.html.views
    source: nx.DiGraph | None = None  # the view's whole graph (before focus and max_nodes)


def parse_types(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Node types from ``"author,paper"`` (or a list), in model order; all types for None.

    >>> parse_types("author, paper")
    ('paper', 'author')
    >>> parse_types("people")
    Traceback (most recent call last):
    ...
    kg.export.html.SelectionError: unknown node type 'people' in types (choose from paper, author, method, benchmark)
    """
    if value is None:
        return NODE_TYPES
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = set()
    for item in items:
        t = item.strip().lower()
        if not t:
            continue
        t = {"papers": PAPER, "authors": AUTHOR, "methods": METHOD, "benchmarks": BENCHMARK}.get(t, t)
        if t not in NODE_TYPES:
            raise SelectionError("unknown node type {item!r} in {types} (choose from {choices})",
                                 item=item.strip(), choices=", ".join(NODE_TYPES))
        wanted.add(t)
    if not wanted:
        raise SelectionError("{types} is empty (choose from {choices})", choices=", ".join(NODE_TYPES))
    return tuple(t for t in NODE_TYPES if t in wanted)


def _find_node(G: nx.DiGraph, name: str) -> str:
    """Resolve a user-given name with :func:`kg.query.find_node`, so that an unknown or
    ambiguous name gives the same message as the queries."""
    from ...query import find_node

    return find_node(G, name)


def _check(max_nodes: int | None, focus: str | None, radius: int | None) -> None:
    if max_nodes is not None and max_nodes < 0:
        raise SelectionError("{max_nodes} must be 0 (no limit) or more, not {n}", n=max_nodes)
    if radius is not None and radius < 0:
        raise SelectionError("{radius} must be 0 or more, not {n}", n=radius)
    if radius is not None and focus is None:
        raise SelectionError("{radius} needs {focus}")


def linked_top(H: nx.DiGraph, ranked: Iterable, n: int, keep=None, key=None) -> list:
    """Up to *n* nodes of *H* taken in the order of *ranked* (best first), each with a
    neighbour (either direction) among those taken: a node is taken when one of its
    neighbours already is, or else together with its best-ranked neighbour (when two fit); a
    node without neighbours is never taken. *keep* (the focus) is taken first in any case.
    *key*, when given, is the order of *ranked* (which then holds every node of *H* and may be
    an iterator read only as far as needed); else the positions in the list *ranked* are.

    >>> H = nx.DiGraph([("a", "b"), ("c", "d"), ("a", "e")]); H.add_node("z")
    >>> linked_top(H, ["a", "z", "c", "b", "d", "e"], 3)
    ['a', 'b', 'e']
    >>> linked_top(H, ["c", "a", "z", "b", "d", "e"], 3)  # a and a neighbour do not fit
    ['c', 'd']
    >>> linked_top(H, iter("abcdez"), 3, key=str)
    ['a', 'b', 'e']
    """
    succ = H._adj  # neighbours either way, read per node (an undirected view of a big graph
    pred = getattr(H, "_pred", succ)  # costs a passing copy-sized allocation in NetworkX)
    if key is None:
        rank = {v: i for i, v in enumerate(ranked)}
        key, ranked, inside = rank.__getitem__, list(rank), rank.__contains__
    else:
        inside = H.__contains__
    out = [keep] if keep is not None else []
    taken = set(out)
    for v in ranked:
        if len(out) >= n:
            break
        if v in taken:
            continue
        near = [u for u in succ[v].keys() | pred[v].keys() if u != v and inside(u)]
        if any(u in taken for u in near):
            out.append(v)
            taken.add(v)
        elif near and len(out) + 2 <= n:
            best = min(near, key=key)
            out += [v, best]
            taken |= {v, best}
    return out


def sorted_lazily(nodes: Iterable, key, first: int) -> Iterator:
    """The sorted *nodes* (by *key*), without sorting them all: the first *first* of them,
    then (only if read) the next ones *first* × 4, × 16, … at a time, so that what is held is
    about what was read (a page's selection usually stops early).

    >>> list(sorted_lazily("dbcae", str, 2))
    ['a', 'b', 'c', 'd', 'e']
    """
    nodes = nodes if isinstance(nodes, (list, tuple, nx.Graph)) else list(nodes)
    done, k = 0, max(1, first)
    while True:
        top = heapq.nsmallest(k, nodes, key=key)
        yield from top[done:]
        if len(top) < k:
            return
        done, k = k, 4 * k
        del top


def select(G: nx.DiGraph, max_nodes: int | None = None, focus: str | None = None,
           radius: int | None = None, types: str | Iterable[str] | None = None,
           view: str | None = None) -> Selection:
    """The subgraph to draw: nodes of *types*, within *radius* (default 1) steps of *focus*
    (either edge direction), then the *max_nodes* most connected of them that each have a
    neighbour among those kept (:func:`linked_top`; the focus is kept).
    When authors are drawn without papers, co-authors are linked by derived ``coauthor`` edges.
    *view* (:data:`~kg.export.html.views.VIEWS`): ``coauthors`` is ``types="author"``;
    ``concepts`` selects from :func:`~kg.export.html.views.concept_graph` (methods and
    benchmarks linked by co-occurrence, the most mentioned first).

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> s = select(G, max_nodes=5)
    >>> s.graph.number_of_nodes(), s.left_out == s.candidates - 5, min(dict(s.graph.degree()).values()) > 0
    (5, True, True)
    >>> select(G, focus="Timothy Chan").graph.number_of_nodes()
    2
    >>> select(G, radius=2)
    Traceback (most recent call last):
    ...
    kg.export.html.SelectionError: radius needs focus
    """
    from .views import ENTITY_TYPES, check_view, concept_graph

    try:
        view = check_view(view)
    except KGError as exc:
        raise SelectionError("{view}: " + str(exc).replace("{", "{{").replace("}", "}}")) from None
    if view == "coauthors":
        types = (AUTHOR,)
    types_t = parse_types(types)
    _check(max_nodes, focus, radius)
    base = G
    if view == "concepts":
        base = concept_graph(G)
        types_t = tuple(t for t in types_t if t in ENTITY_TYPES) or ENTITY_TYPES
    keep = [n for n, t in base.nodes(data="type") if t in types_t]
    coauthor_edges = AUTHOR in types_t and PAPER not in types_t
    if len(keep) == len(base) and not coauthor_edges:  # nothing left out, nothing added: the
        H = base  # graph itself, not a copy of it (read only: the page never changes it)
    else:
        H = nx.DiGraph(base.subgraph(keep))
        H.graph.update(G.graph)
    notes = []
    if coauthor_edges:
        authors = {n for n, t in H.nodes(data="type") if t == AUTHOR}
        for (a, b), papers in sorted(coauthor_pairs(G, authors).items()):
            H.add_edge(a, b, type=COAUTHOR, papers=len(papers),
                       titles=sorted(G.nodes[p].get("title", p) for p in papers))
        notes.append("authors linked by shared papers")
    if view == "concepts":
        notes.append("methods and benchmarks linked by co-occurrence in papers")
    V = H
    focus_id = None
    if focus is not None:
        focus_id = _find_node(G, focus)
        ftype = G.nodes[focus_id].get("type")
        if ftype not in types_t or focus_id not in H:
            raise SelectionError("{focus} {name!r} is a {ftype}, which {types} leaves out",
                                 name=focus, ftype=ftype)
        radius = 1 if radius is None else radius
        near = nx.single_source_shortest_path_length(H.to_undirected(as_view=True), focus_id,
                                                     cutoff=radius)
        H = nx.DiGraph(H.subgraph(near))
    candidates = H.number_of_nodes()
    left_out = 0
    if max_nodes and candidates > max_nodes:
        nodes, succ, pred = H._node, H._succ, H._pred  # degree read per node, not tabled
        key = ((lambda n: (n != focus_id, -nodes[n].get("papers", 0), n)) if view == "concepts"
               else (lambda n: (n != focus_id, -len(succ[n]) - len(pred[n]), n)))
        ranked = sorted_lazily(H, key, 4 * max_nodes)
        H = nx.DiGraph(H.subgraph(linked_top(H, ranked, max_nodes, focus_id, key)))
        left_out = candidates - H.number_of_nodes()
    if H is not G:
        H.graph.update(G.graph)
    return Selection(H, candidates, left_out, focus_id, radius if focus_id else None, types_t, notes,
                     view, V)
