"""Graph building: identity of papers and authors, merging, kg add, determinism."""
from __future__ import annotations

import copy
import json
from collections import defaultdict

import pytest

import kg
from kg.graph import add_records, new_graph, summary, to_json
from kg.ingest import read_listing
from kg.model import AUTHORED, Record, author_key, title_key

from .conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def seed_records():
    return [r for f in SEED_FILES for r in read_listing(f).records]


@pytest.fixture(scope="module")
def bare_seed_graph():
    return kg.build([str(SEEDS)], extract=False)


def test_seed_papers_are_deduplicated_by_title(seed_records, bare_seed_graph):
    keys = {title_key(r.title) for r in seed_records}
    assert len(seed_records) > len(keys)  # the seeds list some papers twice
    assert summary(bare_seed_graph)["papers"] == len(keys)


def test_seed_unique_count_matches_gold(shared, bare_seed_graph):
    gold = json.loads((shared / "data/dev/seed-listings.gold.json").read_text())
    assert summary(bare_seed_graph)["papers"] == len({" ".join(g["title"].split()) for g in gold})


def test_duplicate_paper_keeps_all_sources_and_fullest_data(seed_records, bare_seed_graph):
    by_key = defaultdict(list)
    for r in seed_records:
        by_key[title_key(r.title)].append(r)
    repeated = [rs for rs in by_key.values() if len({r.source for r in rs}) > 1]
    assert repeated
    papers = {title_key(d["title"]): d for _, d in bare_seed_graph.nodes(data=True) if d["type"] == "paper"}
    for rs in repeated:
        d = papers[title_key(rs[0].title)]
        assert sorted(d["sources"]) == sorted({r.source for r in rs})
        assert len(d["authors"]) == max(len(r.authors) for r in rs)
        assert len(d["abstract"] or "") == max(len(r.abstract or "") for r in rs)


def test_authors_are_one_node_per_name_and_order_is_kept(seed_records, bare_seed_graph):
    names = {author_key(a) for r in seed_records for a in r.authors}
    assert summary(bare_seed_graph)["authors"] == len(names)
    xue = [p for p, a in bare_seed_graph.in_edges("author:xue-liu")]
    assert len(xue) == sum(1 for r in {title_key(r.title): r for r in seed_records}.values()
                           if "Xue Liu" in r.authors)
    for pid, d in bare_seed_graph.nodes(data=True):
        if d["type"] == "paper":
            linked = sorted((e["position"], v) for _, v, e in bare_seed_graph.out_edges(pid, data=True)
                            if e["type"] == AUTHORED)
            assert [bare_seed_graph.nodes[v]["name"] for _, v in linked] == d["authors"]


def test_doi_match_beats_title_and_different_dois_stay_apart():
    G = new_graph()
    add_records(G, [
        Record("Deep Nets", ["A B"], None, "a.csv", doi="10.1/x"),
        Record("Deep Nets: Extended Title", ["A B", "C D"], "Abs.", "b.csv", doi="10.1/x"),
        Record("Deep Nets", ["E F"], "Other.", "c.csv", doi="10.1/y"),
    ])
    assert summary(G)["papers"] == 2
    same = [d for _, d in G.nodes(data=True) if d["type"] == "paper" and d["doi"] == "10.1/x"][0]
    assert same["sources"] == ["a.csv", "b.csv"] and same["authors"] == ["A B", "C D"]


def test_author_spelling_rule():
    G = new_graph()
    add_records(G, [Record("P1", ["P. Vincent", "Kianté Brantley"], None, "a"),
                    Record("P2", ["P Vincent", "Kiante Brantley"], None, "b")])
    assert summary(G)["authors"] == 2  # full stops fold; accents fold with a shared co-author
    H = new_graph()
    add_records(H, [Record("P1", ["P. Vincent", "Kianté Brantley"], None, "a"),
                    Record("P2", ["Ann Lee", "Kiante Brantley"], None, "b")])
    assert summary(H)["authors"] == 4  # no co-author in common: the accent keeps them apart


def test_add_is_idempotent_and_equals_build(tmp_path):
    files = [str(f) for f in SEED_FILES]
    whole = kg.build(files, extract=False)
    part = kg.build(files[:2], extract=False)
    kg.add(part, files[2:], extract=False)
    assert to_json(part) == to_json(whole)
    kg.add(part, files, extract=False)  # everything again: nothing duplicated
    assert to_json(part) == to_json(whole)


def test_save_load_round_trip(tmp_path, bare_seed_graph):
    path = tmp_path / "graph.json"
    kg.save(bare_seed_graph, path)
    again = kg.load(path)
    assert to_json(again) == to_json(bare_seed_graph)


def test_build_is_deterministic():
    a = to_json(kg.build([str(SEEDS)], extract=False))
    b = to_json(kg.build([str(f) for f in SEED_FILES], extract=False))
    assert a == b


def test_seed_graph_has_entities(seed_graph):
    s = summary(seed_graph)
    assert s["methods"] > 50 and s["benchmarks"] > 10
    assert s["proposes_edges"] > 0 and s["uses_edges"] > s["proposes_edges"]
    for u, v, e in seed_graph.edges(data=True):
        if e["type"] in ("proposes", "uses"):
            assert seed_graph.nodes[u]["type"] == "paper"
            assert seed_graph.nodes[v]["type"] in ("method", "benchmark")
            assert e["evidence"] and 0 <= e["confidence"] <= 1


@pytest.mark.slow
def test_corpus_build(shared, corpus_records):
    G = kg.build([str(shared / "data/corpus/conference-papers-2022-2024.jsonl.gz")])
    s = summary(G)
    assert s["papers"] == len({title_key(r["title"]) for r in corpus_records})
    assert s["authors"] == len({author_key(a) for r in corpus_records for a in r["authors"]})
    assert s["methods"] > 1000 and s["benchmarks"] > 200


def test_add_with_extraction_equals_build(seed_graph):
    """Incremental add (extracting only new or changed papers) gives the full build's graph."""
    files = [str(f) for f in SEED_FILES]
    part = kg.build(files[:3])
    kg.add(part, files[2:])
    assert to_json(part) == to_json(seed_graph)


def test_add_to_a_full_graph_changes_nothing(seed_graph):
    """Adding listings already in the graph re-resolves every paper from its edges: the
    entities (e.g. "HMC" = "Hamiltonian Monte Carlo", learned in one paper) must survive."""
    G = copy.deepcopy(seed_graph)
    kg.add(G, [str(SEED_FILES[3])])
    assert to_json(G) == to_json(seed_graph)
    kg.add(G, [str(SEED_FILES[0]), str(SEED_FILES[4])])
    assert to_json(G) == to_json(seed_graph)
