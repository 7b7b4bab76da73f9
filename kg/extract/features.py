"""Span features of a candidate (:func:`features`): shape, gazetteer, rule flags, cues, context,
occurrences and corpus-level statistics of the string (``data/model/corpus-stats.json``)."""
from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import re
from pathlib import Path

from kg.model import entity_key

from .words import alt

MODEL = Path(__file__).with_name("data") / "model"

_SHAPE_MAP = str.maketrans({**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
                            **{c: "x" for c in "abcdefghijklmnopqrstuvwxyz"},
                            **{c: "d" for c in "0123456789"}})
_REPEAT = re.compile(r"(.)\1+")
_PREV_WORD = re.compile(r"([\w'’\-]+)[^\w\n]{0,3}$")
_NEXT_WORD = re.compile(r"^[^\w\n]{0,3}([\w'’\-]+)")
_PREV2 = re.compile(r"([\w'’\-]+)[^\w\n]{1,3}[\w'’\-]+[^\w\n]{0,3}$")
_SENT_CUE = re.compile(rf"(?i)\b({alt('features', 'sentence_cues')})")
# the same cues on the lower-cased text, without (?i) (3x faster), unless lower-casing changes
# offsets or the text holds a character (?i) equates with an ASCII letter (İ ı ſ K)
_SENT_CUE_LOW = re.compile(_SENT_CUE.pattern.replace("(?i)", ""))
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a]")
_TITLE_WORD = re.compile(r"[A-Za-z][\w-]{3,}")


def title_cased(text: str, title_end: int) -> bool:
    """Is the title written in title case (most words of 4+ letters capitalised)?

    >>> t = "Rethinking Federated Learning With Domain Shift"
    >>> title_cased(t, len(t)), title_cased("A study of scaling laws", 23)
    (True, False)
    """
    words = _TITLE_WORD.findall(text, 0, title_end)
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


@functools.lru_cache(maxsize=65536)
def shape(s: str) -> str:
    """The character shape of ``s`` with repeats collapsed.

    >>> shape("GPT-4"), shape("LoRA"), shape("slot attention")
    ('X-d', 'XxX', 'x x')
    """
    t = s.translate(_SHAPE_MAP)
    if "\n" in t:  # ``.`` of ``_REPEAT`` does not match a newline
        return _REPEAT.sub(r"\1", t)[:12]
    return "".join(k for k, _ in itertools.groupby(t))[:12]


def _bucket(n: float, edges=(0, 1, 2, 4, 10, 30, 100)) -> int:
    """Index of the last edge ``<= n`` (0 below the first); ``edges`` ascending."""
    return max(0, bisect.bisect_right(edges, n) - 1)


@functools.lru_cache(maxsize=1)
def corpus_stats() -> dict:
    """Per identity key: [df, occurrences, lower-case occurrences, after a proposal verb,
    before a dataset/benchmark word, capitalised occurrences not at a sentence start] over the
    unlabelled corpus (built by ``python -m kg.extract.train``)."""
    path = MODEL / "corpus-stats.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["stats"]


@functools.lru_cache(maxsize=1)
def corpus_kind() -> dict:
    """Per identity key: P(benchmark) in fifths (0-4) of the corpus-context model
    (``kg.extract.distrib``, built by ``python -m kg.extract.train``)."""
    path = MODEL / "corpus-kind.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["kind"]


@functools.lru_cache(maxsize=1)
def tdms_terms() -> dict:
    """TDMSci span keys -> TASK / METRIC / DATASET (the first label seen)."""
    path = MODEL / "tdms-terms.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _name_features(name: str, out: list) -> None:
    out.extend(_name_feature_list(name))


@functools.lru_cache(maxsize=65536)
def _name_feature_list(name: str) -> tuple:
    """The features of the string alone (cached: the same names recur across papers)."""
    out: list = []
    words = name.split()
    out.append("sh:" + shape(name))
    out.append("nw:%d" % min(len(words), 5))
    out.append("w1:" + words[0].lower())
    out.append("wl:" + words[-1].lower())
    last = words[-1]
    out.append("suf3:" + last[-3:].lower())
    out.append("suf4:" + last[-4:].lower())
    out.append("pre3:" + words[0][:3].lower())
    if len(words) > 1:
        for w in words[1:-1]:
            out.append("wm:" + w.lower())
    if len(words) > 1:
        out.append("wl_shape:" + shape(words[-1]))
    if name.isupper():
        out.append("allcaps")
    if any(map(str.isdigit, name)):
        out.append("digit")
    if name.islower():
        out.append("lower")
    elif all(w[:1].isupper() for w in words):
        out.append("titlecase")
    if any(w[1:] != w[1:].lower() for w in words):
        out.append("innercap")
    if "-" in name:
        out.append("hyphen")
    if name.endswith("s") and name[:-1].isupper() and sum(map(str.isupper, name)) >= 2:
        out.append("plural_acronym")
    out.append("len:%d" % _bucket(len(name), (0, 3, 5, 8, 13, 20, 30)))
    return tuple(out)


