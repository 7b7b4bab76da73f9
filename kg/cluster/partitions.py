"""Input partitions that the Dask workers read themselves (:func:`plan_file`, :func:`read_part`).

A task carries only a file path and a range: a JSON Lines file is cut into parts of
*part_lines* lines, as a byte range (``("bytes", path, start, end, first_line)``) when the file
is plain UTF-8 with ``\\n`` line ends, else as a line range (``("lines", path, first, last)``:
gzip-compressed files, ``\\r`` line ends), which each part's worker decompresses and skips
to; any other format is one part per file (``("file", path)``). Records keep the line numbers
of the whole file, so problems read ``file:line: reason`` exactly as a one-process read.

>>> import tempfile, os
>>> d = tempfile.mkdtemp(); p = os.path.join(d, "x.jsonl")
>>> _ = open(p, "w").write("".join(f'{{"title": "T{i}"}}\\n' for i in range(5)))
>>> parts = plan_file(p, None, part_lines=2)
>>> [(s[0], s[4]) for s in parts]
[('bytes', 1), ('bytes', 3), ('bytes', 5)]
>>> [[r.title for r in read_part(s).records] for s in parts]
[['T0', 'T1'], ['T2', 'T3'], ['T4']]
"""
from __future__ import annotations

import os

from ..ingest import Listing, detect_format, read_listing
from ..ingest.reader import read_text, source_identity
from ..ingest.structured import read_jsonl


def plan_file(path: str, fmt: str | None, part_lines: int = 2000) -> list[tuple]:
    """The parts of one listing file (run on a worker: it reads the file once to check it,
    detect its format and find the line boundaries; it returns only the small part specs).
    Errors are the ones :func:`kg.ingest.read_listing` raises."""
    text = read_text(path)  # every file-level check (missing, empty, binary, not UTF-8, gzip)
    fmt = fmt or detect_format(path, text)
    if fmt != "jsonl":
        return [("file", path, fmt)]
    n_lines = text.count("\n") + 1
    del text
    with open(path, "rb") as fh:
        data = fh.read()
    if data.startswith(b"\x1f\x8b") or b"\r" in data:  # no byte offsets: line ranges
        return [("lines", path, a, min(a + part_lines, n_lines)) for a in range(0, n_lines, part_lines)]
    parts, start, line = [], 0, 1
    while start < len(data):
        end, k = start, 0
        while k < part_lines:
            nl = data.find(b"\n", end)
            if nl < 0:
                end = len(data)
                break
            end, k = nl + 1, k + 1
        parts.append(("bytes", path, start, end, line))
        start, line = end, line + part_lines
    return parts or [("bytes", path, 0, 0, 1)]


def read_part(spec: tuple, source_path: str | None = None) -> Listing:
    """The records of one part (run on the worker that holds it afterwards), each with
    *source_path* as its listing's identity (default: :func:`kg.ingest.reader.source_identity`
    of the path where this runs; the client passes the one it sees, a worker's working
    directory may differ)."""
    kind, path = spec[0], spec[1]
    if kind == "file":
        listing = read_listing(path, spec[2])
        if source_path is not None:
            for rec in listing.records:
                rec.source_path = source_path
        return listing
    source = os.path.basename(path)
    problems: list[str] = []
    if kind == "bytes":
        start, end, first = spec[2], spec[3], spec[4]
        with open(path, "rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
        if start == 0 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        text = data.decode("utf-8")
    else:
        first = spec[2] + 1
        text = "\n".join(read_text(path).split("\n")[spec[2]:spec[3]])
    text = text.removesuffix("\n")
    records = read_jsonl(text, source, path, problems, first_line=first)
    ident = source_identity(path) if source_path is None else source_path
    for rec in records:
        rec.source_path = ident
    return Listing(path=path, format="jsonl", records=records, problems=problems)
