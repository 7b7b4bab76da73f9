"""SHACL validation of an RDF export against the shapes shipped in the package
(``kg/shapes.ttl``). The file is parsed by pyoxigraph (as :func:`~.reader.load_rdf` does), its
named graphs merged. Two engines:

* ``oxigraph`` (the default): each constraint of the shapes becomes one SPARQL query on an
  in-memory pyoxigraph store (:func:`compile_shapes`); the subset of SHACL Core the shapes use
  (targetClass, closed, min/maxCount, datatype, class, nodeKind, in, pattern, min/maxInclusive,
  or, inversePath) plus SPARQL-based constraints. A shape using anything else is refused, so
  no constraint is skipped silently.
* ``pyshacl``: the reference implementation (about 6x slower, 3x the memory on the 10k graph).

Both also report a file with no ``kg:KnowledgeGraph`` ("no kg data"): the shapes target classes,
so an unrelated file (FOAF, say) would "conform" vacuously.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...model import KGError
from ..vocab import KG_NS, PREFIXES
from .reader import check_rdf_file, quads
from .writers import SUFFIX_FORMAT
from .terms import XSD_STRING

SHAPES_PATH = Path(__file__).resolve().parents[2] / "shapes.ttl"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
NO_KG_DATA = f"no kg data: the file has no <{KG_NS}KnowledgeGraph> (not a kg export)"
ENGINES = ("oxigraph", "pyshacl")


@dataclass
class Check:
    """One constraint as a SPARQL query whose rows (``?this``, maybe ``?value``) are violations."""

    shape: str
    what: str
    query: str


def _n3(t) -> str:
    return t.n3()


def _value_test(g, node, var: str = "?value") -> str:
    """The SPARQL expression true when *var* satisfies the value constraints of *node*."""
    from rdflib import URIRef
    from rdflib.collection import Collection

    tests = []
    for p, o in g.predicate_objects(node):
        name = str(p)[len(SH):] if str(p).startswith(SH) else None
        if name == "datatype":
            tests.append(f"(isLiteral({var}) && datatype({var}) = {_n3(o)})")
        elif name == "class":
            tests.append(f"EXISTS {{ {var} <{RDF_TYPE}> {_n3(o)} }}")
        elif name == "nodeKind":
            if o != URIRef(SH + "IRI"):
                raise KGError(f"unsupported sh:nodeKind {o} in the shapes", str(SHAPES_PATH))
            tests.append(f"isIRI({var})")
        elif name == "in":
            tests.append(f"{var} IN ({', '.join(_n3(x) for x in Collection(g, o))})")
        elif name == "pattern":
            tests.append(f"regex(str({var}), {_n3(o)})")
        elif name == "minInclusive":
            tests.append(f"({var} >= {_n3(o)})")
        elif name == "maxInclusive":
            tests.append(f"({var} <= {_n3(o)})")
        elif name == "or":
            tests.append("(" + " || ".join(_value_test(g, x, var) for x in Collection(g, o)) + ")")
        elif name not in (None, "path", "minCount", "maxCount", "message", "name"):
            raise KGError(f"unsupported SHACL constraint sh:{name} in the shapes", str(SHAPES_PATH))
    return " && ".join(tests) or "true"


def _path(g, node) -> tuple[str, str]:
    """The SPARQL path of ``sh:path`` *node*, and its name for messages."""
    from rdflib import URIRef

    inv = g.value(node, URIRef(SH + "inversePath"))
    if inv is not None:
        return f"^{_n3(inv)}", f"^{_short(inv)}"
    return _n3(node), _short(node)


def _short(iri) -> str:
    for p, ns in PREFIXES.items():
        if str(iri).startswith(ns):
            return f"{p}:{str(iri)[len(ns):]}"
    return f"<{iri}>"


def compile_shapes(shapes_path: Path = SHAPES_PATH, limit: int = 20) -> list[Check]:
    """The constraints of the shapes file as SPARQL queries (each returns at most *limit* rows).

    >>> checks = compile_shapes()
    >>> any(c.what == "closed" and "ScholarlyArticle" in c.query for c in checks)
    True
    """
    from rdflib import Graph, URIRef
    from rdflib.collection import Collection

    g = Graph().parse(shapes_path, format="turtle")
    u = lambda name: URIRef(SH + name)  # noqa: E731
    checks: list[Check] = []
    for shape in sorted(g.subjects(URIRef(RDF_TYPE), u("NodeShape"))):
        label = str(g.value(shape, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) or shape)
        targets = " ".join(_n3(c) for c in sorted(g.objects(shape, u("targetClass"))))
        focus = f"VALUES ?cls {{ {targets} }} ?this <{RDF_TYPE}> ?cls ."
        allowed = {str(x) for x in []}
        for prop in g.objects(shape, u("property")):
            path, name = _path(g, g.value(prop, u("path")))
            if not path.startswith("^"):
                allowed.add(path)
            test = _value_test(g, prop)
            if test != "true":
                checks.append(Check(label, f"{name}: value", f"SELECT DISTINCT ?this ?value WHERE "
                                    f"{{ {focus} ?this {path} ?value FILTER(!({test})) }} LIMIT {limit}"))
            lo, hi = g.value(prop, u("minCount")), g.value(prop, u("maxCount"))
            if lo is not None:
                checks.append(Check(label, f"{name}: fewer than {lo}", f"SELECT ?this WHERE {{ {focus} "
                                    f"OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this "
                                    f"HAVING (COUNT(DISTINCT ?value) < {lo}) LIMIT {limit}"))
            if hi is not None:
                checks.append(Check(label, f"{name}: more than {hi}", f"SELECT ?this WHERE {{ {focus} "
                                    f"?this {path} ?value }} GROUP BY ?this "
                                    f"HAVING (COUNT(DISTINCT ?value) > {hi}) LIMIT {limit}"))
        if g.value(shape, u("closed")) is not None and g.value(shape, u("closed")).toPython():
            ignored = g.value(shape, u("ignoredProperties"))
            allowed |= {_n3(x) for x in Collection(g, ignored)} if ignored is not None else set()
            checks.append(Check(label, "closed", f"SELECT DISTINCT ?this ?value WHERE {{ {focus} "
                                f"?this ?value ?o FILTER(?value NOT IN ({', '.join(sorted(allowed))})) }} "
                                f"LIMIT {limit}"))
        for sparql in g.objects(shape, u("sparql")):
            select = str(g.value(sparql, u("select"))).replace("$this", "?this")
            where = select[select.index("{") + 1:select.rindex("}")]
            head = select[:select.index("{")].replace("WHERE", "").strip()
            checks.append(Check(label, str(g.value(sparql, u("message"))),
                                f"{head} WHERE {{ {focus} {where} }} LIMIT {limit}"))
    return checks


def oxigraph_store(path: Path):
    """An in-memory pyoxigraph store with the statements of the file, parsed in Rust (query it
    with ``use_default_graph_as_union=True`` to see named graphs merged)."""
    import pyoxigraph as ox

    fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "nquads": ox.RdfFormat.N_QUADS}[SUFFIX_FORMAT[path.suffix]]
    store = ox.Store()
    try:
        store.load(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise KGError(f"not valid {SUFFIX_FORMAT[path.suffix]} ({exc.msg})"[:300], str(path),
                      exc.lineno) from None
    except (OSError, ValueError) as exc:
        raise KGError(f"cannot read RDF ({exc})"[:300], str(path)) from None
    return store


def _validate_oxigraph(path: Path, limit: int) -> tuple[bool, list[str]]:
    store = oxigraph_store(path)
    if not store.query(f"ASK {{ ?g <{RDF_TYPE}> <{KG_NS}KnowledgeGraph> }}", use_default_graph_as_union=True):
        return False, [NO_KG_DATA]
    found: list[str] = []
    for c in compile_shapes(limit=limit):
        for row in store.query(c.query, use_default_graph_as_union=True):
            this = row["this"]
            value = row["value"] if "value" in c.query.split("WHERE")[0] else None
            found.append(f"{c.shape} {this}: {c.what}" + (f" {value}" if value is not None else ""))
            if len(found) >= limit:
                return False, found
    return not found, found


def rdflib_graph(path: Path):
    """The triples of an RDF file (named graphs merged) as an rdflib Graph, parsed by pyoxigraph."""
    import pyoxigraph as ox
    from rdflib import BNode, Graph, Literal, URIRef

    def conv(t):
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=None if t.datatype.value == XSD_STRING else URIRef(t.datatype.value))

    g = Graph()
    for q in quads(path):
        g.add((conv(q.subject), URIRef(q.predicate.value), conv(q.object)))
    return g


def _validate_pyshacl(path: Path) -> tuple[bool, str]:
    from pyshacl import validate as shacl_validate
    from rdflib import Graph, URIRef

    data = rdflib_graph(path)
    if (None, URIRef(RDF_TYPE), URIRef(KG_NS + "KnowledgeGraph")) not in data:
        return False, NO_KG_DATA
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    conforms, _, text = shacl_validate(data, shacl_graph=shapes, inference="none",
                                       allow_warnings=True)
    return bool(conforms), text


def validate(path: str | os.PathLike, engine: str = "oxigraph", limit: int = 20) -> tuple[bool, str]:
    """Validate an RDF export against the SHACL shapes shipped in the package
    (``kg/shapes.ttl``); return ``(conforms, report text)``. With the ``oxigraph`` engine the
    report names the first *limit* violations, one a line (shape, focus node, constraint).

    >>> import tempfile, pathlib
    >>> from kg.graph import new_graph
    >>> from kg.export.rdf import write_rdf
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = write_rdf(new_graph(), p); validate(p)[0]
    True
    >>> _ = p.write_text('<urn:a> <http://xmlns.com/foaf/0.1/name> "Ann" .\\n'); validate(p)
    (False, 'no kg data: the file has no <https://w3id.org/kg-papers/ontology#KnowledgeGraph> (not a kg export)')
    """
    if engine not in ENGINES:
        from .errors import ParameterError
        raise ParameterError(f"invalid {{engine}} {engine!r}: choose from {', '.join(ENGINES)}", "engine")
    path = check_rdf_file(path)
    if path.stat().st_size == 0:  # would "conform" vacuously
        raise KGError("empty file", str(path))
    if engine == "pyshacl":
        return _validate_pyshacl(path)
    conforms, found = _validate_oxigraph(path, limit)
    return conforms, "\n".join(found)


__all__ = ["validate", "compile_shapes", "oxigraph_store", "rdflib_graph", "SHAPES_PATH", "ENGINES",
           "NO_KG_DATA", "Check"]
