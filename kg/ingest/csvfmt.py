"""CSV / TSV listings: a header with a ``title`` column (aliases in
:data:`kg.ingest.structured.ALIASES`), one paper a row. A stray quote that would swallow the
rest of the file is detected and its lines re-read one by one (reported); fields over the csv
module's 128 KB default are read.
"""
from __future__ import annotations

import csv

from kg.model import KGError, Record
from kg.ingest.structured import ALIASES, make_record

def sniff_delimiter(first_line: str, path: str = "") -> str:
    """The CSV delimiter: tab for .tsv or when the header has tabs, else ";" or ",".

    >>> sniff_delimiter("title\\tauthors"), sniff_delimiter("title;authors"), sniff_delimiter("title,authors")
    ('\\t', ';', ',')
    """
    if path.lower().endswith(".tsv") or "\t" in first_line:
        return "\t"
    return ";" if first_line.count(";") > first_line.count(",") else ","


def csv_header(text: str, path: str = "") -> list[str]:
    """The lower-cased column names of the first line of a CSV/TSV text.

    >>> csv_header('Title,"Authors"\\nx,y')
    ['title', 'authors']
    """
    first = text.split("\n", 1)[0]
    try:
        row = next(csv.reader([first], delimiter=sniff_delimiter(first, path)))
    except (csv.Error, StopIteration):
        return []
    return [c.strip().lower() for c in row]


_FIELD_LIMIT = 2**31 - 1  # the csv module's default, 128 KB, refuses long abstracts


def read_csv(text: str, source: str, path: str, problems: list[str]) -> list[Record]:
    r"""CSV/TSV with a header row naming at least a title column.

    A quoted field may hold line breaks. A stray quote (``"Quoted title`` with no closing
    quote) would make one field of the rest of the file: a field running over lines that each
    read as a whole row on their own (see :func:`_runaway`) is taken for one, reported, and
    those lines are read again one by one.

    >>> [(r.title, r.authors, r.year) for r in read_csv('title,authors,year\n"A, b",X Y;Z W,2020', "f", "f", [])]
    [('A, b', ['X Y', 'Z W'], 2020)]
    >>> problems = []
    >>> [r.title for r in read_csv('title,year\n"Stray,2020\nB,2021\nC,2022\n', "f", "f", problems)]
    ['Stray', 'B', 'C']
    >>> problems
    ['f:2: unbalanced quote: its field ran over lines 2-4; those lines were read one by one']
    """
    header = csv_header(text, path)
    if not any(h.replace("-", "_") in ALIASES["title"] for h in header):
        raise KGError(f"CSV has no title column (columns: {', '.join(header) or 'none'})", path, 1)
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    delimiter = sniff_delimiter(text.split("\n", 1)[0], path)
    lines = [line + "\n" for line in text.split("\n")]
    if text.endswith("\n"):
        lines.pop()  # no line after the last line break
    reader = csv.reader(iter(lines), delimiter=delimiter)
    records: list[Record] = []
    prev_end = 0

    def take(row: list[str], start: int) -> None:
        if not any(c.strip() for c in row):
            return
        if len(row) > len(header):
            problems.append(f"{source}:{start}: row has {len(row)} fields, header has {len(header)}; skipped")
            return
        rec = make_record(dict(zip(header, row)), source, start, problems)
        if rec:
            records.append(rec)

    try:
        next(reader)
        prev_end = reader.line_num
        for row in reader:
            start, prev_end = prev_end + 1, reader.line_num
            span = lines[start - 1:prev_end]
            if len(span) > 1 and _runaway(row, span, len(header), delimiter):
                problems.append(f"{source}:{start}: unbalanced quote: its field ran over lines "
                                f"{start}-{prev_end}; those lines were read one by one")
                for no, line in enumerate(span, start):
                    take(_one_line(line, delimiter, len(header)), no)
                continue
            take(row, start)
    except csv.Error as exc:
        raise KGError(f"CSV is damaged ({exc})", path, prev_end + 1) from None
    return records


def _fields(line: str, delimiter: str, **kw) -> list[str]:
    return next(csv.reader([line.rstrip("\n")], delimiter=delimiter, **kw), [])


def _runaway(row: list[str], span: list[str], width: int, delimiter: str) -> bool:
    r"""Whether a row read over the physical lines *span* is a stray quote's run-away field:
    its inner lines read alone are whole rows (*width* fields), nearly all of them (80 %, at
    least two), or half of them while the row itself has the wrong number of fields. The
    lines of a quoted abstract with line breaks are mostly not.

    >>> _runaway(["A", "x\ny"], ['A,"x\n', 'y"\n'], 2, ",")
    False
    >>> _runaway(["Stray,1\nB,2\nC,3"], ['"Stray,1\n', 'B,2\n', 'C,3\n'], 2, ",")
    True
    """
    inner = span[1:]
    if width < 2 or not inner:
        return False
    whole = sum(len(_fields(line, delimiter)) == width for line in inner)
    return (len(inner) >= 2 and whole >= 0.8 * len(inner)) or (len(row) != width and whole >= 0.5 * len(inner))


def _one_line(line: str, delimiter: str, width: int) -> list[str]:
    """The fields of one physical line of a damaged CSV; an unbalanced quote is read as text
    (and dropped when it opens a field)."""
    row = _fields(line, delimiter)
    if len(row) == width or line.count('"') % 2 == 0:
        return row
    row = _fields(line, delimiter, quoting=csv.QUOTE_NONE)
    return [f[1:] if f.startswith('"') and f.count('"') % 2 else f for f in row]
