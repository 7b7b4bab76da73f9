"""Graph building: identity of papers and authors, merging, kg add, determinism."""
from __future__ import annotations

import copy
import json
from collections import defaultdict

import pytest

import kg
from kg.graph import add_records, new_graph, summary, to_json
from kg.ingest import read_listing
from kg.model import AUTHORED, Record, accent_key, author_key, title_key

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
        assert sorted(d["sources"]) == sorted({r.source_key for r in rs})  # the listings' paths
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
    from kg.model import with_evidence

    s = summary(seed_graph)
    assert s["methods"] > 50 and s["benchmarks"] > 10
    assert s["proposes_edges"] > 0 and s["uses_edges"] > s["proposes_edges"]
    for u, v, e in seed_graph.edges(data=True):
        if e["type"] in ("proposes", "uses"):
            assert seed_graph.nodes[u]["type"] == "paper"
            assert seed_graph.nodes[v]["type"] in ("method", "benchmark")
            assert with_evidence(seed_graph.nodes[u], e)["evidence"] and 0 <= e["confidence"] <= 1


@pytest.mark.slow
def test_corpus_build(shared, corpus_records):
    G = kg.build([str(shared / "data/corpus/conference-papers-2022-2024.jsonl.gz")])
    s = summary(G)
    split = sum("kept as two papers" in w for w in G.graph.get("warnings", []))
    assert s["papers"] == len({title_key(r["title"]) for r in corpus_records}) + split
    from kg.ingest.ids import clean_name

    names = {clean_name(a) for r in corpus_records for a in r["authors"]} - {None}  # D&#x27;Oro = D'Oro
    merged = sum(len(d.get("aliases", ())) for _, d in G.nodes(data=True) if d["type"] == "author")
    assert s["authors"] == len({author_key(a) for a in names}) - merged  # accent variants with a co-author
    assert s["authors"] >= len({accent_key(a) for a in names})
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


# ---------------------------------------------------------------- identifiers and names (issue 13)

def test_any_shared_identifier_is_one_paper_whatever_the_titles():
    for key, a, b in [("arxiv", "2401.01234", "2401.01234"), ("openalex", "W1", "W1"), ("s2", "ab", "ab"),
                      ("pmid", "17", "17")]:
        G = new_graph()
        add_records(G, [Record("Deep Nets", ["A B"], None, "a", **{key: a}),
                        Record("Deep Networks (preprint)", ["A B"], "Abs.", "b", **{key: b})])
        papers = [d for _, d in G.nodes(data=True) if d["type"] == "paper"]
        assert len(papers) == 1 and papers[0]["sources"] == ["a", "b"] and papers[0][key] == a, key
    G = new_graph()
    add_records(G, [Record("Deep Nets", ["A B"], None, "a", openalex="W1"),
                    Record("Deep Nets", ["A B"], None, "b", openalex="W2")])
    assert summary(G)["papers"] == 2  # same title, different W ids


def test_orcid_decides_who_is_who():
    orc1, orc2 = "0000-0002-5577-3516", "0000-0003-1613-5981"
    G = new_graph()
    add_records(G, [Record("P1", ["Wei Zhang", "Ann Lee"], None, "a", author_ids=[{"orcid": orc1}, {}]),
                    Record("P2", ["Wei Zhang", "Bo Wu"], None, "b", author_ids=[{"orcid": orc2}, {}])])
    weis = [n for n, d in G.nodes(data=True) if d.get("name") == "Wei Zhang"]
    assert len(weis) == 2 and {G.nodes[n]["orcid"] for n in weis} == {orc1, orc2}
    H = new_graph()
    add_records(H, [Record("P1", ["J. Smith"], None, "a", author_ids=[{"orcid": orc1}]),
                    Record("P2", ["John Smith"], None, "b", author_ids=[{"orcid": orc1}])])
    people = [n for n, d in H.nodes(data=True) if d["type"] == "author"]
    assert len(people) == 1 and H.in_degree(people[0]) == 2 and H.nodes[people[0]]["aliases"] == ["John Smith"]


def test_words_less_titles_do_not_collapse():
    G = new_graph()
    add_records(G, [Record("🤗🤗", ["Ann Lee"], None, "a"), Record("!!!", ["Bo Wu"], None, "a"),
                    Record("\u200b", ["Cy Dias"], None, "a"), Record("🤗🤗", ["Ann Lee"], "More.", "b")])
    papers = sorted(n for n, t in G.nodes(data="type") if t == "paper")
    assert len(papers) == 3 and "paper:da39a3ee" not in papers
    assert {len(G.nodes[p]["sources"]) for p in papers} == {1, 2}  # the repeated 🤗🤗 by Ann Lee merged


