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
so an unrelated file (FOAF, say) would "conform" vacuously. An export written with
``--schema-https`` (every schema.org term as ``https://schema.org/``) is checked against the
same shapes with their schema.org IRIs rewritten to ``https`` (:func:`shapes_graph`); a file
mixing both forms is checked as ``http`` (its ``https`` terms are then violations).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...model import KGError
from ..vocab import KG_NS, PREFIXES, SDO, SDO_HTTPS
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
    """One or several constraints as one SPARQL query whose rows (``?this``, maybe ``?value``)
    are violations. A combined check selects ``?p`` too: its row is the violation
    ``by_pred[?p]`` (``closed`` when the predicate is not in *by_pred*)."""

    shape: str
    what: str
    query: str
    by_pred: dict[str, str] | None = None


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
    for p, ns in [*PREFIXES.items(), ("schema", SDO_HTTPS)]:
        if str(iri).startswith(ns):
            return f"{p}:{str(iri)[len(ns):]}"
    return f"<{iri}>"


def shapes_graph(shapes_path: Path = SHAPES_PATH, schema_https: bool = False):
    """The shapes as an rdflib Graph; with *schema_https* every ``http://schema.org/`` IRI of
    them is ``https://schema.org/`` (the shapes of a ``--schema-https`` export)."""
    from rdflib import Graph

    text = Path(shapes_path).read_text(encoding="utf-8")
    if schema_https:
        text = text.replace(f"<{SDO}", f"<{SDO_HTTPS}")
    return Graph().parse(data=text, format="turtle")


def compile_shapes(shapes_path: Path = SHAPES_PATH, limit: int = 20, schema_https: bool = False) -> list[Check]:
    """The constraints of the shapes file as SPARQL queries (each returns at most *limit* rows);
    *schema_https*: for an export written with ``https://schema.org/``. Per shape, the value
    tests and ``sh:closed`` are one scan of the focus nodes' triples, the ``maxCount`` and
    the ``minCount 1`` of plain paths one query each (the rest: one query per constraint), so
    the cost is a few passes over the data, not one per property.

    >>> checks = compile_shapes()
    >>> any(c.what == "closed" and "<http://schema.org/ScholarlyArticle>" in c.query for c in checks)
    True
    >>> any("<http://schema.org/" in c.query for c in compile_shapes(schema_https=True))
    False
    """
    from rdflib import URIRef

    g = shapes_graph(shapes_path, schema_https)
    checks: list[Check] = []
    for shape in sorted(g.subjects(URIRef(RDF_TYPE), URIRef(SH + "NodeShape"))):
        checks.extend(_shape_checks(g, shape, limit))
    return checks


def _shape_checks(g, shape, limit: int) -> list[Check]:
    """The checks of one node shape (see :func:`compile_shapes`)."""
    from rdflib import URIRef
    from rdflib.collection import Collection

    u = lambda name: URIRef(SH + name)  # noqa: E731
    label = str(g.value(shape, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) or shape)
    targets = " ".join(_n3(c) for c in sorted(g.objects(shape, u("targetClass"))))
    focus = f"VALUES ?cls {{ {targets} }} ?this <{RDF_TYPE}> ?cls ."
    checks: list[Check] = []
    tests: dict[str, list[str]] = {}  # plain path -> value tests
    names: dict[str, str] = {}
    most: dict[int, list[str]] = {}  # maxCount -> plain paths
    least: list[str] = []  # plain paths with minCount 1
    for prop in sorted(g.objects(shape, u("property")), key=lambda x: str(g.value(x, u("path")))):
        path, name = _path(g, g.value(prop, u("path")))
        test = _value_test(g, prop)
        lo, hi = g.value(prop, u("minCount")), g.value(prop, u("maxCount"))
        if not path.startswith("^"):
            names[path] = name
            tests.setdefault(path, []).append(test)
            if hi is not None:
                most.setdefault(int(hi), []).append(path)
            if lo is not None and int(lo) == 1:
                least.append(path)
                lo = None
        elif test != "true":
            checks.append(Check(label, f"{name}: value", f"SELECT DISTINCT ?this ?value WHERE "
                                f"{{ {focus} ?this {path} ?value FILTER(!({test})) }} LIMIT {limit}"))
        if lo is not None:
            checks.append(Check(label, f"{name}: fewer than {lo}", f"SELECT ?this WHERE {{ {focus} "
                                f"OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this "
                                f"HAVING (COUNT(DISTINCT ?value) < {lo}) LIMIT {limit}"))
        if hi is not None and path.startswith("^"):
            checks.append(Check(label, f"{name}: more than {hi}", f"SELECT ?this WHERE {{ {focus} "
                                f"?this {path} ?value }} GROUP BY ?this "
                                f"HAVING (COUNT(DISTINCT ?value) > {hi}) LIMIT {limit}"))
    closed = g.value(shape, u("closed"))
    ignored = g.value(shape, u("ignoredProperties"))
    allowed = {_n3(x) for x in Collection(g, ignored)} if ignored is not None else set()
    if closed is not None and closed.toPython() or any(t != "true" for ts in tests.values() for t in ts):
        otherwise = "false" if closed is not None and closed.toPython() else "true"
        chain = otherwise
        for path in sorted(tests, reverse=True):
            chain = f"IF(?p = {path}, {' && '.join(tests[path])}, {chain})"
        for path in sorted(allowed - set(tests)):
            chain = f"IF(?p = {path}, true, {chain})"
        checks.append(Check(label, "closed", f"SELECT ?this ?p ?value WHERE {{ {focus} ?this ?p ?value "
                            f"FILTER(!({chain})) }} LIMIT {limit}", {p[1:-1]: f"{n}: value" for p, n in names.items()}))
    for hi, paths in sorted(most.items()):
        checks.append(Check(label, f"more than {hi}", f"SELECT ?this ?p WHERE {{ {focus} VALUES ?p {{ {' '.join(paths)} }} "
                            f"?this ?p ?value }} GROUP BY ?this ?p HAVING (COUNT(DISTINCT ?value) > {hi}) "
                            f"LIMIT {limit}", {p[1:-1]: f"{names[p]}: more than {hi}" for p in paths}))
    if least:
        checks.append(Check(label, "fewer than 1", f"SELECT ?this ?p WHERE {{ {focus} VALUES ?p {{ {' '.join(least)} }} "
                            f"FILTER NOT EXISTS {{ ?this ?p ?value }} }} LIMIT {limit}",
                            {p[1:-1]: f"{names[p]}: fewer than 1" for p in least}))
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
    https = _uses_https(lambda q: store.query(q, use_default_graph_as_union=True))
    found: list[str] = []
    for c in compile_shapes(limit=limit, schema_https=https):
        head = c.query.split("WHERE")[0]
        for row in store.query(c.query, use_default_graph_as_union=True):
            what, value = c.what, row["value"] if "?value" in head else None
            if c.by_pred is not None:
                what = c.by_pred.get(row["p"].value)
                if what is None:  # a predicate the closed shape does not allow
                    what, value = "closed", row["p"]
                elif not what.endswith(": value"):
                    value = None
            found.append(f"{c.shape} {row['this']}: {what}" + (f" {value}" if value is not None else ""))
            if len(found) >= limit:
                return False, found
    return not found, found


def _uses_https(ask) -> bool:
    """True when the data names things with ``https://schema.org/name`` only (an export
    written with ``--schema-https``); *ask* runs an ASK query."""
    return bool(ask(f"ASK {{ ?s <{SDO_HTTPS}name> ?o }}")) and not ask(f"ASK {{ ?s <{SDO}name> ?o }}")


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
    from rdflib import URIRef

    data = rdflib_graph(path)
    if (None, URIRef(RDF_TYPE), URIRef(KG_NS + "KnowledgeGraph")) not in data:
        return False, NO_KG_DATA
    shapes = shapes_graph(schema_https=_uses_https(lambda q: data.query(q).askAnswer))
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


__all__ = ["validate", "compile_shapes", "shapes_graph", "oxigraph_store", "rdflib_graph", "SHAPES_PATH", "ENGINES",
           "NO_KG_DATA", "Check"]
