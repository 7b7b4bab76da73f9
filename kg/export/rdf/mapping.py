"""The graph as RDF statements: which node, edge and attribute becomes which triple (the table
is in ``docs/rdf.md`` and in the docstring of :mod:`kg.export.rdf`), as :mod:`~.terms` values.

:func:`iter_blocks` gives the statements one subject at a time, in a deterministic order; the
writers (:mod:`~.writers`) only put them into a syntax, and the reader (:mod:`~.reader`) uses
the same tables (:mod:`~.tables`) to rebuild the graph.

>>> from kg.graph import new_graph, add_records
>>> from kg.model import Record
>>> G = new_graph(); _ = add_records(G, [Record("T", ["Ann"], None, "a.txt")])
>>> [str(s) for s, _, _ in iter_blocks(G, "urn:x:")]
['urn:x:graph', 'urn:x:graph/papers', 'urn:x:graph/authors', 'urn:x:source/a.txt', 'urn:x:author/ann', 'urn:x:paper/t', 'urn:x:paper/t/author/1']
>>> next(iter_blocks(G, "urn:x:"))[1][0] == (TYPE, K.KnowledgeGraph)
True
"""
from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterator
from typing import Any

import networkx as nx

from ...model import AUTHOR, AUTHORED, BENCHMARK, METHOD, PAPER, identifier_iris, with_evidence
from ..vocab import DEFAULT_BASE, ONTOLOGY_IRI as KG_ONTOLOGY
from .tables import (AGENT, ALT_NAME, ARTICLE, ATTRIBUTED, AUTHOR_OF, AUTHORSHIP, CONFORMS, CREATED,
                     D_DATASET, DERIVED, EDGES_KEY, GRAPH_ATTRS, HANDLED, ID, ID_KEYS, IDENTIFIER,
                     IN_TERM_SET, LABEL, LICENSE, MENTION_ATTRS, MENTION_KEYS, NAME, NODE_ATTRS,
                     PAPER_DEFAULTS, PERSON, POSITIONS, R_OBJECT, R_PREDICATE, R_SUBJECT, ROLE_PRED,
                     SAME_AS, SERIES, TERM_SET, TYPE, TYPE_CLASSES, TYPE_PAIRS, V_CLASS, V_DATASET,
                     V_ENTITIES, V_PARTITION, VERSION, VOCABULARY, Block, K, Pair, to_json)
from .terms import (IRI, Literal, attribute_literal, check_base, confidence_literal, literal,
                    named_iri, node_path, safe_iri)


def _aliases(al: Any, pred: IRI, pairs: list[Pair], extras: dict) -> None:
    """Aliases as one ``(pred, alias)`` pair each when they are a sorted list of unique strings
    (the form kg writes); anything else is kept verbatim in *extras* for the round trip."""
    if not al and type(al) is list:
        return
    if isinstance(al, list) and all(isinstance(x, str) for x in al) and al == sorted(set(al)):
        pairs.extend((pred, Literal(x)) for x in al)
    else:
        extras["aliases"] = al


