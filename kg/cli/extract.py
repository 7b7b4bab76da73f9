"""``kg extract [FILE|-]``: named methods and benchmarks of papers, one JSON line per paper.

Input: JSON Lines of ``{"id", "title", "abstract"}`` objects, or one JSON list of them (the
format of the dev gold files); ``-`` or no FILE reads standard input. Output (stdout):
``{"id", "methods": [{"name", "aliases", "role", "evidence", "start", "end", "confidence"}],
"benchmarks": [...]}`` per paper, in input order. ``--resolve`` adds the cross-paper ``key``.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Iterator

from kg.model import KGError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` command to the ``kg`` sub-command parsers.

    >>> p = argparse.ArgumentParser(); register(p.add_subparsers())
    >>> p.parse_args(["extract", "papers.jsonl", "--resolve"]).resolve
    True
    """
    p = subparsers.add_parser("extract", help="extract named methods and benchmarks (JSON Lines out)",
                              description=__doc__.splitlines()[0])
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-",
                   help="JSON Lines or JSON list of {id, title, abstract}; '-' = stdin (default)")
    p.add_argument("--resolve", action="store_true",
                   help="resolve entities across papers (adds canonical 'key' and name; reads all input first)")
    p.add_argument("--batch-size", type=int, default=64, help="spaCy batch size (default 64)")
    p.set_defaults(func=run)


def _open(path: str):
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict"), "<stdin>"
    p = Path(path)
    if not p.exists():
        raise KGError("no such file", path)
    if p.is_dir():
        raise KGError("is a directory, expected a JSON Lines file", path)
    try:
        return open(p, encoding="utf-8"), path
    except OSError as exc:
        raise KGError(f"cannot read: {exc.strerror}", path) from None


def read_papers(path: str) -> Iterator[dict]:
    """Papers from a JSON Lines file or a JSON list; user mistakes raise :class:`KGError`.

    >>> import tempfile, os
    >>> fd, name = tempfile.mkstemp(suffix=".jsonl"); _ = os.write(fd, b'{"id": 1, "title": "T"}\\n\\n'); os.close(fd)
    >>> list(read_papers(name))
    [{'id': 1, 'title': 'T'}]
    >>> os.remove(name)
    """
    fh, shown = _open(path)
    try:
        try:
            first = fh.read(1)
            while first and first.isspace():
                first = fh.read(1)
        except UnicodeDecodeError:
            raise KGError("not UTF-8 text", shown) from None
        if not first and shown != "<stdin>":  # an empty stream on stdin is just no papers
            raise KGError("empty file", shown)
        if first == "[":
            try:
                rows = json.loads(first + fh.read())
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise KGError(f"bad JSON: {getattr(exc, 'msg', exc)}", shown, getattr(exc, "lineno", None)) from None
            if not isinstance(rows, list):
                raise KGError("expected a JSON list of papers", shown)
            for i, row in enumerate(rows, 1):
                yield _paper(row, shown, None, i)
            return
        lineno = 0
        pending = first
        while True:
            try:
                line = fh.readline()
            except UnicodeDecodeError:
                raise KGError("not UTF-8 text", shown, lineno + 1) from None
            if pending:
                line, pending = pending + line, ""
            if not line:
                break
            lineno += 1
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise KGError(f"bad JSON line: {exc.msg}", shown, lineno) from None
            yield _paper(row, shown, lineno, lineno)
    finally:
        if fh is not sys.stdin and path != "-":
            fh.close()


def _paper(row, shown: str, line: int | None, n: int) -> dict:
    if not isinstance(row, dict):
        raise KGError("expected a JSON object with id, title, abstract", shown, line)
    if "id" not in row:
        row = dict(row, id=n)
    for k in ("title", "abstract"):
        if row.get(k) is not None and not isinstance(row[k], str):
            raise KGError(f"'{k}' must be a string or null", shown, line)
    return row


def run(args: argparse.Namespace) -> int:
    """Extract every paper of ``args.file`` and print JSON Lines; return 0.

    >>> import tempfile, os
    >>> fd, name = tempfile.mkstemp(suffix=".jsonl")
    >>> _ = os.write(fd, b'{"id": 7, "title": "T", "abstract": "We propose GVFExplorer."}\\n'); os.close(fd)
    >>> run(argparse.Namespace(file=name, resolve=False, batch_size=8))  # doctest: +ELLIPSIS
    {"id": 7, "methods": [{"name": "GVFExplorer", "aliases": [], "role": "proposes", ...
    0
    >>> os.remove(name)
    """
    from kg.extract import Extractor, resolve

    ex = Extractor()
    papers = read_papers(args.file)
    results = ex.extract_many(papers, batch_size=max(1, args.batch_size))
    if args.resolve:
        results = resolve(list(results))
    out = sys.stdout
    for res in results:
        out.write(json.dumps(res, ensure_ascii=False) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover - local harness: python -m kg.cli.extract FILE
    _p = argparse.ArgumentParser(prog="kg")
    register(_p.add_subparsers())
    _a = _p.parse_args(["extract"] + sys.argv[1:])
    try:
        sys.exit(run(_a))
    except KGError as _exc:
        print(f"kg: error: {_exc}", file=sys.stderr)
        sys.exit(2)
