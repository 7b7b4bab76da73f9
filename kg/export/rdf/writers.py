"""The four syntaxes of the export, written from the statements of :func:`~.mapping.iter_blocks`:
N-Triples (``ntriples``), N-Quads with one named graph per source listing (``nquads``),
Turtle (``turtle``) and JSON-LD with an inline context (``jsonld``). Each syntax is a
generator of text, a block at a time (:data:`SYNTAXES`), streamed to a file or a ``write``
function (:func:`write_text`), so a big graph is never held in memory; the same graph gives
byte-identical files. Terms become syntax here only.

>>> from .terms import IRI, Literal, XSD_INTEGER
>>> blocks = [(IRI("urn:x:a"), [(IRI("urn:x:p"), Literal('say "hi"')), (IRI("urn:x:p"), Literal("3", XSD_INTEGER))], ())]
>>> print(to_string(blocks, "ntriples"), end="")
<urn:x:a> <urn:x:p> "say \\"hi\\"" .
<urn:x:a> <urn:x:p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
>>> print(to_string(blocks, "turtle").split("\\n\\n")[1], end="")
<urn:x:a>
    <urn:x:p> "say \\"hi\\"" ,
        "3"^^xsd:integer .
"""
from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from glob import escape as glob_escape
from pathlib import Path
from typing import IO, Any

import networkx as nx

from ..._io import atomic_open
from ..vocab import DEFAULT_BASE, PREFIXES, SDO_HTTPS
from .errors import ParameterError
from .mapping import iter_blocks
from .tables import TYPE, VOCABULARY, Block, Pair, to_json
from .terms import IRI, XSD_NS, check_base

FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "nquads": ".nq"}
SUFFIX_FORMAT = {v: k for k, v in FORMATS.items()}
Write = Callable[[str], Any]

# --------------------------------------------------------------------------- N-Triples terms
_ESC = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
        ord("\b"): "\\b", ord("\f"): "\\f"}
_ESC.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in _ESC})
_NEEDS_ESC = re.compile(r'[\x00-\x1f"\\\x7f]')
_RARE_CTRL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


def quoted(s: str) -> str:
    """A string in double quotes, escaped for N-Triples (and Turtle): one line, always.

    >>> print(quoted('a "b"\\n\\x01'))
    "a \\"b\\"\\n\\u0001"
    """
    if _NEEDS_ESC.search(s) is None:
        return f'"{s}"'
    if _RARE_CTRL.search(s):
        return f'"{s.translate(_ESC)}"'
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


class _Forms(dict):
    """A memo of the written form of IRIs (predicates, classes, datatypes): ``forms[iri]``."""

    def __init__(self, form: Callable[[IRI], str], known: dict[IRI, str] | None = None):
        super().__init__(known or {})
        self.form = form

    def __missing__(self, iri: IRI) -> str:
        self[iri] = v = self.form(iri)
        return v


def _nt_pairs(pairs: list[Pair], preds: dict[IRI, str]) -> list[str]:
    """``"<predicate> object"`` in N-Triples syntax for each pair of a block (*preds*: a memo
    of the predicates' forms, with the space; a plain dict, the fastest to look up)."""
    out: list[str] = []
    add = out.append
    needs_esc = _NEEDS_ESC.search
    for p, o in pairs:
        try:
            pre = preds[p]
        except KeyError:
            pre = preds[p] = f"<{p}> "
        if type(o) is IRI:
            add(f"{pre}<{o}>")
            continue
        lex = o.lexical
        q = f'"{lex}"' if needs_esc(lex) is None else quoted(lex)
        add(pre + q if o.datatype is None else f"{pre}{q}^^<{o.datatype}>")
    return out


def ntriples(blocks: Iterable[Block], named_graphs: bool = False) -> Iterator[str]:
    """The blocks as N-Triples, one triple a line, a block at a time. With *named_graphs*:
    N-Quads, each triple once per named graph of its block (none: the default graph).

    >>> from .terms import IRI
    >>> print("".join(ntriples([(IRI("u:s"), [(IRI("u:p"), IRI("u:o"))], (IRI("u:g"),))], True)), end="")
    <u:s> <u:p> <u:o> <u:g> .
    """
    preds: dict[IRI, str] = {}
    for s, pairs, graphs in blocks:
        pos = _nt_pairs(pairs, preds)
        subj = f"<{s}> "
        for end in ([f" <{g}> .\n" for g in graphs] if named_graphs and graphs else [" .\n"]):
            yield subj + (end + subj).join(pos) + end


def nquads(blocks: Iterable[Block]) -> Iterator[str]:
    """The blocks as N-Quads (:func:`ntriples` with named graphs)."""
    return ntriples(blocks, named_graphs=True)


