"""The learned decision over candidates (``kg_classifier``): method / benchmark / none, and role.

Two logistic-regression models trained by ``python -m kg.extract.train`` (scikit-learn, offline);
here they are applied with plain Python sums over the weights stored as JSON
(``data/model/weights.json``, no pickle). Then :func:`decode` keeps the accepted candidates,
highest probability first, dropping one whose every occurrence overlaps a kept one (the
``spacy.util.filter_spans`` rule, over all occurrences of a name).
"""
from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .candidates import split_parts
from .doc import doc_text
from .features import MODEL, Context, features, title_cased

KINDS = ("none", "method", "benchmark")
ROLES = ("uses", "proposes")
WEIGHTS = MODEL / "weights.json"
# rule verdicts the model cannot overrule: the text itself calls the name a task, metric or property
# ("a novel task called X"); too rare in the training data (11 cases, 7 borderline) to be learned
VETO = frozenset({"head_none"})


class Classifier:
    """Scores every candidate of a doc (``c.feats``, ``c.probs``, ``c.kind``, ``c.score``)."""

    def __init__(self, path: str | Path | None = None):
        self.weights = None
        if path != "":  # "" = features only (used by the trainer)
            self.from_disk(Path(path) if path else WEIGHTS)

    def from_disk(self, path, exclude=()):
        path = Path(path)
        if path.is_dir():
            path = path / "weights.json"
        self.weights = json.loads(path.read_text(encoding="utf-8"))
        return self

    def to_disk(self, path, exclude=()):
        path = Path(path)
        if path.suffix != ".json":
            path.mkdir(parents=True, exist_ok=True)
            path = path / "weights.json"
        path.write_text(json.dumps(self.weights, sort_keys=True, indent=0) + "\n", encoding="utf-8")

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        title_end = doc._.kg_title_end
        sents = doc._.kg_sents or [(0, len(text))]
        cands = doc._.kg_candidates or []
        allocc = [o for c in cands for o in c.occ]
        tc = title_cased(text, title_end)
        nbs = neighbours(text, cands)
        ctx = Context(text, title_end, sents, allocc, tc)
        for c, nb in zip(cands, nbs):
            c.feats = features(c, ctx)
            c.feats[0].extend(nb)
        if self.weights is not None and text[title_end:].strip():
            # a paper without abstract keeps the rules' decision: the model learned from abstracts
            doc._.kg_entities = decode(doc, cands, [c.feats for c in cands], self.weights)
        return doc


_LIST_GAP = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|/|;)\s*")


def _hint(c) -> str:
    g = c.group
    if c.entry is not None:
        return c.entry.kind
    if g is not None and g["rule"] == "keep":
        return g["kind"]
    return "other"


def neighbours(text: str, cands) -> list[list[str]]:
    """Features from the candidates coordinated with each one ("on A, B and C"): what the lists
    and the rules say of its neighbours (``nb:benchmark``, ``nb:method``, ``nb:other``)."""
    starts: dict[int, int] = {}
    for i, c in enumerate(cands):
        for s, _ in c.occ:
            starts.setdefault(s, i)
    out = [[] for _ in cands]
    for i, c in enumerate(cands):
        for s, e in c.occ[:8]:
            m = _LIST_GAP.match(text, e)
            if m and m.end() > e:
                j = starts.get(m.end())
                if j is not None and j != i:
                    out[i].append("nb:" + _hint(cands[j]))
                    out[j].append("nb:" + _hint(c))
    return out


_COMPILED: dict = {}


def _compiled(weights) -> tuple:
    """The kind model as complex numbers, one per feature: real part the method logit minus the
    none logit, imaginary part the benchmark logit minus the none logit (the softmax only needs the
    differences), so one candidate's score is one C-level ``sum(map(...))``. Cached per weights
    dict (a dict whose ``kind_weights`` are changed in place afterwards needs ``_COMPILED.clear()``)."""
    key = id(weights)
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not weights:
        if len(_COMPILED) >= 8:  # the trainer makes one weights dict per fold: keep a few
            _COMPILED.clear()
        w = weights["kind_weights"]
        kw = {f: complex(v[1] - v[0], v[2] - v[0]) for f, v in w.items()}
        b = weights["kind_bias"]
        hit = _COMPILED[key] = (weights, kw, complex(b[1] - b[0], b[2] - b[0]))
    return hit[1], hit[2]


