"""Readers of the files bibliographic systems write: APIs (OpenAlex, Semantic Scholar, arXiv,
arXiv OAI-PMH, PubMed) and reference managers (CSL-JSON, RIS).

Each module has ``read(text, source, path, problems, notes) -> list[Record]``: records in file
order; a record that cannot be used is skipped with a line "file: record N: reason" (or
"file:line: reason") in *problems*; facts about the file that are not damage (an API page that
has more pages) go to *notes*. A file that cannot be read at all raises :class:`KGError`.

:func:`detect` tells these formats apart by content (the JSON shape, the XML root element, the
RIS ``TY  -`` tag), never by file name alone.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from kg.model import KGError, Record, collapse_ws
from kg.ingest.jsontext import decode
from kg.ingest.ids import authors_and_ids, norm_arxiv, norm_doi, norm_openalex, norm_plain

FORMATS = ("openalex", "s2", "arxiv", "oai", "csl", "ris", "pubmed")
_XML_ROOT = re.compile(r"<(?:[\w.-]+:)?(feed|OAI-PMH|PubmedArticleSet)[\s>/]")
_XML_START = re.compile(r"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<", re.S)
_ROOTS = {"feed": "arxiv", "OAI-PMH": "oai", "PubmedArticleSet": "pubmed"}
_RIS_START = re.compile(r"\s*TY  - ")
_CSL_NAME_KEYS = {"family", "given", "literal"}
# markup that APIs put in titles and abstracts (Crossref JATS, MathML, HTML); "RR < 1" is kept
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|sec|title|br|div|list|list-item|abstract)(?:\s[^<>]*)?/?>", re.I)
_INLINE_TAG = re.compile(r"</?(?:(?:jats|mml):[\w-]+|i|b|em|strong|sub|sup|sc|scp|u|span|a|tt|math|inline-formula)"
                         r"(?:\s[^<>]*)?/?>", re.I)


def reader(fmt: str) -> Callable[..., list[Record]]:
    """The ``read`` function of a format of :data:`FORMATS`.

    >>> reader("ris").__module__
    'kg.ingest.formats.ris'
    """
    from importlib import import_module

    return import_module(f"kg.ingest.formats.{fmt}").read


def xml_kind(text: str) -> str | None:
    """The format of an XML text from its root element, or None when it is not one we read.

    >>> xml_kind('<?xml version="1.0"?>\\n<feed xmlns="http://www.w3.org/2005/Atom">'), xml_kind("<html>")
    ('arxiv', None)
    """
    m = _XML_START.match(text)
    if not m:
        return None
    root = _XML_ROOT.match(text, m.end() - 1)
    if not root:
        return None
    return _ROOTS[root.group(1)]


def _is_csl(item: Any) -> bool:
    if not isinstance(item, dict) or "authors" in item:  # "authors": a plain JSON listing
        return False
    for key in ("author", "editor"):
        names = item.get(key)
        if isinstance(names, list) and names and all(isinstance(n, dict) and _CSL_NAME_KEYS & n.keys() for n in names):
            return True
    return "type" in item and bool({"issued", "container-title", "DOI", "URL", "citation-key"} & item.keys())


def _is_openalex(item: Any) -> bool:
    return isinstance(item, dict) and (
        "abstract_inverted_index" in item or "authorships" in item
        or ("authors" not in item and str(item.get("id")).startswith("https://openalex.org/W")))


def _is_s2(item: Any) -> bool:
    return isinstance(item, dict) and ("paperId" in item or ("authorId" in item and "papers" in item)
                                       or "paperAbstract" in item or "s2Url" in item)


def json_kind(data: Any) -> str | None:
    """The format of a parsed JSON value (a whole file or one JSON Lines line), or None.

    >>> json_kind({"paperId": "x", "title": "T"}), json_kind([{"type": "book", "issued": {}}])
    ('s2', 'csl')
    >>> json_kind({"meta": {}, "results": []}), json_kind({"title": "T"})
    ('openalex', None)
    >>> json_kind([{"title": "T", "authors": ["A"], "type": "article", "DOI": "10.1/x"}])  # a plain listing

    """
    if isinstance(data, dict):
        if isinstance(data.get("body"), str) and "status_code" in data:
            return xml_kind(data["body"])  # a recorded HTTP response (arxiv.py test layout)
        if isinstance(data.get("results"), list) and "meta" in data:
            items = data["results"]
            return "openalex" if not items or _is_openalex(items[0]) else None
        if isinstance(data.get("data"), list) and data["data"] and _is_s2(data["data"][0]):
            return "s2"
        items = [data]
    elif isinstance(data, list):
        items = [x for x in data[:5] if isinstance(x, dict)]
    else:
        return None
    for test, kind in ((_is_openalex, "openalex"), (_is_s2, "s2"), (_is_csl, "csl")):
        if items and 2 * sum(1 for x in items if test(x)) >= len(items):  # a bad item does not hide the format
            return kind
    return None


def detect(text: str, jsonl: bool = False, path: str = "") -> str | None:
    """The format of a file's text, by content, or None when it is none of :data:`FORMATS`
    (``jsonl``: the name says JSON Lines, so judge the first line). XML with an internal DTD
