"""High-recall candidate generation: the rule groups plus broader generators (``kg_candidates``).

A candidate is one name in one paper: its written forms, the generators that proposed it, the
rule group it came from (if any) and every occurrence of its forms in the text. The learned
classifier (``kg_classifier``) decides which candidates are methods, benchmarks or neither.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import entity_key

from .doc import doc_text
from .text import finditer_at
from .words import alt, words

if not Doc.has_extension("kg_candidates"):
    Doc.set_extension("kg_candidates", default=None)

_TOK = r"(?:[A-Z][\w'’+\-./]*[\w+]|[A-Z]|[a-z]+[A-Z][\w\-.+]*|\d+[A-Za-z][\w\-.]*)"
_NUM = r"(?:\d+(?:\.\d+)?[A-Za-z]{0,2}|[Vv]\d+(?:\.\d+)?|[IVX]{1,4})"
_CAP_RUN = re.compile(rf"(?<![\w\-./]){_TOK}(?: (?:{_TOK}|{_NUM}(?![\w-])))*")
_LEAD_STOP = frozenset(words("candidates", "lead_stops"))
_GLUED = re.compile(r"\.(?=[A-Z][a-z])|(?<!\d)\.(?=\d)")  # not a decimal version ("Multiwoz 2.0")
_DISTINCT_TOK = re.compile(r"[\w\-.+']*(?:[a-z0-9][A-Z]|[A-Z][A-Z]|[A-Za-z]\d|\d[A-Za-z])")
_BENCH_HEAD = re.compile(rf"(?<![\w-])((?:[\w'’\-./+]+ ){{1,4}}?)(?:{alt('candidates', 'bench_heads')})\b")
_PHRASE_STOP = frozenset(words("candidates", "phrase_stops"))
_PROPOSE = re.compile(
    rf"\b(?:[Ww]e|paper|work)\s+(?:(?:{alt('candidates', 'propose_adverbs')})\s+)?"
    rf"(?:{alt('candidates', 'propose_verbs')})\w*\s+(?:(?:{alt('candidates', 'propose_fillers')})[\s,]+){{0,4}}")
_WORD = re.compile(r"[\w'’\-./+]+")
_LOWER_HEAD = re.compile(rf"(?<![\w-])((?:[A-Za-z][\w\-]*\s){{1,3}})(?:{alt('candidates', 'lower_heads')})\b")


class Candidate:
    """One candidate name of one paper (see module docs)."""

    __slots__ = ("forms", "gens", "group", "occ", "entry", "score", "kind", "probs", "feats")

    def __init__(self, forms, gen, group=None, entry=None):
        self.forms = list(forms)
        self.gens = {gen}
        self.group = group
        self.entry = entry
        self.occ: list[tuple[int, int]] = []
        self.score = 0.0
        self.kind = None
        self.probs = None
        self.feats = None

    @property
    def name(self) -> str:
        return self.forms[0]

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Candidate({self.forms!r}, {sorted(self.gens)})"


def _strip_lead(words: list[str]) -> list[str]:
    while words and words[0] in _LEAD_STOP:
        words = words[1:]
    return words


def _cap_runs(text: str, title_end: int, add) -> None:
    """Runs of capitalised / inner-capital / digit tokens ("Argoverse 2", "ConvNeXt V2", "Middlebury")."""
    for m in _CAP_RUN.finditer(text):
        run = m.group()
        g = _GLUED.search(run)
        if g:
            run = run[:g.start()]  # "Diplodocus.In this paper": a sentence glued on
        words = _strip_lead(run.split(" "))
        if not words:
            continue
        while words and words[-1] in _LEAD_STOP:
            words = words[:-1]
        if not words or len(words) > 6:
            continue
        add(" ".join(words), "cap")
        if len(words) > 1:
            for w in words:
                if _DISTINCT_TOK.match(w):
                    add(w, "cap_tok")


# where a head noun of _BENCH_HEAD can stand (after a space): its matches start 1-4 words before one
_BENCH_HEAD_AT = re.compile(rf"(?<= )(?:{alt('candidates', 'bench_heads')})\b")
_BENCH_WORD_CHARS = "_'’-./+"  # besides letters and digits: the word characters of _BENCH_HEAD


def _bench_head_starts(text: str) -> list[int]:
    """Every position where a ``_BENCH_HEAD`` match can start: within the 1-4 space-separated words
    right before a head noun, each word's start and every inner position after ' ’ . / +."""
    starts = set()
    for h in _BENCH_HEAD_AT.finditer(text):
        j = h.start() - 1  # the space before the head
        for _ in range(4):
            i = j
            while i > 0 and (text[i - 1].isalnum() or text[i - 1] in _BENCH_WORD_CHARS):
                i -= 1
            if i == j:
                break
            starts.add(i)
            starts.update(x for x in range(i + 1, j) if text[x - 1] in "'’./+")
            j = i - 1
            if j < 1 or text[j] != " ":
                break
    return sorted(starts)


def _phrases_before_bench_head(text: str, add) -> None:
    """"the Communities and Crime dataset": every 1-4-word ending of the words before the head noun."""
    for m in finditer_at(_BENCH_HEAD, text, _bench_head_starts(text)):
        words = m.group(1).split()
        for k in range(len(words)):
            ws = words[k:]
            if ws[0].lower() in _PHRASE_STOP or ws[-1].lower() in _PHRASE_STOP:
                continue
            add(" ".join(ws), "bench_head")


def _phrases_after_propose(text: str, add) -> None:
    """"we propose synchronized shuffling, ...": the 1-5 words after a proposal verb, up to a stop word."""
    for m in _PROPOSE.finditer(text):
        words = []
        for w in _WORD.finditer(text, m.end(), m.end() + 80):
            t = w.group()
            if t.lower() in _PHRASE_STOP or len(words) >= 5:
                break
            words.append(t)
            if text[w.end():w.end() + 1] in {",", ";", ":", "(", ")"}:
                break
        words = [w.rstrip(".,;:") for w in words]
        words = [w for w in words if w]
        for k in range(1, len(words) + 1):
            add(" ".join(words[:k]), "after_propose")


# where a head noun of _LOWER_HEAD can stand (after white space): its matches start 1-3 words before one
_LOWER_HEAD_AT = re.compile(rf"(?<=\s)(?:{alt('candidates', 'lower_heads')})\b")


def _lower_head_starts(text: str) -> list[int]:
    """Every position where a ``_LOWER_HEAD`` match can start: the starts of the 1-3 words (runs of
    ``[\\w-]``, each followed by one white-space character) right before a head noun."""
    starts = set()
    for h in _LOWER_HEAD_AT.finditer(text):
        j = h.start() - 1  # the white space before the head
        for _ in range(3):
            i = j
            while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_-"):
                i -= 1
            if i == j:
                break
            starts.add(i)
            j = i - 1
            if j < 0 or not text[j].isspace():
                break
    return sorted(starts)


def _lower_head_phrases(text: str, add) -> None:
    """Lower-case phrases ending in a method head noun ("slot attention", "fast weight painters")."""
    for m in finditer_at(_LOWER_HEAD, text, _lower_head_starts(text)):
        words = m.group(1).split()
        head = m.group()[len(m.group(1)):]
        for k in range(len(words)):
            ws = words[k:]
            if ws[0].lower() in _PHRASE_STOP:
                continue
            add(" ".join(ws + [head]), "lower_head")


_PAIR = re.compile(r"([A-Z][\w.\-]*?\w)-to-([A-Z][\w.\-]*\w)")
_TRAIL_NUM = re.compile(r"^(.*?[A-Za-z\-])(\d+)$")
_NUM_PART = re.compile(r"\d+[A-Za-z]?")


def split_parts(form: str) -> list[str]:
    """The names a slash list or an "A-to-B" pair of names stands for (``[]`` when it is neither).

    >>> split_parts("SR3D/NR3D"), split_parts("CIFAR-10/100"), split_parts("ImageNet100/1000")
    (['SR3D', 'NR3D'], ['CIFAR-10', 'CIFAR-100'], ['ImageNet100', 'ImageNet1000'])
    >>> split_parts("Sim10k-to-Cityscapes"), split_parts("ViT-B/32"), split_parts("A/B")
    (['Sim10k', 'Cityscapes'], [], [])
    """
    return [p for p, _, _ in _split(form)]


def _split(form: str) -> list[tuple[str, int, int]]:
    """``split_parts`` with each part's written segment (start, end) in ``form``."""
    if " " in form:
        return []
    m = _PAIR.fullmatch(form)
    if m:
        return [(m.group(1), m.start(1), m.end(1)), (m.group(2), m.start(2), m.end(2))]
    if "/" not in form:
        return []
    segs, i = [], 0
    for p in form.split("/"):
        segs.append((p, i, i + len(p)))
        i += len(p) + 1
    first = _TRAIL_NUM.match(segs[0][0])
    out = [segs[0]]
    for p, a, b in segs[1:]:
        if _NUM_PART.fullmatch(p):
            if first is None:
                return []  # "ViT-B/32": a patch size, not a list
            p = first.group(1) + p
        out.append((p, a, b))
    if any(len(p) < 2 or not p[0].isalnum() or p == p.lower() for p, _, _ in out):
        return []
    return out


