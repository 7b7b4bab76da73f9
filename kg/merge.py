"""Merging a listing record into the paper node it was matched to (:func:`update_paper`):
the newer record's fields (``kg add``) or the longer ones (``kg build``, ``--keep-longer``),
and the author ids it gives, matched to the paper's authors by name. Used by
:func:`kg.graph.add_records`.
"""
from __future__ import annotations

from typing import Any

from .model import EXTRA_PAPER_IDS, OPTIONAL_FIELDS, Record, accent_key


def _ids_by_name(names: list[str], rec: Record) -> list[dict[str, str]]:
    """For each name of a paper's author list, the ids *rec* gives the same person: the record
    author with the same name (accents folded), else the only one with the same last word, so
    that ids from an author list in another order or length never go to the wrong person.

    >>> _ids_by_name(["Juan Pablo Alperín", "Ann Lee"], Record("T", ["A. Lee", "Juan Pablo Alperin"],
    ...              author_ids=[{"orcid": "1"}, {"orcid": "2"}]))
    [{'orcid': '2'}, {'orcid': '1'}]
    """
    keys = [accent_key(n) for n in rec.authors]
    last = [k.split()[-1] if k else "" for k in keys]
    ids = rec.aligned_author_ids()
    out = []
    for name in names:
        k = accent_key(name)
        if k in keys:
            out.append(ids[keys.index(k)])
        elif k and last.count(k.split()[-1]) == 1:
            out.append(ids[last.index(k.split()[-1])])
        else:
            out.append({})
    return out


def _take_authors(d: dict[str, Any], rec: Record) -> None:
    d["authors"] = list(rec.authors)
    if any(rec.author_ids):
        d["author_ids"] = rec.aligned_author_ids()
    else:
        d.pop("author_ids", None)


def _merge_author_ids(d: dict[str, Any], rec: Record) -> bool:
    """Add the ids *rec* gives this paper's authors (matched by name); whether any is new."""
    if not any(rec.author_ids):
        return False
    ids = d.get("author_ids") or [{} for _ in d["authors"]]
    new = [{**theirs, **mine} for mine, theirs in zip(ids, _ids_by_name(d["authors"], rec))]
    if new == ids:
        return False
    d["author_ids"] = new
    return True


def update_paper(d: dict[str, Any], rec: Record, keep_longer: bool = False) -> tuple[bool, bool, bool]:
    """Merge record *rec* into the attributes *d* of the paper it was matched to; return
    ``(text_changed, relink_authors, other_changed)``. The record's file joins ``sources``.

    By default (``kg add``) the record is the newer version of the paper: each field it carries
    (title, abstract, authors, year, venue, url, identifiers) replaces the stored one; a field it
    lacks leaves the stored value alone. With *keep_longer* (``kg build``, ``kg add
    --keep-longer``) the longer abstract and the longer author list are kept and other fields
    only fill gaps. Either way, author ids the record gives are added to the authors they name
    (the authorship must then be relinked).

    >>> d = {"title": "A Paper", "abstract": "Long old abstract.", "authors": ["A B", "C D"],
    ...      "sources": ["a.txt"], "year": 2020}
    >>> update_paper(d, Record("A paper (corrected)", ["A B"], "New.", "b.txt", year=2021))
    (True, True, True)
    >>> d["title"], d["abstract"], d["authors"], d["year"], d["sources"]
    ('A paper (corrected)', 'New.', ['A B'], 2021, ['a.txt', 'b.txt'])
    >>> update_paper(d, Record("A paper (corrected)", [], None, "b.txt"))
    (False, False, False)
    """
    text = authors = other = False
    if rec.source_key and rec.source_key not in d["sources"]:
        d["sources"].append(rec.source_key)
    if keep_longer:
        if rec.abstract and len(rec.abstract) > len(d.get("abstract") or ""):
            d["abstract"], text = rec.abstract, True
        if len(rec.authors) > len(d["authors"]):
            _take_authors(d, rec)
            authors = True
        else:
            authors = _merge_author_ids(d, rec)
        for k in (*OPTIONAL_FIELDS, *EXTRA_PAPER_IDS):
            if d.get(k) in (None, "") and getattr(rec, k) not in (None, ""):
                d[k], other = getattr(rec, k), True
        return text, authors, other
    if rec.title and rec.title != d.get("title"):
        d["title"] = d["label"] = rec.title
        text = True
    if rec.abstract and rec.abstract != d.get("abstract"):
        d["abstract"], text = rec.abstract, True
    if rec.authors and list(rec.authors) != d["authors"]:
        _take_authors(d, rec)
        authors = True
    else:
        authors = _merge_author_ids(d, rec)
    for k in (*OPTIONAL_FIELDS, *EXTRA_PAPER_IDS):
        if getattr(rec, k) not in (None, "") and getattr(rec, k) != d.get(k):
            d[k], other = getattr(rec, k), True
    return text, authors, other
