"""RDF export and import of the knowledge graph, for triple stores.

Formats: Turtle (``turtle``, for people), N-Triples (``ntriples``, for bulk loading), JSON-LD
with an inline context (``jsonld``) and N-Quads with one named graph per source listing
(``nquads``). Every writer streams lines from one generator (nodes in sorted id order), so
the same graph gives byte-identical files and a big graph is never held as an rdflib Graph.
Reading goes through pyoxigraph's streaming parser.

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

>>> from kg.graph import new_graph, add_records
>>> from kg.model import Record
>>> G = new_graph(); _ = add_records(G, [Record('Say "hi"\\n', ["Ann Lee"], "Émoji 🎉", "a.txt")])
>>> nt = serialize(G, "ntriples")
>>> '<https://example.org/kg/paper/say-hi> <http://schema.org/name> "Say \\\\"hi\\\\"\\\\n" .' in nt
True
"""
from __future__ import annotations

import io
import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any
from glob import escape as glob_escape
from urllib.parse import quote

import networkx as nx

from .._io import atomic_open
from ..model import AUTHOR, AUTHORED, BENCHMARK, METHOD, OPTIONAL_FIELDS, PAPER, PROPOSES, USES, KGError
from .vocab import DCTERMS, DEFAULT_BASE, KG, PREFIXES, PROV, RDF, RDFS, SDO, XSD

FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "nquads": ".nq"}
SUFFIX_FORMAT = {v: k for k, v in FORMATS.items()}
ONTOLOGY_PATH = Path(__file__).resolve().parents[1] / "ontology.ttl"
SHAPES_PATH = Path(__file__).resolve().parents[1] / "shapes.ttl"
EDGES_KEY = "__kg_edges__"  # graph-level extra: edges of types the vocabulary has no term for


def _t(term) -> str:
    return f"<{term}>"


# N-Triples forms of the vocabulary terms
A = _t(RDF.type)
ID, LABEL = _t(DCTERMS.identifier), _t(RDFS.label)
S_ARTICLE, S_PERSON, S_DATASET = _t(SDO.ScholarlyArticle), _t(SDO.Person), _t(SDO.Dataset)
S_NAME, S_ABSTRACT, S_DATE, S_URL = _t(SDO.name), _t(SDO.abstract), _t(SDO.datePublished), _t(SDO.url)
S_AUTHOR, S_ALT, S_VERSION = _t(SDO.author), _t(SDO.alternateName), _t(SDO.softwareVersion)
DERIVED, ATTRIBUTED, AGENT = _t(PROV.wasDerivedFrom), _t(PROV.wasAttributedTo), _t(PROV.SoftwareAgent)
R_SUBJ, R_PRED, R_OBJ = _t(RDF.subject), _t(RDF.predicate), _t(RDF.object)
K = {name: _t(KG[name]) for name in [
    "KnowledgeGraph", "SourceListing", "Method", "Benchmark", "Authorship", "Mention", "Node",
    "proposes", "uses", "authorship", "author", "position", "nameAsListed", "key", "venue", "doi",
    "arxiv", "surface", "alias", "evidence", "start", "end", "confidence", "format", "kgVersion",
    "extractorVersion", "nodeType", "extraAttributes"]}
ROLE_PRED = {PROPOSES: K["proposes"], USES: K["uses"]}
PRED_ROLE = {v[1:-1]: k for k, v in ROLE_PRED.items()}
TYPE_CLASSES = {PAPER: (S_ARTICLE,), AUTHOR: (S_PERSON,), METHOD: (K["Method"],),
                BENCHMARK: (K["Benchmark"], S_DATASET)}
XSD_NS = str(XSD)
DT_INT, DT_DOUBLE, DT_BOOL = XSD_NS + "integer", XSD_NS + "double", XSD_NS + "boolean"
DT_YEAR, DT_URI, DT_STRING = XSD_NS + "gYear", XSD_NS + "anyURI", XSD_NS + "string"

# node attribute -> predicate, per node type (order = order of the triples)
_PAPER_ATTRS = (("label", LABEL), ("title", S_NAME), ("abstract", S_ABSTRACT), ("year", S_DATE),
                ("venue", K["venue"]), ("url", S_URL), ("doi", K["doi"]), ("arxiv", K["arxiv"]))
_ENTITY_ATTRS = (("label", LABEL), ("name", S_NAME), ("key", K["key"]))
NODE_ATTRS = {PAPER: _PAPER_ATTRS, AUTHOR: _ENTITY_ATTRS, METHOD: _ENTITY_ATTRS,
              BENCHMARK: _ENTITY_ATTRS, None: (("label", LABEL),)}
