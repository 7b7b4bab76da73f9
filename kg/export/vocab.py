"""Namespaces of the RDF export: schema.org, DCTerms, PROV-O and the project ontology ``kg:``
(shipped as ``kg/ontology.ttl``; every ``KG`` term below is declared there with a label and a
comment).

>>> str(KG.Mention)
'https://w3id.org/kg-papers/ontology#Mention'
>>> str(SDO.ScholarlyArticle)
'http://schema.org/ScholarlyArticle'
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD, DefinedNamespace

# The namespace strings (and DEFAULT_BASE) are in the base module kg.vocabulary, which the
# readers of a triple store (kg.endpoint) share without importing rdflib or kg.export.
from ..vocabulary import DEFAULT_BASE, KG_NS, ONTOLOGY_IRI, SCHEMA_HTTPS_NS, SCHEMA_NS

#: schema.org, with the ``http://`` namespace most triple stores and scholarly data sets use.
SDO = Namespace(SCHEMA_NS)
#: schema.org with ``https://`` (rdflib 7's ``SDO``): written instead of ``http://`` with
#: ``schema_https=True`` / ``--schema-https``.
SDO_HTTPS = SCHEMA_HTTPS_NS
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


class KG(DefinedNamespace):
    """The project ontology (``kg/ontology.ttl``)."""

    _NS = Namespace(KG_NS)
    _fail = True

    # classes
    KnowledgeGraph: URIRef
    SourceListing: URIRef
    Method: URIRef
    Benchmark: URIRef
    Authorship: URIRef
    Mention: URIRef
    Node: URIRef
    # properties
    proposes: URIRef
    uses: URIRef
    authorship: URIRef
    author: URIRef
    position: URIRef
    nameAsListed: URIRef
    key: URIRef
    venue: URIRef
    doi: URIRef
    arxiv: URIRef
    surface: URIRef
    alias: URIRef
    evidence: URIRef
    start: URIRef
    end: URIRef
    confidence: URIRef
    format: URIRef
    kgVersion: URIRef
    extractorVersion: URIRef
    nodeType: URIRef
    extraAttributes: URIRef
    openalex: URIRef
    s2: URIRef
    pmid: URIRef
    orcid: URIRef
    Venue: URIRef


#: Prefixes written in Turtle and in the JSON-LD context (sorted by prefix).
PREFIXES = {
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "kg": KG_NS,
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "void": str(VOID),
    "xsd": str(XSD),
}

__all__ = ["KG", "SDO", "SDO_HTTPS", "VOID", "DCAT", "ONTOLOGY_IRI", "DCTERMS", "PROV", "RDF", "RDFS", "XSD", "PREFIXES", "DEFAULT_BASE", "KG_NS"]
