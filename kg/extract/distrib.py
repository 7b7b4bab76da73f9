"""Offline (trainer only): the corpus-context kind score of candidate strings (``corpus-kind.json``).

For every key of the corpus statistics, the words around its occurrences in the unlabelled corpus
(the same corpus minus the annotated papers as :func:`kg.extract.train.corpus_statistics`) are
counted: previous word, previous two words, next word, the punctuation either side, the words
within three tokens, and whether a coordinated neighbour ("X, Y", "X and Y") is a listed method
or benchmark. A logistic regression over these context shares learns, from the keys the curated
lists name (method / benchmark) and the TDMSci task / metric terms and generic terms (neither),
how benchmarks are written about; its probability of "benchmark" is stored per key in fifths (a
listed key gets its out-of-fold probability, so the score never just repeats the list). So an
unknown one-word benchmark ("Sintel") gets evidence from the other abstracts that mention it.
Needs scikit-learn; never imported at run time (``features.corpus_kind`` reads the JSON).
"""
from __future__ import annotations

import collections
import re

import numpy as np

from kg.model import entity_key

from . import lexicon

C_DIST = 3.0  # chosen by the score model's own 5-fold accuracy on the listed keys (0.3: 0.80, 1: 0.82, 3: 0.83, 10: 0.82)
MIN_KEYS = 5  # a context feature must occur with at least this many keys
_TOKEN = re.compile(r"[\w'’\-./+]+")
_LIST = (",", "/", ";", "&")


def _lexkind(lex, tok: str) -> str:
    e = lex.by_key.get(entity_key(tok))
    return e.kind if e else "other"


def _add_contexts(C: collections.Counter, text: str, toks, low, i: int, j: int, lex) -> None:
    a, b = toks[i][0], toks[j][1]
    gap_l = text[toks[i - 1][1]:a] if i else "\n"
    gap_r = text[b:toks[j + 1][0]] if j + 1 < len(toks) else "\n"
    start = i == 0 or "\n" in gap_l or toks[i - 1][2].endswith(".")
    C["p1:" + ("<s>" if start else low[i - 1])] += 1
    if i > 1 and not start:
        C["p2:" + low[i - 2] + "_" + low[i - 1]] += 1
    nxt = "</s>" if j + 1 >= len(toks) or "\n" in gap_r else low[j + 1]
    C["n1:" + nxt] += 1
    for q in range(max(0, i - 3), i):
        C["w:" + low[q]] += 1
    for q in range(j + 1, min(len(toks), j + 4)):
        C["w:" + low[q]] += 1
    gl, gr = gap_l.strip(), gap_r.strip()
    C["gl:" + (gl[-1:] or "_")] += 1
    C["gr:" + (gr[:1] or "_")] += 1
    nb = None
    if j + 1 < len(toks):
        if gr in _LIST:
            nb = j + 1
        elif nxt in ("and", "or") and j + 2 < len(toks):
            nb = j + 2
    if nb is not None:
        C["nbr:" + _lexkind(lex, toks[nb][2])] += 1
    pb = None
    if i > 0 and not start:
        if gl in _LIST:
            pb = i - 1
        elif low[i - 1] in ("and", "or") and i > 1:
            pb = i - 2
    if pb is not None:
        C["nbl:" + _lexkind(lex, toks[pb][2])] += 1


def contexts(texts: list[str], keys: set) -> tuple[dict, dict]:
    """(occurrences per key, Counter of context features per key) over ``texts``; a key is the
    concatenated identity keys of 1-4 consecutive tokens, as in the corpus statistics."""
    lex = lexicon.load()
    ctx: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    occ: collections.Counter = collections.Counter()
    for text in texts:
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        wk = [entity_key(t) for _, _, t in toks]
        low = [t.lower().strip(".,;:'’") for _, _, t in toks]
        for i in range(len(toks)):
            key = ""
            for j in range(i, min(i + 4, len(toks))):
                key += wk[j]
                if key in keys:
                    occ[key] += 1
                    _add_contexts(ctx[key], text, toks, low, i, j, lex)
    return occ, ctx


def labels(keys, tdms: dict) -> dict:
    """Weak labels of keys: the lists' kind, else "none" for TDMSci task / metric terms and
    generic terms (no annotated abstract is read)."""
    lex = lexicon.load()
    out = {}
    for k in keys:
        e = lex.by_key.get(k)
        if e is not None:
            out[k] = e.kind
        elif tdms.get(k) in ("TASK", "METRIC"):
            out[k] = "none"
    for g in sorted(lex.generic):
        k = entity_key(g)
        if k in keys:
            out[k] = "none"
    return out


def kind_scores(texts: list[str], keys: set, tdms: dict) -> dict:
    """key -> P(benchmark) of the context model in fifths (0-4), deterministic."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    occ, ctx = contexts(texts, keys)
    names = sorted(ctx)
    n = collections.Counter(f for k in names for f in ctx[k])
    vocab = {f for f, c in n.items() if c >= MIN_KEYS}
    dv = DictVectorizer(sort=True)
    X = dv.fit_transform([{f: v / occ[k] for f, v in sorted(ctx[k].items()) if f in vocab} for k in names])
    lab = labels(names, tdms)
    idx = [i for i, k in enumerate(names) if k in lab]
    y = np.array([lab[names[i]] for i in idx])
    clf = LogisticRegression(C=C_DIST, max_iter=3000)
    oof = cross_val_predict(clf, X[idx], y, cv=StratifiedKFold(5, shuffle=True, random_state=0),
                            method="predict_proba")
    clf.fit(X[idx], y)
    b = list(clf.classes_).index("benchmark")
    p = clf.predict_proba(X)[:, b]
    for j, i in enumerate(idx):
        p[i] = oof[j, b]
    return {k: min(int(float(p[i]) * 5), 4) for i, k in enumerate(names)}
