"""OpenAlex works: a single work (``/works/W…``), a ``/works`` page (``meta`` + ``results``)
or snapshot JSON Lines (one work per line).

The abstract is rebuilt from ``abstract_inverted_index`` (word → positions); authors from
``authorships[].author`` (``display_name``, ORCID and OpenAlex A id); DOI, PMID and the
OpenAlex W id from ``ids`` / ``doi`` / ``id``; an arXiv id from an ``arxiv.org`` location.

>>> recs = read('{"id": "https://openalex.org/W1", "title": "T", "abstract_inverted_index": {"b": [1], "a": [0]}}', "f", "f", [], [])
>>> recs[0].openalex, recs[0].abstract
('W1', 'a b')
"""
from __future__ import annotations

from typing import Any

from kg.model import KGError, Record
from kg.ingest.formats import json_values, new_record, where


def abstract_from_index(index: Any) -> str | None:
    """The abstract text from an OpenAlex inverted index (None when there is none).

    >>> abstract_from_index({"world": [1], "Hello": [0], "again": [3], "hello": [2]})
    'Hello world hello again'
    """
    if not isinstance(index, dict) or not index:
        return None
    words: dict[int, str] = {}
    for word, positions in index.items():
        for pos in positions if isinstance(positions, list) else ():
            if isinstance(pos, int):
                words[pos] = word
    return " ".join(words[i] for i in sorted(words)) or None


def _arxiv(work: dict) -> str | None:
    for loc in work.get("locations") or ():
        url = (loc or {}).get("landing_page_url") or ""
        if "arxiv.org/abs/" in url:
            return url
    return None


def work_record(work: Any, source: str, index: int, line: int | None, problems: list[str]) -> Record | None:
    """One OpenAlex work object as a Record (None, with a problem, when unusable)."""
    if not isinstance(work, dict):
        problems.append(f"{where(source, index, line)}: work is a {type(work).__name__}, not an object; skipped")
        return None
    authors = []
    for a in work.get("authorships") or ():
        person = (a or {}).get("author") or {}
        name = person.get("display_name") or (a or {}).get("raw_author_name")
        authors.append((name, {"orcid": person.get("orcid"), "openalex": person.get("id")}))
    ids = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    loc = work.get("primary_location") if isinstance(work.get("primary_location"), dict) else {}
    src = loc.get("source") if isinstance(loc.get("source"), dict) else {}
    return new_record(
        source, index, line, problems, title=work.get("display_name") or work.get("title"), authors=authors,
        abstract=abstract_from_index(work.get("abstract_inverted_index")), year=work.get("publication_year"),
        venue=src.get("display_name"), url=loc.get("landing_page_url"), doi=work.get("doi") or ids.get("doi"),
        arxiv=_arxiv(work), openalex=work.get("id") or ids.get("openalex"), pmid=ids.get("pmid"))


def read(text: str, source: str, path: str, problems: list[str], notes: list[str]) -> list[Record]:
    """Records of an OpenAlex file (single work, ``/works`` page or snapshot JSON Lines)."""
    records: list[Record] = []
    n = 0
    for value, line in json_values(text, path, problems, source):
        if isinstance(value, dict) and isinstance(value.get("results"), list):
            meta = value.get("meta") if isinstance(value.get("meta"), dict) else {}
            works = value["results"]
            count, per = meta.get("count"), meta.get("per_page") or len(works)
            page = meta.get("page") or 1
            if meta.get("next_cursor") or (isinstance(count, int) and isinstance(page, int)
                                           and isinstance(per, int) and count > page * per):
                notes.append(f"{source}: OpenAlex page {page} of a result of {count} works: more pages "
                             "exist (fetch them with &page= or &cursor=); only this page was read")
            line = None
        elif isinstance(value, list):
            works = value
        elif isinstance(value, dict):
            works = [value]
        else:
            raise KGError("not an OpenAlex work, works page or works JSON Lines file", path, line)
        for work in works:
            n += 1
            rec = work_record(work, source, n, line, problems)
            if rec:
                records.append(rec)
    return records
