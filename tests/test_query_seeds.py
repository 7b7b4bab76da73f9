"""kg.query on the bundled seeds (with extraction) and on the whole 10k-paper corpus (slow)."""
from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import pytest

import kg
from kg import query as q
from kg.graph import read_records
from kg.model import author_key, entity_key

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "data" / "corpus" / "conference-papers-2022-2024.jsonl.gz"


@pytest.fixture(scope="module")
def seeds():
    pytest.importorskip("kg.extract", reason="the extractor is not available")
    return kg.build([str(SEEDS)]), read_records([str(SEEDS)])


def test_xue_liu_coauthors_across_three_seed_papers(seeds):
    G, records = seeds
    mine = [r for r in records if "xue liu" in {author_key(a) for a in r.authors}]
    want = defaultdict(set)
    for r in mine:
        for a in r.authors:
            if author_key(a) != "xue liu":
                want[author_key(a)].add(r.title)
    assert len({r.title for r in mine}) == 3
    got = q.coauthors(G, "xue liu")
    assert {author_key(c["name"]): set(c["titles"]) for c in got} == dict(want)
    profile = q.author_profile(G, "Xue Liu")
    assert {p["title"] for p in profile["papers"]} == {r.title for r in mine}


def test_seed_papers_using_transformer_methods(seeds):
    G, _ = seeds
    # expected from the graph's mention edges, read without kg.query
    exact, like = set(), set()
    for u, v, d in G.edges(data=True):
        if d["type"] in ("proposes", "uses") and G.nodes[v]["type"] == "method":
            names = [G.nodes[v]["name"], *G.nodes[v].get("aliases", [])]
            if entity_key(G.nodes[v]["name"]) == "transformer":
                exact.add(G.nodes[u]["title"])
            if any("transformer" in entity_key(n) for n in names):
                like.add(G.nodes[u]["title"])
    assert exact and like > exact
    assert {p["title"] for p in q.papers(G, "TRANSFORMER")} == exact
    assert {p["title"] for p in q.papers(G, "transformer", like=True)} == like


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_file(), reason=f"corpus not found at {CORPUS}")
def test_whole_corpus_coauthors_paths_communities(tmp_path):
    import gzip
    import shutil

    plain = tmp_path / "corpus.jsonl"
    with gzip.open(CORPUS, "rb") as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    G = kg.build([str(plain)], extract=False)
    records = read_records([str(plain)])
    papers_of = defaultdict(set)
    for r in records:
        for a in r.authors:
            papers_of[author_key(a)].add(r.title)
    busiest = max(papers_of, key=lambda a: (len(papers_of[a]), a))
    prof = q.author_profile(G, busiest)
    assert {p["title"] for p in prof["papers"]} == papers_of[busiest]
    t = time.perf_counter()
    comms = q.communities(G)
    assert time.perf_counter() - t < 30
    assert comms == q.communities(G)
    assert len(q.coauthors(G, busiest)) == len(prof["coauthors"])