# --------------------------------------------------------------------------- Turtle, JSON-LD
def _prefixed(iri: IRI) -> str | None:
    for p, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{p}:{iri[len(ns):]}"
    return None


#: prefixed names of the vocabulary terms (``schema:name``); other IRIs are written in full
_COMPACT = {t: c for t in VOCABULARY if (c := _prefixed(t))}


def _ttl_dt(dt: IRI) -> str:
    return f"^^xsd:{dt[len(XSD_NS):]}" if dt.startswith(XSD_NS) else f"^^<{dt}>"


def turtle(blocks: Iterable[Block]) -> Iterator[str]:
    """The blocks as Turtle: the prefixes, then one paragraph per subject, objects of a
    repeated predicate joined by ``,``."""
    yield "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    preds = _Forms(lambda i: f"<{i}>", {**_COMPACT, TYPE: "a"})
    dts = _Forms(_ttl_dt)
    compact = _COMPACT.get
    for s, pairs, _ in blocks:
        parts = [f"\n<{s}>"]
        last = None
        for p, o in pairs:
            obj = (compact(o) or f"<{o}>") if type(o) is IRI else \
                quoted(o.lexical) + dts[o.datatype] if o.datatype else quoted(o.lexical)
            if p == last:
                parts.append(f" ,\n        {obj}")
            else:
                parts.append(f"{' ;' if last else ''}\n    {preds[p]} {obj}")
            last = p
        parts.append(" .\n")
        yield "".join(parts)


def _jsonld_value(o) -> Any:
    if type(o) is IRI:
        return {"@id": _COMPACT.get(o, o)}
    dt = o.datatype
    if dt is None:
        return o.lexical
    return {"@value": o.lexical, "@type": "xsd:" + dt[len(XSD_NS):] if dt.startswith(XSD_NS) else dt}


def jsonld(blocks: Iterable[Block]) -> Iterator[str]:
    """The blocks as one JSON-LD document: the prefixes as ``@context``, one node object per
    subject in ``@graph`` (a line each)."""
    yield '{\n"@context": ' + to_json(PREFIXES) + ',\n"@graph": ['
    sep = "\n"
    for s, pairs, _ in blocks:
        obj: dict[str, Any] = {"@id": s}
        for p, o in pairs:
            if p == TYPE:
                key, val = "@type", _COMPACT.get(o, o)
            else:
                key, val = _COMPACT.get(p, p), _jsonld_value(o)
            if key in obj:
                if not isinstance(obj[key], list):
                    obj[key] = [obj[key]]
                obj[key].append(val)
            else:
                obj[key] = val
        yield sep + to_json(obj)
        sep = ",\n"
    yield "\n]\n}\n"


#: format -> the generator of its text
SYNTAXES: dict[str, Callable[[Iterable[Block]], Iterator[str]]] = {
    "turtle": turtle, "ntriples": ntriples, "jsonld": jsonld, "nquads": nquads}


def write_text(pieces: Iterable[str], w: Write, chunk: int = 2000) -> None:
    """Hand the *pieces* of text to *w* joined in groups of *chunk* (fewer, bigger writes)."""
    buf: list[str] = []
    for piece in pieces:
        buf.append(piece)
        if len(buf) >= chunk:
            w("".join(buf))
            buf.clear()
    w("".join(buf))


# --------------------------------------------------------------------------- files
def check_format(fmt: str) -> str:
    """Return *fmt* if it is one of :data:`FORMATS`, else raise a :class:`ParameterError`.

    >>> check_format("xml")
    Traceback (most recent call last):
    ...
    kg.model.ParameterError: invalid fmt 'xml': choose from turtle, ntriples, jsonld, nquads
    """
    if fmt not in FORMATS:
        raise ParameterError(f"invalid {{fmt}} {fmt!r}: choose from {', '.join(FORMATS)}", "fmt")
    return fmt


_SDO_HTTP = PREFIXES["schema"]


def _https_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """The blocks with ``http://schema.org/`` IRIs as ``https://schema.org/``."""
    n = len(_SDO_HTTP)

    def h(t):
        return IRI(SDO_HTTPS + t[n:]) if type(t) is IRI and t.startswith(_SDO_HTTP) else t
    for s, pairs, graphs in blocks:
        yield h(s), [(h(p), h(o)) for p, o in pairs], graphs


def text_of(blocks: Iterable[Block], fmt: str, schema_https: bool = False) -> Iterator[str]:
    """The pieces of text of *blocks* in *fmt*; with *schema_https* schema.org terms are
    written with ``https://schema.org/`` (rdflib 7's ``SDO``) instead of ``http://``."""
    if not schema_https:
        return SYNTAXES[fmt](blocks)
    if fmt in ("ntriples", "nquads"):
        return SYNTAXES[fmt](_https_blocks(blocks))

    def pieces():  # Turtle and JSON-LD write every schema.org term with the prefix
        it = SYNTAXES[fmt](blocks)
        first = next(it)
        yield first.replace(f"<{_SDO_HTTP}>", f"<{SDO_HTTPS}>").replace(f'"{_SDO_HTTP}"', f'"{SDO_HTTPS}"')
        yield from it
    return pieces()


