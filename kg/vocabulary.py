"""The IRIs of the RDF vocabulary as plain strings (no rdflib), shared by the writer of the RDF
export (:mod:`kg.export.vocab` builds its rdflib namespaces from them) and by the readers of a
triple store that holds the export (:mod:`kg.endpoint`). A base module: it imports nothing.

Only the namespaces live here; the terms of the project ontology are declared in
``kg/ontology.ttl`` (and in :class:`kg.export.vocab.KG`); :mod:`kg.endpoint` names each term it
queries, and a test checks that every one is declared there.

>>> KG_NS + "Mention"
'https://w3id.org/kg-papers/ontology#Mention'
"""
from __future__ import annotations

#: The permanent IRI of kg's own terms (``kg:``; the ontology file is ``kg/ontology.ttl``).
KG_NS = "https://w3id.org/kg-papers/ontology#"
#: The IRI of the ontology document itself.
ONTOLOGY_IRI = "https://w3id.org/kg-papers/ontology"
#: schema.org, with the ``http://`` namespace most triple stores and scholarly data sets use.
SCHEMA_NS = "http://schema.org/"
#: schema.org with ``https://`` (rdflib 7's ``SDO``; ``--schema-https``).
SCHEMA_HTTPS_NS = "https://schema.org/"
DCTERMS_NS = "http://purl.org/dc/terms/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
#: The default base IRI of the data (papers, authors, ...): the ``base`` parameter of the writers.
DEFAULT_BASE = "https://example.org/kg/"

__all__ = ["KG_NS", "ONTOLOGY_IRI", "SCHEMA_NS", "SCHEMA_HTTPS_NS", "DCTERMS_NS", "RDF_NS", "RDFS_NS",
           "XSD_NS", "DEFAULT_BASE"]
