"""Exporters of the knowledge graph: :mod:`kg.export.rdf` (RDF for triple stores)."""
