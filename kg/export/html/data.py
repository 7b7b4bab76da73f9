"""The compact index of the whole graph embedded in the page (as JSON), so that the page can
search every node, bring a node that is not drawn into view and show a details panel, whatever
part of the graph is drawn.

:func:`page_index` gives (all lists, nodes referred to by their position in ``N``)::

    T  node types             ET  edge types
    N  [id, type, label, degree in the view (-1: not in the view), cluster, year, venue, drawn]
    A  {node: [other names]}  (name and aliases when they differ from the label)
    E  [source, target, edge type, confidence (authorship: author position) or null,
        evidence or null]  (the edges of G)
    X  [a, b, edge type, weight]  (derived edges of the view: co-author, co-occurrence)
    P  {paper: [title, url, doi, arxiv, abstract (a position in Z's list) or null]}
    Z  the abstracts: a JSON list, gzip-compressed (mtime 0), in base64 (the page inflates it
       with the browser's DecompressionStream when a details panel first needs an abstract;
       abstracts are half of a 10k-paper page's text, about a third once compressed)
    V  venues (N's venue is a position in V, -1 for none)
    M  {entity: [papers, mean year]}  (concept view only)
    I  {paper or author: [identifier IRIs]}  (:func:`kg.model.identifier_iris`: a paper's
       OpenAlex, S2, PubMed ids (DOI and arXiv id are in P); an author's ORCID, OpenAlex, S2)

>>> import kg
>>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
>>> from kg.export.html.selection import select
>>> d = page_index(G, G, select(G, max_nodes=3).graph)
>>> len(d["N"]) == G.number_of_nodes(), sum(n[-1] for n in d["N"])
(True, 3)
"""
from __future__ import annotations

import base64
import gzip
import json
import zlib

import networkx as nx

from ...model import AUTHORED, NODE_TYPES, PAPER, PROPOSES, USES, identifier_iris, with_evidence
from .selection import COAUTHOR
from .tooltips import canvas_label
from .views import COOCCURS, clusters

EDGE_TYPES = (AUTHORED, PROPOSES, USES, COAUTHOR, COOCCURS)


def _ids(d: dict) -> tuple:
    """URL, DOI and arXiv id of a paper: from ``url``/``doi``/``arxiv`` or an ``ids`` dict."""
    ids = d.get("ids") if isinstance(d.get("ids"), dict) else {}
    return tuple(d.get(k) or ids.get(k) or None for k in ("url", "doi", "arxiv"))


def page_index(G: nx.DiGraph, V: nx.DiGraph, H: nx.DiGraph, cluster: dict | None = None) -> dict:
    """The index of *G* (every node), its view *V* (the graph the page maps, whose nodes are
    nodes of *G*) and the drawn part *H* of *V*. *cluster*: node → cluster (default
    :func:`~kg.export.html.views.clusters` of *G*)."""
    index = index_without_edges(G, V, H, cluster)
    index["E"] = list(edge_rows(G))
    index["Z"] = packed_texts(index["Z"])
    return index


def index_without_edges(G: nx.DiGraph, V: nx.DiGraph, H: nx.DiGraph, cluster: dict | None = None) -> dict:
    """:func:`page_index` but ``E`` (the edges of the whole graph, the biggest part: see
    :func:`edge_rows`, :func:`write_index`)."""
    cluster = clusters(G) if cluster is None else cluster
    nodes = sorted(G.nodes)
    tpos = {t: i for i, t in enumerate(NODE_TYPES)}
    epos = {t: i for i, t in enumerate(EDGE_TYPES)}
    venues = sorted({str(v) for _, v in G.nodes(data="venue") if v})
    vpos = {v: i for i, v in enumerate(venues)}
    vdeg, in_view = V.degree, V._node  # read per node, not tabled
    N, A, P, M, I, Z = [], {}, {}, {}, {}, []
    for i, n in enumerate(nodes):
        d = G.nodes[n]
        label = canvas_label(d, n) if d.get("type") != PAPER else (d.get("title") or d.get("label") or n)
        year = d.get("year") if isinstance(d.get("year"), int) else None
        venue = vpos.get(str(d.get("venue")), -1) if d.get("venue") else -1
        N.append([n, tpos.get(d.get("type"), 0), label, vdeg[n] if n in in_view else -1, cluster.get(n, -1),
                  year, venue, 1 if n in H else 0])
        other = sorted({s for s in [d.get("name"), d.get("label"), *(d.get("aliases") or [])]
                        if s and s != label})
        if other:
            A[i] = other
        if d.get("type") == PAPER:
            text = d.get("abstract") or None
            P[i] = [d.get("title") or n, *_ids(d), None if text is None else len(Z)]
            if text is not None:
                Z.append(str(text))
        iris = identifier_iris({k: v for k, v in d.items() if k not in ("doi", "arxiv")}
                               if d.get("type") == PAPER else d)  # a paper's DOI / arXiv id: in P
        if iris:
            I[i] = iris
        if n in V and "papers" in V.nodes[n]:
            M[i] = [V.nodes[n]["papers"], V.nodes[n].get("mean_year")]
    X = [[at, bt, epos[e["type"]], e.get("weight", e.get("papers", 1))]
         for at, bt, e in _view_edges(V, nodes)]
    return {"T": list(NODE_TYPES), "ET": list(EDGE_TYPES), "N": N, "A": A, "X": X,
            "P": P, "V": venues, "M": M, "I": I, "Z": Texts(Z)}


