"""Reading an RDF export back into the graph it was written from (:func:`load_rdf`), with
pyoxigraph's streaming parser and the tables of :mod:`~.mapping`.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.nt"
>>> _ = p.write_text('<urn:a> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\\n')
>>> read_statements(p)
{'urn:a': {IRI('urn:p'): [Literal('1', XSD_INTEGER)]}}
"""
from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from ...model import AUTHORED, BENCHMARK, METHOD, PAPER, KGError
from .tables import (AUTHOR_OF, CLASS_TYPE, DERIVED, EDGES_KEY, GRAPH_ATTRS, ID, LICENSE, MENTION_ATTRS,
                      NAME, NODE_ATTRS, PAPER_DEFAULTS, PRED_ROLE, R_OBJECT, R_PREDICATE,
                      R_SUBJECT, ROLE_PRED, TYPE, ALT_NAME, PART_OF, K)
from ..vocab import SDO, SDO_HTTPS
from .terms import IRI, XSD_STRING, BlankNode, Literal, Term, python_value
from .writers import SUFFIX_FORMAT

_HTTP_SDO = str(SDO)  # an export written with schema_https reads as the default one
Statements = dict[str, dict[IRI, list[Term]]]  # subject -> predicate -> objects (file order)


def check_rdf_file(path: str | os.PathLike) -> Path:
    """*path* as a Path if it names an existing file with an RDF suffix, else a KGError."""
    path = Path(path)
    if path.suffix not in SUFFIX_FORMAT:
        raise KGError(f"unknown RDF file suffix {path.suffix!r} (use .ttl, .nt, .jsonld or .nq)", str(path))
    if not path.is_file():
        raise KGError("no such file", str(path))
    return path