def _stat_features(c, out: list, num: dict) -> None:
    bins, nums = _stat_feature_list(tuple(c.forms), c.name)
    out.extend(bins)
    num.update(nums)


@functools.lru_cache(maxsize=65536)
def _stat_feature_list(forms: tuple, name: str) -> tuple:
    """(binary, numeric items) corpus-statistics features of a candidate's forms (cached)."""
    out: list = []
    num: dict = {}
    stats = corpus_stats()
    best = best_key = None
    for f in forms:
        k = entity_key(f)
        st = stats.get(k)
        if st is not None and (best is None or st[0] > best[0]):
            best, best_key = st, k
    if best is None:
        return ("df:none", "dk:none"), ()
    dk = corpus_kind().get(best_key)
    out.append("dk:none" if dk is None else "dkb:benchmark:%d" % dk)
    df, occ, low, prop, bench, cap = best[:6]
    dfb = _bucket(df)
    out.append("df:%d" % dfb)
    out.append("df|sh:%d|%s" % (dfb, shape(name)[:6]))
    if len(best) > 6 and best[6]:
        cdf, rm, rb, rp = best[6:10]
        out.append("cdf:%d" % _bucket(cdf))
        num["rule_method"] = rm / cdf
        num["rule_bench"] = rb / cdf
        num["rule_prop"] = rp / cdf
        out.append("rmf:%d" % min(int(4 * rm / cdf), 3))
        out.append("rbf:%d" % min(int(4 * rb / cdf), 3))
        if rp:
            out.append("rpf:%d" % min(int(4 * rp / cdf) + 1, 4))
    if occ:
        out.append("lowfrac:%d" % min(int(4 * low / occ), 3))
        out.append("lowfrac|nw:%d|%d" % (min(int(4 * low / occ), 3), min(len(name.split()), 3)))
        out.append("capfrac:%d" % min(int(4 * cap / occ), 3))
        num["lowfrac"] = low / occ
        num["capfrac"] = cap / occ
    if prop:
        out.append("corpus_propose:%d" % _bucket(prop, (0, 1, 2, 5)))
    if bench:
        out.append("corpus_bench:%d" % min(int(4 * bench / max(occ, 1)) + 1, 4))
    num["logdf"] = math.log1p(df) / 5
    return tuple(out), tuple(num.items())


def _prev_word(text: str, s: int):
    """``_PREV_WORD.search(text, max(0, s - 40), s)``, trying a 12-character window first: a match
    starting after that window's start is the leftmost one of the 40-character window too (a match
    starting further left would also match from the window's start)."""
    w = max(0, s - 12)
    m = _PREV_WORD.search(text, w, s)
    if m is None or m.start() > w or w == 0:  # none here: none there (the word ends within 3)
        return m
    return _PREV_WORD.search(text, max(0, s - 40), s)


_TAIL = re.compile(r"[^\w\n]{0,3}[\w'’\-]*[^\w\n]{0,3}")


def _prev2(text: str, s: int):
    """``_PREV2.search(text, max(0, s - 60), s)``, trying a 24-character window first. A match of
    the 60-character window starting before that window's start ``w`` has ``w`` inside its first
    word (then one starts at ``w``) or after it (then ``text[w:s]`` is at most one word between
    short gaps, ``_TAIL``): in both cases the wide window is searched, else the narrow result is it."""
    lo, w = max(0, s - 60), max(0, s - 24)
    if w > lo:
        m = _PREV2.search(text, w, s)
        if (m is None or m.start() > w) and not _TAIL.fullmatch(text, w, s):
            return m
    return _PREV2.search(text, lo, s)


_key = functools.lru_cache(maxsize=65536)(entity_key)


def clear_caches() -> None:
    """Empty this module's caches: the model files read (corpus statistics, corpus-context
    score, TDMSci terms) and the per-string feature caches. For the trainer (after it rewrites
    the files) and :func:`kg.extract.extractor.release`."""
    for cached in (shape, corpus_stats, corpus_kind, tdms_terms, _name_feature_list,
                   _stat_feature_list, _key):
        cached.cache_clear()