def _view_edges(V: nx.DiGraph, nodes: list):
    pos = {n: i for i, n in enumerate(nodes)}
    for a, b, e in sorted(V.edges(data=True), key=lambda x: (x[0], x[1])):
        if e.get("type") in (COAUTHOR, COOCCURS):
            yield pos[a], pos[b], e


def edge_rows(G: nx.DiGraph):
    """The rows of the index's ``E``, one at a time: ``[source, target, edge type, confidence
    (authorship: author position) or null, evidence or null]`` for every edge of *G*, sorted."""
    nodes = sorted(G.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    epos = {t: i for i, t in enumerate(EDGE_TYPES)}
    succ = G._succ
    for u in nodes:
        for v in sorted(succ[u]):
            e = with_evidence(G._node[u], succ[u][v])  # the sentence, not its offsets
            t = e.get("type", USES)
            conf = e.get("position") if t == AUTHORED else e.get("confidence")
            yield [pos[u], pos[v], epos.get(t, epos[USES]),
                   None if conf is None else round(float(conf), 3), e.get("evidence") or None]


def write_index(write, index: dict, edges, dumps) -> None:
    """Write ``dumps(index with "E": list(edges))`` through *write*, in pieces: *edges* (the rows
    of :func:`edge_rows`) are turned into text one at a time, never held as one list or string.
    The abstracts (a :class:`Texts` ``Z``) are packed and written in pieces too
    (:func:`packed_chunks`). *dumps* is the page's JSON encoder (sorted keys, no spaces), so
    the bytes are the same."""
    keys = sorted([*index, "E"])
    write("{")
    for k, key in enumerate(keys):
        write(("," if k else "") + dumps(key) + ":")
        if isinstance(index.get(key), Texts):  # base64: nothing for *dumps* to escape
            write('"')
            for chunk in packed_chunks(index[key]):
                write(chunk)
            write('"')
            continue
        if key != "E":
            write_value(write, index[key], dumps)
            continue
        write("[")
        buf: list[str] = []
        for j, row in enumerate(edges):
            buf.append(("," if j else "") + dumps(row))
            if len(buf) >= 4096:
                write("".join(buf))
                buf.clear()
        write("".join(buf) + "]")
    write("}")


class Texts(list):
    """The abstracts of an index (``Z``) not packed yet: :func:`write_index` streams them
    through :func:`packed_chunks`, so the page never holds them as one JSON text."""


def write_value(write, value, dumps, size: int = 4096) -> None:
    """Write ``dumps(value)`` through *write*; a list or dict *value* *size* items at a time,
    so its JSON is never one string. *dumps* is a compact (``","``, ``":"``), sorted-keys
    encoder, as the page's.

    >>> import json; parts = []; d = {2: [1], 1: "a", 10: None}
    >>> dumps = lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"))
    >>> write_value(parts.append, d, dumps, size=2)
    >>> "".join(parts) == dumps(d), len(parts)
    (True, 4)
    """
    if not isinstance(value, (list, dict)) or len(value) <= size:
        write(dumps(value))
        return
    items = sorted(value) if isinstance(value, dict) else value
    write("{" if isinstance(value, dict) else "[")
    for i in range(0, len(items), size):
        part = items[i:i + size]
        text = dumps({k: value[k] for k in part} if isinstance(value, dict) else part)
        write(("," if i else "") + text[1:-1])
    write("}" if isinstance(value, dict) else "]")


def packed_chunks(texts: list[str], size: int = 1 << 20):
    """:func:`packed_texts` in pieces of about *size* characters (joined, the same string): the
    JSON list of *texts* is compressed a text at a time (``zlib.compressobj`` with the gzip
    wrapper, level 9, mtime 0: the bytes of ``gzip.compress(json, 9, mtime=0)``) and
    base64-encoded in whole 3-byte groups, so neither the JSON nor its compressed form is held
    whole.

    >>> raw = json.dumps(["a", "é"] * 1000, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    >>> "".join(packed_chunks(["a", "é"] * 1000, size=30)) == base64.b64encode(
    ...     gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")
    True
    """
    z = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip header and trailer, mtime 0
    pending = bytearray(z.compress(b"["))
    size -= size % 3
    for i, text in enumerate(texts):
        pending += z.compress((("," if i else "") + json.dumps(text, ensure_ascii=False)).encode("utf-8"))
        if len(pending) >= size:
            cut = len(pending) - len(pending) % 3
            yield base64.b64encode(bytes(pending[:cut])).decode("ascii")
            del pending[:cut]
    pending += z.compress(b"]") + z.flush()
    yield base64.b64encode(bytes(pending)).decode("ascii")


def packed_texts(texts: list[str]) -> str:
    """*texts* as the page's ``Z``: JSON, gzip (mtime 0: the same texts give the same bytes),
    base64 (:func:`packed_chunks`, joined); :func:`unpacked_texts` reverses it.

    >>> unpacked_texts(packed_texts(["a </script>", "é"]))
    ['a </script>', 'é']
    """
    return "".join(packed_chunks(texts))


def unpacked_texts(packed: str) -> list[str]:
    """The texts of a page's ``Z`` (see :func:`packed_texts`)."""
    return json.loads(gzip.decompress(base64.b64decode(packed)).decode("utf-8"))
