"""arXiv API Atom feeds (``http://export.arxiv.org/api/query?…``), both the 2016 layout
(namespaces declared on each element, ``dx.doi.org`` links) and the current one; also a
recorded response ``{"url", "status_code", "body"}`` with the feed in ``body`` (the layout of
arxiv.py's test recordings, accepted so that a saved API response can be read as it is; a
body whose UTF-8 was decoded as Latin-1 when it was recorded, "RamÃ­rez", is repaired).

Per ``<entry>``: ``id`` → arXiv id (version dropped), ``title``, ``summary`` → abstract,
``author/name``, ``arxiv:doi``, ``arxiv:journal_ref`` → venue, ``published`` → year. An API
error entry (``…/api/errors#…``) is reported as a problem; a feed with more results than it
holds (``opensearch:totalResults``) is noted as having more pages.

>>> feed = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.01234v2</id><title>T</title><author><name>Ann Lee</name></author></entry></feed>'
>>> [(r.arxiv, r.authors) for r in read(feed, "f", "f", [], [])]
[('2401.01234', ['Ann Lee'])]
"""
from __future__ import annotations


from kg.ingest.jsontext import decode
from kg.model import KGError, Record
from kg.ingest.formats import child_text, children, local, new_record, parse_xml, where


def unwrap(text: str, path: str) -> str:
    """The XML of a recorded response ``{"url", "status_code", "body"}`` (or *text* itself);
    a recorded HTTP error is fatal.

    >>> unwrap('{"url": "u", "status_code": 200, "body": "<feed/>"}', "f"), unwrap("<feed/>", "f")
    ('<feed/>', '<feed/>')
    """
    if not text.lstrip().startswith("{"):
        return text
    data = decode(text, path, [])  # the body is XML: surrogates there are the XML parser's to judge
    if not isinstance(data, dict) or not isinstance(data.get("body"), str):
        raise KGError("JSON file is not a recorded API response ({url, status_code, body})", path)
    if data.get("status_code") not in (None, 200):
        raise KGError(f"recorded response is HTTP {data['status_code']}, not a feed ({data.get('url', '')})", path)
    return repair_latin1(data["body"])


def repair_latin1(text: str) -> str:
    """UTF-8 text that was decoded as Latin-1 ("JosÃ© RaÃºl"), decoded again; other text as it is.

    >>> repair_latin1("JosÃ© RaÃºl Romero"), repair_latin1("José"), repair_latin1("plain")
    ('José Raúl Romero', 'José', 'plain')
    """
    if text.isascii():
        return text
    try:
        fixed = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return fixed


def read(text: str, source: str, path: str, problems: list[str], notes: list[str]) -> list[Record]:
    """Records of an arXiv API Atom feed (see the module docstring)."""
    root = parse_xml(unwrap(text, path), path)
    if local(root.tag) != "feed":
        raise KGError(f"not an Atom feed (root element <{local(root.tag)}>)", path)
    records: list[Record] = []
    entries = children(root, "entry")
    for n, entry in enumerate(entries, 1):
        ident = child_text(entry, "id") or ""
        if "/api/errors" in ident:
            problems.append(f"{where(source, n)}: arXiv API error: {child_text(entry, 'summary') or ident}; skipped")
            continue
        authors = [(child_text(a, "name"), {}) for a in children(entry, "author")]
        url = next((l.get("href") for l in children(entry, "link")
                    if l.get("rel") == "alternate" and l.get("href")), None) or ident
        rec = new_record(source, n, None, problems, title=child_text(entry, "title"), authors=authors,
                         abstract=child_text(entry, "summary"), year=child_text(entry, "published"),
                         venue=child_text(entry, "journal_ref"), url=url, doi=child_text(entry, "doi"),
                         arxiv=ident)
        if rec:
            records.append(rec)
    total, start = child_text(root, "totalResults"), child_text(root, "startIndex")
    if total and total.isdigit() and int(total) > int(start or 0) + len(entries):
        notes.append(f"{source}: arXiv feed holds results {int(start or 0) + 1}-{int(start or 0) + len(entries)} "
                     f"of {total}: more pages exist (use &start=); only this page was read")
    return records