class _Export:
    """What the blocks of one export share: the IRIs of nodes, source listings and extractor."""

    def __init__(self, G: nx.DiGraph, base: str):
        self.nodes, self.adj, self.pred, meta = G._node, G._succ, G._pred, G.graph
        sources = meta.get("sources", [])
        self.sources_ok = (isinstance(sources, list) and all(isinstance(s, str) for s in sources)
                           and len(set(sources)) == len(sources))
        self.sources = sources if self.sources_ok else []
        self.src_pos = {s: i for i, s in enumerate(self.sources)}
        extra = sorted({s for d in self.nodes.values() if isinstance(d.get("sources"), list)
                        for s in d["sources"] if isinstance(s, str) and s not in self.src_pos})
        self.src_iri = {s: named_iri(base, "source", s) for s in [*self.sources, *extra]}
        version = meta.get("extractor_version")
        self.version = version if isinstance(version, str) else None
        self.agent = IRI(base + "extractor") if self.version else None  # stable: the version is a literal
        venues = {d["venue"] for d in self.nodes.values()
                  if d.get("type") == PAPER and type(d.get("venue")) is str}
        self.venue_iri = {v: named_iri(base, "venue", v) for v in sorted(venues)}
        self.shared = (IRI(base + "shared"),)  # the named graph of what all sources share
        self.base = base
        # node IRIs are made when a block needs them (a table over every node would be the
        # export's largest structure); the nodes many papers refer to are kept
        self.path = functools.lru_cache(maxsize=1 << 16)(node_path)  # relative: mention IRIs use it
        self.iri = functools.lru_cache(maxsize=1 << 16)(lambda n: IRI(base + self.path(n)))
        self.one = {s: (i,) for s, i in self.src_iri.items()}
        self.venue_home = self._venue_homes()

    def paper_graphs(self, d: dict) -> tuple[IRI, ...]:
        """The named graphs of a paper: one per source listing, else the shared graph."""
        srcs = d.get("sources")
        if type(srcs) is list and srcs and all(type(y) is str for y in srcs):
            return tuple(self.src_iri[y] for y in dict.fromkeys(srcs))
        return self.shared

    def _one_graph(self, d: dict) -> tuple[IRI, ...]:
        """The graph of a paper of one listing, else (several or none) the shared graph."""
        srcs = d.get("sources")
        if type(srcs) is list and len(srcs) == 1 and type(srcs[0]) is str:
            return self.one[srcs[0]]
        graphs = self.paper_graphs(d)
        return graphs if len(graphs) == 1 else self.shared

    def home(self, n: Any) -> tuple[IRI, ...]:
        """The named graph of a node papers refer to (author, method, benchmark): the graph of
        the one listing whose papers all refer to it, else (papers of several listings, or
        none) the shared graph, so that ``DROP GRAPH`` of one listing leaves nothing no paper
        refers to. Read from the node's predecessors when its block is written."""
        home = None
        for p in self.pred[n]:
            d = self.nodes[p]
            if d.get("type") != PAPER:
                continue
            one = self._one_graph(d)
            if one is self.shared:
                return one
            if home is None:
                home = one
            elif home != one:
                return self.shared
        return home or self.shared

    def _venue_homes(self) -> dict[str, tuple[IRI, ...]]:
        """The named graph of each venue name, as :meth:`home` for a node."""
        home: dict[str, tuple[IRI, ...]] = {}
        for d in self.nodes.values():
            if d.get("type") == PAPER and type(d.get("venue")) is str:
                one, v = self._one_graph(d), d["venue"]
                h = home.get(v)
                if h is None:
                    home[v] = one
                elif h is not self.shared and h != one:
                    home[v] = self.shared
        return home


def iter_blocks(G: nx.DiGraph, base: str = DEFAULT_BASE) -> Iterator[Block]:
    """The statements of *G*, one block per subject: ``(subject, [(predicate, object), ...],
    named_graphs)`` as :mod:`~.terms` values, in a deterministic order (graph metadata, source
    listings, extractor, then the nodes sorted by id, each paper followed by its authorship
    entries and mentions). ``named_graphs`` are the IRIs of the source listings of the paper a
    block belongs to (empty: default graph).

    >>> from kg.graph import new_graph
    >>> [s for s, _, _ in iter_blocks(new_graph())]
    [IRI('https://example.org/kg/graph')]
    """
    x = _Export(G, check_base(base))
    sh = x.shared
    yield from _graph_blocks(x, G)
    for s, term in x.src_iri.items():
        pairs = [(TYPE, K.SourceListing), (LABEL, Literal(s)), (NAME, Literal(s))]
        if s in x.src_pos:
            pairs.append((K.position, literal(x.src_pos[s] + 1)))
        yield term, pairs, sh
    if x.agent:
        yield x.agent, [(TYPE, AGENT), (LABEL, Literal("kg extractor")),
                        (VERSION, Literal(x.version))], sh
    for v, term in x.venue_iri.items():
        yield term, [(TYPE, K.Venue), (TYPE, SERIES), (NAME, Literal(v))], x.venue_home.get(v, sh)
    if any(d.get("type") == METHOD for d in x.nodes.values()):
        yield IRI(x.base + "methods"), [(TYPE, TERM_SET), (NAME, Literal("methods"))], sh
    for n in sorted(x.nodes, key=str):
        yield from _node_blocks(x, n)


