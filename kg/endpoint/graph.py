"""The part of the graph a question needs, read from a SPARQL endpoint holding the RDF export:
names resolved to nodes, the papers around them with their author / proposes / uses edges and
the nodes those reach, as a small :class:`networkx.DiGraph` on which the ordinary
:mod:`kg.query` functions give the same rows as on the whole graph (the same idea as
:func:`kg.store.local_graph`, over SPARQL instead of SQLite).

Triple patterns relied on (the export's vocabulary, ``docs/rdf.md``): node classes
``schema:ScholarlyArticle`` / ``schema:Person`` / ``kg:Method`` / ``kg:Benchmark``; node ids
``dcterms:identifier``; ``schema:name`` (titles and names), ``rdfs:label``, ``kg:key``,
``schema:alternateName`` (aliases), ``schema:datePublished`` (year), ``schema:isPartOf`` /
``schema:name`` (venue), ``kg:orcid`` / ``kg:openalex`` / ``kg:s2``, ``kg:extraAttributes``
(JSON); edges ``paper schema:author person``, ``paper kg:authorship entry`` with
``entry kg:author person ; kg:position i`` (1-based), ``paper kg:proposes|kg:uses entity``.
Data IRIs are never built: nodes are found by their ``dcterms:identifier``, so any ``--base``
works. The triples are read from the default graph (load ``graph.nt`` there, or serve N-Quads
with the store's union default graph); every query is ``DISTINCT``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

import networkx as nx

from ..model import AUTHOR, AUTHORED, BENCHMARK, METHOD, NODE_TYPES, PAPER, author_key, entity_key
from ..query._index import ENTITY_TYPES, sorted_tokens, tkey
from ..query.exceptions import AmbiguousName, NameNotFound
from ..query.lookup import entities_like, find_node, suggestions
from .client import Endpoint, literal, values

__all__ = ["CLASSES", "Reader", "local_graph", "resolve"]

#: node type -> the class the export types it with
CLASSES = {PAPER: "schema:ScholarlyArticle", AUTHOR: "schema:Person", METHOD: "kg:Method",
           BENCHMARK: "kg:Benchmark"}
_CLASS_TYPE = {"http://schema.org/ScholarlyArticle": PAPER, "http://schema.org/Person": AUTHOR,
               "https://w3id.org/kg-papers/ontology#Method": METHOD,
               "https://w3id.org/kg-papers/ontology#Benchmark": BENCHMARK}
_ATTR = {"http://purl.org/dc/terms/identifier": "id", "http://schema.org/name": "name",
         "http://www.w3.org/2000/01/rdf-schema#label": "label",
         "https://w3id.org/kg-papers/ontology#key": "key", "http://schema.org/datePublished": "year",
         "http://schema.org/isPartOf": "venue", "https://w3id.org/kg-papers/ontology#orcid": "orcid",
         "https://w3id.org/kg-papers/ontology#openalex": "openalex",
         "https://w3id.org/kg-papers/ontology#s2": "s2"}
_ALIAS = "http://schema.org/alternateName"
_EXTRA = "https://w3id.org/kg-papers/ontology#extraAttributes"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_INT_TYPES = ("http://www.w3.org/2001/XMLSchema#gYear", "http://www.w3.org/2001/XMLSchema#integer")
CHUNK = 400  # IRIs per VALUES block


def _chunks(items: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(items))
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


class Reader:
    """Node attributes and paper edges read from an endpoint, cached by IRI."""

    def __init__(self, ep: Endpoint):
        self.ep = ep
        self.nodes: dict[str, dict] = {}   # IRI -> attributes (with "id")
        self.edges: dict[str, list[tuple[str, str, int | None]]] = {}  # paper IRI -> (type, IRI, position)
        self.ids: dict[str, str] = {}      # IRI -> node id, of nodes seen without their attributes
        self.resolved: dict[tuple, str] = {}  # (name, types) -> IRI

    @classmethod
    def of(cls, ep: Endpoint | str) -> Reader:
        """The reader of an endpoint (one per :class:`Endpoint`: what it read is kept)."""
        ep = ep if isinstance(ep, Endpoint) else Endpoint(ep)
        if getattr(ep, "_reader", None) is None:
            ep._reader = cls(ep)
        return ep._reader

    def fetch_nodes(self, iris: Iterable[str]) -> None:
        """Read the attributes of the nodes *iris* not read yet."""
        todo = [s for s in iris if s not in self.nodes]
        for chunk in _chunks(todo):
            found: dict[str, dict] = {s: {} for s in chunk}
            rows = self.ep.select(f"""SELECT DISTINCT ?s ?p ?o ?dt WHERE {{ {values("s", chunk)}
  {{ ?s ?p ?o FILTER(?p IN (rdf:type, dcterms:identifier, schema:name, rdfs:label, kg:key,
       schema:datePublished, schema:alternateName, kg:orcid, kg:openalex, kg:s2, kg:extraAttributes)) }}
  UNION {{ ?s schema:isPartOf ?v . ?v schema:name ?o BIND(schema:isPartOf AS ?p) }} }}""")
            for r in rows:
                d, p, o = found[r["s"].value], r["p"].value, r["o"]
                if p == _TYPE:
                    if o.value in _CLASS_TYPE:
                        d["type"] = _CLASS_TYPE[o.value]
                elif p == _ALIAS:
                    d.setdefault("aliases", []).append(o.value)
                elif p == _EXTRA:
                    try:
                        d.setdefault("_extra", {}).update(json.loads(o.value))
                    except ValueError:
                        pass
                elif p in _ATTR:
                    key = _ATTR[p]
                    if key == "name" and d.get("type") == PAPER:
                        key = "title"
                    v = o.value
                    if key == "year" and o.datatype in _INT_TYPES and re.fullmatch(r"-?[0-9]+", v):
                        v = int(v)
                    d[key] = v
            for s, d in found.items():
                if d.get("type") == PAPER and "name" in d:  # the type came after the name
                    d["title"] = d.pop("name")
                if d.get("type") in (METHOD, BENCHMARK):
                    d["aliases"] = sorted(set(d.get("aliases", ())))
                d.update(d.pop("_extra", {}))
                if "id" in d and "type" in d:
                    self.nodes[s] = d

    def fetch_edges(self, papers: Iterable[str]) -> None:
        """Read the author, proposes and uses edges of the papers not read yet."""
        todo = [p for p in papers if p not in self.edges]
        for chunk in _chunks(todo):
            for p in chunk:
                self.edges[p] = []
            rows = self.ep.select(f"""SELECT DISTINCT ?p ?r ?x ?i WHERE {{ {values("p", chunk)}
  {{ ?p kg:authorship ?e . ?e kg:author ?x ; kg:position ?i BIND("author" AS ?r) }}
  UNION {{ ?p kg:proposes ?x BIND("proposes" AS ?r) }} UNION {{ ?p kg:uses ?x BIND("uses" AS ?r) }} }}""")
            for r in rows:
                pos = int(r["i"].value) - 1 if "i" in r else None
                self.edges[r["p"].value].append((r["r"].value, r["x"].value, pos))

    def papers_of(self, iris: Iterable[str]) -> set[str]:
        """The papers with an edge to any of the (non-paper) nodes *iris*."""
        out: set[str] = set()
        for chunk in _chunks(iris):
            out |= {r["p"].value for r in self.ep.select(
                f"SELECT DISTINCT ?p WHERE {{ {values('s', chunk)} ?p schema:author|kg:proposes|kg:uses ?s }}")}
        return out

    def graph(self, nodes: Iterable[str], papers: Iterable[str]) -> nx.DiGraph:
        """The DiGraph of *nodes* (IRIs read) with the edges of *papers*, in id order."""
        nodes = set(nodes)
        self.fetch_nodes(nodes)
        G = nx.DiGraph()
        G.add_nodes_from(sorted(((d["id"], {k: v for k, v in d.items() if k != "id"})
                                 for s, d in self.nodes.items() if s in nodes), key=lambda x: x[0]))
        edges = []
        for p in papers:
            if p not in self.nodes:
                continue
            for kind, x, pos in self.edges.get(p, ()):
                if x in nodes and x in self.nodes:
                    attrs = {"type": AUTHORED, "position": pos} if kind == "author" else {"type": kind}
                    edges.append((self.nodes[p]["id"], self.nodes[x]["id"], attrs))
        G.add_edges_from(sorted(edges, key=lambda e: (e[0], e[1])))
        return G


# --------------------------------------------------------------------------- names
def _letters(key: str) -> list[str]:
    """Regex pieces for the characters of a folded key: an ASCII letter or digit matches itself
    (any case) or a non-ASCII character (an accented letter folds to it); anything else, any
    non-ASCII run."""
    return [c if c.isascii() and c.isalnum() else "[^ -~]+" for c in key] if key else []


def _name_filter(var: str, name: str, types: tuple[str, ...], words: bool = True) -> str:
    """A SPARQL filter on *var* that every name of *types* :func:`kg.query.find_node` could
    match *name* with passes (a superset, for names whose letters case-fold one to one): for
    authors, methods and benchmarks the letters of its entity key in order, separated by
    anything but ASCII letters/digits; with *words*, names containing every word of its folded
    forms (authors: any word order; papers: title words and fragments)."""
    ek = _letters(entity_key(name))
    tests = []
    if ek and {AUTHOR, METHOD, BENCHMARK} & set(types):
        sep = "[^a-zA-Z0-9]*"
        tests.append(f'REGEX({var}, {literal("^" + sep + sep.join(f"({c}|[^ -~]+)" for c in ek) + sep + "$")}, "i")')
    word_sets = {frozenset(sorted_tokens(name).split()) if AUTHOR in types else frozenset(),
                 frozenset(tkey(name).split()) if PAPER in types else frozenset()} if words else set()
    for ws in sorted(map(sorted, word_sets - {frozenset()})):
        tests.append("(" + " && ".join(f'REGEX({var}, {literal("".join(f"({c}|[^ -~]+)" for c in _letters(w)))}, "i")'
                                      for w in ws) + ")")
    return " || ".join(tests) or "false"


def _types(types) -> tuple[str, ...]:
    wanted = NODE_TYPES if types is None else ({types} if isinstance(types, str) else set(types))
    return tuple(t for t in NODE_TYPES if t in wanted)


def candidates(reader: Reader, name: str, types) -> set[str]:
    """IRIs of every node of *types* that :func:`kg.query.find_node` could return for *name*."""
    types = _types(types) or NODE_TYPES
    name = name.strip()
    forms = {name}
    head, sep, rest = name.partition(":")
    if sep and head.strip().lower() in NODE_TYPES and rest.strip():
        forms.add(rest.strip())
    parts = []
    for f in sorted(forms):
        keys = {author_key(f), entity_key(f)} - {""}
        parts.append(f"{{ ?s dcterms:identifier {literal(f)} }}")
        parts += [f"{{ ?s kg:key {literal(k)} }}" for k in sorted(keys)]
        parts.append(f"{{ ?s schema:name ?n FILTER({_name_filter('?n', f, types)}) }}")
        if {METHOD, BENCHMARK} & set(types):
            parts.append(f"{{ ?s schema:alternateName ?n FILTER({_name_filter('?n', f, types, False)}) }}")
    # the types are checked on the nodes read (a join with rdf:type here makes stores slow)
    return {r["s"].value for r in reader.ep.select(f"SELECT DISTINCT ?s WHERE {{ {' UNION '.join(parts)} }}")}


def resolve(reader: Reader, name: str, types=None) -> str:
    """The IRI of the node :func:`kg.query.find_node` gives for *name* on the whole graph; its
    errors (:class:`~kg.query.NameNotFound`, :class:`~kg.query.AmbiguousName`) otherwise, the
    closest names suggested among the nodes the store matched."""
    if not isinstance(name, str) or not name.strip():
        find_node(nx.DiGraph(), name, types)  # the usual error
    key = (name, types if types is None or isinstance(types, str) else tuple(types))
    if key not in reader.resolved:
        reader.resolved[key] = _resolve(reader, name, types)
        reader.fetch_nodes([reader.resolved[key]])
    return reader.resolved[key]


def _resolve(reader: Reader, name: str, types) -> str:
    wanted = ", ".join(CLASSES[t] for t in _types(types) or NODE_TYPES)
    by_id = reader.ep.select(f"SELECT DISTINCT ?s WHERE {{ ?s dcterms:identifier {literal(name.strip())} ; "
                             f"a ?c FILTER(?c IN ({wanted})) }}")
    if len(by_id) == 1:  # a node id: find_node's first test
        return by_id[0]["s"].value
    cands = candidates(reader, name, types)
    G = reader.graph(cands, ())
    try:
        found = find_node(G, name, types)
    except AmbiguousName:  # raised again, with the candidates' paper counts in its message
        find_node(_with_papers(reader, cands), name, types)
        raise
    except NameNotFound:  # raised again, with the closest names of the whole store
        find_node(_with_papers(reader, cands | _closest(reader, name, types)), name, types)
        raise
    return next(s for s, d in reader.nodes.items() if d["id"] == found)


def _with_papers(reader: Reader, nodes: set[str]) -> nx.DiGraph:
    """The graph of *nodes* and their papers (for the paper counts error messages give)."""
    papers = reader.papers_of(nodes)
    reader.fetch_edges(papers)
    return reader.graph(nodes | papers, papers)


def _closest(reader: Reader, name: str, types) -> set[str]:
    """IRIs of the nodes :func:`kg.query.suggestions` gives on the whole graph: every name of
    the wanted types is read (only when a name is not found)."""
    types = _types(types) or NODE_TYPES
    rows = reader.ep.select(f"""SELECT DISTINCT ?s ?id ?c ?n ?l WHERE {{ ?s a ?c FILTER(?c IN ({", ".join(CLASSES[t] for t in types)}))
  ?s dcterms:identifier ?id OPTIONAL {{ ?s schema:name ?n }} OPTIONAL {{ ?s rdfs:label ?l }} }}""")
    G, iri_of = nx.DiGraph(), {}
    for r in rows:
        t = _CLASS_TYPE[r["c"].value]
        d = {"type": t, **({"title" if t == PAPER else "name": r["n"].value} if "n" in r else {}),
             **({"label": r["l"].value} if "l" in r else {})}
        G.add_node(r["id"].value, **d)
        iri_of[r["id"].value] = r["s"].value
    return {iri_of[n] for n in suggestions(G, name, types)}


def like(reader: Reader, fragment: str) -> set[str]:
    """IRIs of the methods/benchmarks :func:`kg.query.entities_like` gives for *fragment*."""
    ek = _letters(entity_key(fragment or ""))
    pattern = "[^a-zA-Z0-9]*".join(f"({c}|[^ -~]+)" for c in ek) or "^$"
    rows = reader.ep.select(f"""SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(?c IN (kg:Method, kg:Benchmark))
  {{ ?s schema:name ?n }} UNION {{ ?s schema:alternateName ?n }} FILTER(REGEX(?n, {literal(pattern)}, "i")) }}""")
    cands = {r["s"].value for r in rows}
    G = reader.graph(cands, ())
    try:
        ids = set(entities_like(G, fragment))
    except NameNotFound:  # raised again, with the closest names of the whole store
        entities_like(_with_papers(reader, cands | _closest(reader, fragment, ENTITY_TYPES)), fragment)
        raise
    return {s for s in cands if s in reader.nodes and reader.nodes[s]["id"] in ids}


# --------------------------------------------------------------------------- local graphs
def local_graph(ep: Endpoint | str, names: Sequence[tuple[str, object]], hops: int = 1,
                follow: Iterable[str] = (AUTHOR,), like_fragment: str | None = None) -> nx.DiGraph:
    """The part of the graph a question about *names* (``(name, types)`` pairs as given to
    :func:`kg.query.find_node`) needs, as :func:`kg.store.local_graph`: each named node, and
    *hops* times the papers linked to the nodes so far with all their edges and the nodes they
    reach (the next hop starts from the reached nodes whose type is in *follow*). With
    *like_fragment*, the seeds are every method/benchmark :func:`kg.query.entities_like` finds."""
    reader = Reader.of(ep)
    seeds = {resolve(reader, n, t) for n, t in names}
    if like_fragment is not None:
        seeds |= like(reader, like_fragment)
    return _grow(reader, seeds, hops, set(follow))


def _grow(reader: Reader, seeds: set[str], hops: int, follow: set[str]) -> nx.DiGraph:
    reader.fetch_nodes(seeds)
    nodes, papers, frontier = set(seeds), set(), set(seeds)
    for _ in range(hops):
        ps = {s for s in frontier if reader.nodes[s]["type"] == PAPER}
        ps |= reader.papers_of(s for s in frontier if reader.nodes[s]["type"] != PAPER)
        reader.fetch_edges(ps)
        reached = {x for p in ps for _, x, _ in reader.edges[p]}
        papers |= ps
        reader.fetch_nodes(reached - nodes)
        frontier = {s for s in reached - nodes if s in reader.nodes and reader.nodes[s]["type"] in follow}
        nodes |= ps | reached
        if not frontier:
            break
    return reader.graph(nodes, papers)
