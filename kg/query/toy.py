"""The example graph of the :mod:`kg.query` docstrings (like NetworkX's ``karate_club_graph``):
five papers by five authors, with hand-written method/benchmark mentions.

>>> G = toy_graph()
>>> sorted(d["title"] for _, d in G.nodes(data=True) if d["type"] == "paper")
['Diffusion on ImageNet', 'Efficient Diffusion Transformers', 'Lee and Chen Again', 'Scaling Llama 2', 'Solo Work']
"""
from __future__ import annotations

import networkx as nx

from ..graph import add_records, new_graph
from ..model import Record, entity_id, entity_key

__all__ = ["toy_graph"]


def toy_graph() -> nx.DiGraph:
    """A five-paper example graph (the one the examples here use), built like
    :func:`kg.graph.build` would, with hand-written method/benchmark mentions.

    >>> G = toy_graph(); sorted(t for _, t in G.nodes(data="type")).count("paper")
    5
    """
    G = new_graph()
    data = [
        ("Efficient Diffusion Transformers", ["Ann Lee", "Bo Chen"], 2023, "ICLR",
         [("method", "Efficient Diffusion Transformer", "proposes", ["EDT"]),
          ("method", "Transformer", "uses", []), ("benchmark", "ImageNet", "uses", [])]),
        ("Scaling Llama 2", ["Bo Chen", "Cy Dias"], 2024, "NeurIPS",
         [("method", "Llama 2", "uses", []), ("method", "Transformer", "uses", []),
          ("benchmark", "MMLU", "uses", [])]),
        ("Diffusion on ImageNet", ["Cy Dias", "Dee Evans"], 2024, "ICLR",
         [("method", "Transformer", "uses", []), ("method", "EDT", "uses", []),
          ("benchmark", "ImageNet", "uses", [])]),
        ("Solo Work", ["Eve Fox"], 2022, "ICML",
         [("method", "Llama 2", "uses", []), ("benchmark", "MMLU", "uses", [])]),
        ("Lee and Chen Again", ["Ann Lee", "Bo Chen"], 2024, None,
         [("method", "Transformer", "uses", [])]),
    ]
    add_records(G, [Record(t, a, f"About {t}.", "toy.txt", year=y, venue=v) for t, a, y, v, _ in data])
    canon = {"edt": "Efficient Diffusion Transformer"}
    for t, _, _, _, ments in data:
        pid = next(n for n, d in G.nodes(data=True) if d.get("title") == t)
        for kind, surface, role, aliases in ments:
            name = canon.get(entity_key(surface), surface)
            nid = entity_id(kind, entity_key(name))
            if nid not in G:
                G.add_node(nid, type=kind, label=name, name=name, key=entity_key(name), aliases=[])
            al = set(G.nodes[nid]["aliases"]) | ({surface} - {name}) | set(aliases)
            G.nodes[nid]["aliases"] = sorted(al)
            G.add_edge(pid, nid, type=role, surface=surface, aliases=sorted(aliases),
                       evidence=f"We {role[:-1]} {surface}.", start=0, end=0, confidence=0.9)
    return G