def created_time() -> Literal | None:
    """``dcterms:created`` of the export: ``SOURCE_DATE_EPOCH`` (seconds, the reproducible-builds
    convention) as an ``xsd:dateTime``; None when it is not set, so that the same graph always
    gives the same bytes.

    >>> os.environ["SOURCE_DATE_EPOCH"] = "1700000000"; created_time()
    Literal('2023-11-14T22:13:20Z', IRI('http://www.w3.org/2001/XMLSchema#dateTime'))
    >>> del os.environ["SOURCE_DATE_EPOCH"]; created_time() is None
    True
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not re.fullmatch(r"[0-9]{1,12}", epoch):
        return None
    return Literal(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch))),
                   IRI("http://www.w3.org/2001/XMLSchema#dateTime"))


_PARTITIONS = ((PAPER, ARTICLE), (AUTHOR, PERSON), (METHOD, K.Method), (BENCHMARK, K.Benchmark))


def _graph_blocks(x: _Export, G: nx.DiGraph) -> Iterator[Block]:
    """``<base>graph``: the graph metadata, also a VoID / DCAT description of the export (node
    counts per class, creation time, versions); what has no term, edges included, as JSON."""
    pairs: list[Pair] = [(TYPE, K.KnowledgeGraph), (TYPE, V_DATASET), (TYPE, D_DATASET),
                         (CONFORMS, IRI(KG_ONTOLOGY))]
    created = created_time()
    if created is not None:
        pairs.append((CREATED, created))
    counts: dict[str, int] = {}
    for d in x.nodes.values():
        t = d.get("type")
        counts[t] = counts.get(t, 0) + 1
    pairs.append((V_ENTITIES, literal(len(x.nodes))))
    parts = [(IRI(f"{x.base}graph/{t}s"), c) for t, c in _PARTITIONS if counts.get(t)]
    pairs.extend((V_PARTITION, p) for p, _ in parts)
    extras: dict[str, Any] = {}
    preds = dict(GRAPH_ATTRS)
    for k in sorted(G.graph):
        v = G.graph[k]
        if k in ("problems", "warnings"):
            continue  # like graph.json: reports of the last run, not stored
        if k in preds and isinstance(v, str):
            pairs.append((preds[k], Literal(v)))
        elif k == "sources" and x.sources_ok:
            pairs.extend((DERIVED, x.src_iri[s]) for s in x.sources)
        elif k == "license" and isinstance(v, str) and safe_iri(v):
            pairs.append((LICENSE, IRI(v)))
        else:
            extras[k] = v
    odd_edges = [[u, v, e] for u, nbrs in x.adj.items() for v, e in nbrs.items()
                 if not (e.get("type") in ROLE_PRED or
                         (e.get("type") == AUTHORED and type(e.get("position")) is int))]
    if odd_edges:
        extras[EDGES_KEY] = sorted(odd_edges, key=lambda y: (str(y[0]), str(y[1])))
    if extras:
        pairs.append((K.extraAttributes, Literal(to_json(extras))))
    yield IRI(x.base + "graph"), pairs, x.shared
    classes = dict(_PARTITIONS)
    for (p, c), t in zip(parts, [t for t, _ in _PARTITIONS if counts.get(t)]):
        yield p, [(V_CLASS, classes[t]), (V_ENTITIES, literal(counts[t]))], x.shared


def _attribute_pairs(x: _Export, n: Any, d: dict, known: str | None) -> tuple[list[Pair], dict]:
    """The type, identifier and attribute triples of node *n*, and the attributes with no term."""
    pairs = TYPE_PAIRS[known].copy()
    pairs.append((ID, Literal(n if type(n) is str else str(n))))
    extras: dict[str, Any] = {}
    if known is None:
        t = d.get("type")
        if isinstance(t, str):
            pairs.append((K.nodeType, Literal(t)))
        elif "type" in d:
            extras["type"] = t
    for key, pred in NODE_ATTRS[known]:
        if key in d:
            v = d[key]
            if type(v) is str and key not in ("url", "venue"):
                pairs.append((pred, Literal(v)))
            elif type(v) is str and key == "url":  # an IRI if it is a safe http(s) one
                pairs.append((pred, IRI(v) if safe_iri(v) else Literal(v)))
            elif type(v) is str:  # venue: a node of its own
                pairs.append((pred, x.venue_iri[v]))
            elif v is None and known == PAPER:  # PAPER_DEFAULTS (title/label are str)
                if key not in PAPER_DEFAULTS:
                    extras[key] = v
            else:
                lit = attribute_literal(key, v)
                if lit is None:
                    extras[key] = v
                else:
                    pairs.append((pred, lit))
    handled = HANDLED[known]
    for key in d:
        if key not in handled:
            extras[key] = d[key]
    if known in ID_KEYS:
        pairs.extend((IDENTIFIER, Literal(f"{k}:{d[k]}")) for k in ID_KEYS[known] if type(d.get(k)) is str)
        pairs.extend((SAME_AS, IRI(i)) for i in identifier_iris(d) if safe_iri(i))
    return pairs, extras


def _paper_lists(x: _Export, d: dict, pairs: list[Pair], extras: dict) -> tuple[tuple[IRI, ...], list]:
    """A paper's source listings (triples; returned as its named graphs) and author names."""
    if "authors" not in d:
        extras["authors"] = None  # marks "absent" (papers normally have both)
    if "sources" not in d:
        extras["sources"] = None
    authors: list[str] = []
    a = d.get("authors")
    if type(a) is list and all(type(y) is str for y in a):
        authors = a
    elif "authors" in d:
        extras["authors"] = a
    graphs: tuple[IRI, ...] = ()
    srcs = d.get("sources")
    if type(srcs) is list and all(type(y) is str for y in srcs):
        graphs = x.paper_graphs(d) if srcs else ()
        pairs.extend((DERIVED, g) for g in graphs)
        n_src = len(x.src_pos)
        if len(srcs) > 1 and srcs != sorted(set(srcs), key=lambda y: (x.src_pos.get(y, n_src), y)):
            extras["sources"] = srcs  # the exact order (the triples are a set)
    elif "sources" in d:
        extras["sources"] = srcs
    return graphs, authors