class Context:
    """What the features of all candidates of one paper share, computed once per paper."""

    def __init__(self, text: str, title_end: int, sents: list, occurrences: list, title_tc: bool):
        self.text, self.title_end, self.title_tc = text, title_end, title_tc
        self.sents = sents
        self.sent_starts = {s for s, _ in sents}
        self._sstarts = [s for s, _ in sents]
        self._cues: dict[int, list] = {}
        low = text.lower()
        if len(low) == len(text) and not _CASE_SPECIAL.search(text):
            self._cue_text, self._cue_re = low, _SENT_CUE_LOW
        else:
            self._cue_text, self._cue_re = text, _SENT_CUE
        self._left: dict[int, tuple] = {}
        self._right: dict[int, str | None] = {}
        self.occ = sorted(occurrences)
        self._ostarts = [a for a, _ in self.occ]
        self._maxlen = max((b - a for a, b in self.occ), default=0)

    def sentence_cues(self, pos: int) -> tuple[int, list]:
        """(sentence index or -1, its cue features) of the sentence holding ``pos``."""
        i = bisect.bisect_right(self._sstarts, pos) - 1
        if i < 0 or pos >= self.sents[i][1]:
            return -1, []
        cues = self._cues.get(i)
        if cues is None:
            a, b = self.sents[i]
            found = self._cue_re.finditer(self._cue_text, a, b)
            cues = self._cues[i] = ["sc:" + m.group(1).lower()[:8] for m in found]
        return i, cues

    def left(self, s: int) -> tuple:
        """The previous-word features (``p1:``, ``p2:``) of an occurrence starting at ``s``."""
        f = self._left.get(s)
        if f is None:
            text = self.text
            m = _prev_word(text, s)
            f = ("p1:" + m.group(1).lower(),) if m else ("p1:<s>",)
            m = _prev2(text, s)
            if m:
                f += ("p2:" + m.group(1).lower(),)
            self._left[s] = f
        return f

    def right(self, e: int) -> str | None:
        """The next-word feature (``n1:``) of an occurrence ending at ``e``, if any."""
        try:
            return self._right[e]
        except KeyError:
            m = _NEXT_WORD.match(self.text[e:e + 40])
            f = self._right[e] = "n1:" + m.group(1).lower() if m else None
            return f

    def inside(self, s: int, e: int) -> bool:
        """Is (s, e) inside another occurrence of a candidate (not itself)?"""
        occ = self.occ
        i = bisect.bisect_right(self._ostarts, s) - 1
        lo = s - self._maxlen
        while i >= 0 and occ[i][0] >= lo:
            a, b = occ[i]
            if e <= b and (a, b) != (s, e):
                return True
            i -= 1
        return False


def features(c, ctx: Context) -> tuple[list, dict]:
    """Binary feature names and numeric features of candidate ``c`` in the paper of ``ctx``."""
    text, title_end, title_tc = ctx.text, ctx.title_end, ctx.title_tc
    sent_starts = ctx.sent_starts
    out = ["bias"]
    num: dict = {}
    for g in c.gens:
        out.append("g:" + g)
    g = c.group
    if g is not None:
        out.append("r:" + g["rule"])
        out.append("rk:%s|%s" % (g["kind"], g["rule"]))
        out.append("rr:" + g["role"])
        for cue in g["cues"]:
            out.append("rc:" + cue)
        for s in g["sources"]:
            out.append("rs:" + s)
        out.append("rconf:%d" % int(g["confidence"] * 20))
    if c.entry is not None:
        out.append("e:" + c.entry.kind)
        out.append("eo:%s|%s" % (c.entry.kind, c.entry.origin))
        if c.entry.ordinary:
            out.append("e:ordinary")
    name = c.name
    _name_features(name, out)
    out.append("gens:" + "+".join(sorted(c.gens)))
    if g is not None:
        out.append("r|sh:%s|%s" % (g["rule"], shape(name)[:6]))
    if len(c.forms) > 1:
        out.append("has_alias")
    tdms = tdms_terms().get(_key(name))
    if tdms:
        out.append("tdms:" + tdms)
    occ = c.occ  # sorted
    n_title = bisect.bisect_left(occ, (title_end,))
    n_abs = len(occ) - n_title
    out.append("n_abs:%d" % _bucket(n_abs, (0, 1, 2, 3, 5)))
    if n_title:
        out.append("in_title")
        if n_abs == 0:
            out.append("title_only")
        if title_tc:
            out.append("tt:" + ("title_only" if n_abs == 0 else "in_title"))
            out.append("tt:nw%d" % min(len(c.name.split()), 4))
    seen_sents = set()
    for s, _ in occ[:6]:
        i, cues = ctx.sentence_cues(s)
        if i >= 0 and i not in seen_sents:
            seen_sents.add(i)
            out.extend(cues)
    forms = c.forms
    if any(text[s:e] not in forms for s, e in occ):
        out.append("case_variants")
    n_inside = 0
    for s, e in occ[:8]:
        if s in sent_starts:
            out.append("sent_initial")
        if ctx.inside(s, e):
            n_inside += 1
        out.extend(ctx.left(s))
        nf = ctx.right(e)
        if nf is not None:
            out.append(nf)
        if s > 0 and text[s - 1] == "(":
            out.append("in_parens")
        if text[e:e + 2] == " (":
            out.append("before_parens")
        if e < title_end and text[e] == ":":
            out.append("title_colon")
    if occ and n_inside == min(len(occ), 8):
        out.append("always_inside")
    _stat_features(c, out, num)
    return out, num
