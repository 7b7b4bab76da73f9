"""RIS, read with :mod:`rispy`: Zotero (File → Export Library… → RIS), Scopus ("Export → RIS
format"), Web of Science, EndNote, Mendeley.

Per record: ``TI``/``T1`` title, ``AU``/``A1`` authors ("Last, First" → "First Last"),
``AB``/``N2`` abstract, ``PY``/``Y1``/``DA`` year, ``T2``/``JO``/``JF`` venue, ``DO`` DOI,
``UR`` url (an ``arxiv.org`` url gives the arXiv id). Each record is named by the line of its
``TY`` tag; a record not closed by ``ER  -`` is skipped and reported.

>>> r = read("TY  - JOUR\\nTI  - T\\nAU  - van de Schoot, Rens\\nPY  - 2021///\\nDO  - 10.1/X\\nER  - \\n", "f", "f", [], [])[0]
>>> r.authors, r.year, r.doi, r.line
(['Rens van de Schoot'], 2021, '10.1/x', 1)
"""
from __future__ import annotations

import re

from kg.model import KGError, Record
from kg.ingest.formats import new_record
from kg.ingest.ids import inverted_name

_TY = re.compile(r"^TY  - ", re.M)
_ER = re.compile(r"^ER  -", re.M)


def _first(entry: dict, *keys: str):
    for k in keys:
        v = entry.get(k)
        if isinstance(v, list):
            v = next((x for x in v if isinstance(x, str) and x.strip()), None)
        if isinstance(v, str) and v.strip():
            return v
    return None


def read(text: str, source: str, path: str, problems: list[str], notes: list[str]) -> list[Record]:
    """Records of a RIS file (see the module docstring)."""
    import rispy

    starts = [text.count("\n", 0, m.start()) + 1 for m in _TY.finditer(text)]
    if not starts:
        raise KGError("not a RIS file (no 'TY  - ' record start)", path)
    closed = [text.count("\n", 0, m.start()) + 1 for m in _ER.finditer(text)]
    try:
        entries = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:  # rispy raises plain exceptions for damaged files
        raise KGError(f"RIS is damaged ({exc.__class__.__name__}: {str(exc)[:80]})", path) from None
    # rispy silently drops a record that is not closed by ER: report it
    for start, nxt in zip(starts, starts[1:] + [None]):
        if not any(start < e and (nxt is None or e < nxt) for e in closed):
            problems.append(f"{source}:{start}: RIS record not closed by 'ER  -'; skipped")
    lines = [s for s, nxt in zip(starts, starts[1:] + [None])
             if any(s < e and (nxt is None or e < nxt) for e in closed)]
    if len(lines) != len(entries):
        lines = [None] * len(entries)
    records = []
    for n, (entry, line) in enumerate(zip(entries, lines), 1):
        names = [inverted_name(a) for k in ("authors", "first_authors") for a in entry.get(k) or ()
                 if isinstance(a, str)]
        urls = [u for u in entry.get("urls") or () if isinstance(u, str)]
        arxiv = next((u for u in urls if "arxiv.org/abs/" in u), None)
        rec = new_record(
            source, n, line, problems, title=_first(entry, "title", "primary_title", "translated_title"),
            authors=[(a, {}) for a in names], abstract=_first(entry, "abstract", "notes_abstract"),
            year=_first(entry, "year", "publication_year", "date"),
            venue=_first(entry, "secondary_title", "journal_name", "alternate_title3", "alternate_title1"),
            url=urls[0] if urls else None, doi=_first(entry, "doi"), arxiv=arxiv)
        if rec:
            records.append(rec)
    return records
