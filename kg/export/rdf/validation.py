"""SHACL validation of an RDF export against the shapes shipped in the package
(``kg/shapes.ttl``), with pyshacl; the file is parsed by pyoxigraph (as :func:`~.reader.load_rdf`
does), its named graphs merged.
"""
from __future__ import annotations

import os
from pathlib import Path

from ...model import KGError
from .reader import check_rdf_file, quads
from .terms import XSD_STRING

SHAPES_PATH = Path(__file__).resolve().parents[2] / "shapes.ttl"


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


def validate(path: str | os.PathLike) -> tuple[bool, str]:
    """Validate an RDF export against the SHACL shapes shipped in the package
    (``kg/shapes.ttl``); return ``(conforms, report text)``.

    >>> import tempfile, pathlib
    >>> from kg.graph import new_graph
    >>> from kg.export.rdf import write_rdf
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = write_rdf(new_graph(), p); validate(p)[0]
    True
    """
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    path = check_rdf_file(path)
    if path.stat().st_size == 0:  # would "conform" vacuously
        raise KGError("empty file", str(path))
    data = rdflib_graph(path)
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    conforms, _, text = shacl_validate(data, shacl_graph=shapes, inference="none",
                                       allow_warnings=True)
    return bool(conforms), text


__all__ = ["validate", "rdflib_graph", "SHAPES_PATH"]
