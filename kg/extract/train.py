"""Offline: build the corpus statistics and train the candidate classifier (never imported at run time).

    python -m kg.extract.train [SHARED_DIR] [--no-stats]

Reads ``SHARED_DIR/data`` (default ``../shared``): the unlabelled corpus (statistics of strings),
``train/corpus-entities.train.json`` (labels), ``train/tdmsci-train_1500_v2.conll`` (TASK/METRIC/
DATASET terms as features; its TASK and METRIC spans as negative examples). Writes ``kg/extract/data/model/{corpus-stats,corpus-kind,tdms-terms,weights}.json``.
The dev gold is never read here. Deterministic: fixed fold seed, a deterministic solver, sorted
feature order, rounded weights.
"""
from __future__ import annotations

import collections
import gzip
import json
import re
import sys
from pathlib import Path

import numpy as np

from kg.model import entity_key

from .candidates import find_all  # noqa: F401  (re-exported for tools)
from .classifier import KINDS, ROLES, decode
from .extractor import build_nlp, paper_text
from .features import MODEL, features
from .text import clean
from . import tdmsci

SEED = 0
FOLDS = 5
C_KIND = 1.0
C_ROLE = 0.3
KIND_WEIGHT = (1.0, 1.0, 1.0)  # none, method, benchmark
MIN_COUNT = 1
TDMS_NEGATIVE = {"TASK": "none", "METRIC": "none"}
_TOKEN = re.compile(r"[\w'’\-./+]+")
_PROPOSE_PREV = frozenset("propose proposes proposed introduce introduces introduced present presents "
                          "called named dubbed termed coined call dub".split())
_BENCH_NEXT = frozenset("dataset datasets benchmark benchmarks corpus suite environment environments "
                        "challenge leaderboard data".split())


def _norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(s).casefold())


def load_corpus(shared: Path) -> list[dict]:
    path = shared / "data" / "corpus" / "conference-papers-2022-2024.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _title_key(t: str) -> str:
    return _norm(t or "")


def corpus_texts(corpus: list[dict], exclude_titles: set) -> list[str]:
    """The analysed texts of the corpus papers whose title is not in ``exclude_titles`` (the
    annotated papers, so that their own text never informs their features): what
    :func:`corpus_statistics` and the corpus-context score (:mod:`kg.extract.distrib`) read."""
    return [clean(paper_text(r)) for r in corpus if _title_key(r.get("title")) not in exclude_titles]


def corpus_statistics(nlp, texts: list[str]) -> dict:
    """Statistics per candidate key over the corpus *texts* (:func:`corpus_texts`)."""
    keys = set()
    rules: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
    for doc in nlp.pipe(texts, batch_size=256):
        seen = set()
        for c in doc._.kg_candidates:
            for f in c.forms:
                k = entity_key(f)
                keys.add(k)
                if k in seen:
                    continue
                seen.add(k)
                r = rules[k]
                r[0] += 1
                g = c.group
                if g is not None and g["rule"] == "keep":
                    r[1 if g["kind"] == "method" else 2] += 1
                    r[3] += g["role"] == "proposes"
    counts: dict[str, list[int]] = {}
    for text in texts:
        toks = [(m.start(), m.group()) for m in _TOKEN.finditer(text)]
        wk = [entity_key(t) for _, t in toks]
        seen = set()
        for i in range(len(toks)):
            key = ""
            for n in range(4):
                j = i + n
                if j >= len(toks):
                    break
                key += wk[j]
                if key not in keys:
                    continue
                surf = text[toks[i][0]:toks[j][0] + len(toks[j][1])]
                st = counts.get(key)
                if st is None:
                    st = counts[key] = [0, 0, 0, 0, 0, 0]
                if key not in seen:
                    seen.add(key)
                    st[0] += 1
                st[1] += 1
                if surf.islower():
                    st[2] += 1
                prev = toks[i - 1][1].lower() if i else ""
                if prev in _PROPOSE_PREV:
                    st[3] += 1
                if j + 1 < len(toks) and toks[j + 1][1].lower().rstrip(".,;:") in _BENCH_NEXT:
                    st[4] += 1
                if surf[:1].isupper() and i and not toks[i - 1][1].endswith(".") and \
                        text.rfind("\n", 0, toks[i][0]) < toks[i - 1][0]:
                    st[5] += 1
    return {k: v + rules.get(k, [0, 0, 0, 0]) for k, v in sorted(counts.items()) if v[0] >= 2}