def quads(path: Path) -> Iterator:
    """The pyoxigraph quads of an RDF file (format from its suffix); a syntax error or an
    unreadable file is a :class:`~kg.model.KGError` with the file (and line)."""
    import pyoxigraph as ox

    fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "nquads": ox.RdfFormat.N_QUADS}[SUFFIX_FORMAT[path.suffix]]
    try:
        yield from ox.parse(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise KGError(f"not valid {SUFFIX_FORMAT[path.suffix]} ({exc.msg})"[:300], str(path),
                      exc.lineno) from None
    except (OSError, ValueError) as exc:
        raise KGError(f"cannot read RDF ({exc})"[:300], str(path)) from None


def read_statements(path: str | os.PathLike) -> Statements:
    """The triples of an RDF file (named graphs merged, duplicates dropped) by subject and
    predicate, as :mod:`~.terms` values."""
    import pyoxigraph as ox

    datatypes: dict[str, IRI | None] = {XSD_STRING: None}

    def term(t) -> Term:
        if isinstance(t, ox.NamedNode):
            v = t.value
            return IRI(_HTTP_SDO + v[len(SDO_HTTPS):] if v.startswith(SDO_HTTPS) else v)
        if isinstance(t, ox.BlankNode):
            return BlankNode("_:" + t.value)
        dt = t.datatype.value
        if dt not in datatypes:
            datatypes[dt] = IRI(dt)
        return Literal(t.value, datatypes[dt])

    predicates: dict[str, IRI] = {}
    subjects: Statements = {}
    seen = set()
    with _gc_paused():
        for q in quads(Path(path)):
            key = (q.subject, q.predicate, q.object)
            if key in seen:  # the same triple in several named graphs
                continue
            seen.add(key)
            s, p = q.subject, q.predicate.value
            if p not in predicates:
                predicates[p] = IRI(_HTTP_SDO + p[len(SDO_HTTPS):] if p.startswith(SDO_HTTPS) else p)
            props = subjects.setdefault(s.value if isinstance(s, ox.NamedNode) else "_:" + s.value, {})
            props.setdefault(predicates[p], []).append(term(q.object))
    return subjects


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while a big structure is built: it would rescan the
    growing heap again and again (2.5x the time of reading the 10k-paper corpus), and nothing
    built here forms reference cycles. Restores the collector as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_rdf(path: str | os.PathLike) -> nx.DiGraph:
    """Load an RDF export (``.ttl``, ``.nt``, ``.jsonld``, ``.nq``) back into the graph it was
    written from: nodes, edges and attributes as in ``graph.json``.

    >>> import tempfile, pathlib
    >>> from kg.graph import new_graph, add_records, to_json
    >>> from kg.model import Record
    >>> from kg.export.rdf import write_rdf
    >>> G = new_graph(); _ = add_records(G, [Record("T", ["Ann", "Bo"], "A\\\\b", "x.txt", 2024)])
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = write_rdf(G, p); to_json(load_rdf(p)) == to_json(G)
    True
    """
    path = check_rdf_file(path)
    statements = read_statements(path)
    with _gc_paused():
        return rebuild(statements, str(path))


def _value(o: Term) -> Any:
    return python_value(o.lexical, o.datatype) if type(o) is Literal else str(o)


def _one(props: dict, pred: IRI, default: Any = None) -> Any:
    vals = props.get(pred)
    return _value(vals[0]) if vals else default


class _Reader:
    """The statements of one file, read as a kg graph: which subjects are nodes, and helpers."""

    def __init__(self, subj: Statements, where: str):
        self.subj, self.where = subj, where
        self.ids: dict[str, Any] = {}  # subject -> node id
        self.kinds: dict[str, str | None] = {}  # subject -> node type (None: another type)
        self.meta: str | None = None  # the kg:KnowledgeGraph subject
        for s, props in subj.items():
            types = set(props.get(TYPE, ()))
            if K.KnowledgeGraph in types:
                self.meta = s
            for c, kind in CLASS_TYPE.items():
                if c in types:
                    self.kinds[s] = kind
                    self.ids[s] = _one(props, ID, s)
                    break
        if self.meta is None and not self.ids:
            raise KGError("no kg graph found in this RDF file (no kg:KnowledgeGraph and no papers, "
                          "authors, methods or benchmarks)", where)

    def props(self, o: Term) -> dict:
        return self.subj.get(o, {})

    def node(self, o: Term) -> Any:
        """The node id of the subject *o* refers to (*o* itself for a node not in the file)."""
        return self.ids.get(o, str(o))

    def extras(self, s: Any, props: dict) -> dict:
        """The ``kg:extraAttributes`` of a subject (a JSON object), else ``{}``."""
        vals = props.get(K.extraAttributes)
        if not vals:
            return {}
        try:
            extras = json.loads(vals[0].lexical if type(vals[0]) is Literal else vals[0])
        except ValueError as exc:
            raise KGError(f"<{s}> kg:extraAttributes is not JSON ({exc})", self.where) from None
        if not isinstance(extras, dict):
            raise KGError(f"<{s}> kg:extraAttributes is not a JSON object", self.where)
        return extras

    def source_names(self, objs) -> list:
        """The names of source listings, in the order of their ``kg:position`` then name."""
        def name(o):
            return _one(self.props(o), NAME, str(o))

        def key(o):
            pos = _one(self.props(o), K.position)
            return (pos if isinstance(pos, int) else float("inf"), name(o))
        return [name(o) for o in sorted(objs, key=key)]

    def position(self, entry: Term, props: dict) -> Any:
        pos = _one(props, K.position)
        if pos is not None and type(pos) is not int:
            raise KGError(f"<{entry}> kg:position is not an integer: {pos!r}", self.where)
        return pos

    def sorted_nodes(self) -> list[str]:
        return sorted(self.ids, key=lambda x: str(self.ids[x]))


def rebuild(subj: Statements, where: str) -> nx.DiGraph:
    """The kg graph of the statements read from the file *where* (:func:`read_statements`)."""
    r = _Reader(subj, where)
    G = nx.DiGraph()
    edge_extras = _graph_metadata(r, G) if r.meta is not None else []
    for s in r.sorted_nodes():
        G.add_node(r.ids[s], **_node_attrs(r, s))
    _add_authorships(r, G)
    _add_mentions(r, G)
    bare = 0
    for s in r.ids:  # proposes / uses triples without a reified mention (other producers)
        for role, pred in ROLE_PRED.items():
            for o in subj[s].get(pred, ()):
                v = r.node(o)
                if not G.has_edge(r.ids[s], v):
                    G.add_edge(r.ids[s], v, type=role)
                    bare += 1
    if bare:  # said, not silent: kg writes a kg:Mention for each
        G.graph.setdefault("warnings", []).append(
            f"{where}: {bare} kg:proposes / kg:uses triples have no kg:Mention: their evidence, "
            "offsets and confidence are missing")
    for u, v, e in edge_extras:
        G.add_edge(u, v, **e)
    return G


def _graph_metadata(r: _Reader, G: nx.DiGraph) -> list:
    """Set ``G.graph`` from the kg:KnowledgeGraph subject; return the edges kept as JSON there."""
    props = r.subj[r.meta]
    G.graph.update({k: _one(props, pred) for k, pred in GRAPH_ATTRS if pred in props})
    if DERIVED in props:
        G.graph["sources"] = r.source_names(props[DERIVED])
    if LICENSE in props:
        G.graph["license"] = _one(props, LICENSE)
    extras = r.extras(r.meta, props)
    edges = extras.pop(EDGES_KEY, [])
    if not (isinstance(edges, list) and all(isinstance(e, list) and len(e) == 3 and
                                            isinstance(e[2], dict) for e in edges)):
        raise KGError(f"<{r.meta}> kg:extraAttributes: {EDGES_KEY} is not a list of [u, v, {{...}}]",
                      r.where)
    G.graph.update(extras)
    return edges


def _node_attrs(r: _Reader, s: str) -> dict:
    """The attributes of the node of subject *s*."""
    props, kind = r.subj[s], r.kinds[s]
    attrs: dict[str, Any] = {}
    if kind is not None:
        attrs["type"] = kind
    elif K.nodeType in props:
        attrs["type"] = _one(props, K.nodeType)
    for key, pred in NODE_ATTRS[kind]:
        if pred in props:
            attrs[key] = _one(props, pred)
    if kind == PAPER:
        venue = props.get(PART_OF) or props.get(K.venue)  # kg:venue: exports before the venue nodes
        if venue:
            v = venue[0]
            attrs["venue"] = _one(r.props(v), NAME, str(v)) if type(v) is IRI else _value(v)
        for key in PAPER_DEFAULTS:
            attrs.setdefault(key, None)
        names = {}
        for o in props.get(K.authorship, ()):
            ap = r.props(o)
            if K.nameAsListed in ap:
                names[r.position(o, ap)] = _one(ap, K.nameAsListed)
        attrs["authors"] = [names[i] for i in sorted(names, key=lambda i: (i is None, i or 0))]
        attrs["sources"] = r.source_names(props.get(DERIVED, ()))
    if kind in (METHOD, BENCHMARK):
        attrs["aliases"] = sorted(_value(o) for o in props.get(ALT_NAME, ()))
    extras = r.extras(s, props)
    for key in ("authors", "sources"):
        if key in extras and extras[key] is None:
            del extras[key], attrs[key]
    attrs.update(extras)
    return attrs


def _add_authorships(r: _Reader, G: nx.DiGraph) -> None:
    """Authorship edges: from the ordered entries, then ``schema:author`` links without one."""
    for s in r.sorted_nodes():
        props, u = r.subj[s], r.ids[s]
        for o in props.get(K.authorship, ()):
            ap = r.props(o)
            pos = r.position(o, ap)
            more = r.extras(o, ap)
            for a in ap.get(K.author, ()):
                v = r.node(a)
                edge = more.get(str(v), {})
                if not isinstance(edge, dict):
                    raise KGError(f"<{o}> kg:extraAttributes: the value for {str(v)!r} is not a "
                                  "JSON object", r.where)
                G.add_edge(u, v, type=AUTHORED, position=pos - 1 if type(pos) is int else pos, **edge)
        for a in props.get(AUTHOR_OF, ()):
            v = r.node(a)
            if not G.has_edge(u, v):
                G.add_edge(u, v, type=AUTHORED)


def _add_mentions(r: _Reader, G: nx.DiGraph) -> None:
    """``proposes`` / ``uses`` edges from the reified kg:Mention statements (in file order)."""
    for s, props in r.subj.items():
        if K.Mention not in props.get(TYPE, ()):
            continue
        try:
            u, v = r.ids.get(props[R_SUBJECT][0]), r.ids.get(props[R_OBJECT][0])
            role = PRED_ROLE.get(props[R_PREDICATE][0])
        except KeyError:
            u = v = role = None
        if u is None or v is None or role is None:
            raise KGError(f"mention {s} refers to unknown nodes or role", r.where)
        attrs: dict[str, Any] = {"type": role}
        for key, pred in MENTION_ATTRS:
            if pred in props:
                attrs[key] = _one(props, pred)
        attrs["aliases"] = sorted(_value(o) for o in props.get(K.alias, ()))
        extras = r.extras(s, props)
        if "aliases" in extras and extras["aliases"] is None:
            del extras["aliases"], attrs["aliases"]
        attrs.update(extras)
        G.add_edge(u, v, **attrs)


__all__ = ["load_rdf", "read_statements", "rebuild", "quads", "check_rdf_file"]
