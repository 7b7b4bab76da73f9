"""``kg_coined``: coined names by shape (mixed case, digits, capitalised hyphen parts)."""
from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from .doc import Mention, doc_text
from .lexicon import load
from .words import alt

# cheap pre-filter: capitalised/digit words, or lower-case words with inner capitals ("[a-z]++": possessive,
# since a shorter lower-case run is followed by a lower-case letter, which the look-ahead never accepts)
_COINED = re.compile(
    r"(?<![\w\-./])(?:[A-Z0-9]|[a-z]++(?=[A-Z0-9\-]))[A-Za-z0-9]*(?:(?:[-.+]|'(?=s?\w))[A-Za-z0-9]+)*(?:\+\+|\+)?"
)
_COINED_SHAPE = re.compile(r"[\w\-.+']*?(?:[a-z0-9][A-Z]|[A-Z][A-Z]|[A-Za-z]\d|\d[A-Za-z]|[A-Z][a-z0-9]*-[A-Z]|\b[A-Z]-[a-z])")
_AFFIX = re.compile(f"-(?:{alt('coined', 'affixes')})$", re.I)
_LOWER_HEAD = re.compile(r"^(?:[a-z]{3,}-)+(?=[A-Z])")
_LOWER_TAIL = re.compile(r"(?<=[A-Za-z0-9])-[a-z]{3,}$")
_BENCHY = re.compile(f"(?:{alt('coined', 'bench_endings')})$")
_POSSESSIVE = re.compile(r"'s?$")
_NOISE = re.compile(
    r"^(?:\d+(?:\.\d+)?[A-Za-z]{0,3}|[A-Za-z]{1,2}\d{0,2}|[a-z]+|\d+[xX]|[xX]\d+|[A-Z][a-z]+|"
    r"[A-Za-z]\d(?:\.\d+)?|\d+[-/]\w+|[A-Z]{1,2}-\d+|[ivx]+|v\d+(?:\.\d+)*|[a-z]+\d{4}[a-z]*|\d+[a-z]+\d+|"
    r"[A-Z]+[0-9]*s|[A-Z][a-z]+(?:-[A-Z][a-z]+)*)$"
)
_HYPHEN_TAIL = re.compile(r"(?:-[A-Za-z0-9]+)+(?![\w-])")
_SIZE = re.compile(rf"(?:[- ]\d+(?:\.\d+)?[BMK]|[- ](?:{alt('coined', 'size_suffixes')}))+$")


_GLUED_SENT = re.compile(r"\.(?=[A-Z][a-z])")
_GLUED_WORD = re.compile(f"(?<=[A-Z0-9])(?:{alt('coined', 'glued_words')})$")


def _whole_word(text: str, word: str, skip: int) -> bool:
    """Is ``word`` written as a whole word somewhere in ``text`` other than at ``skip``?"""
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if i != skip and (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum()):
            return True
        i = text.find(word, i + 1)
    return False
# LaTeX residue when an abstract lost its backslashes: "2times", "512times", "2varepsilon", "drightarrowR"
_LATEX_GLUE = re.compile(rf"(?:\d+|[a-z])(?:{alt('coined', 'latex_commands')})(?![a-z])")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_DIGIT_CAPS = re.compile(r"[0-9A-WYZ]+$")
_CITE_KEY = re.compile(r"[A-Z][A-Za-z+]{0,9}\d{2}$")  # "[And86, AGG14]", "[CCLMST23]"
# conference'year ("NeurIPS'20", "STOC'22"), not a benchmark'year ("WMT'16", "THUMOS'14"); venues from general knowledge
_VENUE_YEAR = re.compile(rf"(?:{alt('coined', 'venues')})'\d{{2}}$", re.I)
_HARDWARE_NEXT = re.compile(rf"[ -](?:{alt('coined', 'processors')})s?\b")  # "H800 GPU hours", "RTX3090-24GB GPU"