def tdms_terms(path: Path) -> dict:
    """TDMSci spans (:func:`kg.extract.tdmsci.read`) -> their majority label (TASK, METRIC,
    DATASET), by identity key."""
    labels: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for text, spans in tdmsci.read(path):
        for a, b, lab in spans:
            labels[entity_key(text[a:b])][lab] += 1
    return {k: c.most_common(1)[0][0] for k, c in sorted(labels.items()) if k}


def gold_index(paper: dict) -> dict:
    """norm form -> (kind, borderline, role, entity index) for the paper's gold entities."""
    idx = {}
    for kind_field, kind in (("methods", "method"), ("benchmarks", "benchmark")):
        for i, e in enumerate(paper.get(kind_field) or ()):
            for f in [e["name"]] + list(e.get("aliases") or ()):
                if _norm(f):
                    idx.setdefault(_norm(f), (kind, bool(e.get("borderline")), e.get("role"), (kind, i)))
    return idx


def label(c, gidx: dict):
    """("method"|"benchmark"|"none"|None for borderline, gold role or None)."""
    for f in c.forms:
        hit = gidx.get(_norm(f))
        if hit:
            kind, border, role, _ = hit
            return (None if border else kind), (None if border else role)
    return "none", None


def paper_rows(nlp, papers: list[dict]):
    """Per paper: (candidates, feature lists, text, title_end, sentence spans)."""
    rows = []
    texts = [clean(paper_text(p)) for p in papers]
    for doc in nlp.pipe(texts, batch_size=64):
        cands = doc._.kg_candidates
        rows.append((doc, cands, [c.feats for c in cands]))
    return rows


def _vocab(feats_lists, min_count: int = 1) -> dict:
    n = collections.Counter(f for fl in feats_lists for f in {*fl[0], *fl[1]})
    names = sorted(f for f, k in n.items() if k >= min_count)
    return {n: i for i, n in enumerate(names)}


def _matrix(feats_lists, vocab):
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for r, (bins, num) in enumerate(feats_lists):
        for f in set(bins):
            j = vocab.get(f)
            if j is not None:
                rows.append(r), cols.append(j), vals.append(1.0)
        for k, v in num.items():
            j = vocab.get(k)
            if j is not None:
                rows.append(r), cols.append(j), vals.append(float(v))
    return csr_matrix((vals, (rows, cols)), shape=(len(feats_lists), len(vocab)))


def tdmsci_path(shared: Path) -> Path:
    return shared / "data" / "train" / "tdmsci-train_1500_v2.conll"


def tdmsci_examples(nlp, path: Path, labels=TDMS_NEGATIVE) -> list[tuple]:
    """Kind-model examples from the TDMSci sentences: ``(features, "none")`` of each candidate whose
    form is (scorer-normalised) a TASK or METRIC span of its sentence; other candidates are not
    labelled there (TDMSci does not annotate methods) and are left out. Their ``tdms:`` features
    (a look-up in the same file) are dropped: the example would carry its own label. By 5-fold CV
    (method / benchmark F1): 0.842 / 0.906 without them, 0.844 / 0.907 with the ``tdms:`` features
    kept, 0.845 / 0.908 dropped; DATASET spans as benchmarks as well: 0.842 / 0.906."""
    sents = tdmsci.read(path)
    out = []
    docs = nlp.pipe(("\n" + t for t, _ in sents), batch_size=256)
    for (text, spans), doc in zip(sents, docs):
        lab = {}
        for a, b, kind in spans:
            if kind in labels:
                lab.setdefault(_norm(text[a:b]), labels[kind])
        if not lab:
            continue
        for c in doc._.kg_candidates:
            hit = next((lab[_norm(f)] for f in c.forms if _norm(f) in lab), None)
            if hit is not None:
                bins, num = c.feats
                out.append((([f for f in bins if not f.startswith("tdms:")], num), hit))
    return out