PAPER_DEFAULTS = ("abstract", *OPTIONAL_FIELDS)  # keys every paper has (None when unknown)
_MENTION_ATTRS = (("surface", K["surface"]), ("evidence", K["evidence"]), ("start", K["start"]),
                  ("end", K["end"]), ("confidence", K["confidence"]))
_MENTION_KEYS = frozenset(["type", "aliases", *dict(_MENTION_ATTRS)])
HANDLED = {t: frozenset(["type", *dict(attrs)] + (["authors", "sources"] if t == PAPER else [])
                        + (["aliases"] if t in (METHOD, BENCHMARK) else []))
           for t, attrs in NODE_ATTRS.items()}

# --------------------------------------------------------------------------- terms
_ESC = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
        ord("\b"): "\\b", ord("\f"): "\\f"}
_ESC.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in _ESC})
_NEEDS_ESC = re.compile(r'[\x00-\x1f"\\\x7f]')
_UNESC = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.S)
_UNESC_CHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_SAFE_SLUG = re.compile(r"[A-Za-z0-9._~-]*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')


_RARE_CTRL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


def _str(s: str) -> str:
    if _NEEDS_ESC.search(s) is None:
        return f'"{s}"'
    if _RARE_CTRL.search(s):
        return f'"{s.translate(_ESC)}"'
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _lit(v: Any) -> str | None:
    """The N-Triples literal of a Python scalar (None if the value has no literal form)."""
    if isinstance(v, str):
        return _str(v)
    if isinstance(v, bool):
        return f'"{"true" if v else "false"}"^^<{DT_BOOL}>'
    if isinstance(v, int):
        return f'"{v}"^^<{DT_INT}>'
    if isinstance(v, float):
        lex = "NaN" if math.isnan(v) else ("INF" if v > 0 else "-INF") if math.isinf(v) else repr(v)
        return f'"{lex}"^^<{DT_DOUBLE}>'
    return None


def _attr_lit(key: str, v: Any) -> str | None:
    if key == "year" and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 9999:
        return f'"{v:04d}"^^<{DT_YEAR}>'
    if key == "url" and isinstance(v, str) and not isinstance(v, bool):
        return f"{_str(v)}^^<{DT_URI}>"
    return _lit(v)


def _unescape(lex: str) -> str:
    def sub(m: re.Match) -> str:
        if m.group(3) is not None:
            return _UNESC_CHARS.get(m.group(3), m.group(3))
        return chr(int(m.group(1) or m.group(2), 16))
    return _UNESC.sub(sub, lex) if "\\" in lex else lex


def check_base(base: str) -> str:
    """Check a base IRI for the data; return it, or raise :class:`KGError` saying what is wrong.

    >>> check_base("https://data.example.com/kg/")
    'https://data.example.com/kg/'
    >>> check_base("not an iri")
    Traceback (most recent call last):
    ...
    kg.model.KGError: invalid --base 'not an iri': it must be an absolute IRI such as https://example.org/kg/
    """
    if not isinstance(base, str) or not _SCHEME.match(base) or _BAD_IRI_CHARS.search(base):
        raise KGError(f"invalid --base {base!r}: it must be an absolute IRI such as {DEFAULT_BASE}")
    if base.split(":", 1)[0].lower() in PREFIXES or base.startswith("_:"):
        raise KGError(f"invalid --base {base!r}: its scheme clashes with the prefix "
                      f"{base.split(':', 1)[0]!r} of the JSON-LD context")
    if not base.endswith(("/", "#", ":")):
        raise KGError(f"invalid --base {base!r}: it must end with '/', '#' or ':' (e.g. {base}/)")
    return base


def node_iri(node_id: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a graph node: ``<base><type>/<percent-encoded slug>``.

    >>> node_iri("paper:4-3-phases-of-compute-optimal-neural-scaling-laws")
    'https://example.org/kg/paper/4-3-phases-of-compute-optimal-neural-scaling-laws'
    >>> node_iri("author:kianté-brantley", "urn:x:")
    'urn:x:author/kiant%C3%A9-brantley'
    """
    kind, sep, rest = str(node_id).partition(":")
    if sep and _SAFE_SLUG.fullmatch(rest) and _SAFE_SLUG.fullmatch(kind):
        return f"{base}{kind}/{rest}"
    if not sep:
        return f"{base}_/{quote(kind, safe='')}"
    return f"{base}{quote(kind, safe='')}/{quote(rest, safe='')}"


# --------------------------------------------------------------------------- statements
Block = tuple[str, list[str], tuple[str, ...]]  # subject, ["pred obj"], named graphs


_INT_LIT = [f'"{i}"^^<{DT_INT}>' for i in range(1000)]


def _sorted_unique_strs(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v) and v == sorted(set(v))


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _aliases(al: Any, pred: str, pairs: list[str], extras: dict) -> None:
    """Aliases as one ``pred "alias"`` pair each when they are a sorted list of unique strings
    (the form kg writes); anything else is kept verbatim in *extras* for the round trip."""
    if not al and type(al) is list:
        return
    if _sorted_unique_strs(al):
        pairs.extend(pred + " " + _str(x) for x in al)
    else:
        extras["aliases"] = al


def iter_blocks(G: nx.DiGraph, base: str = DEFAULT_BASE) -> Iterator[Block]:
    """The statements of *G*, one block per subject: ``(subject, ["predicate object", ...],
    named_graphs)``, terms in N-Triples syntax, in a deterministic order (graph metadata, source
    listings, extractor, then the nodes sorted by id, each paper followed by its authorship
    entries and mentions). ``named_graphs`` are the IRIs of the source listings of the paper a
    block belongs to (empty: default graph).

    >>> from kg.graph import new_graph
    >>> [s for s, _, _ in iter_blocks(new_graph())]
    ['<https://example.org/kg/graph>']
    """
    base = check_base(base)
    meta = G.graph
    nodes = G._node
    adj = G._succ
    sources = meta.get("sources", [])
    sources_ok = (isinstance(sources, list) and all(isinstance(s, str) for s in sources)
                  and len(set(sources)) == len(sources))
    if not sources_ok:
        sources = []
    src_pos = {s: i for i, s in enumerate(sources)}
    extra_srcs = sorted({s for d in nodes.values() if isinstance(d.get("sources"), list)
                         for s in d["sources"] if isinstance(s, str) and s not in src_pos})
    src_iri = {s: f"<{base}source/{quote(s, safe='')}>" for s in [*sources, *extra_srcs]}
    version = meta.get("extractor_version")
    agent = f"<{base}extractor/{quote(version, safe='')}>" if isinstance(version, str) else None
    iri_rel = {n: node_iri(n, "") for n in nodes}
    iri = {n: f"<{base}{r}>" for n, r in iri_rel.items()}
    odd_edges = [[u, v, e] for u, nbrs in adj.items() for v, e in nbrs.items()
                 if not (e.get("type") in ROLE_PRED or
                         (e.get("type") == AUTHORED and type(e.get("position")) is int))]

    # graph metadata
    pairs = [A + " " + K["KnowledgeGraph"]]
    extras: dict[str, Any] = {}
    for k in sorted(meta):
        v = meta[k]
        if k == "problems":
            continue  # like graph.json: skipped records are reported, not stored
        if k == "format" and isinstance(v, str):
            pairs.append(K["format"] + " " + _str(v))
        elif k == "kg_version" and isinstance(v, str):
            pairs.append(K["kgVersion"] + " " + _str(v))
        elif k == "extractor_version" and isinstance(v, str):
            pairs.append(K["extractorVersion"] + " " + _str(v))
        elif k == "sources" and sources_ok:
            pairs.extend(DERIVED + " " + src_iri[s] for s in sources)
        else:
            extras[k] = v
    if odd_edges:
        extras[EDGES_KEY] = sorted(odd_edges, key=lambda x: (str(x[0]), str(x[1])))
    if extras:
        pairs.append(K["extraAttributes"] + " " + _str(_json(extras)))
    yield f"<{base}graph>", pairs, ()
    for s, term in src_iri.items():
        pairs = [A + " " + K["SourceListing"], LABEL + " " + _str(s), S_NAME + " " + _str(s)]
        if s in src_pos:
            pairs.append(K["position"] + " " + _lit(src_pos[s]))
        yield term, pairs, ()
    if agent:
        yield agent, [A + " " + AGENT, LABEL + " " + _str(f"kg extractor {version}"),
                      S_VERSION + " " + _str(version)], ()

    K_extra, K_authorship, K_Authorship, K_position = (K["extraAttributes"], K["authorship"],
                                                       K["Authorship"], K["position"])
    K_name, K_author, K_Mention, K_alias = K["nameAsListed"], K["author"], K["Mention"], K["alias"]
    type_pairs = {t: [A + " " + c for c in cs] for t, cs in TYPE_CLASSES.items()}
    type_pairs[None] = [A + " " + K["Node"]]
    n_src = len(src_pos)
    for n in sorted(nodes, key=str):
        d = nodes[n]
        t = d.get("type")
        s = iri[n]
        known = t if t in TYPE_CLASSES else None
        pairs = type_pairs[known].copy()
        pairs.append(ID + " " + _str(n if type(n) is str else str(n)))
        extras = {}
        if known is None:
            if isinstance(t, str):
                pairs.append(K["nodeType"] + " " + _str(t))
            elif "type" in d:
                extras["type"] = t
        for key, pred in NODE_ATTRS[known]:
            if key in d:
                v = d[key]
                if type(v) is str and key != "url":
                    pairs.append(pred + " " + _str(v))
                elif v is None and known == PAPER:  # PAPER_DEFAULTS (title/label are str)
                    if key not in PAPER_DEFAULTS:
                        extras[key] = v
                else:
                    lit = _attr_lit(key, v)
                    if lit is None:
                        extras[key] = v
                    else:
                        pairs.append(pred + " " + lit)
        handled = HANDLED[known]
        for key in d:
            if key not in handled:
                extras[key] = d[key]
        graphs: tuple[str, ...] = ()
        authors: list[str] = []
        if known == PAPER:
            if "authors" not in d:
                extras["authors"] = None  # marks "absent" (papers normally have both)
            if "sources" not in d:
                extras["sources"] = None
            a = d.get("authors")
            if type(a) is list and all(type(x) is str for x in a):
                authors = a
            elif "authors" in d:
                extras["authors"] = a
            srcs = d.get("sources")
            if type(srcs) is list and all(type(x) is str for x in srcs):
                graphs = tuple(src_iri[x] for x in dict.fromkeys(srcs))
                pairs.extend(DERIVED + " " + g for g in graphs)
                if len(srcs) > 1 and srcs != sorted(set(srcs), key=lambda x: (src_pos.get(x, n_src), x)):
                    extras["sources"] = srcs  # the exact order (the triples are a set)
            elif "sources" in d:
                extras["sources"] = srcs
        elif "aliases" in d and known in (METHOD, BENCHMARK):
            _aliases(d["aliases"], S_ALT, pairs, extras)
        if extras:
            extras = dict(sorted(extras.items()))

        # out-edges: ordered authorship, then proposes / uses with their mentions
        succ = adj[n]
        if not succ and not authors:
            if extras:
                pairs.append(K_extra + " " + _str(_json(extras)))
            yield s, pairs, graphs
            continue
        by_pos: dict[int, list] = {}
        mentions = []
        for v in (sorted(succ, key=str) if len(succ) > 1 else succ):
            e = succ[v]
            et = e.get("type")
            if et == AUTHORED:
                pos = e.get("position")
                if type(pos) is int:
                    by_pos.setdefault(pos, []).append(v)
            elif et in ROLE_PRED:
                mentions.append((v, e))
        for pos in sorted(by_pos):
            pairs.extend(S_AUTHOR + " " + iri[v] for v in by_pos[pos])
        positions = range(len(authors)) if all(0 <= p < len(authors) for p in by_pos) \
            else sorted(set(range(len(authors))) | set(by_pos))
        path = s[1:-1]
        entries = [f"<{path}/author/{i}>" for i in positions]
        pairs.extend(K_authorship + " " + x for x in entries)
        pairs.extend(ROLE_PRED[e["type"]] + " " + iri[v] for v, e in mentions)
        if extras:
            pairs.append(K_extra + " " + _str(_json(extras)))
        yield s, pairs, graphs

        n_auth = len(authors)
        for i, entry in zip(positions, entries):
            p2 = [A + " " + K_Authorship, K_position + " " + _INT_LIT[i] if 0 <= i < 1000 else _lit(i)]
            if 0 <= i < n_auth:
                p2.append(K_name + " " + _str(authors[i]))
            ats = by_pos.get(i)
            if ats:
                edge_extras = {}
                for v in ats:
                    p2.append(K_author + " " + iri[v])
                    e = succ[v]
                    if len(e) > 2:
                        edge_extras[str(v)] = {k: x for k, x in e.items() if k not in ("type", "position")}
                if edge_extras:
                    p2.append(K_extra + " " + _str(_json(edge_extras)))
            yield entry, p2, graphs
        for v, e in mentions:
            p2 = [A + " " + K_Mention, R_SUBJ + " " + s, R_PRED + " " + ROLE_PRED[e["type"]], R_OBJ + " " + iri[v]]
            extras = {}
            for key, pred in _MENTION_ATTRS:
                if key in e:
                    x = e[key]
                    lit = _str(x) if type(x) is str else _lit(x)
                    if lit is None:
                        extras[key] = x
                    else:
                        p2.append(pred + " " + lit)
            if "aliases" in e:
                _aliases(e["aliases"], K_alias, p2, extras)
            else:
                extras["aliases"] = None  # marks "absent"
            if agent:
                p2.append(ATTRIBUTED + " " + agent)
            for key in e:
                if key not in _MENTION_KEYS:
                    extras[key] = e[key]
            if extras:
                p2.append(K_extra + " " + _str(_json(extras)))
            yield f"<{path}/mention/{iri_rel[v]}>", p2, graphs


def count_triples(G: nx.DiGraph, base: str = DEFAULT_BASE) -> int:
    """The number of triples of the export of *G*.

    >>> from kg.graph import new_graph
    >>> count_triples(new_graph())
    3
    """
    return sum(len(p) for _, p, _ in iter_blocks(G, base))


# --------------------------------------------------------------------------- writers
def _ntriples(blocks, w) -> int:
    n = 0
    buf: list[str] = []
    for s, pairs, _ in blocks:
        buf.append(f"{s} {f' .{chr(10)}{s} '.join(pairs)} .\n")
        n += len(pairs)
        if len(buf) >= 2000:
            w("".join(buf))
            buf.clear()
    w("".join(buf))
    return n


def _nquads(blocks, w) -> int:
    n = 0
    buf: list[str] = []
    for s, pairs, graphs in blocks:
        if graphs:
            for g in graphs:
                buf.append("".join([f"{s} {po} {g} .\n" for po in pairs]))
            n += len(pairs) * len(graphs)
        else:
            buf.append(f"{s} {f' .{chr(10)}{s} '.join(pairs)} .\n")
            n += len(pairs)
        if len(buf) >= 2000:
            w("".join(buf))
            buf.clear()
    w("".join(buf))
    return n


_PREFIXED = {}
for _p, _ns in PREFIXES.items():
    for _term in (A, ID, LABEL, S_ARTICLE, S_PERSON, S_DATASET, S_NAME, S_ABSTRACT, S_DATE, S_URL,
                  S_AUTHOR, S_ALT, S_VERSION, DERIVED, ATTRIBUTED, AGENT, R_SUBJ, R_PRED, R_OBJ,
                  *K.values()):
        if _term[1:-1].startswith(_ns):
            _PREFIXED[_term] = f"{_p}:{_term[1 + len(_ns):-1]}"
_PREFIXED[A] = "a"


def _ttl_obj(o: str) -> str:
    if o[0] == "<":
        return _PREFIXED.get(o, o)
    if o[-1] == ">":
        i = o.rfind("^^<")
        if o.startswith(XSD_NS, i + 3):
            return f"{o[:i]}^^xsd:{o[i + 3 + len(XSD_NS):-1]}"
    return o


def _turtle(blocks, w) -> int:
    w("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()))
    n = 0
    buf: list[str] = []
    for s, pairs, _ in blocks:
        parts = [f"\n{s}"]
        last = None
        for po in pairs:
            p, o = po.split(" ", 1)
            if p == last:
                parts.append(f" ,\n        {_ttl_obj(o)}")
            else:
                parts.append(f"{' ;' if last else ''}\n    {_PREFIXED.get(p, p)} {_ttl_obj(o)}")
            last = p
        parts.append(" .\n")
        buf.append("".join(parts))
        n += len(pairs)
        if len(buf) >= 1000:
            w("".join(buf))
            buf.clear()
    w("".join(buf))
    return n


_COMPACT = {k[1:-1]: v for k, v in _PREFIXED.items() if v != "a"}


def _jsonld_value(o: str) -> Any:
    if o[0] == "<":
        return {"@id": _COMPACT.get(o[1:-1], o[1:-1])}
    end = o.rfind('"')
    lex = _unescape(o[1:end])
    if end == len(o) - 1:
        return lex
    dt = o[end + 4:-1]
    return {"@value": lex, "@type": "xsd:" + dt[len(XSD_NS):] if dt.startswith(XSD_NS) else dt}


def _jsonld(blocks, w) -> int:
    w('{\n"@context": ' + _json(PREFIXES) + ',\n"@graph": [')
    n = 0
    first = True
    for s, pairs, _ in blocks:
        obj: dict[str, Any] = {"@id": s[1:-1]}
        for po in pairs:
            p, o = po.split(" ", 1)
            if p == A:
                key, val = "@type", _COMPACT.get(o[1:-1], o[1:-1])
            else:
                key, val = _COMPACT.get(p[1:-1], p[1:-1]), _jsonld_value(o)
            if key in obj:
                if not isinstance(obj[key], list):
                    obj[key] = [obj[key]]
                obj[key].append(val)
            else:
                obj[key] = val
        w(("\n" if first else ",\n") + _json(obj))
        first = False
        n += len(pairs)
    w("\n]\n}\n")
    return n


_WRITERS = {"turtle": _turtle, "ntriples": _ntriples, "jsonld": _jsonld, "nquads": _nquads}


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise KGError(f"unknown RDF format {fmt!r} (choose from {', '.join(FORMATS)})")
    return fmt


def serialize(G: nx.DiGraph, fmt: str = "turtle", base: str = DEFAULT_BASE) -> str:
    """The export of *G* as a string (for small graphs; :func:`write_rdf` streams to files).

    >>> from kg.graph import new_graph
    >>> print(serialize(new_graph(), "ntriples").splitlines()[0])
    <https://example.org/kg/graph> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#KnowledgeGraph> .
    """
    out = io.StringIO()
    _WRITERS[_check_format(fmt)](iter_blocks(G, check_base(base)), out.write)
    return out.getvalue()


def _shard_path(path: Path, i: int) -> Path:
    return path.with_name(f"{path.name[:-len(path.suffix)] if path.suffix else path.name}"
                          f"-{i:05d}{path.suffix}")


def write_rdf(G: nx.DiGraph, out: str | os.PathLike | IO[str], fmt: str | None = None,
              base: str = DEFAULT_BASE, shard_size: int | None = None) -> list[Path]:
    """Write the export of *G* to *out* (a path, written atomically, or a text stream) in
    *fmt* (default: from the file suffix, else Turtle); return the files written.

    With *shard_size* (N-Triples / N-Quads only) the statements are split into files of at most
    that many lines, ``NAME-00001.nt``, ``NAME-00002.nt``..., for parallel bulk loaders.

    >>> import tempfile, pathlib
    >>> from kg.graph import new_graph
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> [f.name for f in write_rdf(new_graph(), p)]
    ['g.nt']
    >>> [f.name for f in write_rdf(new_graph(), p, shard_size=2)]
    ['g-00001.nt', 'g-00002.nt']
    """
    check_base(base)
    if fmt is None:
        fmt = SUFFIX_FORMAT.get(Path(out).suffix, "turtle") if isinstance(out, (str, os.PathLike)) \
            else "turtle"
    _check_format(fmt)
    if shard_size is not None:
        if fmt not in ("ntriples", "nquads"):
            raise KGError("--shard-size works with the ntriples and nquads formats only")
        if shard_size < 1:
            raise KGError(f"--shard-size must be at least 1 (got {shard_size})")
        if not isinstance(out, (str, os.PathLike)):
            raise KGError("--shard-size needs an output file name (--out)")
        return _write_shards(G, Path(out), fmt, base, shard_size)
    blocks = iter_blocks(G, base)
    if not isinstance(out, (str, os.PathLike)):
        _WRITERS[fmt](blocks, out.write)
        return []
    with atomic_open(out) as f:
        _WRITERS[fmt](blocks, f.write)
    return [Path(out)]


def _write_shards(G: nx.DiGraph, out: Path, fmt: str, base: str, size: int) -> list[Path]:
    written: list[Path] = []
    with ExitStack() as stack:
        state = {"f": None, "lines": 0}

        def w(text: str) -> None:
            for line in text.splitlines(keepends=True):
                if state["f"] is None or state["lines"] >= size:
                    written.append(_shard_path(out, len(written) + 1))
                    state["f"] = stack.enter_context(atomic_open(written[-1]))
                    state["lines"] = 0
                state["f"].write(line)
                state["lines"] += 1
        _WRITERS[fmt](iter_blocks(G, base), w)
    stem = out.name[:-len(out.suffix)] if out.suffix else out.name
    for stale in out.parent.glob(f"{glob_escape(stem)}-[0-9][0-9][0-9][0-9][0-9]{glob_escape(out.suffix)}"):
        if stale not in written:
            stale.unlink()  # a shard of an earlier, bigger export
    return written


def write_build_exports(G: nx.DiGraph, folder: str | os.PathLike) -> list[Path]:
    """Write ``graph.ttl`` and ``graph.nt`` into *folder* (called by ``kg build``).

    >>> import tempfile
    >>> from kg.graph import new_graph
    >>> [p.name for p in write_build_exports(new_graph(), tempfile.mkdtemp())]
    ['graph.ttl', 'graph.nt']
    """
    folder = Path(folder)
    return [*write_rdf(G, folder / "graph.ttl", "turtle"), *write_rdf(G, folder / "graph.nt", "ntriples")]


# --------------------------------------------------------------------------- reading
def _value(o) -> Any:
    """A pyoxigraph literal as the Python value it was written from."""
    import pyoxigraph as ox

    if not isinstance(o, ox.Literal):
        return o.value
    dt = o.datatype.value
    lex = o.value
    try:
        if dt in (DT_INT, DT_YEAR) or dt.endswith(("#int", "#long", "#nonNegativeInteger")):
            return int(lex)
        if dt in (DT_DOUBLE, XSD_NS + "decimal", XSD_NS + "float"):
            return float(lex)
    except ValueError:
        return lex
    if dt == DT_BOOL:
        return lex in ("true", "1")
    return lex


def _parse(path: Path) -> dict[str, dict[str, list]]:
    import pyoxigraph as ox

    fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "nquads": ox.RdfFormat.N_QUADS}[SUFFIX_FORMAT[path.suffix]]
    subjects: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    seen = set()
    try:
        for q in ox.parse(path=str(path), format=fmt):
            s, p, o = q.subject, q.predicate.value, q.object
            key = (s, p, o)
            if key in seen:  # the same triple in several named graphs
                continue
            seen.add(key)
            subjects[s.value if isinstance(s, ox.NamedNode) else f"_:{s.value}"][p].append(o)
    except SyntaxError as exc:
        raise KGError(f"not valid {SUFFIX_FORMAT[path.suffix]} ({exc.msg})"[:300], str(path),
                      exc.lineno) from None
    except (OSError, ValueError) as exc:
        raise KGError(f"cannot read RDF ({exc})"[:300], str(path)) from None
    return subjects


def load_rdf(path: str | os.PathLike) -> nx.DiGraph:
    """Load an RDF export (``.ttl``, ``.nt``, ``.jsonld``, ``.nq``) back into the graph it was
    written from: nodes, edges and attributes as in ``graph.json``.

    >>> import tempfile, pathlib
    >>> from kg.graph import new_graph, add_records, to_json
    >>> from kg.model import Record
    >>> G = new_graph(); _ = add_records(G, [Record("T", ["Ann", "Bo"], "A\\\\b", "x.txt", 2024)])
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> _ = write_rdf(G, p); to_json(load_rdf(p)) == to_json(G)
    True
    """
    path = Path(path)
    if path.suffix not in SUFFIX_FORMAT:
        raise KGError(f"unknown RDF file suffix {path.suffix!r} (use .ttl, .nt, .jsonld or .nq)", str(path))
    if not path.is_file():
        raise KGError("no such file", str(path))
    subj = _parse(path)
    return _rebuild(subj, str(path))


def _one(props: dict, pred: str, default: Any = None) -> Any:
    vals = props.get(pred)
    return _value(vals[0]) if vals else default


def _rebuild(subj: dict[str, dict[str, list]], where: str) -> nx.DiGraph:
    tp = A[1:-1]
    p = {k: v[1:-1] for k, v in K.items()}
    cls_type = {S_ARTICLE[1:-1]: PAPER, S_PERSON[1:-1]: AUTHOR, p["Method"]: METHOD,
                p["Benchmark"]: BENCHMARK, p["Node"]: None}
    G = nx.DiGraph()
    ids: dict[str, Any] = {}
    kinds: dict[str, str | None] = {}
    meta = None
    for s, props in subj.items():
        types = {o.value for o in props.get(tp, ())}
        if p["KnowledgeGraph"] in types:
            meta = s
        for c, kind in cls_type.items():
            if c in types:
                kinds[s] = kind
                ids[s] = _one(props, ID[1:-1], s)
                break
    if meta is None and not ids:
        raise KGError("no kg graph found in this RDF file (no kg:KnowledgeGraph and no papers, "
                      "authors, methods or benchmarks)", where)

    def source_name(o) -> str:
        props = subj.get(o.value, {})
        return _one(props, S_NAME[1:-1], o.value)

    def source_key(o):
        props = subj.get(o.value, {})
        pos = _one(props, p["position"])
        return (pos if isinstance(pos, int) else float("inf"), source_name(o))

    def extras_of(props) -> dict:
        vals = props.get(p["extraAttributes"])
        return json.loads(vals[0].value) if vals else {}

    edge_extras: list = []
    if meta is not None:
        props = subj[meta]
        G.graph.update({k: _one(props, p[pred]) for k, pred in
                        (("format", "format"), ("kg_version", "kgVersion"),
                         ("extractor_version", "extractorVersion")) if p[pred] in props})
        if DERIVED[1:-1] in props:
            G.graph["sources"] = [source_name(o) for o in sorted(props[DERIVED[1:-1]], key=source_key)]
        extras = extras_of(props)
        edge_extras = extras.pop(EDGES_KEY, [])
        G.graph.update(extras)

    for s in sorted(ids, key=lambda x: str(ids[x])):
        props, kind = subj[s], kinds[s]
        attrs: dict[str, Any] = {}
        if kind is not None:
            attrs["type"] = kind
        elif p["nodeType"] in props:
            attrs["type"] = _one(props, p["nodeType"])
        for key, pred in NODE_ATTRS[kind]:
            if pred[1:-1] in props:
                attrs[key] = _one(props, pred[1:-1])
        if kind == PAPER:
            for key in PAPER_DEFAULTS:
                attrs.setdefault(key, None)
            names = {}
            for o in props.get(p["authorship"], ()):
                ap = subj.get(o.value, {})
                pos = _one(ap, p["position"])
                if p["nameAsListed"] in ap:
                    names[pos] = _one(ap, p["nameAsListed"])
            attrs["authors"] = [names[i] for i in sorted(names)]
            attrs["sources"] = [source_name(o) for o in sorted(props.get(DERIVED[1:-1], ()), key=source_key)]
        if kind in (METHOD, BENCHMARK):
            attrs["aliases"] = sorted(_value(o) for o in props.get(S_ALT[1:-1], ()))
        extras = extras_of(props)
        for key in ("authors", "sources"):
            if key in extras and extras[key] is None:
                del extras[key], attrs[key]
        attrs.update(extras)
        G.add_node(ids[s], **attrs)

    for s in sorted(ids, key=lambda x: str(ids[x])):
        props, u = subj[s], ids[s]
        for o in props.get(p["authorship"], ()):
            ap = subj.get(o.value, {})
            pos = _one(ap, p["position"])
            more = extras_of(ap)
            for a in ap.get(p["author"], ()):
                v = ids.get(a.value, a.value)
                G.add_edge(u, v, type=AUTHORED, position=pos, **more.get(str(v), {}))
        for a in props.get(S_AUTHOR[1:-1], ()):  # authors without an ordered entry
            v = ids.get(a.value, a.value)
            if not G.has_edge(u, v):
                G.add_edge(u, v, type=AUTHORED)
    for s, props in subj.items():
        types = {o.value for o in props.get(tp, ())}
        if p["Mention"] not in types:
            continue
        u = ids.get(props[R_SUBJ[1:-1]][0].value)
        v = ids.get(props[R_OBJ[1:-1]][0].value)
        role = PRED_ROLE.get(props[R_PRED[1:-1]][0].value)
        if u is None or v is None or role is None:
            raise KGError(f"mention {s} refers to unknown nodes or role", where)
        attrs = {"type": role}
        for key, pred in _MENTION_ATTRS:
            if pred[1:-1] in props:
                attrs[key] = _one(props, pred[1:-1])
        attrs["aliases"] = sorted(_value(o) for o in props.get(p["alias"], ()))
        extras = extras_of(props)
        if "aliases" in extras and extras["aliases"] is None:
            del extras["aliases"], attrs["aliases"]
        attrs.update(extras)
        G.add_edge(u, v, **attrs)
    for s in ids:  # proposes / uses triples without a reified mention (other producers)
        for role, pred in ROLE_PRED.items():
            for o in subj[s].get(pred[1:-1], ()):
                v = ids.get(o.value, o.value)
                if not G.has_edge(ids[s], v):
                    G.add_edge(ids[s], v, type=role)
    for u, v, e in edge_extras:
        G.add_edge(u, v, **e)
    return G


# --------------------------------------------------------------------------- validation
def _rdflib_graph(path: Path):
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
        return Literal(t.value, datatype=None if t.datatype.value == DT_STRING else URIRef(t.datatype.value))

    g = Graph()
    for s, props in _parse(path).items():
        subj = BNode(s[2:]) if s.startswith("_:") else URIRef(s)
        for p, objs in props.items():
            for o in objs:
                g.add((subj, URIRef(p), conv(o)))
    return g


def validate(path: str | os.PathLike) -> tuple[bool, str]:
    """Validate an RDF export against the SHACL shapes shipped in the package
    (``kg/shapes.ttl``); return ``(conforms, report text)``.

    >>> import tempfile, pathlib
    >>> from kg.graph import new_graph
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = write_rdf(new_graph(), p); validate(p)[0]
    True
    """
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    path = Path(path)
    if path.suffix not in SUFFIX_FORMAT:
        raise KGError(f"unknown RDF file suffix {path.suffix!r} (use .ttl, .nt, .jsonld or .nq)", str(path))
    if not path.is_file():
        raise KGError("no such file", str(path))
    if path.stat().st_size == 0:  # would "conform" vacuously
        raise KGError("empty file", str(path))
    data = _rdflib_graph(path)
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    conforms, _, text = shacl_validate(data, shacl_graph=shapes, inference="none",
                                       allow_warnings=True)
    return bool(conforms), text


__all__ = ["FORMATS", "check_base", "node_iri", "iter_blocks", "count_triples", "serialize",
           "write_rdf", "write_build_exports", "load_rdf", "validate", "ONTOLOGY_PATH", "SHAPES_PATH"]
