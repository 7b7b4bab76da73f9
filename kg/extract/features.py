"""Span features of a candidate (:func:`features`): shape, gazetteer, rule flags, cues, context,
occurrences and corpus-level statistics of the string (``data/model/corpus-stats.json``)."""
from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

from kg.model import entity_key

MODEL = Path(__file__).with_name("data") / "model"

_SHAPE_MAP = str.maketrans({**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
                            **{c: "x" for c in "abcdefghijklmnopqrstuvwxyz"},
                            **{c: "d" for c in "0123456789"}})
_REPEAT = re.compile(r"(.)\1+")
_PREV_WORD = re.compile(r"([\w'’\-]+)[^\w\n]{0,3}$")
_NEXT_WORD = re.compile(r"^[^\w\n]{0,3}([\w'’\-]+)")


def shape(s: str) -> str:
    """The character shape of ``s`` with repeats collapsed.

    >>> shape("GPT-4"), shape("LoRA"), shape("slot attention")
    ('X-d', 'XxXx', 'x x')
    """
    return _REPEAT.sub(r"\1", s.translate(_SHAPE_MAP))[:12]


def _bucket(n: float, edges=(0, 1, 2, 4, 10, 30, 100)) -> int:
    k = 0
    for i, e in enumerate(edges):
        if n >= e:
            k = i
    return k


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
def tdms_terms() -> dict:
    """TDMSci span keys -> TASK / METRIC / DATASET (the first label seen)."""
    path = MODEL / "tdms-terms.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _name_features(name: str, out: list) -> None:
    words = name.split()
    out.append("sh:" + shape(name))
    out.append("nw:%d" % min(len(words), 5))
    out.append("w1:" + words[0].lower())
    out.append("wl:" + words[-1].lower())
    if len(words) > 1:
        out.append("wl_shape:" + shape(words[-1]))
    up = sum(c.isupper() for c in name)
    if name.isupper():
        out.append("allcaps")
    if any(c.isdigit() for c in name):
        out.append("digit")
    if name.islower():
        out.append("lower")
    elif all(w[:1].isupper() for w in words):
        out.append("titlecase")
    if any(w[1:] != w[1:].lower() for w in words):
        out.append("innercap")
    if "-" in name:
        out.append("hyphen")
    if name.endswith("s") and up >= 2 and name[:-1].isupper():
        out.append("plural_acronym")
    out.append("len:%d" % _bucket(len(name), (0, 3, 5, 8, 13, 20, 30)))


def _stat_features(c, out: list, num: dict) -> None:
    stats = corpus_stats()
    best = None
    for f in c.forms:
        st = stats.get(entity_key(f))
        if st is not None and (best is None or st[0] > best[0]):
            best = st
    if best is None:
        out.append("df:none")
        return
    df, occ, low, prop, bench, cap = best
    out.append("df:%d" % _bucket(df))
    if occ:
        out.append("lowfrac:%d" % min(int(4 * low / occ), 3))
        out.append("capfrac:%d" % min(int(4 * cap / occ), 3))
        num["lowfrac"] = low / occ
        num["capfrac"] = cap / occ
    if prop:
        out.append("corpus_propose:%d" % _bucket(prop, (0, 1, 2, 5)))
    if bench:
        out.append("corpus_bench:%d" % min(int(4 * bench / max(occ, 1)) + 1, 4))
    num["logdf"] = math.log1p(df) / 5


def features(c, text: str, title_end: int, sent_starts: set, others: list) -> tuple[list, dict]:
    """Binary feature names and numeric features of candidate ``c`` in ``text``.

    ``others`` are the (start, end) occurrences of all candidates of the paper (for containment).
    """
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
    if len(c.forms) > 1:
        out.append("has_alias")
    tdms = tdms_terms().get(entity_key(name))
    if tdms:
        out.append("tdms:" + tdms)
    occ = c.occ
    n_title = sum(1 for s, _ in occ if s < title_end)
    n_abs = len(occ) - n_title
    out.append("n_abs:%d" % _bucket(n_abs, (0, 1, 2, 3, 5)))
    if n_title:
        out.append("in_title")
        if n_abs == 0:
            out.append("title_only")
    exact = sum(1 for s, e in occ if text[s:e] in c.forms)
    if exact < len(occ):
        out.append("case_variants")
    n_inside = 0
    for s, e in occ[:8]:
        if s in sent_starts:
            out.append("sent_initial")
        if any(a <= s and e <= b and (a, b) != (s, e) for a, b in others):
            n_inside += 1
        m = _PREV_WORD.search(text, max(0, s - 40), s)
        if m:
            out.append("p1:" + m.group(1).lower())
        else:
            out.append("p1:<s>")
        m = _NEXT_WORD.match(text[e:e + 40])
        if m:
            out.append("n1:" + m.group(1).lower())
        if s > 0 and text[s - 1] == "(":
            out.append("in_parens")
        if text[e:e + 2] == " (":
            out.append("before_parens")
        if s < title_end and text.find(":", e, title_end) == e:
            out.append("title_colon")
    if occ and n_inside == min(len(occ), 8):
        out.append("always_inside")
    _stat_features(c, out, num)
    return out, num
