"""``kg_abbrev``: long form <-> short form pairs, either order (Schwartz-Hearst)."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .doc import _upper, doc_text
from .words import words

_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
_SHORT = re.compile(r"^[A-Za-z0-9][\w\-.+/]*[A-Za-z0-9+]$|^[A-Z]$")
_STOP_LONG = set(words("abbrev", "long_form_stops"))


def is_shortform(s: str) -> bool:
    """Could ``s`` be an abbreviation (one token with a capital or digit after its start)?

    >>> is_shortform("EDT"), is_shortform("P-Mixup"), is_shortform("ours"), is_shortform("e.g.")
    (True, True, False, False)
    """
    if not _SHORT.match(s) or len(s) > 20 or " " in s:
        return False
    return _upper(s) >= 2 or (_upper(s) >= 1 and any(c.isdigit() or c == "-" for c in s)) or (
        _upper(s) == 1 and len(s) <= 6 and not s[1:].islower())


def match_longform(short: str, words: list[str]) -> int | None:
    """Schwartz-Hearst: index of the first word of the long form of ``short`` in ``words``.

    >>> w = "we propose the Efficient Diffusion Transformer".split()
    >>> w[match_longform("EDT", w):]
    ['Efficient', 'Diffusion', 'Transformer']
    """
    s = [c for c in short.lower() if c.isalnum()]
    if not s or not s[0].isalpha():
        return None
    text = " ".join(words).lower()
    li = len(text) - 1
    si = len(s) - 1
    while si >= 0:
        c = s[si]
        while li >= 0 and (text[li] != c or (si == 0 and li > 0 and text[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    first = text.count(" ", 0, li + 1)
    while first < len(words) - 1 and words[first].lower() in _STOP_LONG:
        first += 1
    if first >= len(words) or words[first].lower() in _STOP_LONG:
        return None
    n = len(words) - first
    if n > min(len(s) + 5, 2 * len(s)) or n < 1:
        return None
    if n == 1 and len(s) > 2 and not words[first].startswith(short[0]):
        return None
    return first


_WORD = re.compile(r"[^\s()]+")
_COINED_SHORT = re.compile(r"[A-Z][a-z]{3,7}$")


def _coined_short_ok(short: str, words: list[str]) -> bool:
    """A capitalised lower-case short form ("asymmetric reverse process (Asyrp)") is an abbreviation only
    when its long form has 2-4 plain words, starts with its first letter and its last word's initial
    occurs in it after the first letter; "(Hinton)", "(Table)" are not.

    >>> _coined_short_ok("Asyrp", "asymmetric reverse process".split()), _coined_short_ok("Hinton", ["he"])
    (True, False)
    """
    if not 2 <= len(words) <= 4 or not all(w.isalpha() or "-" in w for w in words):
        return False
    low = short.lower()
    return words[0][:1].lower() == low[0] and words[-1][:1].lower() in low[1:]


@Language.factory("kg_abbrev", assigns=["doc._.kg_abbrevs"])
def make_abbrev(nlp: Language, name: str):
    """Long form with its short form in parentheses, either order: "Long Form (LF)", "LF (Long Form)".

    >>> import spacy; nlp = spacy.blank("en")
    >>> for c in ("kg_sentences", "kg_abbrev"): _ = nlp.add_pipe(c)
    >>> d = nlp("We propose Efficient Diffusion Transformer (EDT). EDT (Efficient Diffusion Transformer) is fast.")
    >>> [(d.text[a:b], d.text[c:e]) for a, b, c, e in d._.kg_abbrevs]
    [('EDT', 'Efficient Diffusion Transformer'), ('EDT', 'Efficient Diffusion Transformer')]
    """

    def kg_abbrev(doc: Doc) -> Doc:
        text = doc_text(doc)
        pairs = []
        if "(" in text:
            for m in _PAREN.finditer(text):
                inner = m.group(1).split(";")[0].split(",")[0].strip()
                istart = m.start(1) + m.group(1).find(inner)
                if len(inner) == 1 and m.start() and text[m.start() - 1].isalnum():
                    continue  # function notation, not a definition: "Theta(T)", "O(N)"
                coined = _COINED_SHORT.match(inner) is not None
                if coined or is_shortform(inner):
                    # "long form (SF)": up to 12 words before the parenthesis, same line
                    ls = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 120)
                    words = [(w.start(), w.group()) for w in _WORD.finditer(text, ls, m.start())]
                    words = words[-12:]
                    # cut at punctuation that ends a phrase
                    for k in range(len(words) - 1, -1, -1):
                        if words[k][1][-1] in ",;:." and k < len(words) - 1:
                            words = words[k + 1:]
                            break
                    toks = [w.strip("\"'“”‘’`") for _, w in words]
                    first = match_longform(inner, toks) if toks else None
                    if first is not None and coined and not _coined_short_ok(inner, toks[first:]):
                        first = None
                    if first is not None:
                        lstart = words[first][0]
                        lend = words[-1][0] + len(words[-1][1].rstrip(",.;:"))
                        pairs.append((istart, istart + len(inner), lstart, lend))
                elif " " in inner:
                    # "SF (long form)"
                    j = m.start() - 1
                    while j >= 0 and text[j] == " ":
                        j -= 1
                    k = j
                    while k >= 0 and not text[k].isspace() and text[k] not in "(":
                        k -= 1
                    short = text[k + 1:j + 1].rstrip(",.;:")
                    toks = inner.split()
                    if is_shortform(short) and len(toks) <= 10:
                        first = match_longform(short, toks)
                        if first == 0:
                            pairs.append((k + 1, k + 1 + len(short), istart, istart + len(inner)))
        doc._.kg_abbrevs = pairs
        return doc

    return kg_abbrev
