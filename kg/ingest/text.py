"""Readers of the two scraped plain-text listing formats: *publications* and *daily papers*.

publications
    A "Publications" header, then per paper a title line, zero or more author lines and zero
    or one abstract line (long prose, usually with a "… (see more)" marker inserted). A line
    after an abstract is a title; a line after a title or an author is its abstract when it
    reads as prose (:func:`kg.ingest.names.is_prose`: marker, length, or a short line with
    abstract vocabulary and a final period), else an author or a new title, decided by
    :func:`kg.ingest.names.is_name`.
daily
    Header lines ("new", "Get trending papers…", "Subscribe", "byAK and the research
    community", a date like "Mar 11"; "Subscribe" may be glued to the first title), then
    title/abstract pairs, blank-line separated or dense. Lines are classified by shape
    (:func:`kg.ingest.names.is_prose`): a line after a title is its abstract when it reads
    as prose, otherwise the next title, so a missing abstract does not shift the pairs.
"""
from __future__ import annotations

import re

from kg.ingest.names import MARKER_RE, is_abstract, is_name, is_prose, remove_marker
from kg.model import Record, collapse_ws

PUBLICATIONS_HEADER = re.compile(r"^\s*(?:publications|publication list)\s*:?\s*$", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DAILY_HEADER = re.compile(
    r"^\s*(?:new|subscribe|get trending papers in your email inbox.*|by ?ak and the research community"
    rf"|(?:daily papers)|{_MONTH} \d{{1,2}}(?:,? \d{{4}})?|\d{{1,2}} {_MONTH}(?: \d{{4}})?)\s*$",
    re.I,
)
_GLUED = re.compile(r"^\s*Subscribe\s*(?=\S)")  # "SubscribeA Title", "Subscribe A Title"


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based line numbers, whitespace collapsed."""
    return [(i, collapse_ws(l)) for i, l in enumerate(text.split("\n"), 1) if l.strip()]


def looks_publications(text: str) -> bool:
    """True when the first non-blank line is a "Publications" header.

    >>> looks_publications("\\nPublications\\n\\nA Title\\n")
    True
    """
    lines = _lines(text)
    return bool(lines) and bool(PUBLICATIONS_HEADER.match(lines[0][1]))


def looks_daily(text: str) -> bool:
    """True when the listing starts with daily-papers header lines (or a glued "Subscribe").

    >>> looks_daily("Get trending papers in your email inbox!\\nSubscribeA Title\\nAn abstract.")
    True
    """
    for _, line in _lines(text)[:8]:
        if DAILY_HEADER.match(line) or _GLUED.match(line):
            return True
    return False


def looks_headerless_listing(text: str) -> str | None:
    """For a listing without header: "publications" if it has "(see more)" markers, "daily" if
    its lines read as title/abstract pairs (at least two abstracts, each after a title-like
    line), else None.

    >>> looks_headerless_listing("hello world")
    """
    lines = [l for _, l in _lines(text)]
    if any(MARKER_RE.search(l) for l in lines):
        return "publications"
    kinds = [is_abstract(l) for l in lines]
    if sum(kinds) < 2 or kinds[0]:
        return None
    for prev, cur, line in zip(kinds, kinds[1:], lines):
        if cur and (prev or len(line) > 250 or line.endswith(".")):
            return None
    return "daily"


def _paper(title: str, line: int, source: str) -> Record:
    return Record(title=title, authors=[], abstract=None, source=source, line=line)


def read_publications(text: str, source: str, problems: list[str]) -> list[Record]:
    """Parse a *publications* listing (see the module docstring).

    >>> text = "Publications\\n\\nA Title\\nAda Lovelace\\nConformal Inverse Optimization\\nWe t… (see more)ry. " + "x " * 130
    >>> [(r.title, r.authors, r.abstract[:7] if r.abstract else None) for r in read_publications(text, "f", [])]
    [('A Title', ['Ada Lovelace'], None), ('Conformal Inverse Optimization', [], 'We try.')]
    """
    lines = _lines(text)
    if lines and PUBLICATIONS_HEADER.match(lines[0][1]):
        lines = lines[1:]
    records: list[Record] = []
    prev = "abstract"  # the kind of the previous line; a listing starts with a title
    for no, line in lines:
        if prev != "abstract" and is_prose(line):
            records[-1].abstract = remove_marker(line)
            prev = "abstract"
        elif prev != "abstract" and is_name(line):
            records[-1].authors.append(line)
            prev = "author"
        else:
            if prev == "abstract" and records and is_abstract(line):
                problems.append(f"{source}:{no}: abstract without a title; skipped")
                continue
            records.append(_paper(line, no, source))
            prev = "title"
    return records


def read_daily(text: str, source: str, problems: list[str]) -> list[Record]:
    """Parse a *daily papers* listing (see the module docstring).

    >>> text = "Subscribe\\n\\nMar 11\\n\\nA Title\\n\\n" + "We study things. " * 20 + "\\n\\nB Title\\n"
    >>> [(r.title, r.line, bool(r.abstract)) for r in read_daily(text, "f", [])]
    [('A Title', 5, True), ('B Title', 9, False)]
    """
    lines = _lines(text)
    start = 0
    while start < len(lines):
        no, line = lines[start]
        if DAILY_HEADER.match(line):
            start += 1
            continue
        glued = _GLUED.match(line)
        if glued:
            lines[start] = (no, line[glued.end():])
        break
    records: list[Record] = []
    prev = "abstract"
    for no, line in lines[start:]:
        if prev == "title" and is_prose(line):
            records[-1].abstract = remove_marker(line)
            prev = "abstract"
        elif prev == "abstract" and records and is_abstract(line) and len(line) > 250:
            problems.append(f"{source}:{no}: abstract without a title; skipped")
        else:
            records.append(_paper(line, no, source))
            prev = "title"
    return records
