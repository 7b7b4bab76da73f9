"""RDF export on the 10k-paper corpus (slow: run with ``pytest -m slow``)."""
from __future__ import annotations

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


def test_corpus_ntriples_export_is_complete(corpus_graph, tmp_path):
    """Every triple of the 10k-paper graph is written (speed is measured in
    benchmarks/rdf_export_speed.py, not asserted here: timings in tests are flaky)."""
    n = rdf.count_triples(corpus_graph)
    assert n > 400_000
    out = tmp_path / "g.nt"
    rdf.write_rdf(corpus_graph, out)
    assert sum(1 for _ in open(out, encoding="utf-8")) == n


def test_corpus_round_trip(corpus_graph, tmp_path):
    out = tmp_path / "g.nt"
    rdf.write_rdf(corpus_graph, out)
    assert to_json(kg.load(out)) == to_json(corpus_graph)
