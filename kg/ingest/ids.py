"""Identifiers and author names as the bibliographic systems write them, normalised.

Papers: DOI, arXiv id, OpenAlex work id (W…), Semantic Scholar paperId, PubMed PMID.
Authors: ORCID, OpenAlex author id (A…), Semantic Scholar authorId.
Every ``norm_*`` function returns ``None`` for a value that is not such an identifier, so a
record never carries a malformed id into the identity rules of :mod:`kg.graph`.
"""
from __future__ import annotations

import html
import re
from typing import Any

from kg.model import collapse_ws

_DOI_PREFIX = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/|^doi:\s*", re.I)
_DOI = re.compile(r"^10\.\S+/\S+$|^10/[a-z0-9]+$")  # 10/xxxx: a shortDOI (Better BibTeX writes them)
_ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
_ARXIV_OLD = re.compile(r"([a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?")
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_SUFFIX = re.compile(r"(?:Jr|Sr|I{2,3}|IV)\.?")
_TRAILING_ETAL = re.compile(r"[,;]?\s+(?:et\.?\s*al\.?|and\s+others)$", re.I)
_NOT_AUTHORS = re.compile(r"^(?:and\s+)?(?:others|et\.?\s*al\.?|and\s+others|etc\.?|\.\.\.|…)$", re.I)


def norm_doi(value: Any) -> str | None:
    """A DOI in lower case without resolver prefix, ``doi:`` or trailing dot; None if not a DOI.

    >>> norm_doi("https://doi.org/10.1000/ABC.1."), norm_doi("doi: 10.7717/peerj.4375")
    ('10.1000/abc.1', '10.7717/peerj.4375')
    >>> norm_doi("http://dx.doi.org/10.1142/S021797921244002X"), norm_doi("10/FQD6HJ"), norm_doi("n/a")
    ('10.1142/s021797921244002x', '10/fqd6hj', None)
    """
    if value is None or not isinstance(value, (str, int, float)):
        return None
    s = collapse_ws(str(value)).lower()
    s = _DOI_PREFIX.sub("", s).rstrip(".,;")
    if " " in s:  # "10.1/a 10.1/b" (arXiv OAI lists a paper's DOI and its erratum's): the first
        s = s.split()[0].rstrip(".,;")
    return s if _DOI.match(s) else None


def norm_arxiv(value: Any) -> str | None:
    """An arXiv id without prefix, URL or version (new 2401.01234 and old hep-th/9901001 style).

    >>> norm_arxiv("arXiv:2401.01234v2"), norm_arxiv("https://arxiv.org/abs/hep-th/9901001v1")
    ('2401.01234', 'hep-th/9901001')
    >>> norm_arxiv("http://arxiv.org/abs/cond-mat/0409216v1"), norm_arxiv("not an id")
    ('cond-mat/0409216', None)
    """
    if value is None:
        return None
    s = collapse_ws(str(value))
    m = _ARXIV_NEW.search(s) or _ARXIV_OLD.search(s)
    return m.group(1) if m else None


def norm_openalex(value: Any, kind: str = "W") -> str | None:
    """An OpenAlex id (``W…`` work, ``A…`` author) from its URL or bare form.

    >>> norm_openalex("https://openalex.org/W2741809807"), norm_openalex("a5048491430", "A")
    ('W2741809807', 'A5048491430')
    """
    if not isinstance(value, str):
        return None
    m = re.search(rf"(?:^|/)({kind}\d+)$", value.strip(), re.I)
    return m.group(1).upper() if m else None


def norm_orcid(value: Any) -> str | None:
    """An ORCID iD as 0000-0000-0000-000X (from a URL or bare).

    >>> norm_orcid("http://orcid.org/0000-0002-5577-3516"), norm_orcid("x")
    ('0000-0002-5577-3516', None)
    """
    if not isinstance(value, str):
        return None
    m = _ORCID.search(value.upper())
    return m.group(1) if m else None


def norm_plain(value: Any) -> str | None:
    """A plain id (S2 paperId/authorId, PMID) as a stripped string; None for empty values.

    >>> norm_plain(12345), norm_plain(" "), norm_plain(None)
    ('12345', None, None)
    """
    if value is None or isinstance(value, (bool, list, dict)):
        return None
    s = str(value).strip()
    return s or None


def clean_name(name: Any) -> str | None:
    """An author name as displayed: HTML entities decoded, whitespace collapsed; None for the
    placeholders that are not authors ("et al.", "others", "and others", "...").

    >>> clean_name("Pierluca D&#x27;Oro"), clean_name("et al."), clean_name(" and  others ")
    ("Pierluca D'Oro", None, None)
    >>> clean_name("Ann Lee et al."), clean_name("Others")
    ('Ann Lee', None)
    """
    if not isinstance(name, str):
        return None
    s = collapse_ws(html.unescape(name)) if "&" in name else collapse_ws(name)
    s = _TRAILING_ETAL.sub("", s).strip(" ,;")
    if not s or _NOT_AUTHORS.match(s):
        return None
    return s


def inverted_name(value: str) -> str:
    """"Last, First" (RIS, BibTeX order) turned into "First Last"; "Last, First, Suffix" and
    "Last, Suffix, First" keep the suffix at the end; other forms unchanged.

    >>> inverted_name("van de Schoot, Rens"), inverted_name("Labanski, A."), inverted_name("Ada Lovelace")
    ('Rens van de Schoot', 'A. Labanski', 'Ada Lovelace')
    >>> inverted_name("King, Martin Luther, Jr."), inverted_name("King, Jr., Martin")
    ('Martin Luther King Jr.', 'Martin King Jr.')
    """
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):
        if _SUFFIX.fullmatch(parts[2]):
            return f"{parts[1]} {parts[0]} {parts[2]}"
        if _SUFFIX.fullmatch(parts[1]):
            return f"{parts[2]} {parts[0]} {parts[1]}"
    return collapse_ws(value)


def csl_name(name: dict) -> str:
    """A CSL name object as written: literal, or given + particles + family + suffix.

    >>> csl_name({"family": "Schoot", "given": "Rens", "non-dropping-particle": "van de"})
    'Rens van de Schoot'
    >>> csl_name({"literal": "IAAF"}), csl_name({"family": "Weiner", "given": "S."})
    ('IAAF', 'S. Weiner')
    """
    if isinstance(name.get("literal"), str) and name["literal"].strip():
        return collapse_ws(name["literal"])
    parts = [name.get(k) for k in ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")]
    return " ".join(collapse_ws(p) for p in parts if isinstance(p, str) and p.strip())


def authors_and_ids(entries: list[tuple[Any, dict[str, Any]]]) -> tuple[list[str], list[dict[str, str]]]:
    """Names and id dicts from ``(name, {"orcid": …, "openalex": …, "s2": …})`` pairs: names
    cleaned (:func:`clean_name`, placeholders dropped), ids normalised, empty ids dropped.

    >>> authors_and_ids([("Ann Lee", {"orcid": "https://orcid.org/0000-0002-5577-3516"}), ("et al.", {})])
    (['Ann Lee'], [{'orcid': '0000-0002-5577-3516'}])
    """
    norm = {"orcid": norm_orcid, "openalex": lambda v: norm_openalex(v, "A"), "s2": norm_plain}
    names, ids = [], []
    for name, raw in entries:
        n = clean_name(name)
        if n is None:
            continue
        names.append(n)
        ids.append({k: v for k, v in ((k, norm[k](raw.get(k))) for k in norm) if v})
    return names, ids
