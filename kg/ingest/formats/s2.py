"""Semantic Scholar: Graph API paper objects (``/paper/{id}``), an author with ``papers``
(``/author/{id}?fields=…,papers.…``), batch (a JSON list) and search responses
(``{"total", "next", "data": […]}``), JSON Lines of any of these, and Open Research Corpus
lines (``id``, ``paperAbstract``, ``authors[{name, ids}]``, ``doi``, ``pmid``).

>>> r = read('{"paperId": "ab12", "title": "T", "authors": [{"authorId": "9", "name": "Ann Lee"}], "externalIds": {"DOI": "10.1/X", "ArXiv": "2401.01234"}}', "f", "f", [], [])[0]
>>> r.s2, r.doi, r.arxiv, r.author_ids
('ab12', '10.1/x', '2401.01234', [{'s2': '9'}])
"""
from __future__ import annotations

from typing import Any

from kg.model import KGError, Record
from kg.ingest.formats import json_values, new_record, where


def paper_record(p: Any, source: str, index: int, line: int | None, problems: list[str],
                 author: tuple | None = None) -> Record | None:
    """One S2 paper (Graph API or Open Research Corpus) as a Record; *author* (name, ids) is
    used as the author list of a paper listed under an author without its own ``authors``."""
    if not isinstance(p, dict):
        problems.append(f"{where(source, index, line)}: paper is a {type(p).__name__}, not an object; skipped")
        return None
    authors = []
    raw = p.get("authors")
    if isinstance(raw, list):
        for a in raw:
            if isinstance(a, dict):
                ids = a.get("ids") if isinstance(a.get("ids"), list) else []
                authors.append((a.get("name"), {"s2": a.get("authorId") or (ids[0] if ids else None)}))
            elif isinstance(a, str):
                authors.append((a, {}))
    elif author is not None:
        authors = [author]
    ext = p.get("externalIds") if isinstance(p.get("externalIds"), dict) else {}
    venue = p.get("venue") or p.get("journalName")
    if not venue and isinstance(p.get("journal"), dict):
        venue = p["journal"].get("name")
    return new_record(
        source, index, line, problems, title=p.get("title"), authors=authors,
        abstract=p.get("abstract") or p.get("paperAbstract"), year=p.get("year"), venue=venue,
        url=p.get("url") or p.get("s2Url"), doi=ext.get("DOI") or p.get("doi"),
        arxiv=ext.get("ArXiv") or p.get("arxivId"), s2=p.get("paperId") or p.get("id"),
        pmid=ext.get("PubMed") or p.get("pmid"))


def _papers(value: Any, source: str, path: str, line: int | None, notes: list[str]) -> list[tuple[Any, tuple | None]]:
    """(paper, fallback author) pairs of one JSON value."""
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        if value.get("next") or value.get("token"):
            notes.append(f"{source}: Semantic Scholar result of {value.get('total', '?')} items: more pages exist "
                         f"(next offset {value.get('next') or value.get('token')}); only this page was read")
        out = []
        for item in value["data"]:
            out.extend(_papers(item, source, path, line, notes))
        return out
    if isinstance(value, list):
        return [pair for item in value for pair in _papers(item, source, path, line, notes)]
    if isinstance(value, dict) and isinstance(value.get("papers"), list) and "paperId" not in value:
        me = (value.get("name"), {"s2": value.get("authorId")})
        return [(p, me) for p in value["papers"]]
    if isinstance(value, dict) and "citingPaper" in value:  # /paper/{id}/citations rows
        return [(value["citingPaper"], None)]
    if isinstance(value, dict) and "citedPaper" in value:
        return [(value["citedPaper"], None)]
    if isinstance(value, dict) or value is None:
        return [(value, None)]
    raise KGError("not a Semantic Scholar paper, author or result file", path, line)


def read(text: str, source: str, path: str, problems: list[str], notes: list[str]) -> list[Record]:
    """Records of a Semantic Scholar file (see the module docstring)."""
    records: list[Record] = []
    n = 0
    for value, line in json_values(text, path, problems, source):
        for paper, author in _papers(value, source, path, line, notes):
            n += 1
            if paper is None:  # batch responses hold null for ids S2 does not know
                problems.append(f"{where(source, n, line)}: null entry (an id Semantic Scholar did not find); skipped")
                continue
            rec = paper_record(paper, source, n, line, problems, author)
            if rec:
                records.append(rec)
    return records