def _node_blocks(x: _Export, n: Any) -> Iterator[Block]:
    """Node *n*; a paper is followed by its authorship entries and its mentions."""
    d = x.nodes[n]
    known = d.get("type") if d.get("type") in TYPE_CLASSES else None
    s = x.iri(n)
    pairs, extras = _attribute_pairs(x, n, d, known)
    authors: list[str] = []
    if known == PAPER:
        graphs, authors = _paper_lists(x, d, pairs, extras)
        graphs = graphs or x.shared
    else:
        graphs = x.home(n)
        if known in (METHOD, BENCHMARK):
            if known == METHOD:
                pairs.append((IN_TERM_SET, IRI(x.base + "methods")))
            if "aliases" in d:
                _aliases(d["aliases"], ALT_NAME, pairs, extras)
    succ = x.adj[n]
    if not succ and not authors:
        if extras:
            pairs.append((K.extraAttributes, Literal(to_json(extras))))
        yield s, pairs, graphs
        return
    by_pos: dict[int, list] = {}
    mentions = []
    for v in (sorted(succ, key=str) if len(succ) > 1 else succ):
        e = succ[v]
        et = e.get("type")
        if et == AUTHORED:
            pos = e.get("position")
            if type(pos) is int:
                by_pos.setdefault(pos, []).append(v)
        elif et in ROLE_PRED:
            mentions.append((v, with_evidence(d, e)))  # the sentence, not its offsets
    iri = x.iri
    pairs += [(AUTHOR_OF, iri(v)) for pos in sorted(by_pos) for v in by_pos[pos]]
    positions = range(len(authors)) if all(0 <= p < len(authors) for p in by_pos) \
        else sorted(set(range(len(authors))) | set(by_pos))
    entries = [IRI(f"{s}/author/{i + 1}") for i in positions]  # 1-based, as kg:position
    pairs.extend((K.authorship, entry) for entry in entries)
    pairs.extend((ROLE_PRED[e["type"]], iri(v)) for v, e in mentions)
    if extras:
        pairs.append((K.extraAttributes, Literal(to_json(extras))))
    yield s, pairs, graphs
    for i, entry in zip(positions, entries):
        yield entry, _authorship_pairs(x, i, authors, by_pos.get(i, ()), succ), graphs
    for v, e in mentions:
        yield IRI(f"{s}/mention/{x.path(v)}"), _mention_pairs(x, s, v, e), graphs


