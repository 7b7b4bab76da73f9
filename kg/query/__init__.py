"""Questions to the knowledge graph: co-authors, collaboration paths, communities, centrality,
author profiles, and method/benchmark questions.

NetworkX style: plain functions ``f(G, ...)`` over the graph built by :mod:`kg.graph`, returning
plain lists and dicts (JSON-ready). **No function here changes G.** One module per kind of
question, every function re-exported here (use ``kg.query.<function>``):

* :mod:`~kg.query.lookup` — :func:`find_node`, :func:`entities_like`, :func:`suggestions`;
* :mod:`~kg.query.coauthors` — :func:`coauthor_graph`, :func:`coauthors`,
  :func:`collaboration_path`, :func:`collaboration_distance`, :func:`neighbourhood`;
* :mod:`~kg.query.communities` — :func:`communities`, :func:`community`, :func:`louvain`,
  :func:`louvain_partition` (python-igraph, NetworkX as the fallback);
* :mod:`~kg.query.centrality` — :func:`central`;
* :mod:`~kg.query.authors` — :func:`author_profile`, :func:`experts`;
* :mod:`~kg.query.concepts` — :func:`papers`, :func:`evaluated_on`, :func:`methods_on`,
  :func:`cooccurring`, :func:`top_entities`;
* :mod:`~kg.query.similarity` — :func:`similar_papers`;
* :mod:`~kg.query.toy` — :func:`toy_graph`, the five-paper graph of the examples;
* :mod:`~kg.query.exceptions` — :class:`NameNotFound`, :class:`AmbiguousName`,
  :class:`BadArgument`, all :class:`kg.model.KGError` (the CLI prints one line, exit code 2).

Co-authorship is not stored in the graph; it is derived from shared papers
(:func:`kg.graph.coauthor_pairs`). What the queries derive from a graph (co-author projection,
name lookup tables, the co-author graph, communities, centralities) is computed once per graph
and kept in one cache, ``G.__networkx_cache__["kg.query"]`` (:mod:`kg.query._index`), which
NetworkX empties on every structural change; after changing attributes in place, call
:func:`clear_cache`.

>>> G = toy_graph()
>>> [(c["name"], c["papers"]) for c in coauthors(G, "bo chen")]
[('Ann Lee', 2), ('Cy Dias', 1)]
>>> [p["title"] for p in papers(G, "llama2")]
['Scaling Llama 2', 'Solo Work']
"""
from __future__ import annotations

# ENTITY_TYPES, MEASURES, BIG_GRAPH, SIMILARITY and KGError are re-exported too (kg <= 0.1 had them here)
from ._index import ENTITY_TYPES, clear_cache
from .authors import author_profile, experts
from .centrality import BIG_GRAPH, MEASURES, central
from .coauthors import coauthor_graph, coauthors, collaboration_distance, collaboration_path, neighbourhood
from .communities import community, communities, louvain, louvain_partition, rows_partition
from .concepts import cooccurring, evaluated_on, methods_on, papers, top_entities
from .exceptions import AmbiguousName, BadArgument, KGError, NameNotFound
from .lookup import entities_like, find_node, suggestions
from .similarity import SIMILARITY, similar_papers
from .toy import toy_graph

__all__ = [
    "NameNotFound", "AmbiguousName", "BadArgument", "find_node", "coauthors", "collaboration_path",
    "collaboration_distance", "neighbourhood", "communities", "community", "central",
    "author_profile", "papers", "evaluated_on", "methods_on", "cooccurring", "top_entities",
    "similar_papers", "experts", "entities_like", "suggestions", "coauthor_graph", "louvain",
    "louvain_partition", "rows_partition", "toy_graph", "clear_cache",
]