def kind_probs(feats, weights) -> list[float]:
    """Softmax over ``KINDS`` of the kind model for one candidate's features."""
    bins, num = feats
    kw, z = _compiled(weights)
    get = kw.get
    z += sum(map(get, dict.fromkeys(bins), _ZEROS))  # first-seen order: the same sum every run
    for f, x in num.items():
        v = get(f)
        if v is not None:
            z += v * x
    a, b = z.real, z.imag
    m = max(0.0, a, b)
    e0, e1, e2 = math.exp(-m), math.exp(a - m), math.exp(b - m)
    s = e0 + e1 + e2
    return [e0 / s, e1 / s, e2 / s]


_ZEROS = itertools.repeat(0j)


def propose_prob(feats, weights) -> float:
    """Probability that the paper proposes the candidate (role model)."""
    bins, num = feats
    w = weights["role_weights"]
    z = weights["role_bias"]
    for f in dict.fromkeys(bins):  # first-seen order (a set's varies with the hash seed)
        z += w.get(f, 0.0)
    for f, x in num.items():
        z += w.get(f, 0.0) * x
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _sentence(doc: Doc, pos: int) -> tuple[int, int]:
    for s, e in doc._.kg_sents or ():
        if s <= pos < e or pos < s:
            return s, e
    return 0, len(doc_text(doc))


def _full_list(c) -> bool:
    """Is ``c`` a slash list or "A-to-B" pair whose parts are all written in full in it?"""
    return "split_whole" in c.gens and all(p in c.name for p in split_parts(c.name))


def decode(doc: Doc, cands, feats, weights) -> list[dict]:
    """Entity dicts (kind, name, aliases, role, start, end, confidence) of the accepted candidates."""
    title_end = doc._.kg_title_end
    scored = []
    thr = weights.get("thresholds") or {"method": 0.5, "benchmark": 0.5}
    for c, f in zip(cands, feats):
        p = kind_probs(f, weights)
        k = 1 if p[1] >= p[2] else 2
        c.probs, c.kind, c.score = p, KINDS[k], 1.0 - p[0]
        if c.score >= thr[c.kind] and not (c.group is not None and c.group["rule"] in VETO):
            scored.append(c)
    # longest names first (``spacy.util.filter_spans``), then by probability
    # a list of names written in full ("SR3D/NR3D", "Sim10k-to-Cityscapes") after its parts: kept
    # only where no part is accepted; a shorthand ("CIFAR-10/100") stays a name of its own
    scored.sort(key=lambda c: (_full_list(c), -max((e - s for s, e in c.occ), default=0), -c.score, c.occ[:1]))
    kept, taken = [], []
    for c in scored:
        if c.occ and all(any(a < e and s < b for a, b in taken) for s, e in c.occ):
            continue
        kept.append(c)
        taken.extend(c.occ)
    out = []
    for c, f in ((c, feats[cands.index(c)]) for c in kept):
        pp = propose_prob(f, weights)
        g = c.group
        if g is not None and (g["role"] == "proposes") == (pp > 0.5):
            s0, s1 = g["start"], g["end"]
        else:
            first = next((s for s, _ in c.occ if s > title_end), c.occ[0][0] if c.occ else 0)
            s0, s1 = _sentence(doc, first)
        out.append({
            "kind": c.kind,
            "name": c.name,
            "aliases": [a for a in c.forms[1:] if a != c.name],
            "role": "proposes" if pp > 0.5 else "uses",
            "start": s0,
            "end": s1,
            "confidence": round(c.score, 3),
            "_first": c.occ[0][0] if c.occ else 0,
        })
    out.sort(key=lambda e: e.pop("_first"))
    return out


@Language.factory("kg_classifier", assigns=["doc._.kg_entities"], default_config={"weights": None})
def make_classifier(nlp: Language, name: str, weights: str | None):
    """The candidate classifier; ``weights`` is a weights.json path (default: the shipped model).

    >>> from kg.extract.extractor import build_nlp
    >>> doc = build_nlp()("EDT\\nWe propose Efficient Diffusion Transformer (EDT) and test it on ImageNet.")
    >>> [(e["name"], e["kind"], e["role"]) for e in doc._.kg_entities]
    [('EDT', 'method', 'proposes'), ('ImageNet', 'benchmark', 'uses')]
    """
    return Classifier(weights)
