"""Deltas between two N-Triples exports, for a triple store that keeps the graph: what to
delete and what to insert so that a store holding the old export holds the new one, triple
for triple. The export has no blank nodes (every node, authorship entry and mention has an
IRI), so a triple is its N-Triples line and the delta is a difference of two sets of lines.

Two syntaxes, by file suffix (:data:`DELTA_SUFFIXES`):

* ``.ru``: SPARQL 1.1 Update, ``DELETE DATA { ... } ; INSERT DATA { ... }`` (POST it to a
  store's update endpoint: Oxigraph ``/update``, Jena Fuseki ``/ds/update``, Virtuoso ``/sparql``);
* ``.rdfp``: RDF Patch (``TX .``, ``D <s> <p> <o> .`` lines, ``A ...`` lines, ``TC .``),
  for Jena RDF Delta and other patch logs.

The lines are sorted, so the same two exports give the same bytes.

>>> d = diff_lines({"<u:a> <u:p> <u:o> .", "<u:a> <u:p> <u:x> ."}, {"<u:a> <u:p> <u:o> .", '<u:a> <u:q> "1" .'})
>>> d
Delta(deleted=['<u:a> <u:p> <u:x> .'], inserted=['<u:a> <u:q> "1" .'])
>>> print(sparql_update(d), end="")
DELETE DATA {
<u:a> <u:p> <u:x> .
} ;
INSERT DATA {
<u:a> <u:q> "1" .
}
>>> print(rdf_patch(d), end="")
TX .
D <u:a> <u:p> <u:x> .
A <u:a> <u:q> "1" .
TC .
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..._io import atomic_open
from ...model import KGError
from ..vocab import DEFAULT_BASE
from .errors import ParameterError
from .mapping import iter_blocks
from .writers import ntriples

DELTA_SUFFIXES = {".ru": "sparql-update", ".rdfp": "rdf-patch"}
_BLANK = re.compile(r'^_:|\s_:\S+\s+\.\s*$')


@dataclass
class Delta:
    """The sorted N-Triples lines to delete and to insert."""

    deleted: list[str]
    inserted: list[str]


def graph_lines(G: nx.DiGraph, base: str = DEFAULT_BASE) -> set[str]:
    """The N-Triples lines of the export of *G* (what ``kg build`` writes as ``graph.nt``).

    >>> from kg.graph import new_graph
    >>> len(graph_lines(new_graph()))
    7
    """
    return {ln for block in ntriples(iter_blocks(G, base)) for ln in block.splitlines()}


def file_lines(path: str | os.PathLike) -> set[str]:
    """The lines of an N-Triples file (a kg export); a blank node is a :class:`KGError`: a
    delta cannot name a blank node of the store."""
    path = Path(path)
    lines: set[str] = set()
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if _BLANK.search(line):
                raise KGError("a blank node: a delta cannot refer to it (kg exports have none)", str(path), i)
            lines.add(line)
    return lines


def lines_of(source: str | os.PathLike | nx.DiGraph, base: str = DEFAULT_BASE) -> set[str]:
    """The N-Triples lines of *source*: a graph, an ``.nt`` export (read as it is) or any
    file :func:`kg.load` reads (graph.json, another RDF syntax: exported with *base*)."""
    if isinstance(source, nx.DiGraph):
        return graph_lines(source, base)
    if Path(source).suffix == ".nt":
        return file_lines(source)
    from ... import load

    return graph_lines(load(source), base)


def diff_lines(old: Iterable[str], new: Iterable[str]) -> Delta:
    """What turns the set of lines *old* into *new*."""
    old, new = set(old), set(new)
    return Delta(sorted(old - new), sorted(new - old))


def sparql_update(d: Delta) -> str:
    """The delta as a SPARQL 1.1 Update (empty ``DATA`` blocks are valid)."""
    return ("DELETE DATA {\n" + "".join(ln + "\n" for ln in d.deleted) + "} ;\n"
            "INSERT DATA {\n" + "".join(ln + "\n" for ln in d.inserted) + "}\n")


def rdf_patch(d: Delta) -> str:
    """The delta as one RDF Patch transaction."""
    return ("TX .\n" + "".join(f"D {ln}\n" for ln in d.deleted)
            + "".join(f"A {ln}\n" for ln in d.inserted) + "TC .\n")


def check_delta_path(out: str | os.PathLike) -> Path:
    """*out* if its suffix names a delta syntax, else a :class:`ParameterError` (``delta``)."""
    if Path(out).suffix not in DELTA_SUFFIXES:
        raise ParameterError(f"invalid {{delta}} file name {str(out)!r}: use .ru (SPARQL Update) "
                             "or .rdfp (RDF Patch)", "delta")
    return Path(out)


def write_delta(old: Iterable[str], new: Iterable[str], out: str | os.PathLike) -> Delta:
    """Write the delta from the lines *old* to *new* to *out* (atomically; syntax from the
    suffix, :data:`DELTA_SUFFIXES`); return it.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "d.rdfp"
    >>> write_delta(["<u:a> <u:p> <u:o> ."], [], p).deleted
    ['<u:a> <u:p> <u:o> .']
    >>> p.read_text().splitlines()[1]
    'D <u:a> <u:p> <u:o> .'
    """
    out = check_delta_path(out)
    d = diff_lines(old, new)
    text = sparql_update(d) if DELTA_SUFFIXES[out.suffix] == "sparql-update" else rdf_patch(d)
    with atomic_open(out) as f:
        f.write(text)
    return d


def apply_patch(lines: Iterable[str], patch: str) -> set[str]:
    """The lines after applying an RDF Patch written by :func:`rdf_patch` (for tests and for
    stores without patch support).

    >>> sorted(apply_patch({"<u:a> <u:p> <u:o> ."}, "TX .\\nD <u:a> <u:p> <u:o> .\\nA <u:b> <u:p> <u:o> .\\nTC .\\n"))
    ['<u:b> <u:p> <u:o> .']
    """
    result = set(lines)
    for row in patch.splitlines():
        op, _, rest = row.partition(" ")
        if op == "A":
            result.add(rest)
        elif op == "D":
            result.discard(rest)
    return result


__all__ = ["Delta", "DELTA_SUFFIXES", "graph_lines", "file_lines", "lines_of", "diff_lines",
           "sparql_update", "rdf_patch", "write_delta", "check_delta_path", "apply_patch"]