def fit(papers, rows, c_kind=C_KIND, c_role=C_ROLE, kind_weight=KIND_WEIGHT, min_count=MIN_COUNT,
        extra=()) -> dict:
    """Train the kind and role models on ``papers`` (with their candidate rows); the weights dict.
    ``kind_weight``: sample weight per kind (``KINDS`` order); ``min_count``: features seen in fewer
    training candidates are left out; ``extra``: more ``(features, kind)`` kind-model examples
    (:func:`tdmsci_examples`)."""
    from sklearn.linear_model import LogisticRegression

    X, y, Xr, yr = [], [], [], []
    for f, kind in extra:
        X.append(f)
        y.append(KINDS.index(kind))
    for p, (_doc, cands, feats) in zip(papers, rows):
        gidx = gold_index(p)
        for c, f in zip(cands, feats):
            kind, role = label(c, gidx)
            if kind is None:
                continue
            X.append(f)
            y.append(KINDS.index(kind))
            if role in ROLES:
                Xr.append(f)
                yr.append(ROLES.index(role))
    vocab = _vocab(X, min_count)
    clf = LogisticRegression(C=c_kind, max_iter=3000, tol=1e-6)
    sw = None if set(kind_weight) == {1.0} else np.array([kind_weight[k] for k in y], dtype=float)
    clf.fit(_matrix(X, vocab), np.array(y), sample_weight=sw)
    rclf = LogisticRegression(C=c_role, max_iter=3000, tol=1e-6)
    rclf.fit(_matrix(Xr, vocab), np.array(yr))
    names = sorted(vocab, key=vocab.get)
    kind_w = {n: [round(float(clf.coef_[k][vocab[n]]), 5) for k in range(len(KINDS))] for n in names}
    role_w = {n: round(float(rclf.coef_[0][vocab[n]]), 5) for n in names}
    return {
        "kinds": list(KINDS),
        "kind_weights": {n: w for n, w in kind_w.items() if any(w)},
        "kind_bias": [round(float(b), 5) for b in clf.intercept_],
        "roles": list(ROLES),
        "role_weights": {n: w for n, w in role_w.items() if w},
        "role_bias": round(float(rclf.intercept_[0]), 5),
    }


def _forms(e) -> set:
    return {_norm(x) for x in [e.get("name", "")] + list(e.get("aliases") or []) if _norm(x)}


def score_paper(gold: dict, pred: list[dict], tally: dict) -> None:
    """Add one paper to ``tally`` with the semantics of ``../shared/eval/score_entities.py``."""
    for field, kind in (("methods", "method"), ("benchmarks", "benchmark")):
        gents = gold.get(field) or []
        pents = [e for e in pred if e["kind"] == kind]
        used = set()
        t = tally[field]
        for pe in pents:
            pf = _forms(pe)
            hit = next((i for i, ge in enumerate(gents) if i not in used and pf & _forms(ge)), None)
            if hit is None:
                t["fp"] += 1
                continue
            used.add(hit)
            ge = gents[hit]
            if ge.get("borderline"):
                continue
            t["tp"] += 1
            t["role_n"] += 1
            t["role_ok"] += pe["role"] == ge.get("role")
        t["fn"] += sum(1 for i, ge in enumerate(gents) if i not in used and not ge.get("borderline"))


def evaluate(papers, rows, weights) -> dict:
    """Scorer-semantics tallies of the decoded predictions of ``rows`` against ``papers``."""
    tally = {k: collections.Counter() for k in ("methods", "benchmarks")}
    for p, (doc, cands, feats) in zip(papers, rows):
        pred = decode(doc, cands, feats, weights)
        score_paper(p, pred, tally)
    return tally


def report(tally) -> dict:
    out = {}
    for kind, t in tally.items():
        p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
        r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        ra = t["role_ok"] / t["role_n"] if t["role_n"] else 0.0
        out[kind] = {"P": p, "R": r, "F1": f, "role": ra}
    return out


THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def folds_of(n: int, folds: int = FOLDS) -> list[int]:
    """Fold number of each paper (grouped by abstract, fixed seed)."""
    order = np.random.RandomState(SEED).permutation(n)
    out = [0] * n
    for k, i in enumerate(order):
        out[int(i)] = k % folds
    return out


def cross_validate(papers, rows, folds=FOLDS, thresholds=THRESHOLDS, **kw) -> dict:
    """k-fold cross-validation grouped by abstract: ``{threshold: report}`` (summed tallies)."""
    fold = folds_of(len(papers), folds)
    total = {t: {k: collections.Counter() for k in ("methods", "benchmarks")} for t in thresholds}
    for k in range(folds):
        tr = [i for i in range(len(papers)) if fold[i] != k]
        te = [i for i in range(len(papers)) if fold[i] == k]
        w = fit([papers[i] for i in tr], [rows[i] for i in tr], **kw)
        for t in thresholds:
            w["thresholds"] = {"method": t, "benchmark": t}
            tt = evaluate([papers[i] for i in te], [rows[i] for i in te], w)
            for kind in tt:
                total[t][kind].update(tt[kind])
    return {t: report(v) for t, v in total.items()}


def choose_thresholds(cv: dict) -> dict:
    """Per kind, the threshold of best CV F1 (ties: the higher threshold)."""
    out = {}
    for field, kind in (("methods", "method"), ("benchmarks", "benchmark")):
        out[kind] = max(cv, key=lambda t: (round(cv[t][field]["F1"], 4), t))
    return out


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    flags = {a for a in args if a.startswith("--")}
    pos = [a for a in args if not a.startswith("--")]
    shared = Path(pos[0]) if pos else Path(__file__).resolve().parents[3] / "shared"
    train_path = shared / "data" / "train" / "corpus-entities.train.json"
    papers = json.loads(train_path.read_text(encoding="utf-8"))
    MODEL.mkdir(parents=True, exist_ok=True)
    nlp = build_nlp(with_classifier=False)
    if "--no-stats" not in flags:
        terms = tdms_terms(tdmsci_path(shared))
        (MODEL / "tdms-terms.json").write_text(json.dumps(terms, sort_keys=True) + "\n")
        texts = corpus_texts(load_corpus(shared), {_title_key(p.get("title")) for p in papers})
        stats = corpus_statistics(nlp, texts)
        (MODEL / "corpus-stats.json").write_text(json.dumps(
            {"about": "per key: df, occurrences, lower-case, after proposal verb, before dataset word, "
                      "capitalised not sentence-initial; papers where it is a candidate, kept by the rules as method, "
                      "as benchmark, proposed by the rules; corpus minus annotated papers", "stats": stats},
            separators=(",", ":"), sort_keys=True) + "\n")
        from . import distrib
        kind = distrib.kind_scores(texts, set(stats), terms)
        (MODEL / "corpus-kind.json").write_text(json.dumps(
            {"about": "per key: P(benchmark) in fifths of a model of its corpus contexts (kg.extract.distrib)",
             "kind": kind}, separators=(",", ":"), sort_keys=True) + "\n")
        from . import features as _f
        _f.clear_caches()  # filled during the corpus pass, from the old files
    rows = paper_rows(nlp, papers)
    extra = tdmsci_examples(nlp, tdmsci_path(shared))
    cv = cross_validate(papers, rows, extra=extra)
    thresholds = choose_thresholds(cv)
    for field, kind in (("methods", "method"), ("benchmarks", "benchmark")):
        r = cv[thresholds[kind]][field]
        print(f"CV {field:10s} threshold={thresholds[kind]} P={r['P']:.3f} R={r['R']:.3f} F1={r['F1']:.3f} "
              f"role_acc={r['role']:.3f}")
    w = fit(papers, rows, extra=extra)
    w["thresholds"] = thresholds
    w["about"] = f"kg-extract candidate classifier, trained on {train_path.name} ({len(papers)} abstracts)"
    (MODEL / "weights.json").write_text(json.dumps(w, sort_keys=True, indent=0) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
