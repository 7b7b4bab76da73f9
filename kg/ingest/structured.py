"""Readers of structured listings: JSON Lines, JSON, CSV/TSV and BibTeX.

Every reader maps its rows to :class:`kg.model.Record` with :func:`make_record`, which takes
the fields ``title``, ``authors`` (a list, or a string separated by ";" or " and "),
``abstract`` and the optional ``year``, ``venue``, ``url``, ``doi``, ``arxiv`` (several
spellings of each key are accepted, see :data:`ALIASES`).

Rules for damage:

* a JSON Lines line that is not JSON is fatal (:class:`KGError` naming the line): the file
  itself is damaged, its remaining lines cannot be trusted;
* a row that is well-formed but unusable (no title, authors of the wrong type, a CSV row with
  too many fields, a BibTeX entry that does not parse) is skipped and reported in
  ``problems`` as "file:line: reason";
* an optional field with a bad value (a year that is not a year) is dropped from its record
  and reported, the record is kept.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any

from kg.model import KGError, Record, collapse_ws
from kg.ingest.ids import clean_name, norm_arxiv, norm_doi  # noqa: F401  (norm_* re-exported)
from kg.ingest.jsontext import decode

ALIASES = {
    "title": ("title", "paper_title", "name"),
    "authors": ("authors", "author", "author_names", "creators"),
    "abstract": ("abstract", "summary", "abstract_text"),
    "year": ("year", "published_year", "pub_year"),
    "venue": ("venue", "journal", "booktitle", "conference", "container_title"),
    "url": ("url", "link", "pdf_url", "href"),
    "doi": ("doi",),
    "arxiv": ("arxiv", "arxiv_id", "arxivid", "arxiv id", "eprint", "arxiv_url"),
}


def _lower_keys(row: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower().replace("-", "_"): v for k, v in row.items()}


def _field(lower: dict[str, Any], name: str) -> Any:
    """The value of field *name* in a row whose keys went through :func:`_lower_keys`."""
    for key in ALIASES[name]:
        for variant in (key, key.replace(" ", "_")):
            if variant in lower and lower[variant] not in (None, ""):
                return lower[variant]
    return None


def split_authors(value: Any) -> list[str]:
    """Author names from a list or from a string separated by ";" or " and " (or ",").

    A "Last, First" piece is turned into "First Last".

    >>> split_authors("Ada Lovelace; Alan Turing and Grace Hopper")
    ['Ada Lovelace', 'Alan Turing', 'Grace Hopper']
    >>> split_authors("Lovelace, Ada and Turing, Alan")
    ['Ada Lovelace', 'Alan Turing']
    >>> split_authors("Ada Lovelace, Alan Turing and Grace Hopper")
    ['Ada Lovelace', 'Alan Turing', 'Grace Hopper']
    >>> split_authors("Ada Lovelace, Turing"), split_authors("van Gogh, Vincent")
    (['Ada Lovelace', 'Turing'], ['Vincent van Gogh'])

    HTML entities are decoded and placeholders ("et al.", "others") dropped (:func:`kg.ingest.ids.clean_name`):

    >>> split_authors(["Pierluca D&#x27;Oro", "others"]), split_authors("Ann Lee and others")
    (["Pierluca D'Oro"], ['Ann Lee'])
    """
    return [n for n in (clean_name(a) for a in _split_authors(value)) if n]


def _split_authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        if not all(isinstance(a, str) for a in value):
            raise ValueError("authors must be strings")
        return [collapse_ws(a) for a in value if a and a.strip()]
    if not isinstance(value, str):
        raise ValueError(f"authors must be a list or a string, not {type(value).__name__}")
    text = collapse_ws(value)
    if text.startswith("[") and text.endswith("]"):
        try:
            return _split_authors(json.loads(text))
        except (ValueError, TypeError, RecursionError):
            pass
    pieces = re.split(r";|\s+(?:and|&)\s+", text)
    names: list[str] = []
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        parts = [p.strip() for p in piece.split(",") if p.strip()]
        if len(parts) >= 2 and all(len(p.split()) >= 2 for p in parts) and not parts[0][0].islower():
            names.extend(parts)  # "First Last, First Last"
        elif len(parts) == 2 and _SUFFIX.fullmatch(parts[1]):
            names.append(f"{parts[0]} {parts[1]}")  # "Martin Luther King, Jr."
        elif len(parts) == 2 and _is_name_then_mononym(*parts):
            names.extend(parts)  # "Ada Lovelace, Turing": a full name, then a one-word name
        elif len(parts) == 2:
            names.append(f"{parts[1]} {parts[0]}")  # "Last, First"
        else:
            names.append(piece)
    return names


_SUFFIX = re.compile(r"(?i)(?:jr|sr|ii|iii|iv|phd)\.?")
_INITIALS = re.compile(r"(?:[^\W\d_]\.?[\s-]*){1,3}")
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "das",
              "le", "la", "ter", "ten", "bin", "ibn", "al", "el", "mac", "st", "st."}


def _is_name_then_mononym(first: str, second: str) -> bool:
    """Whether "A B, C" lists two people (a full name and a one-word name) rather than the
    "Last, First" form: the part before the comma has several words and does not start with
    a surname particle (van, de, ...), the part after it is one word that is not initials.

    >>> _is_name_then_mononym("Ada Lovelace", "Turing"), _is_name_then_mononym("van Gogh", "Vincent")
    (True, False)
    >>> _is_name_then_mononym("Lovelace", "Ada"), _is_name_then_mononym("Lovelace Byron", "A.")
    (False, False)
    """
    words = first.split()
    return (len(words) >= 2 and words[0].casefold() not in _PARTICLES and len(second.split()) == 1
            and not _INITIALS.fullmatch(second))


def norm_year(value: Any) -> int | None:
    """A year as int, from an int or a string holding one (e.g. "2023-05-01"); raises ValueError.

    >>> norm_year("2023-05-01"), norm_year(2024), norm_year(None)
    (2023, 2024, None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"year {value!r} is not a year")
    if isinstance(value, int):
        if 1000 <= value <= 2999:
            return value
        raise ValueError(f"year {value!r} is not a year")
    m = re.fullmatch(r"\s*((?:1|2)\d{3})(?:[-/.]\d{1,2}){0,2}\s*(?:\.0)?", str(value))
    if not m:
        raise ValueError(f"year {str(value)[:40]!r} is not a year")
    return int(m.group(1))


