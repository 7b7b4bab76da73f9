"""Offset-preserving clean-up of abstracts and a cheap sentence splitter.

Every function here keeps character offsets: the cleaned text has exactly the length of the
input, so spans found in it are spans of the original ``title + "\\n" + abstract``.
"""
from __future__ import annotations

import re

from .words import alt

MAX_CHARS = 40_000  # text beyond this is not analysed (abstracts are ~1.3k chars)

_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+|\b[\w.-]+\.(?:com|org|io|net|edu|ai)/\S*")
_HTML_ENT = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
_LATEX_CMD = re.compile(r"\\[A-Za-z]+\*?|[{}$\\^_~]")


def _blank(m: re.Match) -> str:
    return " " * (m.end() - m.start())


def clean(text: str) -> str:
    """Blank out URLs, HTML entities and LaTeX markup, keeping every offset.

    >>> clean("see https://github.com/x/LoRA and $Q$-trace &amp; \\\\textbf{S}huffling")
    'see                           and  Q -trace               S huffling'
    >>> len(clean("a &lt; b")) == len("a &lt; b")
    True
    """
    if "://" in text or "www." in text or "/" in text:
        text = _URL.sub(_blank, text)
    if "&" in text:
        text = _HTML_ENT.sub(_blank, text)
    if "\\" in text or "$" in text or "{" in text:
        text = _LATEX_CMD.sub(_blank, text)
    return text


_BOUNDARY = re.compile(r"\n+|(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_BOUNDARY_AT = re.compile(r"[\n.!?]")  # every boundary starts at a newline or right after . ! ?
_NO_SPLIT = re.compile(rf"(?:\b(?:{alt('sentences', 'no_split_abbreviations')})\.|\b[A-Z]\.)$")


def finditer_at(pattern: re.Pattern, text: str, starts) -> list[re.Match]:
    """``list(pattern.finditer(text))`` for a pattern whose matches are never empty and can only start
    at one of ``starts`` (sorted; a superset is fine): the same matches, the regex tried only there.

    >>> w = re.compile(r"(?<![\\w-])[a-z]+ing\\b"); t = "a sing-along, singing and ring-ing"
    >>> [m.span() for m in finditer_at(w, t, [2, 14, 26, 30])] == [m.span() for m in w.finditer(t)]
    True
    """
    out, end, match = [], 0, pattern.match
    for p in starts:
        if p < end:
            continue
        m = match(text, p)
        if m:
            out.append(m)
            end = m.end()
    return out


def _boundaries(text: str):
    """``_BOUNDARY.finditer(text)``, but the regex is only tried where a match can start (C-speed scan)."""
    pos = 0
    match = _BOUNDARY.match
    for c in _BOUNDARY_AT.finditer(text):
        p = c.start()
        if text[p] != "\n":
            p += 1
        if p < pos:
            continue
        m = match(text, p)
        if m:
            yield m
            pos = m.end()


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``: splits at newlines and at ``. ! ?`` + capital.

    >>> t = "EDT: a title\\nWe propose EDT, e.g. for images. It beats DiT."
    >>> [t[s:e] for s, e in sentences(t)]
    ['EDT: a title', 'We propose EDT, e.g. for images.', 'It beats DiT.']
    """
    spans, start = [], 0
    for m in _boundaries(text):
        if m.group().startswith("\n") is False and _NO_SPLIT.search(text, max(0, m.start() - 8), m.start()):
            continue
        end = m.start()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
        start = m.end()
    end = len(text)
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
    return spans
