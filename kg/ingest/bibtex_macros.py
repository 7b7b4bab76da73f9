"""BibTeX repairs before and inside bibtexparser's parse (used by
:func:`kg.ingest.structured.read_bibtex`): ``@string`` macros joined with ``#`` expanded,
entries with a key used before kept instead of dropped."""
from __future__ import annotations

import re


_ENTRY_KEY = re.compile(r"^(\s*@\s*([A-Za-z]+)\s*[{(]\s*)([^,\s{}()]+)(\s*,)", re.M)
_MONTHS = dict(zip("jan feb mar apr may jun jul aug sep oct nov dec".split(),
                   "January February March April May June July August September October November December".split()))


def rename_duplicate_keys(text: str, source: str, problems: list[str]) -> str:
    """*text* with the key of each entry whose key was used before made unique (bibtexparser
    would drop the entry), each such entry reported."""
    first: dict[str, int] = {}

    def rename(m: re.Match) -> str:
        if m.group(2).lower() in ("string", "comment", "preamble"):
            return m.group(0)
        key = m.group(3)
        if key not in first:
            first[key] = m.start(3)  # an offset: lines are counted for duplicates only
            return m.group(0)
        line = text.count("\n", 0, m.start(3)) + 1
        problems.append(f"{source}:{line}: duplicate BibTeX key {key!r} (first at line "
                        f"{text.count(chr(10), 0, first[key]) + 1}); both entries kept")
        return f"{m.group(1)}{key}@kg-line-{line}{m.group(4)}"

    return _ENTRY_KEY.sub(rename, text)


class ResolveMacros:
    """bibtexparser middleware: expand ``@string`` macros (and the month names ``jan``...) in
    field values, also where pieces are joined with ``#`` (``me # " Lovelace"``); the result
    is left in braces for ``RemoveEnclosingMiddleware``. An unknown macro stays as written."""

    def transform(self, library):
        macros: dict[str, str] = {}
        for string in library.strings:
            if isinstance(string.value, str):
                macros[string.key.lower()] = self.expand(string.value, macros)
        for entry in library.entries:
            for f in entry.fields:
                if isinstance(f.value, str) and not _enclosed(f.value):
                    f.value = "{" + self.expand(f.value, macros) + "}"
        return library

    @staticmethod
    def expand(value: str, macros: dict[str, str]) -> str:
        """The text of a BibTeX value expression (pieces joined by ``#``).

        >>> ResolveMacros.expand('me # " Lovelace" # {, } # 1815', {"me": "Ada"})
        'Ada Lovelace, 1815'
        """
        out, i, n = [], 0, len(value)
        while i < n:
            c = value[i]
            if c.isspace() or c == "#":
                i += 1
            elif c in "{\"":
                j = _closing(value, i)
                out.append(value[i + 1:j])
                i = j + 1
            else:
                j = i
                while j < n and not value[j].isspace() and value[j] != "#":
                    j += 1
                word = value[i:j]
                out.append(macros.get(word.lower(), _MONTHS.get(word.lower(), word)))
                i = j
        return "".join(out)


def _enclosed(value: str) -> bool:
    v = value.strip()
    return len(v) >= 2 and ((v[0] == "{" and _closing(v, 0) == len(v) - 1)
                            or (v[0] == '"' and _closing(v, 0) == len(v) - 1))


def _closing(value: str, i: int) -> int:
    """Index of the quote or brace closing the one at *i* (braces nest; the end if none)."""
    depth = 0
    for j in range(i + 1, len(value)):
        c = value[j]
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0 and value[i] == "{":
                return j
            depth -= 1
        elif c == '"' and value[i] == '"' and depth == 0:
            return j
    return len(value) - 1