def make_record(row: dict[str, Any], source: str, line: int | None, problems: list[str]) -> Record | None:
    """A Record from a dict of fields, or None (with a problem added) when the row is unusable.

    >>> make_record({"Title": " A  Paper ", "authors": "A B and C D", "arXiv ID": "arXiv:2401.01234v2"}, "f", 3, []).to_dict()
    {'title': 'A Paper', 'authors': ['A B', 'C D'], 'abstract': None, 'source': 'f', 'arxiv': '2401.01234'}
    """
    where = f"{source}:{line}" if line else source
    if not isinstance(row, dict):
        problems.append(f"{where}: record is a {type(row).__name__}, not an object; skipped")
        return None
    row = _lower_keys(row)
    title = _field(row, "title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}: record without a title; skipped")
        return None
    try:
        authors = split_authors(_field(row, "authors"))
    except ValueError as exc:
        problems.append(f"{where}: {exc}; skipped")
        return None
    abstract = _field(row, "abstract")
    if abstract is not None and not isinstance(abstract, str):
        problems.append(f"{where}: abstract is not a string; skipped")
        return None
    rec = Record(title=collapse_ws(title), authors=authors, abstract=collapse_ws(abstract) if abstract else None,
                 source=source, line=line)
    try:
        rec.year = norm_year(_field(row, "year"))
    except ValueError as exc:
        problems.append(f"{where}: {exc}; year ignored")
    for key in ("venue", "url"):
        value = _field(row, key)
        if value is not None:
            setattr(rec, key, collapse_ws(str(value)) or None)
    rec.doi = norm_doi(_field(row, "doi"))
    rec.arxiv = norm_arxiv(_field(row, "arxiv"))
    return rec


def read_jsonl(text: str, source: str, path: str, problems: list[str], first_line: int = 1) -> list[Record]:
    """JSON Lines: one object per line; blank lines ignored; a line that is not JSON is fatal.
    *first_line* is the line number of the first line of *text* (a part of a file, :mod:`kg.cluster`).

    >>> [r.title for r in read_jsonl('{"title": "A"}\\n\\n{"title": "B"}', "f", "f", [])]
    ['A', 'B']
    """
    records = []
    for no, line in enumerate(text.split("\n"), first_line):
        if not line.strip():
            continue
        row = decode(line, path, problems, line=no, where=f"{source}:{no}")
        rec = make_record(row, source, no, problems)
        if rec:
            records.append(rec)
    return records


