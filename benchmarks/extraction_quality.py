#!/usr/bin/env python3
"""Extraction quality: 5-fold cross-validation on the training abstracts, then the dev gold once per
file, for extractor 1.0 (learned) next to the 0.4 rules (its candidate generator), in the same run.

usage: python benchmarks/extraction_quality.py [--no-cv]

CV: ``kg.extract.train.cross_validate`` on ``../shared/data/train/corpus-entities.train.json``
(folds grouped by abstract, fixed seed, the thresholds the trainer chose). Dev: the output of
``../shared/eval/score_entities.py``. The dev gold is the measuring stick only: nothing in the
product is derived from it.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
GOLD = ("seed-entities.gold.json", "corpus-entities.gold.json")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_entities", SHARED / "eval" / "score_entities.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rules(papers):
    """The 0.4 rule decision (``kg_entities`` without the classifier), in the extractor's output shape."""
    from kg.extract.extractor import build_nlp, paper_text
    from kg.extract.text import clean

    out = []
    for p, doc in zip(papers, build_nlp(with_classifier=False).pipe(clean(paper_text(p)) for p in papers)):
        r = {"id": p.get("id"), "methods": [], "benchmarks": []}
        for e in doc._.kg_entities or ():
            r["methods" if e["kind"] == "method" else "benchmarks"].append(e)
        out.append(r)
    return out


def _line(name, kind, r):
    print(f"  {name:10s} {kind:10s} P={r['P']:.3f} R={r['R']:.3f} F1={r['F1']:.3f} role_acc={r['role']:.3f}")


def main() -> int:
    if not (SHARED / "eval" / "score_entities.py").is_file():
        print("needs ../shared (eval/, data/train/, data/dev/) beside the repository", file=sys.stderr)
        return 2
    from kg.extract import EXTRACTOR_VERSION, Extractor, train
    from kg.extract.classifier import WEIGHTS
    from kg.extract.extractor import build_nlp

    mod = _scorer()
    print(EXTRACTOR_VERSION)
    papers = json.loads((SHARED / "data" / "train" / "corpus-entities.train.json").read_text())
    if "--no-cv" not in sys.argv:
        print(f"== 5-fold CV on {len(papers)} training abstracts (grouped by abstract)")
        nlp = build_nlp(with_classifier=False)
        rows = train.paper_rows(nlp, papers)
        cv = train.cross_validate(papers, rows, extra=train.tdmsci_examples(nlp, train.tdmsci_path(SHARED)))
        th = json.loads(WEIGHTS.read_text())["thresholds"]
        _line(EXTRACTOR_VERSION.split()[1], "methods", cv[th["method"]]["methods"])
        _line(EXTRACTOR_VERSION.split()[1], "benchmarks", cv[th["benchmark"]]["benchmarks"])
        gold = {str(p["id"]): p for p in papers}
        with contextlib.redirect_stdout(io.StringIO()) as buf:
            mod.score(gold, {str(r["id"]): r for r in _rules(papers)})
        for ln in buf.getvalue().splitlines()[:2]:
            print("  0.4 rules  " + ln)
    for name in GOLD:
        path = SHARED / "data" / "dev" / name
        gold = mod.load(str(path))
        dev = json.loads(path.read_text())
        print(f"== dev {name}")
        for label, res in ((EXTRACTOR_VERSION.split()[1], list(Extractor().extract_many(dev))), ("0.4 rules", _rules(dev))):
            with contextlib.redirect_stdout(io.StringIO()) as buf:
                mod.score(gold, {str(r["id"]): r for r in res})
            for ln in buf.getvalue().splitlines()[:2]:
                print(f"  {label:10s} {ln}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