def find_all(text: str, low: str, form: str) -> list[tuple[int, int]]:
    """Occurrences of ``form`` in ``text`` (case-insensitive, whole words).

    >>> t = "LoRA and lora-based, not LoRAX"; find_all(t, t.lower(), "LoRA")
    [(0, 4), (9, 13)]
    """
    out = []
    f = form.lower()
    n = len(f)
    i = low.find(f)
    while i >= 0:
        j = i + n
        if (i == 0 or not low[i - 1].isalnum()) and (j >= len(low) or not low[j].isalnum()):
            out.append((i, j))
        i = low.find(f, i + 1)
    return out


def candidates(doc: Doc) -> list[Candidate]:
    """All candidates of ``doc``: rule groups first, then the other generators (merged by key)."""
    text = doc_text(doc)
    low = text.lower()
    title_end = doc._.kg_title_end
    cands: list[Candidate] = []
    by_key: dict[str, Candidate] = {}
    for g in doc._.kg_groups or ():
        forms = [g["name"]] + [a for a in g["aliases"] if a != g["name"]]
        c = Candidate(forms, "rule", g, g["entry"])
        cands.append(c)
        for f in forms:
            by_key.setdefault(entity_key(f), c)

    def add(form: str, gen: str, entry=None) -> None:
        form = form.strip(" .,;:'’\"")
        if form.startswith("the ") and form[4:5].isupper():
            form = form[4:]  # "the Pile" (a listed name matched with its article)
        if len(form) < 2 or len(form) > 80:
            return
        k = entity_key(form)
        if not k:
            return
        c = by_key.get(k)
        if c is None:
            c = by_key.get(k[:-1] if k.endswith("s") else k + "s")  # "Transformer" / "Transformers"
            if c is not None and form not in c.forms:
                c.forms.append(form)
                by_key[k] = c
        if c is None:
            c = by_key[k] = Candidate([form], gen, None, entry)
            cands.append(c)
        else:
            c.gens.add(gen)
            if c.entry is None and entry is not None:
                c.entry = entry

    for s, e, entry in doc._.kg_gaz_rejected or ():
        add(text[s:e], "gaz_case", entry)
    _cap_runs(text, title_end, add)
    if "data" in low or "bench" in low or "corp" in low:
        _phrases_before_bench_head(text, add)
    _phrases_after_propose(text, add)
    _lower_head_phrases(text, add)
    segments = []  # (part, whole, segment start, end): "CIFAR-100" is written "100" in "CIFAR-10/100"
    for c in list(cands):  # noqa: PERF101 (add() appends to cands)
        parts = _split(c.name)
        if parts:
            c.gens.add("split_whole")
            for part, a, b in parts:
                add(part, "split_part")
                pc = by_key.get(entity_key(part.strip(" .,;:'’\"")))
                if pc is not None and pc is not c:
                    segments.append((pc, c, a, b))
    for c in cands:
        occ = set()
        for f in c.forms:
            occ.update(find_all(text, low, f))
        if c.group is not None:
            occ.update(c.group["spans"])
        c.occ = sorted(occ)
    for pc, c, a, b in segments:
        if not pc.occ:
            pc.occ = sorted({(s + a, s + b) for s, e in c.occ if s + b <= e})
    return cands


@Language.factory("kg_candidates", assigns=["doc._.kg_candidates"])
def make_candidates(nlp: Language, name: str):
    """Candidates for the classifier (after ``kg_entities``, which supplies the rule groups).

    >>> from kg.extract.extractor import build_nlp
    >>> doc = build_nlp()("Argoverse 2\\nWe evaluate Thompson sampling on the Communities and Crime dataset.")
    >>> names = [c.name for c in doc._.kg_candidates]
    >>> "Argoverse 2" in names, "Communities and Crime" in names, "Thompson sampling" in names
    (True, True, True)
    """

    def kg_candidates(doc: Doc) -> Doc:
        doc._.kg_candidates = candidates(doc)
        return doc

    return kg_candidates
