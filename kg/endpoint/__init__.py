"""``kg query … --endpoint URL``: the questions of :mod:`kg.query` asked of a SPARQL store that
holds the RDF export (``graph.nt`` loaded into its default graph), instead of ``graph.json``.

Two ways, both giving the in-memory rows (``tests/test_endpoint.py`` checks every question):

* questions about named nodes (co-authors, neighbours, author profile, papers, benchmarks,
  methods, experts, similar, find, path): the name is resolved and the part of the graph the
  question needs is read by SPARQL (:func:`local_graph`, :func:`path_graph`), and the ordinary
  :mod:`kg.query` function runs on that small graph;
* questions over every paper that are counts (``top``, ``central --measure degree``,
  ``cooccur``): SPARQL aggregates (:mod:`kg.endpoint.aggregates`), ordered as :mod:`kg.query`
  orders them.

Communities, PageRank and betweenness need the whole co-author graph in memory: not answered
here (the CLI says so, exit 2). The vocabulary is :mod:`kg.vocabulary` (no rdflib, no
:mod:`kg.export`).
"""
from __future__ import annotations

from .aggregates import central, cooccurring, top_entities
from .client import Endpoint
from .graph import local_graph
from .paths import path_graph

__all__ = ["Endpoint", "central", "cooccurring", "local_graph", "path_graph", "top_entities"]