def to_string(blocks: Iterable[Block], fmt: str) -> str:
    """The blocks written in *fmt*, as a string."""
    out = io.StringIO()
    write_text(SYNTAXES[check_format(fmt)](blocks), out.write)
    return out.getvalue()


def serialize(G: nx.DiGraph, fmt: str = "turtle", base: str = DEFAULT_BASE, schema_https: bool = False) -> str:
    """The export of *G* as a string (for small graphs; :func:`write_rdf` streams to files).

    >>> from kg.graph import new_graph
    >>> print(serialize(new_graph(), "ntriples").splitlines()[0])
    <https://example.org/kg/graph> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kg-papers/ontology#KnowledgeGraph> .
    """
    check_format(fmt)
    out = io.StringIO()
    write_text(text_of(iter_blocks(G, check_base(base)), fmt, schema_https), out.write)
    return out.getvalue()


def _is_path(out) -> bool:
    return isinstance(out, (str, os.PathLike))


def write_rdf(G: nx.DiGraph, out: str | os.PathLike | IO[str], fmt: str | None = None,
              base: str = DEFAULT_BASE, shard_size: int | None = None,
              schema_https: bool = False) -> list[Path]:
    """Write the export of *G* to *out* (a path, written atomically, or a text stream) in
    *fmt* (default: from the file suffix, else Turtle); return the files written.

    With *shard_size* (N-Triples / N-Quads only) the statements are split into files of at most
    that many lines, ``NAME-00001.nt``, ``NAME-00002.nt``..., for parallel bulk loaders.

    >>> import tempfile, pathlib
    >>> from kg.graph import new_graph
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> [f.name for f in write_rdf(new_graph(), p)]
    ['g.nt']
    >>> [f.name for f in write_rdf(new_graph(), p, shard_size=4)]
    ['g-00001.nt', 'g-00002.nt']
    >>> write_rdf(new_graph(), p, "turtle", shard_size=2)
    Traceback (most recent call last):
    ...
    kg.model.ParameterError: shard_size works with the ntriples and nquads formats only
    """
    check_base(base)
    if fmt is None:
        fmt = SUFFIX_FORMAT.get(Path(out).suffix, "turtle") if _is_path(out) else "turtle"
    check_format(fmt)
    if shard_size is not None:
        if fmt not in ("ntriples", "nquads"):
            raise ParameterError("{shard_size} works with the ntriples and nquads formats only",
                                 "shard_size")
        if shard_size < 1:
            raise ParameterError(f"{{shard_size}} must be at least 1 (got {shard_size})", "shard_size")
        if not _is_path(out):
            raise ParameterError("{shard_size} needs a file name as {out}, not a stream",
                                 "shard_size", "out")
        return _write_shards(G, Path(out), fmt, base, shard_size, schema_https)
    blocks = iter_blocks(G, base)
    if not _is_path(out):
        write_text(text_of(blocks, fmt, schema_https), out.write)
        return []
    with atomic_open(out) as f:
        write_text(text_of(blocks, fmt, schema_https), f.write)
    return [Path(out)]


def shard_path(path: Path, i: int) -> Path:
    """The name of shard *i* of *path*.

    >>> shard_path(Path("dump/kg.nt"), 2).as_posix()
    'dump/kg-00002.nt'
    """
    return path.with_name(f"{path.name[:-len(path.suffix)] if path.suffix else path.name}"
                          f"-{i:05d}{path.suffix}")


def _write_shards(G: nx.DiGraph, out: Path, fmt: str, base: str, size: int,
                  schema_https: bool = False) -> list[Path]:
    written: list[Path] = []
    with ExitStack() as stack:
        state = {"f": None, "lines": 0}

        def w(text: str) -> None:
            for line in text.splitlines(keepends=True):
                if state["f"] is None or state["lines"] >= size:
                    written.append(shard_path(out, len(written) + 1))
                    state["f"] = stack.enter_context(atomic_open(written[-1]))
                    state["lines"] = 0
                state["f"].write(line)
                state["lines"] += 1
        write_text(text_of(iter_blocks(G, base), fmt, schema_https), w)
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


__all__ = ["FORMATS", "SUFFIX_FORMAT", "SYNTAXES", "quoted", "ntriples", "nquads", "turtle",
           "jsonld", "write_text", "check_format", "to_string", "serialize", "write_rdf",
           "shard_path", "write_build_exports"]
