"""``kg parse FILE... [--format F]``: print one JSON object per listed paper (JSON Lines).

All files are read before anything is printed, so a fatal problem in any file (raised as
:class:`kg.model.KGError`, printed by the dispatcher as one line, exit code 2) leaves no
partial output. Malformed records skipped inside good files are printed to stderr as warnings,
followed by a one-line summary; notes about a file that is not damaged (an API page saying
that more pages exist) are printed to stderr as ``kg: note: …``.
"""
from __future__ import annotations

import argparse
import json
import sys

from kg.ingest import FORMATS, read_listings
from kg.model import skipped_records


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``parse`` command to the ``kg`` sub-command parsers.

    >>> p = argparse.ArgumentParser(); register(p.add_subparsers())
    >>> p.parse_args(["parse", "a.txt", "--format", "daily"]).format
    'daily'
    """
    p = subparsers.add_parser("parse", help="print the papers of listing files as JSON Lines",
                              description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+", metavar="FILE", help="listing files or directories of them")
    p.add_argument("--format", choices=FORMATS, default=None, help="skip format detection")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the records of ``args.files`` as JSON Lines; return 0.

    >>> from pathlib import Path
    >>> seed = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("001_*"))[0]
    >>> run(argparse.Namespace(files=[str(seed)], format=None))  # doctest: +ELLIPSIS
    {"title": "Stochastic positional embeddings improve masked image modeling", "authors": ["Amir Bar", ...
    0
    """
    listings = read_listings(args.files, args.format)
    out = sys.stdout
    for listing in listings:
        for rec in listing.records:
            out.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
    out.flush()
    for note in (n for listing in listings for n in listing.notes):
        print(f"kg: note: {note}", file=sys.stderr)
    problems = [p for listing in listings for p in listing.problems]
    for problem in problems:
        print(f"kg: warning: {problem}", file=sys.stderr)
    if problems:
        n = sum(len(listing.records) for listing in listings)
        skipped = len(skipped_records(problems))
        repaired = f", {len(problems) - skipped} repaired or partly read" if len(problems) > skipped else ""
        print(f"kg parse: {n} papers from {len(listings)} file(s); {skipped} malformed record(s) skipped"
              f"{repaired}", file=sys.stderr)
    return 0
