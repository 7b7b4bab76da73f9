"""RDF export and import of the knowledge graph, for triple stores.

Formats: Turtle (``turtle``, for people), N-Triples (``ntriples``, for bulk loading), JSON-LD
with an inline context (``jsonld``) and N-Quads with one named graph per source listing
(``nquads``). Every writer streams lines from one generator (nodes in sorted id order), so
the same graph gives byte-identical files and a big graph is never held as an rdflib Graph.
Reading goes through pyoxigraph's streaming parser.

The modules: :mod:`~.terms` (IRIs and literals as values, node IRIs, the base),
:mod:`~.mapping` (graph -> statements), :mod:`~.writers` (the four syntaxes, files, shards),
:mod:`~.reader` (RDF -> graph), :mod:`~.validation` (SHACL), :mod:`~.errors`; the vocabulary
is :mod:`kg.export.vocab`.

Vocabulary (see ``kg/ontology.ttl`` and ``docs/rdf.md``)
-------------------------------------------------------
* paper ``<base>paper/<slug>``: ``a schema:ScholarlyArticle``; ``schema:name`` (title),
  ``schema:abstract``, ``schema:datePublished`` (``xsd:gYear``), ``kg:venue``, ``schema:url``,
  ``kg:doi``, ``kg:arxiv``, ``prov:wasDerivedFrom`` its source listings; one ``schema:author``
  triple per author, plus ordered ``kg:authorship`` entries ``<paper>/author/<i>``
  (``kg:position``, ``kg:nameAsListed``, ``kg:author``); ``kg:proposes`` / ``kg:uses`` triples
  to methods and benchmarks, each also reified as a ``kg:Mention``
  ``<paper>/mention/<kind>/<slug>`` (``rdf:subject/predicate/object``, ``kg:surface``,
  ``kg:alias``, ``kg:evidence``, ``kg:start``, ``kg:end``, ``kg:confidence``,
  ``prov:wasAttributedTo`` the extractor version).
* author ``a schema:Person``, method ``a kg:Method``, benchmark ``a kg:Benchmark, schema:Dataset``:
  ``schema:name``, ``kg:key``, ``schema:alternateName`` (aliases).
* every node: ``dcterms:identifier`` (its graph node id) and ``rdfs:label``; graph metadata on
  ``<base>graph`` (``a kg:KnowledgeGraph``); source listings ``<base>source/<file>``.
* anything else (unknown attributes, unusual values) goes, as JSON, into
  ``kg:extraAttributes``, so that :func:`load_rdf` gives back exactly the graph exported.

Errors about arguments are :class:`~.errors.ParameterError` (a :class:`~kg.model.KGError`)
naming the parameter (``base``, ``fmt``, ``shard_size``, ``out``).

>>> from kg.graph import new_graph, add_records
>>> from kg.model import Record
>>> G = new_graph(); _ = add_records(G, [Record('Say "hi"\\n', ["Ann Lee"], "Émoji 🎉", "a.txt")])
>>> nt = serialize(G, "ntriples")
>>> '<https://example.org/kg/paper/say-hi> <http://schema.org/name> "Say \\\\"hi\\\\"\\\\n" .' in nt
True
"""
from __future__ import annotations

from pathlib import Path

from ..vocab import DEFAULT_BASE
from .errors import ParameterError
from .mapping import count_triples, iter_blocks
from .reader import load_rdf
from .terms import IRI, Literal, check_base, node_iri
from .validation import SHAPES_PATH, validate
from .writers import FORMATS, SUFFIX_FORMAT, serialize, write_build_exports, write_rdf

ONTOLOGY_PATH = Path(__file__).resolve().parents[2] / "ontology.ttl"

__all__ = ["FORMATS", "SUFFIX_FORMAT", "DEFAULT_BASE", "IRI", "Literal", "ParameterError",
           "check_base", "node_iri", "iter_blocks", "count_triples", "serialize", "write_rdf",
           "write_build_exports", "load_rdf", "validate", "ONTOLOGY_PATH", "SHAPES_PATH"]