subset is parsed (with :func:`parse_xml`, so entity declarations are refused, naming *path*).

    >>> detect("TY  - JOUR\\nTI  - A\\nER  - "), detect('{"id": "https://openalex.org/W1", "title": "T"}')
    ('ris', 'openalex')
    """
    stripped = text.lstrip()
    if stripped.startswith("<"):
        kind = xml_kind(text)
        if kind is None and "<!DOCTYPE" in text[:4096] and "[" in text[:4096]:
            kind = _ROOTS.get(local(parse_xml(text, path).tag))  # an internal DTD subset: let defusedxml judge it
        return kind
    if _RIS_START.match(text):
        return "ris"
    if stripped.startswith(("{", "[")):
        data = None
        if not jsonl:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):  # too deep: the JSON readers say so
                pass
        if data is None:  # JSON Lines: the first line decides
            try:
                data = json.loads(stripped.split("\n", 1)[0])
            except (ValueError, RecursionError):  # too deep: the JSON readers say so
                return None
        return json_kind(data)
    return None


def load_json(text: str, path: str, problems: list[str], source: str | None = None) -> Any:
    """The JSON value of a whole file (:func:`kg.ingest.jsontext.decode`); a damaged file is
    fatal (naming its line).

    >>> load_json("[1", "f.json", [])
    Traceback (most recent call last):
    kg.model.KGError: f.json:1: not valid JSON (Expecting ',' delimiter)
    """
    return decode(text, path, problems, where=source)


def json_values(text: str, path: str, problems: list[str], source: str | None = None
                ) -> list[tuple[Any, int | None]]:
    """``[(value, line)]``: the one JSON value of the file, or each line of a JSON Lines file
    (a line that is not JSON is fatal, naming the line).

    >>> json_values('{"a": 1}\\n\\n{"a": 2}', "f", [])
    [({'a': 1}, 1), ({'a': 2}, 3)]
    """
    try:
        return [(load_json(text, path, problems, source), None)]
    except KGError:
        pass
    return [(decode(line, path, problems, line=no, where=f"{source or path}:{no}"), no)
            for no, line in enumerate(text.split("\n"), 1) if line.strip()]


def where(source: str, index: int, line: int | None = None) -> str:
    """How a problem names a record: "file:line" when the line is known, else "file: record N".

    >>> where("a.xml", 3), where("a.jsonl", 3, 7)
    ('a.xml: record 3', 'a.jsonl:7')
    """
    return f"{source}:{line}" if line else f"{source}: record {index}"


def year_of(value: Any) -> int | None:
    """The first plausible year (1000–2999) in a value (int, "2007-04-03", "Tue, 3 Apr 2007").

    >>> year_of("Tue, 3 Apr 2007 22:04:11 GMT"), year_of(2020), year_of("n.d.")
    (2007, 2020, None)
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if 1000 <= value <= 2999 else None
    m = re.search(r"(?<!\d)([12]\d{3})(?!\d)", str(value))
    return int(m.group(1)) if m else None


