"""Method and benchmark nodes and the ``proposes``/``uses`` edges of papers (graph stage).

:func:`set_mentions` replaces them all from per-paper extraction results, resolved across
papers by :func:`kg.extract.resolve`; :func:`paper_mentions` reads a paper's results back from
its edges (what ``kg add`` re-resolves); :func:`paper_edges` is the one place a paper's mentions
become its edges and its entities' aliases (shared with :mod:`kg.touched`, the ``kg add`` that
re-resolves only what new papers touch).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from .model import BENCHMARK, METHOD, PROPOSES, USES, entity_id, lean_mention, mention_text, with_evidence

ENTITY_EDGE_KEYS = ("surface", "aliases", "evidence", "start", "end", "confidence")
ENTITY_KINDS = (("methods", METHOD), ("benchmarks", BENCHMARK))


def _mention_order(e: dict) -> tuple:
    return e.get("start", 0), e["name"]


def edge_mentions(edge: dict) -> list[dict]:
    """The mentions one ``proposes``/``uses`` edge stands for, each as the extractor found it
    (``name`` = written form, ``aliases`` = its in-paper aliases)."""
    out = []
    for e in edge.get("mentions") or (edge,):  # an edge of several mentions: each of them
        ent = {"name": e["surface"], "role": e["type"]}
        ent.update({k: e[k] for k in ENTITY_EDGE_KEYS if k != "surface" and k in e})
        out.append(ent)
    return out


def mention_nodes(G: nx.DiGraph, pid: str) -> dict[str, list[tuple[str, dict]]]:
    """Per kind (``methods``, ``benchmarks``) the ``(entity node, mention)`` pairs of paper
    *pid*, in :func:`paper_mentions` order."""
    out: dict[str, list[tuple[str, dict]]] = {"methods": [], "benchmarks": []}
    for v, edge in G._succ[pid].items():
        if edge["type"] not in (PROPOSES, USES):
            continue
        kind = "methods" if G._node[v]["type"] == METHOD else "benchmarks"
        edge = with_evidence(G._node[pid], edge)  # the sentence, not its offsets
        out[kind].extend((v, ent) for ent in edge_mentions(edge))
    for rows in out.values():
        rows.sort(key=lambda ve: _mention_order(ve[1]))
    return out


def paper_mentions(G: nx.DiGraph, pid: str) -> dict[str, Any]:
    """The extraction result of one paper, read back from its ``proposes``/``uses`` edges
    (in the form :meth:`kg.extract.Extractor.extract_many` yields).

    >>> from kg.graph import new_graph
    >>> G = new_graph(); G.add_node("paper:x", type="paper")
    >>> paper_mentions(G, "paper:x")
    {'id': 'paper:x', 'methods': [], 'benchmarks': []}
    """
    rows = mention_nodes(G, pid)
    return {"id": pid, **{kind: [ent for _, ent in rows[kind]] for kind in ("methods", "benchmarks")}}


def sort_results(results: Iterable[dict]) -> list[dict]:
    """Papers by id, each paper's mentions by offset then name (copies of the lists): the order
    a graph's own edges are read back in (:func:`paper_mentions`), so that re-resolving them
    (kg add) gives the same entities, and the same edges in the same order, as a build from
    scratch."""
    return [{**r, **{k: sorted(r.get(k) or (), key=_mention_order) for k in ("methods", "benchmarks")}}
            for r in sorted(results, key=lambda r: r["id"])]


def found_forms(results: Iterable[dict], surfaces: dict, found: dict) -> None:
    """Record, before resolution renames them, each mention's written name (*surfaces*) and its
    in-paper aliases (*found*), by ``id`` of the mention: each edge keeps what the extractor
    found, not what resolution made of it, so that re-resolving from the edges (kg add) sees
    the same input."""
    for r in results:
        for kind, _ in ENTITY_KINDS:
            for e in r[kind]:
                surfaces[id(e)] = e["name"]
                found[id(e)] = sorted(a for a in e.get("aliases") or () if a != e["name"])


def paper_edges(r: dict, surfaces: dict, found: dict) -> tuple[dict, dict]:
    """The entity edges of one resolved paper result *r*: ``{node id: edge attributes}`` in
    the order the edges are added (first mention first; two mentions of one entity are one
    edge, proposes over uses, every surface form kept and each mention listed in
    ``mentions``), and ``{node id: (node type, first mention, alias forms)}``."""
    edges: dict[str, dict] = {}
    nodes: dict[str, tuple[str, dict, set]] = {}
    for kind, ntype in ENTITY_KINDS:
        for e in r[kind]:
            nid = entity_id(ntype, e["key"])
            surface = surfaces.get(id(e), e["name"])
            if nid not in nodes:
                nodes[nid] = (ntype, e, set())
            nodes[nid][2].update([surface, *e.get("aliases", [])])
            attrs = {"type": e.get("role", USES), "surface": surface,
                     "aliases": found.get(id(e), sorted(e.get("aliases", []))),
                     "evidence": e.get("evidence", ""), "start": e.get("start", 0),
                     "end": e.get("end", 0), "confidence": round(float(e.get("confidence", 0)), 4)}
            old = edges.get(nid)
            if old is not None:  # two mentions resolved to one entity: one edge
                old = dict(old)
                mentions = old.pop("mentions", None) or [dict(old)]
                mentions.append(dict(attrs))
                if old["type"] == PROPOSES or attrs["type"] != PROPOSES:
                    attrs, old = old, attrs
                forms = set(attrs["aliases"]) | set(old["aliases"]) | {old["surface"]}
                attrs["aliases"] = sorted(forms - {attrs["surface"]})
                attrs["mentions"] = mentions
                attrs = {**edges[nid], **attrs}  # the first edge's key order, updated
            edges[nid] = attrs
    return edges, nodes


def node_attrs(ntype: str, e: dict) -> dict:
    """A new entity node's attributes from its first mention *e* (``aliases`` set after)."""
    return {"type": ntype, "label": e["name"], "name": e["name"], "key": e["key"]}


