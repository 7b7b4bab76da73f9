"""spaCy pipeline components of the extractor, each registered with ``@Language.factory``.

The pipeline runs on ``spacy.blank("en")``; its components pass their findings on in
``doc._`` extensions (plain Python lists, character offsets into ``doc_text(doc)``):

=================  ======================  ====================================================
component          writes                  what
=================  ======================  ====================================================
kg_sentences       ``doc._.kg_sents``      sentence spans (regex splitter, no token loop)
kg_gazetteer       ``doc._.kg_mentions``   curated-list matches (PhraseMatcher on LOWER + case rules)
kg_coined          ``doc._.kg_mentions``   coined names by shape (mixed case, digits, hyphens)
kg_abbrev          ``doc._.kg_abbrevs``    long form <-> short form pairs, either order
kg_entities        ``doc._.kg_entities``   context cues, method/benchmark, role, merging
=================  ======================  ====================================================

The title is the first line of ``doc_text(doc)``; its end offset is ``doc._.kg_title_end``.
"""
from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.model import entity_key

from .lexicon import BENCHMARK, METHOD, load, variants
from .text import sentences

for _name in ("kg_sents", "kg_mentions", "kg_abbrevs", "kg_entities", "kg_gaz_rejected"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("kg_title_end"):
    Doc.set_extension("kg_title_end", getter=lambda d: (doc_text(d).find("\n") + 1 or len(doc_text(d)) + 1) - 1)


def doc_text(doc: Doc) -> str:
    """The text of ``doc``, kept by the tokenizer wrapper (``Doc.text`` rebuilds it each call).

    >>> import spacy; doc_text(spacy.blank("en")("a b"))
    'a b'
    """
    t = doc.user_data.get("kg_text")
    if t is None:
        t = doc.user_data["kg_text"] = doc.text
    return t


class KeepTextTokenizer:
    """Wraps the tokenizer to remember each doc's text (spans only need offsets into it)."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data["kg_text"] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


class Mention:
    """One occurrence of a candidate name in the text."""

    __slots__ = ("start", "end", "text", "source", "entry", "sent", "variant", "kind", "raw_end")

    def __init__(self, start, end, text, source, entry=None, variant=False, kind=None):
        self.start, self.end, self.text, self.source, self.entry = start, end, text, source, entry
        self.sent = None
        self.variant = variant  # a sub-benchmark of ``entry`` ("permuted MNIST", "LSUN-church")
        self.raw_end = end
        self.kind = kind  # kind implied by the phrase itself ("X dataset"), if any

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Mention({self.text!r}, {self.start}, {self.source})"


_FIRST = re.compile(r"[^\s-]*")
# lower/capitalised modifiers that make a sub-benchmark of a listed benchmark (general knowledge)
_BENCH_MODIFIER = re.compile(
    r"(?<![\w-])(?:[Pp]ermuted|[Rr]otated|[Bb]inari[sz]ed|[Ss]equential|[Ss]plit|[Cc]orrupted|[Cc]olou?red|"
    r"[Ss]tacked|[Nn]oisy|[Ll]ong-tailed|[Ii]mbalanced|[Ss]crambled|[Ss]huffled)[ -]$"
)


def _upper(s: str) -> int:
    return sum(1 for c in s if c.isupper())


# ----------------------------------------------------------------------------------------------
@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str):
    """Sentence boundaries by a character regex (no per-token Python work).

    >>> import spacy; nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_sentences")
    >>> len(nlp("Title\\nWe propose EDT. It works.")._.kg_sents)
    3
    """

    def kg_sentences(doc: Doc) -> Doc:
        doc._.kg_sents = sentences(doc_text(doc))
        return doc

    return kg_sentences


# ----------------------------------------------------------------------------------------------
class Gazetteer:
    """Matches the curated lists case-insensitively, then keeps a match only if its case fits.

    An all-caps or mixed-case name must be written with at least as many capitals ("PAIR" is not
    "pair", "LoRA" is not "lora"); an ordinary-word name ("Transformer") only in exact case and
    not as a sentence's first word; nothing is matched as all lower case unless listed so.
    """

    def __init__(self, nlp: Language):
        self.lex = load()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.entries = []
        seen = set()
        for i, entry in enumerate(self.lex.entries):
            forms = []
            for sp in entry.spellings:
                for v in variants(sp):
                    if v not in forms:
                        forms.append(v)
            entry.forms = forms
            # tokenise in the written case: suffix rules are case-sensitive ("GSM8K" -> "GSM8", "K")
            pats = []
            for f in forms:
                for p in (f, f.lower()):
                    if (p, entry.kind) not in seen and p not in pats:
                        pats.append(p)
            seen.update((p, entry.kind) for p in pats)
            if pats:
                self.matcher.add(str(len(self.entries)), list(nlp.tokenizer.pipe(pats)))
                self.entries.append(entry)
        self._ids = {nlp.vocab.strings[str(i)]: e for i, e in enumerate(self.entries)}

    @staticmethod
    def accepts(entry, surface: str, sent_initial: bool) -> bool:
        """Does the written ``surface`` fit the case of one of the entry's spellings?"""
        for form in entry.forms:
            if surface == form:
                return not (entry.ordinary and sent_initial)
        if entry.ordinary:
            return False
        if surface.islower() and not any(f.islower() for f in entry.forms):
            return False
        nu = _upper(_FIRST.match(surface).group())
        return any(f.lower() == surface.lower() and nu >= _upper(_FIRST.match(f).group()) for f in entry.forms)

    def __call__(self, doc: Doc) -> Doc:
        u = doc._
        sent_starts = {s for s, _ in u.kg_sents or ()}
        out = u.kg_mentions
        if out is None:
            out = []
        best = {}
        rejected = []
        for mid, s, e in self.matcher(doc):
            span = doc[s:e]
            start, end = span.start_char, span.end_char
            entry = self._ids[mid]
            if not self.accepts(entry, span.text, start in sent_starts):
                rejected.append((start, end, entry))
                continue
            text = doc_text(doc)
            if end < len(text) and text[end].isalnum() or start > 0 and text[start - 1].isalnum():
                continue  # part of a longer word
            if start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
                continue  # "Micron-BERT": a coined name of its own (kg_coined)
            raw_end = end
            if end < len(text) and text[end] == "-":
                x = _HYPHEN_TAIL.match(text, end)
                if x and not _AFFIX.fullmatch(x.group()):
                    end = x.end()
            variant = end != raw_end and entry.kind == BENCHMARK
            if entry.kind == BENCHMARK and start > 3:
                x = _BENCH_MODIFIER.search(text, max(0, start - 14), start)
                if x and (x.group()[:1].islower() or x.start() not in sent_starts):
                    start, variant = x.start(), True  # "permuted MNIST", "Split CIFAR-100"
            prev = best.get(start)
            if prev is None or (prev.end, prev.raw_end) < (end, raw_end):
                m = Mention(start, end, text[start:end], "gaz", entry, variant=variant)
                m.raw_end = raw_end
                best[start] = m
        # longest match wins among overlapping ones
        last_end = -1
        for start in sorted(best):
            m = best[start]
            if start >= last_end:
                out.append(m)
                last_end = m.end
            elif m.end > last_end and out and out[-1].start >= start:
                out[-1] = m
                last_end = m.end
        doc._.kg_mentions = out
        doc._.kg_gaz_rejected = rejected
        return doc


@Language.factory("kg_gazetteer")
def make_gazetteer(nlp: Language, name: str):
    """Gazetteer matching of the curated method and benchmark lists.

    >>> import spacy; nlp = spacy.blank("en")
    >>> for c in ("kg_sentences", "kg_gazetteer"): _ = nlp.add_pipe(c)
    >>> [m.text for m in nlp("We fine-tune Llama-2 with LoRA on GSM8K, not lora.")._.kg_mentions]
    ['Llama-2', 'LoRA', 'GSM8K']
    """
    return Gazetteer(nlp)


# ----------------------------------------------------------------------------------------------
# cheap pre-filter: capitalised/digit words, or lower-case words with inner capitals ("[a-z]++": possessive,
# since a shorter lower-case run is followed by a lower-case letter, which the look-ahead never accepts)
_COINED = re.compile(
    r"(?<![\w\-./])(?:[A-Z0-9]|[a-z]++(?=[A-Z0-9\-]))[A-Za-z0-9]*(?:(?:[-.+]|'(?=s?\w))[A-Za-z0-9]+)*(?:\+\+|\+)?"
)
_COINED_SHAPE = re.compile(r"[\w\-.+']*?(?:[a-z0-9][A-Z]|[A-Z][A-Z]|[A-Za-z]\d|\d[A-Za-z]|[A-Z][a-z0-9]*-[A-Z]|\b[A-Z]-[a-z])")
_AFFIX = re.compile(
    r"-(?:based|style|like|type|pretrained|pre-trained|trained|tuned|free|specific|level|aware|guided|"
    r"driven|only|scale|sized|size|inspired|generated|augmented|enhanced|powered|compatible|as-a-judge|"
    r"as|related|centric|agnostic|conditioned|derived|family|series|variants?|models?|family)$",
    re.I,
)
_LOWER_HEAD = re.compile(r"^(?:[a-z]{3,}-)+(?=[A-Z])")
_LOWER_TAIL = re.compile(r"(?<=[A-Za-z0-9])-[a-z]{3,}$")
_BENCHY = re.compile(r"(?:Gym|World|Bench|Arena|Suite|Kitchen)$")
_POSSESSIVE = re.compile(r"'s?$")
_NOISE = re.compile(
    r"^(?:\d+(?:\.\d+)?[A-Za-z]{0,3}|[A-Za-z]{1,2}\d{0,2}|[a-z]+|\d+[xX]|[xX]\d+|[A-Z][a-z]+|"
    r"[A-Za-z]\d(?:\.\d+)?|\d+[-/]\w+|[A-Z]{1,2}-\d+|[ivx]+|v\d+(?:\.\d+)*|[a-z]+\d{4}[a-z]*|\d+[a-z]+\d+|"
    r"[A-Z]+[0-9]*s|[A-Z][a-z]+(?:-[A-Z][a-z]+)*)$"
)
_HYPHEN_TAIL = re.compile(r"(?:-[A-Za-z0-9]+)+(?![\w-])")
_SIZE_TAIL = re.compile(r"(?:-(?:\d+(?:\.\d+)?[BMK]|base|large|small|tiny|huge|XL|XXL|mini|[Ii]nstruct|[Cc]hat|v\d+))+(?![\w-])")
_SIZE = re.compile(r"(?:[- ]\d+(?:\.\d+)?[BMK]|[- ](?:base|large|small|tiny|huge|XL|xl|XXL|mini|instruct|chat|Instruct|Chat))+$")


_GLUED_SENT = re.compile(r"\.(?=[A-Z][a-z])")
# LaTeX residue when an abstract lost its backslashes: "2times", "512times", "2varepsilon", "drightarrowR"
_LATEX_GLUE = re.compile(
    r"(?:\d+|[a-z])(?:times|cdot|varepsilon|epsilon|rightarrow|leftarrow|mapsto|infty|leq|geq|neq|approx|"
    r"sqrt|frac|ell)(?![a-z])"
)
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_DIGIT_CAPS = re.compile(r"[0-9A-WYZ]+$")
_CITE_KEY = re.compile(r"[A-Z][A-Za-z+]{0,9}\d{2}$")  # "[And86, AGG14]", "[CCLMST23]"
# conference'year ("NeurIPS'20", "STOC'22"), not a benchmark'year ("WMT'16", "THUMOS'14"); venues from general knowledge
_VENUE_YEAR = re.compile(
    r"(?:NeurIPS|NIPS|ICML|ICLR|COLT|ALT|STOC|FOCS|SODA|ICALP|SICOMP|JACM|PODC|SPAA|ITCS|ESA|APPROX|RANDOM|CCC|"
    r"AAAI|IJCAI|UAI|AISTATS|CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|COLING|KDD|WWW|SIGIR|WSDM|ICDE|VLDB|SIGMOD|CCS|"
    r"MICCAI|ICRA|IROS|CoRL|RSS)'\d{2}$", re.I)
_HARDWARE_NEXT = re.compile(r"[ -](?:GPU|TPU|CPU|NPU)s?\b")  # "H800 GPU hours", "RTX3090-24GB GPU"


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


@Language.factory("kg_coined")
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


# ----------------------------------------------------------------------------------------------
_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
_SHORT = re.compile(r"^[A-Za-z0-9][\w\-.+/]*[A-Za-z0-9+]$|^[A-Z]$")
_STOP_LONG = {"we", "our", "a", "an", "the", "this", "that", "which", "propose", "proposes", "introduce",
              "called", "named", "dubbed", "termed", "and", "of", "to", "in", "on", "for", "by", "with", "is",
              "are", "via", "using", "namely", "present", "new", "novel"}


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


@Language.factory("kg_abbrev")
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
