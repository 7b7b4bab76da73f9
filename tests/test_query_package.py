"""kg.query as a package: Louvain from libraries (python-igraph fast path, NetworkX fallback) of
equal quality, the one cache and clear_cache, the frozen co-author graph built from
kg.graph.coauthor_pairs, and parameter errors that are KGErrors naming the parameter (the CLI
names its option)."""
from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg import query as q
from kg.cli.query import with_flags
from kg.graph import add_records, coauthor_pairs, new_graph
from kg.model import KGError, Record

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "conference-papers-2022-2024.jsonl.gz"
NEEDS_SHARED = f"corpus not found at {CORPUS}"


@pytest.fixture(scope="module")
def seeds_plain():
    """The seed papers without extraction (the co-author graph does not depend on it)."""
    return kg.build([str(SEEDS)], extract=False)


def _check_partition(H, parts):
    members = [v for p in parts for v in p]
    assert sorted(members) == sorted(H) and len(members) == len(set(members))


def _quality(H, backend, seed=0):
    parts = q.louvain_partition(H, seed=seed, backend=backend)
    _check_partition(H, parts)
    return nx.community.modularity(H, parts, weight="weight"), parts


def test_igraph_and_networkx_louvain_equal_quality_on_seeds(seeds_plain):
    H = q.coauthor_graph(seeds_plain)
    q_ig, p_ig = _quality(H, "igraph")
    q_nx, p_nx = _quality(H, "networkx")
    assert q_ig == pytest.approx(q_nx, abs=0.005)
    # at least as good as the connected components (each a union of paper cliques here)
    comps = list(nx.connected_components(H))
    assert min(q_ig, q_nx) >= nx.community.modularity(H, comps) - 1e-9
    # seeded: the same partition again, for both
    assert _quality(H, "igraph")[1] == p_ig and _quality(H, "networkx")[1] == p_nx


def test_networkx_fallback_when_igraph_is_missing(seeds_plain, monkeypatch):
    H = q.coauthor_graph(seeds_plain)
    want = q.louvain_partition(H, backend="networkx")
    monkeypatch.setitem(sys.modules, "igraph", None)  # `import igraph` raises ImportError
    assert q.louvain_partition(H) == want
    G = kg.build([str(SEEDS)], extract=False)
    got = q.communities(G, min_size=1, top=0)
    parts = sorted(want, key=lambda c: (-len(c), min(c)))
    assert [{m["id"] for m in c["members"]} for c in got] == parts


def test_louvain_rejects_unknown_backend(seeds_plain):
    with pytest.raises(q.BadArgument) as e:
        q.louvain_partition(q.coauthor_graph(seeds_plain), backend="leiden")
    assert e.value.parameter == "backend" and isinstance(e.value, KGError)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_file(), reason=NEEDS_SHARED)
def test_igraph_and_networkx_louvain_equal_quality_on_corpus(tmp_path):
    import gzip
    import shutil

    plain = tmp_path / "corpus.jsonl"
    with gzip.open(CORPUS, "rb") as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    H = q.coauthor_graph(kg.build([str(plain)], extract=False))
    assert H.number_of_nodes() > 20000
    q_ig, _ = _quality(H, "igraph")
    q_nx, _ = _quality(H, "networkx")
    assert q_ig == pytest.approx(q_nx, abs=0.005)
    assert min(q_ig, q_nx) > 0.8


def test_coauthor_graph_is_the_frozen_kg_graph_projection(seeds_plain):
    H = q.coauthor_graph(seeds_plain)
    assert nx.is_frozen(H)
    with pytest.raises(nx.NetworkXError):
        H.add_edge("author:a", "author:b")
    pairs = coauthor_pairs(seeds_plain)
    assert {tuple(sorted(e)): w for *e, w in H.edges(data="weight")} == {k: len(v) for k, v in pairs.items()}
    assert q.coauthor_graph(seeds_plain) is H  # built once per graph


