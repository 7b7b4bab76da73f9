"""RDF export on the 10k-paper corpus (slow: run with ``pytest -m slow``)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

import kg
from kg.export import rdf
from kg.graph import to_json

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "corpus"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_graph():
    files = sorted(CORPUS.glob("*.jsonl*")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip(f"the 10k-paper corpus is not in {CORPUS} (../shared beside the repository)")
    return kg.build([str(f) for f in files], extract=False)


def test_corpus_ntriples_export_speed(corpus_graph, tmp_path):
    """N-Triples export at >= 300,000 triples/s (best of 3 runs, wall clock)."""
    n = rdf.count_triples(corpus_graph)
    assert n > 400_000
    out = tmp_path / "g.nt"
    times = []
    for _ in range(3):
        t = time.perf_counter()
        rdf.write_rdf(corpus_graph, out)
        times.append(time.perf_counter() - t)
    assert sum(1 for _ in open(out, encoding="utf-8")) == n
    assert n / min(times) >= 300_000, f"{n / min(times):,.0f} triples/s"


def test_corpus_round_trip(corpus_graph, tmp_path):
    out = tmp_path / "g.nt"
    rdf.write_rdf(corpus_graph, out)
    assert to_json(kg.load(out)) == to_json(corpus_graph)