def set_mentions(G: nx.DiGraph, results: Iterable[dict], resolver=None) -> None:
    """Replace all method/benchmark nodes and edges of *G* from per-paper extraction results,
    resolving entities across papers (*resolver*, default :func:`kg.extract.resolve`; the Dask
    build passes one that applies the resolution done on the cluster, :mod:`kg.cluster`).

    >>> from kg.graph import new_graph
    >>> G = new_graph(); G.add_node("paper:p", type="paper", title="T")
    >>> set_mentions(G, [{"id": "paper:p", "methods": [{"name": "Adam", "aliases": [],
    ...     "role": "uses", "evidence": "We use Adam.", "start": 2, "end": 14, "confidence": 0.9}],
    ...     "benchmarks": []}])
    >>> G.nodes["method:adam"]["name"], G.edges["paper:p", "method:adam"]["type"]
    ('Adam', 'uses')
    """
    from .extract import resolve

    results = sort_results(results)
    surfaces: dict = {}
    found: dict = {}
    found_forms(results, surfaces, found)
    (resolver or resolve)(results)
    G.remove_nodes_from([n for n, t in G.nodes(data="type") if t in (METHOD, BENCHMARK)])
    aliases: dict[str, set[str]] = {}
    for r in results:
        edges, nodes = paper_edges(r, surfaces, found)
        for nid, (ntype, e, forms) in nodes.items():
            if nid not in G:
                G.add_node(nid, **node_attrs(ntype, e))
                aliases[nid] = set()
            aliases[nid] |= forms
        text = mention_text(G.nodes[r["id"]] if r["id"] in G else {})
        for nid, attrs in edges.items():
            lean_mention(attrs, text)  # the sentence held once: in the paper's text
            G.add_edge(r["id"], nid, **attrs)
    for nid, names in aliases.items():
        G.nodes[nid]["aliases"] = sorted(names - {G.nodes[nid]["name"]})