def _authorship_pairs(x: _Export, i: int, authors: list[str], ats, succ) -> list[Pair]:
    """The ordered entry ``<paper>/author/<i>``: position, name as listed, the author(s)."""
    pairs: list[Pair] = [AUTHORSHIP, POSITIONS[i] if 0 <= i < 999 else (K.position, literal(i + 1))]
    if 0 <= i < len(authors):
        pairs.append((K.nameAsListed, Literal(authors[i])))
    edge_extras = {}
    for v in ats:
        pairs.append((K.author, x.iri(v)))
        e = succ[v]
        if len(e) > 2:
            edge_extras[str(v)] = {k: y for k, y in e.items() if k not in ("type", "position")}
    if edge_extras:
        pairs.append((K.extraAttributes, Literal(to_json(edge_extras))))
    return pairs


def _mention_pairs(x: _Export, s: IRI, v: Any, e: dict) -> list[Pair]:
    """The reified ``proposes`` / ``uses`` statement of the edge *e* from paper *s* to *v*."""
    pairs: list[Pair] = [(TYPE, K.Mention), (R_SUBJECT, s), (R_PREDICATE, ROLE_PRED[e["type"]]),
                         (R_OBJECT, x.iri(v))]
    extras: dict[str, Any] = {}
    for key, pred in MENTION_ATTRS:
        if key in e:
            val = e[key]
            lit = Literal(val) if type(val) is str else \
                confidence_literal(val) if key == "confidence" else literal(val)
            if lit is None:
                extras[key] = val
            else:
                pairs.append((pred, lit))
    if "aliases" in e:
        _aliases(e["aliases"], K.alias, pairs, extras)
    else:
        extras["aliases"] = None  # marks "absent"
    if x.agent:
        pairs.append((ATTRIBUTED, x.agent))
    for key in e:
        if key not in MENTION_KEYS:
            extras[key] = e[key]
    if extras:
        pairs.append((K.extraAttributes, Literal(to_json(extras))))
    return pairs


def count_triples(G: nx.DiGraph, base: str = DEFAULT_BASE) -> int:
    """The number of triples of the export of *G*.

    >>> from kg.graph import new_graph
    >>> count_triples(new_graph())
    7
    """
    return sum(len(p) for _, p, _ in iter_blocks(G, base))


__all__ = ["iter_blocks", "count_triples", "to_json", "Block", "Pair", "K", "VOCABULARY", "EDGES_KEY"]