def test_one_cache_and_clear_cache():
    G = new_graph()
    add_records(G, [Record("One", ["Ann Lee", "Bo Chen"], None, "x")])
    assert q.find_node(G, "Bo Chen") == "author:bo-chen"
    assert list(G.__networkx_cache__) == ["kg.query"]
    G.nodes["author:bo-chen"]["name"] = "Bob Chen"  # in place: not seen by NetworkX
    with pytest.raises(q.NameNotFound):
        q.find_node(G, "Bob Chen")
    q.clear_cache(G)
    assert "kg.query" not in G.__networkx_cache__
    assert q.find_node(G, "Bob Chen") == "author:bo-chen"
    G.add_node("author:cy-dias", type="author", name="Cy Dias")  # structural: dropped by NetworkX
    assert q.find_node(G, "cy dias") == "author:cy-dias"


def test_parameter_errors_name_the_parameter_and_the_cli_its_option():
    G = q.toy_graph()
    cases = [(lambda: q.find_node(G, "EDT", types="dataset"), "types"),
             (lambda: q.find_node(G, "EDT", types=()), "types"),
             (lambda: q.neighbourhood(G, "Ann Lee", k=-1), "k"),
             (lambda: q.central(G, "fame"), "measure"),
             (lambda: q.papers(G, "EDT", role="cites"), "role"),
             (lambda: q.top_entities(G, "dataset"), "kind"),
             (lambda: q.top_entities(G, by="month"), "by"),
             (lambda: q.similar_papers(G, "Solo Work", score="cosine"), "score")]
    for call, param in cases:
        with pytest.raises(q.BadArgument) as e:
            call()
        assert isinstance(e.value, KGError) and isinstance(e.value, ValueError)
        assert e.value.parameter == param and str(e.value).startswith(f"{param}=")
    with pytest.raises(KGError) as e:
        with_flags(lambda args: q.neighbourhood(G, "Ann Lee", k=-1))(None)
    assert str(e.value) == "--hops -1: the number of hops must be 0 or more"
    with pytest.raises(KGError) as e:
        with_flags(lambda args: q.papers(G, "EDT", role="cites"))(None)
    assert str(e.value) == "--role 'cites': choose 'proposes' or 'uses'"



def test_author_profile_shows_ids_and_the_several_people_flag(tmp_path):
    """Issue 13: `kg query author` shows an author's ORCID / OpenAlex ids (from a real OpenAlex
    file) and flags a name whose papers share no co-author (the seed listings' Xue Liu)."""
    import json
    import subprocess
    import sys

    from .conftest import ROOT, SEEDS, TEST_DATA

    def kg_(*args):
        return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT)

    src = TEST_DATA / "formats" / "openalex-work-W2741809807.json"
    work = json.loads(src.read_text(encoding="utf-8"))
    first = work["authorships"][0]["author"]
    r = kg_("build", str(src), "--no-extract", "--out", str(tmp_path / "oa"))
    assert r.returncode == 0, r.stderr
    r = kg_("query", "author", first["display_name"], "--graph", str(tmp_path / "oa" / "graph.json"))
    assert r.returncode == 0, r.stderr
    orcid = first["orcid"].rsplit("/", 1)[-1]
    assert f"https://orcid.org/{orcid}" in r.stdout.splitlines()[1]
    r = kg_("query", "author", first["display_name"], "--json", "--graph", str(tmp_path / "oa" / "graph.json"))
    ident = json.loads(r.stdout)["identity"]
    assert ident["orcid"] == orcid and "possibly_several" not in ident

    r = kg_("build", str(SEEDS), "--no-extract", "--out", str(tmp_path / "seeds"))
    assert r.returncode == 0, r.stderr
    r = kg_("query", "author", "Xue Liu", "--json", "--graph", str(tmp_path / "seeds" / "graph.json"))
    ident = json.loads(r.stdout)["identity"]
    papers = json.loads(r.stdout)["papers"]
    coauthor_sets = [set(p["authors"]) - {"Xue Liu"} for p in papers]
    disjoint = all(not (a & b) for i, a in enumerate(coauthor_sets) for b in coauthor_sets[i + 1:])
    assert ident.get("possibly_several", False) == (disjoint and len(papers) > 1)
