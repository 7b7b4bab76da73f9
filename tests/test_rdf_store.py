"""The N-Triples export of the seed graph loads, as written, into a real triple store (an Oxigraph
server on a loopback port, over the Graph Store Protocol) and its SPARQL answers equal the
Python query API's (:mod:`kg.query`)."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import kg
from kg.export import rdf
from kg.graph import to_json

from .conftest import stop_server

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kg: <https://w3id.org/kg-papers/ontology#>
"""


def oxigraph_binary() -> str | None:
    found = shutil.which("oxigraph")
    if found:
        return found
    cand = Path(sys.executable).parent / "oxigraph"
    return str(cand) if cand.is_file() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Store:
    """A running ``oxigraph serve`` on 127.0.0.1."""

    def __init__(self, url: str):
        self.url = url

    def put_ntriples(self, path: Path) -> int:
        req = urllib.request.Request(f"{self.url}/store?default", data=path.read_bytes(), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status

    def post(self, path: str, data: bytes, content_type: str) -> int:
        req = urllib.request.Request(f"{self.url}{path}", data=data, method="POST",
                                     headers={"Content-Type": content_type})
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status

    def select(self, query: str) -> list[dict]:
        req = urllib.request.Request(f"{self.url}/query", data=(PREFIXES + query).encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query",
                                              "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            data = json.load(r)
        return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    location = tmp_path_factory.mktemp("oxigraph")
    for _attempt in range(3):  # the free port may be taken between probing and binding
        port = free_port()
        log = open(location / "server.log", "wb")
        proc = subprocess.Popen([binary, "serve", "--location", str(location / "db"),
                                 "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        up = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{url}/query?query=" + urllib.parse.quote("ASK {}"), timeout=2):
                    up = True
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        if up:
            break
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    else:
        pytest.fail("the oxigraph server did not start: " + (location / "server.log").read_text(errors="replace"))
    try:
        yield Store(url)
    finally:
        stop_server(proc)
        log.close()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """The seed graph (with extraction) and its N-Triples export, as ``kg build`` writes them."""
    G = kg.build([str(ROOT / "seeds")])
    folder = tmp_path_factory.mktemp("exports")
    written = rdf.write_build_exports(G, folder)
    assert {p.name for p in written} == {"graph.ttl", "graph.nt"}
    return G, folder / "graph.nt"


@pytest.fixture(scope="module")
def loaded(store, seeds):
    G, nt = seeds
    assert store.put_ntriples(nt) in (200, 201, 204)
    return store, G


def test_export_loads_completely(loaded, seeds):
    store, G = loaded
    n = int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    assert n == rdf.count_triples(G) == sum(1 for _ in open(seeds[1], encoding="utf-8"))


def test_seed_export_round_trips_and_conforms(seeds):
    G, nt = seeds
    assert to_json(kg.load(nt)) == to_json(G)
    assert rdf.validate(nt)[0]


def test_papers_count(loaded):
    store, G = loaded
    rows = store.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:ScholarlyArticle }")
    assert int(rows[0]["n"]) == kg.summary(G)["papers"] == 455


def test_coauthors_match_query_api(loaded):
    from kg.query import coauthors

    store, G = loaded
    rows = store.select("""
        SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE {
          ?p schema:author ?x, ?y . FILTER (?x != ?y)
          ?x dcterms:identifier ?a . ?y dcterms:identifier ?b }
        GROUP BY ?a ?b""")
    sparql: dict[str, set] = {}
    for r in rows:
        sparql.setdefault(r["a"], set()).add((r["b"], int(r["n"])))
    authors = [n for n, t in G.nodes(data="type") if t == "author"]
    checked = 0
    for a in authors:
        expected = {(c["id"], c["papers"]) for c in coauthors(G, a)}
        assert sparql.get(a, set()) == expected, a
        checked += bool(expected)
    assert checked >= 30
    # and the query for one author by name, as in docs/rdf.md
    name = G.nodes["author:xue-liu"]["name"] if "author:xue-liu" in G else G.nodes[authors[0]]["name"]
    rows = store.select(f"""
        SELECT DISTINCT ?coauthor WHERE {{
          ?me schema:name {json.dumps(name)} . ?paper schema:author ?me, ?other .
          FILTER (?other != ?me) ?other schema:name ?coauthor }}""")
    assert {r["coauthor"] for r in rows} == {c["name"] for c in coauthors(G, name)}


def test_papers_using_a_benchmark_match_query_api(loaded):
    from kg.query import papers

    store, G = loaded
    rows = store.select("""
        SELECT ?bid ?p ?role WHERE {
          ?b a kg:Benchmark ; dcterms:identifier ?bid .
          { ?paper kg:uses ?b BIND ("uses" AS ?role) } UNION { ?paper kg:proposes ?b BIND ("proposes" AS ?role) }
          ?paper dcterms:identifier ?p }""")
    sparql: dict[str, set] = {}
    for r in rows:
        sparql.setdefault(r["bid"], set()).add((r["p"], r["role"]))
    benchmarks = [n for n, t in G.nodes(data="type") if t == "benchmark"]
    assert len(benchmarks) >= 20
    for b in benchmarks:
        assert sparql.get(b, set()) == {(p["id"], p["role"]) for p in papers(G, b)}, b
    top = max(benchmarks, key=lambda b: len(sparql.get(b, ())))
    rows = store.select(f"""
        SELECT ?title WHERE {{ ?b a kg:Benchmark ; schema:name {json.dumps(G.nodes[top]["name"])} .
          ?paper kg:uses ?b ; schema:name ?title }}""")
    expected = sorted(p["title"] for p in papers(G, top, role="uses"))
    assert sorted(r["title"] for r in rows) == expected and len(expected) >= 3


def test_cooccurring_methods_match_query_api(loaded):
    from kg.query import cooccurring

    store, G = loaded
    rows = store.select("""
        SELECT ?m ?o (COUNT(DISTINCT ?paper) AS ?n) WHERE {
          ?x a kg:Method ; dcterms:identifier ?m . ?y a kg:Method ; dcterms:identifier ?o .
          ?paper kg:proposes|kg:uses ?x . ?paper kg:proposes|kg:uses ?y . FILTER (?x != ?y) }
        GROUP BY ?m ?o""")
    sparql: dict[str, set] = {}
    for r in rows:
        sparql.setdefault(r["m"], set()).add((r["o"], int(r["n"])))
    methods = [n for n, t in G.nodes(data="type") if t == "method"]
    checked = 0
    for m in methods:
        expected = {(c["id"], c["count"]) for c in cooccurring(G, m)}
        assert sparql.get(m, set()) == expected, m
        checked += bool(expected)
    assert checked >= 50


def test_drop_graph_of_a_listing_leaves_no_orphans(loaded):
    """The N-Quads export in the same server (named graphs beside the default graph): after
    ``DROP GRAPH`` of the biggest listing, no author, entity, venue, entry or mention is left
    that no paper refers to, and the papers left are those another listing also has."""
    from .test_rdf_graphs import ORPHANS

    store, G = loaded
    quads = rdf.serialize(G, "nquads").encode("utf-8")
    assert store.post("/store", quads, "application/n-quads") in (200, 201, 204)
    try:
        source = max(G.graph["sources"], key=lambda s: sum(s in d.get("sources", ()) for _, d in G.nodes(data=True)))
        graph = rdf.terms.named_iri("https://example.org/kg/", "source", source)
        assert store.select(ORPHANS) == []
        assert store.post("/update", f"DROP GRAPH <{graph}>".encode(), "application/sparql-update") in (200, 204)
        assert store.select(ORPHANS) == []
        rows = store.select("SELECT DISTINCT ?i WHERE { GRAPH ?g { ?p a schema:ScholarlyArticle ; dcterms:identifier ?i } }")
        expected = {n for n, d in G.nodes(data=True) if d["type"] == "paper" and set(d["sources"]) - {source}}
        assert {r["i"] for r in rows} == expected and len(expected) < kg.summary(G)["papers"]
    finally:
        store.post("/update", b"DROP NAMED", "application/sparql-update")
