"""CSL-JSON: Zotero (File → Export Library… → CSL JSON), Better BibTeX ("Better CSL JSON")
and Crossref content negotiation (``curl -LH "Accept: application/vnd.citationstyles.csl+json"
https://doi.org/…``): a JSON list of items, or one item.

Per item: ``title`` (a string, or Crossref's list), ``author`` ``[{family, given} | {literal}]``
with Crossref's ``ORCID``, ``abstract`` (JATS tags removed), ``issued.date-parts`` → year,
``container-title`` → venue, ``DOI`` (a shortDOI ``10/abcd`` is replaced by the full DOI
when ``URL`` is a ``doi.org`` link, as Better BibTeX writes them), ``URL``, ``PMID``; an
``arxiv.org`` URL or an ``arXiv:`` number gives the arXiv id.

>>> r = read('[{"type": "article", "title": "T", "author": [{"family": "Lee", "given": "Ann"}, {"literal": "IAAF"}], "issued": {"date-parts": [[2020, 1]]}, "DOI": "10.1/X"}]', "f", "f", [], [])[0]
>>> r.authors, r.year, r.doi, r.line
(['Ann Lee', 'IAAF'], 2020, '10.1/x', 1)
"""
from __future__ import annotations

from typing import Any

from kg.model import KGError, Record
from kg.ingest.formats import load_json, new_record, where
from kg.ingest.ids import csl_name, norm_doi


def _year(issued: Any) -> Any:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return str(parts[0][0])
        return issued.get("raw") or issued.get("literal")
    return issued


def item_record(item: Any, source: str, index: int, line: int | None, problems: list[str]) -> Record | None:
    """One CSL item as a Record (None, with a problem, when unusable)."""
    if not isinstance(item, dict):
        problems.append(f"{where(source, index, line)}: item is a {type(item).__name__}, not an object; skipped")
        return None
    authors = []
    raw = item.get("author")
    if raw is not None and not isinstance(raw, list):
        problems.append(f"{where(source, index, line)}: author is not a list of names; skipped")
        return None
    for a in raw or ():
        if not isinstance(a, dict):
            problems.append(f"{where(source, index, line)}: author entry is not a name object; skipped")
            return None
        name = csl_name(a)
        authors.append((name, {"orcid": a.get("ORCID") or a.get("orcid")}))
    url = item.get("URL")
    arxiv = None
    for cand in (url, item.get("number"), item.get("archive_location")):
        if isinstance(cand, str) and ("arxiv" in cand.lower() or (item.get("publisher") or "").lower() == "arxiv"):
            arxiv = cand
            break
    doi = norm_doi(item.get("DOI") or item.get("doi"))
    if (doi is None or doi.startswith("10/")) and norm_doi(url):
        doi = norm_doi(url)  # Better BibTeX: a shortDOI in DOI, the full DOI as the URL
    return new_record(source, index, line, problems, title=item.get("title"), authors=authors,
                      abstract=item.get("abstract"), year=_year(item.get("issued")),
                      venue=item.get("container-title"), url=url, doi=doi,
                      arxiv=arxiv, pmid=item.get("PMID"))


def read(text: str, source: str, path: str, problems: list[str], notes: list[str]) -> list[Record]:
    """Records of a CSL-JSON file (see the module docstring)."""
    from kg.ingest.structured import _element_lines

    data = load_json(text, path, problems, source)
    if isinstance(data, dict):
        items, lines = [data], [None]
    elif isinstance(data, list):
        items = data
        lines = _element_lines(text)
        if len(lines) != len(items):
            lines = [None] * len(items)
    else:
        raise KGError("CSL-JSON file holds neither a list of items nor an item", path)
    records = []
    for n, (item, line) in enumerate(zip(items, lines), 1):
        rec = item_record(item, source, n, line, problems)
        if rec:
            records.append(rec)
    return records
