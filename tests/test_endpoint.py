"""``kg query … --endpoint URL``: every question asked of a live Oxigraph server holding the seed
export gives the rows ``kg query`` gives on graph.json, or says (one line, exit 2) that it needs
the graph."""
from __future__ import annotations

import json
import random
import re
import urllib.request
from pathlib import Path

import pytest

import kg
from kg import query as q
from kg.cli import main, make_parser
from kg.endpoint import Endpoint, central, cooccurring, local_graph, path_graph, top_entities

from .conftest import start_oxigraph, stop_server
from .test_rdf_virtuoso import virtuoso  # noqa: F401  (the Virtuoso server fixture)

ROOT = Path(__file__).resolve().parents[1]
NEEDS_GRAPH = {"community", "communities"}  # and central --measure pagerank / betweenness


@pytest.fixture(scope="module")
def served(seed_graph, tmp_path_factory):
    """(SPARQL endpoint URL, graph.json path, graph): the seed graph saved, its N-Triples
    export PUT into the default graph of a private ``oxigraph serve``."""
    from kg.export import rdf

    folder = tmp_path_factory.mktemp("endpoint")
    kg.save(seed_graph, folder / "graph.json")
    rdf.write_rdf(seed_graph, folder / "graph.nt")
    proc, url = start_oxigraph(folder / "oxigraph")
    try:
        req = urllib.request.Request(f"{url}/store?default", data=(folder / "graph.nt").read_bytes(), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        with urllib.request.urlopen(req, timeout=60) as r:
            assert r.status in (200, 201, 204)
        yield f"{url}/query", folder / "graph.json", seed_graph
    finally:
        stop_server(proc)


#: one or more command lines per question; together they cover every ``kg query`` sub-command
QUESTIONS = [
    ["coauthors", "xue liu"], ["coauthors", "Liu, Xue", "--top", "3"],
    ["path", "Xue Liu", "Craig Boutilier"], ["path", "Xue Liu", "Xue Liu"],
    ["neighbours", "Xue Liu"], ["neighbourhood", "Craig Boutilier", "-k", "3"], ["neighbors", "xue-liu", "-k", "0"],
    ["central"], ["central", "--measure", "degree", "--top", "0"],
    ["author", "Xue Liu"], ["profile", "Craig Boutilier"],
    ["papers", "llama2"], ["papers", "EDT"], ["papers", "CIFAR-10", "--role", "uses"],
    ["papers", "transformer", "--like"], ["papers", "diffusion", "--like", "--role", "proposes"],
    ["benchmarks", "DDIM"], ["methods", "CIFAR-10"], ["methods", "ImageNet", "--top", "2"],
    ["cooccur", "DDIM", "--top", "5"], ["cooccur", "CIFAR-10", "--top", "0"],
    ["top"], ["top", "benchmark", "--top", "5"], ["top", "method", "--role", "proposes", "--top", "0"],
    ["similar", "Think Before You Act"], ["similar", "Think Before You Act", "--score", "adamic-adar", "--top", "0"],
    ["experts", "Decision Transformer"], ["experts", "CIFAR-10", "--top", "0"],
    ["find", "llama2"], ["find", "Xue Liu", "--type", "author"], ["find", "paper:think before you act"],
]


def _run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_every_question_covered():
    """QUESTIONS and NEEDS_GRAPH name every sub-command of ``kg query`` (and its aliases)."""
    sub = next(a for a in make_parser(["query"])._subparsers._group_actions if "query" in a.choices)
    questions = next(a for a in sub.choices["query"]._subparsers._group_actions).choices
    assert set(questions) == {argv[0] for argv in QUESTIONS} | NEEDS_GRAPH


@pytest.mark.parametrize("argv", QUESTIONS, ids=" ".join)
def test_endpoint_gives_the_in_memory_rows(served, capsys, argv):
    url, graph_json, _ = served
    code, out, err = _run(capsys, ["query", *argv, "--json", "--endpoint", url])
    want_code, want, want_err = _run(capsys, ["query", *argv, "--json", "--graph", str(graph_json), "--no-store"])
    assert (code, err) == (want_code, want_err) == (0, "")
    assert json.loads(out) == json.loads(want)
    assert json.loads(want) or argv[-1] in ("Xue Liu", "0")  # an answer, but from a path to oneself, 0 hops
    # the tables too
    code, out, _ = _run(capsys, ["query", *argv, "--endpoint", url])
    assert out == _run(capsys, ["query", *argv, "--graph", str(graph_json), "--no-store"])[1]


@pytest.mark.parametrize("argv", [["communities"], ["community", "Xue Liu"], ["central", "--measure", "pagerank"],
                                  ["central", "--measure", "betweenness"]], ids=" ".join)
def test_questions_needing_the_graph_say_so(served, capsys, argv):
    code, out, err = _run(capsys, ["query", *argv, "--endpoint", served[0]])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "needs the whole" in err and "--graph" in err, err


@pytest.mark.parametrize("argv", [["coauthors", "Xue Lu"], ["papers", "transformr", "--like"],
                                  ["find", "diffusion", "--type", "paper"], ["path", "Xue Liu", "Nobody Here"]],
                         ids=" ".join)
def test_unknown_and_ambiguous_names_same_message(served, capsys, argv):
    url, graph_json, _ = served
    got = _run(capsys, ["query", *argv, "--endpoint", url])
    want = _run(capsys, ["query", *argv, "--graph", str(graph_json), "--no-store"])
    assert got == want and got[0] == 2 and got[2].count("\n") == 1


def test_unreachable_endpoint_is_one_line(capsys):
    code, out, err = _run(capsys, ["query", "coauthors", "Xue Liu", "--endpoint", "http://127.0.0.1:9/query"])
    assert code == 2 and out == "" and err.startswith("kg: error: cannot reach the SPARQL endpoint") and err.count("\n") == 1
    code, _, err = _run(capsys, ["query", "top", "--endpoint", "no-such-folder"])
    assert code == 2 and "--endpoint 'no-such-folder'" in err


def _store_folder(export, folder):
    """*export* (N-Triples or N-Quads, by suffix) bulk-loaded into a pyoxigraph store folder,
    closed, and opened as an endpoint."""
    import pyoxigraph

    fmt = pyoxigraph.RdfFormat.N_QUADS if export.suffix == ".nq" else pyoxigraph.RdfFormat.N_TRIPLES
    store = pyoxigraph.Store(str(folder))
    store.bulk_load(path=str(export), format=fmt)
    store.flush()
    del store
    return Endpoint(str(folder))


def test_pyoxigraph_store_folder_another_base_years_venues(seed_graph, tmp_path):
    """A local store folder works as --endpoint; nodes are found by dcterms:identifier, not by
    IRI, so an export with another --base gives the same answers; and years and venues (the
    seeds have none: here every paper but every seventh gets one) order and group the same."""
    import networkx as nx

    from kg.export import rdf

    G = nx.DiGraph(seed_graph)
    for i, p in enumerate(sorted(n for n, t in G.nodes(data="type") if t == "paper")):
        if i % 7:
            G.nodes[p].update(year=2018 + i % 6, venue=("NeurIPS", "ICML", "ICLR", "TMLR")[i % 4])
    rdf.write_rdf(G, tmp_path / "g.nt", base="https://data.example.com/kg/")
    ep = _store_folder(tmp_path / "g.nt", tmp_path / "db")
    H = local_graph(ep, [("Xue Liu", "author")])
    assert q.coauthors(H, "Xue Liu") == q.coauthors(G, "Xue Liu")
    assert q.author_profile(H, "Xue Liu") == q.author_profile(G, "Xue Liu")
    H = local_graph(ep, [("CIFAR-10", ("method", "benchmark"))])
    assert q.papers(H, "CIFAR-10") == q.papers(G, "CIFAR-10")
    for kind in ("method", "benchmark"):
        for by in ("year", "venue"):
            want = q.top_entities(G, kind, top=3, by=by)
            assert len(want) >= 4 and top_entities(ep, kind, top=3, by=by) == want


def test_store_folder_of_the_nquads_export(seed_graph, tmp_path):
    """An N-Quads export (papers in one named graph per source listing, a paper of several
    listings in several) loaded into a store folder: its union gives the same answers."""

    from kg.export import rdf

    rdf.write_rdf(seed_graph, tmp_path / "g.nq", fmt="nquads")
    ep = _store_folder(tmp_path / "g.nq", tmp_path / "db")
    G = seed_graph
    assert q.author_profile(local_graph(ep, [("Xue Liu", "author")]), "Xue Liu") == q.author_profile(G, "Xue Liu")
    assert top_entities(ep, "method", top=0) == q.top_entities(G, "method", top=0)
    assert cooccurring(ep, "CIFAR-10") == q.cooccurring(G, "CIFAR-10")
    assert central(ep, top=0) == q.central(G, top=0)


def test_vocabulary_terms_are_the_exports(served):
    """Every kg: and schema: term the endpoint queries is one the export writes (the ontology
    declares the kg: ones)."""
    from kg.export.rdf.tables import VOCABULARY
    from kg.export.vocab import KG

    text = "".join(p.read_text() for p in (ROOT / "kg" / "endpoint").glob("*.py"))
    kg_terms = set(re.findall(r"\bkg:([A-Za-z0-9]+)", text))
    schema_terms = set(re.findall(r"\bschema:([A-Za-z0-9]+)", text))
    assert kg_terms >= {"authorship", "author", "position", "proposes", "uses", "key", "Method", "Benchmark"}
    assert kg_terms <= set(KG.__annotations__)
    ontology = (ROOT / "kg" / "ontology.ttl").read_text()
    assert all(re.search(rf"\bkg:{t}\b", ontology) for t in kg_terms)
    assert {f"http://schema.org/{t}" for t in schema_terms} <= set(VOCABULARY)


@pytest.mark.slow
def test_every_node_same_rows(served):
    """Library level, every author, method, benchmark and paper of the seeds, 150 random author
    pairs for paths, and every variant of top."""
    url, _, G = served
    ep = Endpoint(url)
    nodes = {t: sorted(n for n, d in G.nodes(data="type") if d == t) for t in ("author", "method", "benchmark", "paper")}
    for a in nodes["author"]:
        H = local_graph(ep, [(a, "author")], hops=2)
        assert q.coauthors(H, a) == q.coauthors(G, a)
        assert q.author_profile(H, a) == q.author_profile(G, a)
        assert q.neighbourhood(H, a, 2) == q.neighbourhood(G, a, 2)
    for e in nodes["method"] + nodes["benchmark"]:
        H = local_graph(ep, [(e, ("method", "benchmark"))])
        assert q.papers(H, e) == q.papers(G, e)
        assert q.experts(H, e, top=0) == q.experts(G, e, top=0)
        assert q.evaluated_on(H, e) == q.evaluated_on(G, e) if e.startswith("method:") else \
            q.methods_on(H, e) == q.methods_on(G, e)
        assert cooccurring(ep, e) == q.cooccurring(G, e)
    for p in nodes["paper"]:
        H = local_graph(ep, [(p, "paper")], hops=2, follow=("author", "method", "benchmark"))
        for score in ("jaccard", "adamic-adar"):
            assert q.similar_papers(H, p, top=0, score=score) == q.similar_papers(G, p, top=0, score=score)
    rnd = random.Random(0)
    for _ in range(150):
        a, b = rnd.choice(nodes["author"]), rnd.choice(nodes["author"])
        assert q.collaboration_path(path_graph(ep, a, b), a, b) == q.collaboration_path(G, a, b)
    for kind in ("method", "benchmark"):
        for by in (None, "year", "venue"):
            for role in (None, "proposes", "uses"):
                assert top_entities(ep, kind, top=0, by=by, role=role) == q.top_entities(G, kind, top=0, by=by, role=role)
    assert central(ep, "degree", top=0) == q.central(G, "degree", top=0)


@pytest.mark.slow
def test_names_resolve_as_find_node(served):
    """Names in several spellings (case, hyphens, word order, fragments) resolve to the node
    find_node gives on the whole graph, or fail with the same message (but for which of the
    names tied at the fifth place is suggested: in memory that depends on the order the papers
    were added in, which the RDF export does not keep)."""
    url, _, G = served
    ep = Endpoint(url)
    names = []
    for n, d in sorted(G.nodes(data=True))[::15]:
        nm = d.get("name") or d.get("title")
        names += [nm, nm.lower(), nm.upper().replace(" ", "-"), " ".join(reversed(nm.split())), nm[:12]]
    for nm in names:
        try:
            want = q.find_node(G, nm)
        except q.KGError as exc:
            want = str(exc)
        try:
            got = q.find_node(local_graph(ep, [(nm, None)], hops=0), nm)
        except q.KGError as exc:
            got = str(exc)
        if got != want and "; closest matches: " in want:
            got, want = (re.sub(r"; closest matches: .*", "", x) + str(x.count(";")) for x in (got, want))
        assert got == want, nm



@pytest.fixture(scope="module")
def virtuoso_endpoint(virtuoso, seed_graph):  # noqa: F811  (the imported fixture)
    """The seed export bulk-loaded into a graph of a private Virtuoso 7 (the fixture of
    test_rdf_virtuoso.py: skipped when Virtuoso is not installed), as an endpoint URL that
    names that graph as the default graph."""
    from kg.export import rdf

    rdf.write_rdf(seed_graph, virtuoso.folder / "seeds.nt")
    virtuoso.isql(f"DB.DBA.TTLP_MT(file_to_string_output('{virtuoso.folder / 'seeds.nt'}'), '', 'urn:kg:seeds');\n")
    return f"http://127.0.0.1:{virtuoso.http}/sparql?default-graph-uri=urn:kg:seeds"


@pytest.mark.slow
def test_virtuoso_gives_the_in_memory_rows(virtuoso_endpoint, served, capsys):
    """The same questions against Virtuoso (another SPARQL engine, another regex dialect)."""
    graph_json = served[1]
    for argv in QUESTIONS:
        code, out, err = _run(capsys, ["query", *argv, "--json", "--endpoint", virtuoso_endpoint])
        want = _run(capsys, ["query", *argv, "--json", "--graph", str(graph_json), "--no-store"])
        assert (code, err) == (0, "") and json.loads(out) == json.loads(want[1]), argv