def _element_lines(text: str) -> list[int]:
    """1-based line of each top-level element of a JSON list (scanning outside strings)."""
    lines, depth, in_str, esc, line = [], 0, False, False, 1
    expecting = False
    for ch in text:
        if ch == "\n":
            line += 1
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if depth == 1 and expecting and not ch.isspace():
            lines.append(line)
            expecting = False
        if ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth == 1:
                expecting = True
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 1:
            expecting = True
    return lines


def read_json(text: str, source: str, path: str, problems: list[str]) -> list[Record]:
    """A JSON list of objects, an object holding one such list, or a single paper object.

    >>> [(r.title, r.line) for r in read_json('[\\n {"title": "A"},\\n {"title": "B"}\\n]', "f", "f", [])]
    [('A', 2), ('B', 3)]
    """
    data = decode(text, path, problems, where=source)
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if _field(data, "title") is not None or len(lists) != 1:
            data = [data]
            lines = [1 + text[: len(text) - len(text.lstrip())].count("\n")]
        else:
            data = lists[0]
            lines = [None] * len(data)
    elif isinstance(data, list):
        lines = _element_lines(text)
    else:
        raise KGError("JSON file holds neither a list of papers nor a paper object", path)
    if len(lines) != len(data):
        lines = [None] * len(data)
    records = []
    for row, no in zip(data, lines):
        rec = make_record(row, source, no, problems)
        if rec:
            records.append(rec)
    return records


def read_bibtex(text: str, source: str, path: str, problems: list[str]) -> list[Record]:
    r"""BibTeX entries (via bibtexparser): title, author ("Last, First" or "First Last";
    braces and LaTeX accents decoded), abstract, year, journal/booktitle as venue, doi, url,
    eprint as arXiv id.

    >>> rec = read_bibtex("@article{k, title={The {BERT} Caf\\'e}, author={M\\\"uller, J{\\\"o}rg and Ada Lovelace}, year=2020}", "f", "f", [])[0]
    >>> rec.title, rec.authors, rec.year
    ('The BERT Café', ['Jörg Müller', 'Ada Lovelace'], 2020)

    ``@string`` macros are expanded, also inside ``#`` concatenations; an entry whose key was
    used before is kept (both entries are read) and reported.

    >>> problems = []
    >>> recs = read_bibtex('@string{me = "Ada"}\n@article{k, title={One}, author = me # " Lovelace"}\n'
    ...                    '@article{k, title={Two}, author={Alan Turing}}', "f", "f", problems)
    >>> [(r.title, r.authors) for r in recs], problems
    ([('One', ['Ada Lovelace']), ('Two', ['Alan Turing'])], ["f:3: duplicate BibTeX key 'k' (first at line 2); both entries kept"])
    """
    import bibtexparser
    from bibtexparser import middlewares as mw

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    from kg.ingest.bibtex_macros import ResolveMacros, rename_duplicate_keys

    text = rename_duplicate_keys(text, source, problems)
    library = bibtexparser.parse_string(
        text,
        parse_stack=[ResolveMacros(), mw.RemoveEnclosingMiddleware(),
                     mw.LatexDecodingMiddleware(), mw.SeparateCoAuthors(), mw.SplitNameParts(),
                     mw.MergeNameParts("first")],
    )
    for block in library.failed_blocks:
        problems.append(f"{source}:{block.start_line + 1}: BibTeX entry does not parse; skipped")
    records = []
    for entry in library.entries:
        fields = {k.lower(): v.value for k, v in entry.fields_dict.items()}
        authors = fields.get("author")
        if isinstance(authors, list):
            authors = [collapse_ws(_unbrace(a)) for a in authors]
        row = {k: (_unbrace(v) if isinstance(v, str) else v) for k, v in fields.items()}
        row["author"] = authors
        if "eprint" in row and "arxiv" not in str(row.get("archiveprefix", "arxiv")).lower():
            row.pop("eprint")
        if not row.get("eprint") and re.search(r"arxiv", str(row.get("journal", "")), re.I):
            row["eprint"] = row.get("journal")
        rec = make_record(row, source, entry.start_line + 1, problems)
        if rec:
            records.append(rec)
    return records


def _unbrace(value: str) -> str:
    return collapse_ws(value.replace("{", "").replace("}", ""))