def _not_a_name(s: str, text: str, start: int, end: int) -> bool:
    """Shapes of coined candidates that are never names: LaTeX/math residue, citation keys, hardware.

    >>> t = "A 2times speed-up, error O(n^(2k+1)) [And86, AGG14] at STOC'22 on H800 GPUs with MDTv2."
    >>> [w for w in ("2times", "2k+1", "And86", "AGG14", "STOC'22", "H800", "MDTv2")
    ...  if _not_a_name(w, t, t.find(w), t.find(w) + len(w))]
    ['2times', '2k+1', 'And86', 'AGG14', "STOC'22", 'H800']
    """
    if _LATEX_GLUE.match(s):
        return True
    if (s[0].isdigit() or "+" in s) and not _TWO_LETTERS.search(s) and not _DIGIT_CAPS.match(s):
        return True  # arithmetic and dimensions: "2k+1", "4-2k-2", "2D-3D" (not "1F1B", "2K2K")
    if "'" in s and _VENUE_YEAR.match(s):
        return True
    if _CITE_KEY.match(s):
        lo = max(0, start - 80)
        if text.rfind("[", lo, start) > text.rfind("]", lo, start):
            close = text.find("]", end, end + 80)
            if close >= 0 and "[" not in text[end:close]:
                return True
    if _HARDWARE_NEXT.match(text, end) and any(c.isdigit() for c in s):
        return True
    return False


def normalise_surface(s: str) -> str:
    """Strip possessives and compound affixes from a coined candidate.

    >>> normalise_surface("LoRA-based"), normalise_surface("EDT's"), normalise_surface("GPT-4")
    ('LoRA', 'EDT', 'GPT-4')
    """
    s = _POSSESSIVE.sub("", s)
    s = _LOWER_HEAD.sub("", s)
    while True:
        t = _LOWER_TAIL.sub("", _AFFIX.sub("", s))
        if t == s:
            return s
        s = t


def base_name(s: str) -> str:
    """A model name without its size/flavour suffix ("Llama-2-7B" -> "Llama-2").

    >>> base_name("Llama-2-7B"), base_name("RoBERTa-large"), base_name("MDTv2")
    ('Llama-2', 'RoBERTa', 'MDTv2')
    """
    return _SIZE.sub("", s)


@Language.factory("kg_coined", assigns=["doc._.kg_mentions"])
def make_coined(nlp: Language, name: str):
    """Coined names by shape: mixed case, digits, capitalised hyphen parts (not in the lists).

    >>> import spacy; nlp = spacy.blank("en")
    >>> for c in ("kg_sentences", "kg_coined"): _ = nlp.add_pipe(c)
    >>> [m.text for m in nlp("We propose C-AdvUL and MDTv2, unlike GPT-4-based LLMs in 3D.")._.kg_mentions]
    ['C-AdvUL', 'MDTv2', 'GPT-4']
    """
    lex = load()

    def kg_coined(doc: Doc) -> Doc:
        text = doc_text(doc)
        out = doc._.kg_mentions
        if out is None:
            out = []
        taken = [(m.start, m.end) for m in out]
        taken.sort()
        starts = [s for s, _ in taken]
        new = []
        shape = _COINED_SHAPE.match
        for m in _COINED.finditer(text):
            g = m.group()
            if not shape(g):
                continue
            s = normalise_surface(g)
            g = _GLUED_WORD.search(s)
            if g and g.start() >= 2 and _whole_word(text, s[:g.start()], m.start()):
                s = s[:g.start()]  # a sentence glued on without space or dot: "PromptTPPOur code"
            if "." in s:  # a sentence glued on without a space: "CLIP.Typically" -> "CLIP"
                k = _GLUED_SENT.search(s)
                if k:
                    s = s[:k.start()]
                    if not shape(s):
                        continue
            if len(s) < 2 or _NOISE.match(s) and not _BENCHY.search(s):
                continue
            start, end = m.start(), m.start() + len(s)
            if _not_a_name(s, text, start, end):
                continue
            i = bisect.bisect_right(starts, end - 1) - 1
            if i >= 0 and taken[i][1] > start:
                continue  # overlaps a gazetteer match
            entry = lex.lookup(s) or lex.lookup(base_name(s))
            new.append(Mention(start, end, s, "coined", entry))
        if new:
            out = sorted(out + new, key=lambda x: x.start)
        doc._.kg_mentions = out
        return doc

    return kg_coined
