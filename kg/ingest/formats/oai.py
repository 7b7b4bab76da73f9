"""arXiv OAI-PMH pages (``http://export.arxiv.org/oai2?verb=ListRecords&metadataPrefix=arXivRaw``;
also ``GetRecord`` and the ``arXiv`` and ``oai_dc`` metadata formats).

Per ``<record>``: arXivRaw ``id``, ``title``, ``authors`` (one string: "A, B, and C"),
``abstract``, ``doi`` (the first when several), ``journal-ref`` → venue, first
``version/date`` → year. A deleted record is skipped and reported. A non-empty
``resumptionToken`` means more pages exist: the page is read and the token noted.

>>> page = ('<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><header><identifier>oai:arXiv.org:0704.0001</identifier></header>'
...         '<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>0704.0001</id><title>T</title><authors>A. Lee, B. Wu, and C. Li</authors></arXivRaw></metadata></record>'
...         '<resumptionToken cursor="0" completeListSize="9">123|1001</resumptionToken></ListRecords></OAI-PMH>')
>>> notes = []; [(r.arxiv, r.authors) for r in read(page, "f", "f", [], notes)], len(notes)
([('0704.0001', ['A. Lee', 'B. Wu', 'C. Li'])], 1)
"""
from __future__ import annotations

import re

from kg.model import KGError, Record, collapse_ws
from kg.ingest.formats import child_text, children, local, new_record, parse_xml, where

_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*")


def split_raw_authors(value: str | None) -> list[str]:
    """The names of an arXivRaw ``authors`` string (affiliations in brackets dropped).

    >>> split_raw_authors("D.V. Shetty, S.J. Yennello (Texas A&M), and G.A. Souliotis")
    ['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis']
    """
    if not value:
        return []
    text = collapse_ws(value)
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\s*\([^()]*\)", "", text)
    return [p for p in (collapse_ws(x) for x in _SPLIT.split(text)) if p]


def _raw(meta, source: str, n: int, problems: list[str]) -> Record | None:
    versions = children(meta, "version")
    date = child_text(versions[0], "date") if versions else None
    authors = [(a, {}) for a in split_raw_authors(child_text(meta, "authors"))]
    ident = child_text(meta, "id")
    return new_record(source, n, None, problems, title=child_text(meta, "title"), authors=authors,
                      abstract=child_text(meta, "abstract"), year=date, venue=child_text(meta, "journal-ref"),
                      url=f"https://arxiv.org/abs/{ident}" if ident else None, doi=child_text(meta, "doi"),
                      arxiv=ident)


def _arxiv(meta, source: str, n: int, problems: list[str]) -> Record | None:
    authors = []
    for group in children(meta, "authors"):
        for a in children(group, "author"):
            authors.append((" ".join(x for x in (child_text(a, "forenames"), child_text(a, "keyname")) if x), {}))
    ident = child_text(meta, "id")
    return new_record(source, n, None, problems, title=child_text(meta, "title"), authors=authors,
                      abstract=child_text(meta, "abstract"), year=child_text(meta, "created"),
                      venue=child_text(meta, "journal-ref"), url=f"https://arxiv.org/abs/{ident}" if ident else None,
                      doi=child_text(meta, "doi"), arxiv=ident)


def _dc(meta, source: str, n: int, problems: list[str]) -> Record | None:
    ids = [collapse_ws("".join(e.itertext())) for e in children(meta, "identifier")]
    arxiv = next((i for i in ids if "arxiv.org/abs/" in i), None)
    doi = next((i for i in ids if i.lower().startswith(("doi:", "10.", "https://doi.org/"))), None)
    return new_record(source, n, None, problems, title=child_text(meta, "title"),
                      authors=[(collapse_ws("".join(c.itertext())), {}) for c in children(meta, "creator")],
                      abstract=child_text(meta, "description"), year=child_text(meta, "date"), url=arxiv,
                      doi=doi, arxiv=arxiv)


def read(text: str, source: str, path: str, problems: list[str], notes: list[str]) -> list[Record]:
    """Records of an OAI-PMH page (see the module docstring)."""
    root = parse_xml(text, path)
    if local(root.tag) != "OAI-PMH":
        raise KGError(f"not an OAI-PMH response (root element <{local(root.tag)}>)", path)
    for err in children(root, "error"):
        raise KGError(f"OAI-PMH error {err.get('code', '')}: {collapse_ws(''.join(err.itertext()))}", path)
    records: list[Record] = []
    n = 0
    for verb in (c for c in root if local(c.tag) in ("ListRecords", "GetRecord")):
        for record in children(verb, "record"):
            n += 1
            header = next(iter(children(record, "header")), None)
            if header is not None and header.get("status") == "deleted":
                problems.append(f"{where(source, n)}: deleted record {child_text(header, 'identifier')}; skipped")
                continue
            metas = [m for md in children(record, "metadata") for m in md]
            if not metas:
                problems.append(f"{where(source, n)}: record without metadata; skipped")
                continue
            kind = local(metas[0].tag)
            fn = {"arXivRaw": _raw, "arXiv": _arxiv, "dc": _dc}.get(kind)
            if fn is None:
                problems.append(f"{where(source, n)}: metadata format <{kind}> is not read (use arXivRaw); skipped")
                continue
            rec = fn(metas[0], source, n, problems)
            if rec:
                records.append(rec)
        for token in children(verb, "resumptionToken"):
            if (token.text or "").strip():
                size = token.get("completeListSize")
                notes.append(f"{source}: OAI-PMH page of {size or 'an unknown number of'} records: more pages exist "
                             f"(resumptionToken={token.text.strip()}); only this page was read")
    return records