def test_same_title_different_papers_warned_not_merged():
    G = new_graph()
    add_records(G, [Record("Attention", ["Ann Lee"], "We study attention in vision.", "a.txt", line=3),
                    Record("Attention", ["Bo Wu", "Cy Dias"], "A psychology study of attention.", "b.txt", line=7),
                    Record("Attention", ["Ann Lee"], "We study attention in vision, longer.", "c.txt")])
    papers = [d for _, d in G.nodes(data=True) if d["type"] == "paper"]
    assert sorted(len(d["authors"]) for d in papers) == [1, 2]
    assert sorted(len(d["sources"]) for d in papers) == [1, 2]  # c.txt shares Ann Lee: merged with a.txt
    assert len(G.graph["warnings"]) == 1 and G.graph["warnings"][0].startswith("b.txt:7: 'Attention'")
    assert summary(G)["authors"] == 3 and all(G.in_degree(n) for n, t in G.nodes(data="type") if t == "author")


def test_possibly_several_people_flag():
    G = new_graph()
    add_records(G, [Record("P1", ["Yang Liu", "Ann Lee"], None, "a"), Record("P2", ["Yang Liu", "Ann Lee", "Bo Wu"], None, "a"),
                    Record("P3", ["Yang Liu", "Cy Dias"], None, "a"), Record("P4", ["Yang Liu"], None, "a")])
    d = G.nodes["author:yang-liu"]
    assert d["possibly_several"] is True and d["coauthor_groups"] == 2
    assert "possibly_several" not in G.nodes["author:ann-lee"]
    add_records(G, [Record("P5", ["Yang Liu", "Ann Lee", "Cy Dias"], None, "b")])  # now one group
    assert "possibly_several" not in G.nodes["author:yang-liu"]


def test_placeholder_and_entity_names(tmp_path):
    bib = tmp_path / "x.bib"
    bib.write_text("@article{a, title={One}, author={Ann Lee and others}}\n"
                   "@article{b, title={Two}, author={Bo Wu and others}}\n", encoding="utf-8")
    jl = tmp_path / "x.jsonl"
    jl.write_text('{"title": "Three", "authors": ["Pierluca D&#x27;Oro", "et al."]}\n', encoding="utf-8")
    G = kg.build([bib, jl], extract=False)
    names = sorted(d["name"] for _, d in G.nodes(data=True) if d["type"] == "author")
    assert names == ["Ann Lee", "Bo Wu", "Pierluca D'Oro"]


def test_all_format_fixtures_with_the_seeds(shared):
    from .conftest import TEST_DATA

    fixtures = sorted(p for p in (shared / "data" / "formats").iterdir() if p.name != "README.md")
    mine = [TEST_DATA / "formats" / "state-of-oa.ris", TEST_DATA / "formats" / "state-of-oa.csl.json"]
    G = kg.build([*fixtures, SEEDS, *mine], extract=False)
    alone = kg.build([SEEDS], extract=False)
    n_fixture_records = sum(len(read_listing(p).records) for p in fixtures)
    assert summary(G)["papers"] <= summary(alone)["papers"] + n_fixture_records
    oa = [d for _, d in G.nodes(data=True) if d.get("doi") == "10.7717/peerj.4375"]
    assert len(oa) == 1 and [s.rsplit("/", 1)[-1] for s in oa[0]["sources"]] == ["openalex-work-W2741809807.json", "state-of-oa.ris",
                                                 "state-of-oa.csl.json"]
    assert oa[0]["openalex"] == "W2741809807" and oa[0]["pmid"] == "29456894"
    piwowar = [d for _, d in G.nodes(data=True) if d.get("orcid") == "0000-0003-1613-5981"]
    assert len(piwowar) == 1 and piwowar[0]["openalex"] == "A5048491430"
    assert not any(d["type"] == "paper" and not d["title"].strip() for _, d in G.nodes(data=True))


def test_ids_of_a_second_listing_go_to_the_right_authors():
    orc = "0000-0002-5577-3516"
    G = new_graph()
    add_records(G, [Record("Deep Nets", ["Ann Lee", "Bo Wu", "Cy Dias"], None, "a", doi="10.1/x"),
                    Record("Deep nets", ["Wu, Bo", "Lee, Ann"], None, "b", doi="10.1/x",
                           author_ids=[{"orcid": orc}, {}])])  # other order, shorter, names unparsed
    assert [G.nodes[n].get("orcid") for n in ("author:ann-lee", "author:cy-dias")] == [None, None]
    G = new_graph()
    add_records(G, [Record("Deep Nets", ["Ann Lee", "Bo Wu"], None, "a", doi="10.1/x"),
                    Record("Deep nets", ["B. Wu", "A. Lee"], None, "b", doi="10.1/x",
                           author_ids=[{"orcid": orc}, {}])])
    assert G.nodes["author:bo-wu"]["orcid"] == orc and "orcid" not in G.nodes["author:ann-lee"]


def test_unsluggable_author_names_are_two_people():
    """Issue 16: names with no letter or digit ("!!!", "🚀") got one node (and one RDF IRI),
    the hash of the empty key; now each name is its own author."""
    from kg.export.rdf import node_iri
    from kg.graph import add_records, new_graph
    from kg.model import Record

    G = new_graph()
    add_records(G, [Record("Paper one", ["!!!"], None, "a"), Record("Paper two", ["🚀"], None, "a")])
    authors = [n for n, t in G.nodes(data="type") if t == "author"]
    assert len(authors) == 2 and {G.nodes[a]["name"] for a in authors} == {"!!!", "🚀"}
    assert len({node_iri(a) for a in authors}) == 2