def text_of(value: Any) -> str | None:
    """A string field: whitespace collapsed, markup tags (JATS ``<jats:p>``, ``<i>``) removed,
    None when empty; a list gives its first string (CSL titles may be lists).

    >>> text_of("<jats:p>We  <i>study</i> X.</jats:p>"), text_of(["A title", "B"]), text_of("  ")
    ('We study X.', 'A title', None)
    >>> text_of("RR < 1 and n > 2 ( 0 )")
    'RR < 1 and n > 2 ( 0 )'

    """
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    if "<" in value:
        value = _INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", value))
    return collapse_ws(value) or None


def new_record(source: str, index: int, line: int | None, problems: list[str], *, title: Any,
               authors: list[tuple[Any, dict]] | None = None, abstract: Any = None, year: Any = None,
               venue: Any = None, url: Any = None, doi: Any = None, arxiv: Any = None,
               openalex: Any = None, s2: Any = None, pmid: Any = None) -> Record | None:
    """A Record from a format reader's fields (names cleaned, ids normalised), or None with a
    problem when it has no title.

    >>> new_record("f", 1, None, [], title="T", authors=[("Ann Lee", {"s2": 7})], doi="DOI:10.1/X.").to_dict()
    {'title': 'T', 'authors': ['Ann Lee'], 'abstract': None, 'source': 'f', 'doi': '10.1/x', 'author_ids': [{'s2': '7'}]}
    >>> p = []; new_record("f", 2, None, p, title=" "), p
    (None, ['f: record 2: record without a title; skipped'])
    """
    t = text_of(title)
    if not t:
        problems.append(f"{where(source, index, line)}: record without a title; skipped")
        return None
    names, ids = authors_and_ids(authors or [])
    return Record(title=t, authors=names, abstract=text_of(abstract), source=source, line=line,
                  year=year_of(year), venue=text_of(venue), url=text_of(url), doi=norm_doi(doi),
                  arxiv=norm_arxiv(arxiv) if arxiv else None, openalex=norm_openalex(openalex),
                  s2=norm_plain(s2), pmid=_pmid(pmid), author_ids=ids)


def _pmid(value: Any) -> str | None:
    s = norm_plain(value)
    if s is None:
        return None
    m = re.search(r"(\d+)/?$", s)
    return m.group(1) if m else None


def parse_xml(text: str, path: str):
    """The root element of an XML text, parsed with :mod:`defusedxml` (entity expansion and
    external entities are refused: a fatal one-line error).

    >>> parse_xml("<a><b>x</b></a>", "f").find("b").text
    'x'
    >>> parse_xml('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "f.xml")
    Traceback (most recent call last):
    kg.model.KGError: f.xml: XML declares entities (possible entity-expansion attack); refused
    """
    import defusedxml
    from defusedxml import ElementTree as DET
    from xml.etree.ElementTree import ParseError

    try:
        return DET.fromstring(text.encode("utf-8"))
    except defusedxml.EntitiesForbidden:
        raise KGError("XML declares entities (possible entity-expansion attack); refused", path) from None
    except defusedxml.ExternalReferenceForbidden:
        raise KGError("XML refers to an external entity; refused", path) from None
    except defusedxml.DefusedXmlException as exc:
        raise KGError(f"XML refused ({exc.__class__.__name__})", path) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise KGError(f"XML is damaged ({str(exc).split(':')[0]})", path, line) from None


def local(tag: str) -> str:
    """An element's tag without its namespace.

    >>> local("{http://www.w3.org/2005/Atom}entry")
    'entry'
    """
    return tag.rsplit("}", 1)[-1]


def child_text(el, name: str) -> str | None:
    """The whole text (with sub-elements) of the first child named *name* (any namespace).

    >>> from xml.etree.ElementTree import fromstring
    >>> child_text(fromstring("<a><t>x <i>y</i> z</t></a>"), "t")
    'x y z'
    """
    for c in el:
        if local(c.tag) == name:
            return collapse_ws("".join(c.itertext())) or None
    return None


def children(el, name: str) -> list:
    """The children named *name* (any namespace)."""
    return [c for c in el if local(c.tag) == name]
