"""Named graphs of the N-Quads export: one per source listing, keyed by the listing's full
identity (its path relative to the working directory), and ``DROP GRAPH`` of one listing in a
real store (pyoxigraph) leaves nothing that no paper refers to."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

pyoxigraph = pytest.importorskip("pyoxigraph")

import kg  # noqa: E402
from kg.cli import main  # noqa: E402
from kg.export import rdf  # noqa: E402
from kg.ingest import read_listings  # noqa: E402
from kg.model import AUTHORED  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX kg: <https://w3id.org/kg-papers/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
#: what no paper refers to any more, over the union of the named graphs (as in docs/rdf.md)
ORPHANS = PREFIXES + """SELECT DISTINCT ?x WHERE {
  { GRAPH ?g { ?x a ?c } VALUES ?c { schema:Person kg:Method kg:Benchmark kg:Venue kg:Authorship }
    FILTER NOT EXISTS { GRAPH ?h { ?p schema:author|kg:proposes|kg:uses|schema:isPartOf|kg:authorship ?x } } }
  UNION
  { GRAPH ?g { ?x a kg:Mention ; rdf:subject ?p } FILTER NOT EXISTS { GRAPH ?h { ?p a schema:ScholarlyArticle } } }
}"""
SOURCE = "https://example.org/kg/source/"


def two_folders(root: Path) -> list[Path]:
    """``a/add1.jsonl`` and ``b/add1.jsonl``: the lines of tests/data/listing.jsonl split in two."""
    lines = (DATA / "listing.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for folder, part in (("a", lines[:2]), ("b", lines[2:])):
        (root / folder).mkdir()
        (root / folder / "add1.jsonl").write_text("".join(part), encoding="utf-8")
        out.append(root / folder / "add1.jsonl")
    return out


def quads_store(G) -> "pyoxigraph.Store":
    store = pyoxigraph.Store()
    store.load(rdf.serialize(G, "nquads").encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def rows(store, query: str) -> list[str]:
    return sorted(str(r[0].value) for r in store.query(query))


def test_same_file_name_in_two_folders_is_two_sources_and_two_graphs(tmp_path, monkeypatch, capsys):
    files = two_folders(tmp_path)
    monkeypatch.chdir(tmp_path)
    listings = read_listings(["a", "b"])
    recs = [r for listing in listings for r in listing.records]
    assert {r.source for r in recs} == {"add1.jsonl"}  # kg parse's `source`: the file name, as before
    assert [{r.source_path for r in listing.records} for listing in listings] == [{"a/add1.jsonl"},
                                                                                 {"b/add1.jsonl"}]
    assert main(["parse", str(files[1])]) == 0  # an absolute path gives the same identity
    parsed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(p["source"], p["source_path"]) for p in parsed] == [("add1.jsonl", "b/add1.jsonl")] * len(
        listings[1].records)
    G = kg.build(["a", "b"], extract=False)
    assert G.graph["sources"] == ["a/add1.jsonl", "b/add1.jsonl"]
    store = quads_store(G)
    graphs = rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs == ["https://example.org/kg/shared", SOURCE + "a%2Fadd1.jsonl", SOURCE + "b%2Fadd1.jsonl"]
    per_graph = {g: rows(store, PREFIXES + f"SELECT ?t WHERE {{ GRAPH <{g}> {{ ?p a schema:ScholarlyArticle ; "
                                           "schema:name ?t } }") for g in graphs[1:]}
    assert per_graph == {SOURCE + "a%2Fadd1.jsonl": sorted(r.title for r in listings[0].records),
                         SOURCE + "b%2Fadd1.jsonl": sorted(r.title for r in listings[1].records)}
    out = tmp_path / "g.json"
    kg.save(G, out)
    assert kg.load(out).graph["sources"] == G.graph["sources"]


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory):
    """The frozen seed graph with extraction (tests/data/rdf/seeds-graph.json.gz)."""
    p = tmp_path_factory.mktemp("seed") / "graph.json"
    p.write_bytes(gzip.decompress((DATA / "rdf" / "seeds-graph.json.gz").read_bytes()))
    return kg.load(p)


def test_drop_graph_of_each_seed_listing_leaves_no_orphans(seed_graph):
    G = seed_graph
    store = quads_store(G)
    assert rows(store, ORPHANS) == []
    papers = {n: d["sources"] for n, d in G.nodes(data=True) if d["type"] == "paper"}
    assert sum(len(s) > 1 for s in papers.values()) > 0  # some papers sit in several graphs
    for source in G.graph["sources"]:
        store = quads_store(G)
        graph = rdf.terms.named_iri("https://example.org/kg/", "source", source)
        store.update(f"DROP GRAPH <{graph}>")
        assert rows(store, ORPHANS) == [], source
        left = rows(store, PREFIXES + "SELECT DISTINCT ?i WHERE { GRAPH ?g { ?p a schema:ScholarlyArticle ; "
                                      "<http://purl.org/dc/terms/identifier> ?i } }")
        assert left == sorted(n for n, s in papers.items() if set(s) - {source}), source
        # the papers that remain keep every author and mention they had
        n_auth = rows(store, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?p ?a "
                                        "WHERE { GRAPH ?g { ?p schema:author ?a } } }")
        assert int(n_auth[0]) == sum(1 for u, v, t in G.edges(data="type")
                                     if t == AUTHORED and u in papers and set(papers[u]) - {source})
        n_ent = rows(store, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?x WHERE { GRAPH ?g "
                                       "{ ?x a ?c VALUES ?c { kg:Method kg:Benchmark schema:Person } } } }")
        expected = {v for u, v in G.edges() if u in papers and set(papers[u]) - {source}
                    and G.nodes[v]["type"] in ("method", "benchmark", "author")}
        assert int(n_ent[0]) == len(expected), source


def test_seed_build_exports_do_not_depend_on_the_checkout_path(tmp_path, monkeypatch):
    """The listings' identities are relative: the seeds copied elsewhere and built from there
    give the same N-Quads as the seeds built from this checkout (no extraction, to be quick)."""
    monkeypatch.chdir(ROOT)
    here = rdf.serialize(kg.build(["seeds"], extract=False), "nquads")
    shutil.copytree(ROOT / "seeds", tmp_path / "deep" / "checkout" / "seeds")
    monkeypatch.chdir(tmp_path / "deep" / "checkout")
    there = rdf.serialize(kg.build([tmp_path / "deep" / "checkout" / "seeds"], extract=False), "nquads")
    assert here == there
    assert "/source/seeds%2F000_4258901d99358fab.txt>" in there
