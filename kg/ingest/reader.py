"""Reading listing files: decoding, format detection, dispatch to the format readers.

Fatal problems raise :class:`kg.model.KGError` (one line, naming the file and, where there is
one, the line): missing path, directory without listing files, empty file, binary file (NUL
byte), text that is not UTF-8, unknown format, a JSON Lines line that is not JSON, invalid
JSON, a CSV without a title column, a file in which no paper was found. Malformed records
inside an otherwise good file are skipped and listed in :attr:`Listing.problems`.

Format detection (:func:`detect_format`) looks at the content first, then at the extension:

1. the files of bibliographic systems, by content (:func:`kg.ingest.formats.detect`): an XML
   root ``<feed>`` → arxiv, ``<OAI-PMH>`` → oai, ``<PubmedArticleSet>`` → pubmed; a first
   line ``TY  -`` → ris; JSON shaped like an OpenAlex work / works page / snapshot line →
   openalex, a Semantic Scholar paper / author / ``data`` page / corpus line → s2, CSL items →
   csl; a recorded API response ``{url, status_code, body}`` by the XML in its body;
2. other XML or markup is refused (unknown format);
3. first non-blank character "[" → json; "{" → json if the whole text is one JSON value, else
   jsonl (a ``.jsonl``/``.ndjson`` file is always jsonl);
4. a BibTeX entry ("@article{…") at the start of a line → bibtex;
5. a "Publications" first line → publications; daily-papers header lines → daily;
6. a header line with a "title" column (or a ``.csv``/``.tsv`` name) → csv;
7. headerless text: "(see more)" markers → publications; title/abstract pairs → daily, but
   only for plain prose lines: a text with tagged lines (``XX  - value`` as in RIS/MEDLINE,
   ``<tags>``, ``key: value`` fields, JSON, Markdown headings/tables/bullets) is not a listing, so its format is unknown;
8. otherwise the format is unknown (fatal).
"""
from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest import csvfmt, formats as biblio, structured, text as textfmt
from kg.model import KGError, Record

FORMATS = ("publications", "daily", "jsonl", "json", "csv", "bibtex", *biblio.FORMATS)
LISTING_SUFFIXES = (".txt", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".bib", ".bibtex", ".ris",
                    ".xml", ".atom")
LISTING_SUFFIXES += tuple(s + ".gz" for s in LISTING_SUFFIXES)
_BIB_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_TAGGED = re.compile(r"^(?:[A-Z][A-Z0-9]{1,3}\s{0,2}- |<[/!?A-Za-z]|[{\[|]|#{1,6} |[-*+] |```|[A-Za-z_]\w*\s*[:=]\s*\S)")


@dataclass
class Listing:
    """The records of one listing file, in listing order, and the problems met reading it."""

    path: str
    format: str
    records: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: facts about the file that are not damage, e.g. "more pages exist" for an API page
    notes: list[str] = field(default_factory=list)


def read_text(path: str | os.PathLike) -> str:
    """The text of a listing file, checked: exists, not a directory, not empty, not binary,
    UTF-8 (a BOM is dropped); gzip-compressed files are decompressed. Line ends are normalised to "\\n".

    >>> read_text("/nonexistent/x.txt")
    Traceback (most recent call last):
    kg.model.KGError: /nonexistent/x.txt: no such file
    """
    p = str(path)
    if not os.path.exists(p):
        raise KGError("no such file", p)
    if os.path.isdir(p):
        raise KGError("is a directory", p)
    if not os.path.isfile(p):  # a FIFO, a device such as /dev/zero, a socket: would hang or never end
        raise KGError("not a regular file (a pipe or a device?); give a listing file", p)
    try:
        with open(p, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise KGError(f"cannot read ({exc.strerror or exc})", p) from None
    if data.startswith(b"\x1f\x8b"):  # gzip-compressed listing (e.g. papers.jsonl.gz)
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise KGError(f"truncated or corrupt gzip file ({exc})", p) from None
    if not data.strip():
        raise KGError("empty file", p)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise KGError("UTF-16 text is not supported; save the file as UTF-8", p)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise KGError("binary file (NUL byte), not a text listing", p, data.count(b"\n", 0, nul) + 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise KGError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", p, line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise KGError("empty file", p)
    return text


def detect_format(path: str | os.PathLike, text: str | None = None) -> str:
    """The format of a listing file (one of :data:`FORMATS`), from its content and name.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "x.txt")
    ...     _ = open(p, "w").write('title,authors\\nA,B')
    ...     detect_format(p)
    'csv'
    """
    p = str(path)
    if text is None:
        text = read_text(p)
    suffix = Path(p[:-3] if p.lower().endswith(".gz") else p).suffix.lower()
    stripped = text.lstrip()
    found = biblio.detect(text, jsonl=suffix in (".jsonl", ".ndjson"), path=p)
    if found:
        return found
    if stripped.startswith("<"):
        raise KGError("unknown format: XML/HTML that is not an arXiv Atom feed, an OAI-PMH page or "
                      "PubMed XML (use --format)", p)
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        if suffix in (".jsonl", ".ndjson"):
            return "jsonl"
        try:
            json.loads(text)
            return "json"
        except (ValueError, RecursionError):
            return "jsonl"
    if _BIB_ENTRY.search(text) and (suffix in (".bib", ".bibtex") or stripped.startswith(("@", "%"))):
        return "bibtex"
    if textfmt.looks_publications(text):
        return "publications"
    if textfmt.looks_daily(text):
        return "daily"
    header = csvfmt.csv_header(text, p)
    if any(h.replace("-", "_") in structured.ALIASES["title"] for h in header) and len(header) >= 2:
        return "csv"
    by_suffix = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "csv",
                 ".bib": "bibtex", ".bibtex": "bibtex"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    guess = textfmt.looks_headerless_listing(text) if not _tagged(text) else None
    if guess:
        return guess
    raise KGError(f"unknown listing format (expected one of: {', '.join(FORMATS)}; use --format)", p)


def _tagged(text: str) -> bool:
    """True when several lines look like tagged fields (``TI  - …``, ``<tag>``, ``key: value``):
    such a text is a format we do not know, not a headerless listing.

    >>> _tagged("TY  - JOUR\\nTI  - A title\\nER  - "), _tagged("A Title\\nWe study things.")
    (True, False)
    """
    lines = [l for l in text.split("\n") if l.strip()][:200]
    tagged = sum(1 for l in lines if _TAGGED.match(l))
    return tagged >= 3 and tagged * 5 >= len(lines)


def read_listing(path: str | os.PathLike, fmt: str | None = None) -> Listing:
    """Read one listing file; ``fmt`` (one of :data:`FORMATS`) overrides detection.

    >>> from pathlib import Path
    >>> seeds = Path(__file__).resolve().parents[2] / "seeds"
    >>> listing = read_listing(next(iter(sorted(seeds.glob("000_*.txt")))))
    >>> listing.format, listing.records[0].title, listing.records[0].line
    ('publications', '4+3 Phases of Compute-Optimal Neural Scaling Laws', 3)
    """
    p = str(path)
    if fmt is not None and fmt not in FORMATS:
        raise KGError(f"unknown format {fmt!r} (choose from: {', '.join(FORMATS)})", p)
    text = read_text(p)
    fmt = fmt or detect_format(p, text)
    source = os.path.basename(p)
    problems: list[str] = []
    notes: list[str] = []
    if fmt in biblio.FORMATS:
        records = biblio.reader(fmt)(text, source, p, problems, notes)
    elif fmt == "publications":
        records = textfmt.read_publications(text, source, problems)
    elif fmt == "daily":
        records = textfmt.read_daily(text, source, problems)
    else:
        reader = {"jsonl": structured.read_jsonl, "json": structured.read_json, "csv": csvfmt.read_csv,
                  "bibtex": structured.read_bibtex}[fmt]
        records = reader(text, source, p, problems)
    if not records:
        detail = f" ({len(problems)} malformed: {problems[0]})" if problems else ""
        raise KGError(f"no papers found in this {fmt} listing{detail}", p)
    ident = source_identity(p)
    for rec in records:
        rec.source_path = ident
    return Listing(path=p, format=fmt, records=records, problems=problems, notes=notes)


def source_identity(path: str | os.PathLike) -> str:
    """The full identity of a listing file, what the graph keys its source by: the path
    relative to the working directory, normalised, with ``/`` separators (symbolic links are
    not resolved), so a checkout anywhere, run from its root, gives the same identities; an
    absolute path only when no relative one exists (another drive), the path as given when the
    working directory is gone.

    >>> source_identity("seeds/../seeds/./a.txt"), source_identity(os.path.join(os.getcwd(), "x", "a.txt"))
    ('seeds/a.txt', 'x/a.txt')
    """
    try:
        full = os.path.abspath(path)
    except OSError:  # the working directory was removed: the path as given
        return os.path.normpath(path).replace(os.sep, "/")
    try:
        rel = os.path.relpath(full)
    except (ValueError, OSError):  # Windows: another drive
        rel = full
    return rel.replace(os.sep, "/")


def expand_paths(paths: list[str | os.PathLike]) -> list[str]:
    """Files to read: each file as given, each directory's listing files (by suffix, not
    hidden) in sorted order. A directory without listing files is fatal.

    >>> expand_paths(["/nonexistent"])
    ['/nonexistent']
    """
    out: list[str] = []
    for path in paths:
        p = str(path)
        if os.path.isdir(p):
            found = sorted(
                os.path.join(p, n) for n in os.listdir(p)
                if not n.startswith(".") and n.lower().endswith(LISTING_SUFFIXES) and os.path.isfile(os.path.join(p, n))
            )
            if not found:
                raise KGError(f"directory has no listing files ({', '.join(LISTING_SUFFIXES)})", p)
            out.extend(found)
        else:
            out.append(p)
    return out


def read_listings(paths: list[str | os.PathLike], fmt: str | None = None) -> list[Listing]:
    """Read several listing files (directories expanded, see :func:`expand_paths`), in order.

    >>> from pathlib import Path
    >>> seeds = Path(__file__).resolve().parents[2] / "seeds"
    >>> [len(l.records) for l in read_listings([seeds])]
    [12, 12, 57, 223, 179]
    """
    return [read_listing(p, fmt) for p in expand_paths(paths)]
