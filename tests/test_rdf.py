"""RDF export: round trips, determinism, escaping, shapes, ontology and the CLI commands."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

import kg
from kg.cli import main
from kg.export import rdf
from kg.export.vocab import KG, KG_NS
from kg.graph import add_records, new_graph, to_json
from kg.model import Record

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
EXT = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "nquads": ".nq"}
NASTY = 'He said "hi" \\ back\\slash\nnew line\r\ttab <b>&amp; é ß 中文 🎉👩‍🔬 \x01\x7f end\\'


def nasty_graph():
    """A small graph with every kind of node, edge and attribute, and nasty strings."""
    G = new_graph()
    add_records(G, [
        Record(NASTY, ["Ann Lee", "Bo Ek", "ann  lee", "Zoë Ünal"], NASTY + " abstract", "a.txt",
               2023, "ICML \"23\"", "http://x.org/a b?c=<d>", "10.1/x\"y", "2301.00001"),
        Record("Other paper", ["Bo Ek"], None, "b b.txt"),
        Record("Other paper", [], "longer abstract", "a.txt"),
        Record("Third", [], None, ""),
    ])
    G.add_node("method:adam", type="method", label="Adam", name="Adam", key="adam", aliases=["ADAM", "adam 🎉"])
    G.add_node("benchmark:imagenet", type="benchmark", label="ImageNet", name="ImageNet",
               key="imagenet", aliases=[])
    G.add_edge("paper:other-paper", "method:adam", type="uses", surface="adam", aliases=[],
               evidence=NASTY, start=0, end=10, confidence=0.9)
    G.add_edge("paper:other-paper", "benchmark:imagenet", type="proposes", surface="ImageNet",
               aliases=["IN"], evidence="x", start=3, end=12, confidence=1e-05)
    pid = next(n for n, d in G.nodes(data=True) if d.get("title") == NASTY)
    G.add_edge(pid, "method:adam", type="proposes", surface="Adam", aliases=["A", "B"],
               evidence="e", start=1, end=2, confidence=1.0)
    G.graph["extractor_version"] = "kg-extract 0.1 (rules)"
    return G


def odd_graph():
    """Attributes and values the vocabulary has no term for: they must survive too."""
    G = nasty_graph()
    G.graph["note"] = {"x": [1, 2]}
    G.add_node("thing:1", type="thing", label="a thing", weight=2.5)
    G.add_node("method:x", type="method", name="X", key="x", aliases=["b", "a"], year=None)
    G.add_edge("thing:1", "method:x", type="related", w=1)
    G.nodes["author:bo-ek"]["papers"] = 2
    G.edges["paper:other-paper", "method:adam"]["extra"] = [1, "two"]
    G.edges["paper:other-paper", "author:bo-ek"]["weight"] = 0.5
    return G


def roundtrip(G, fmt, tmp_path, base=rdf.DEFAULT_BASE if hasattr(rdf, "DEFAULT_BASE") else None):
    p = tmp_path / f"g{EXT[fmt]}"
    rdf.write_rdf(G, p, fmt, **({"base": base} if base else {}))
    return rdf.load_rdf(p), p


@pytest.mark.parametrize("fmt", list(EXT))
def test_round_trip_exact(fmt, tmp_path):
    G = nasty_graph()
    H, _ = roundtrip(G, fmt, tmp_path)
    assert to_json(H) == to_json(G)
    assert H.nodes[next(n for n, d in G.nodes(data=True) if d.get("title") == NASTY)]["title"] == NASTY


@pytest.mark.parametrize("fmt", list(EXT))
def test_round_trip_unusual_attributes(fmt, tmp_path):
    G = odd_graph()
    H, _ = roundtrip(G, fmt, tmp_path, base="urn:kg:test:")
    assert to_json(H) == to_json(G)


def test_round_trip_through_kg_load(tmp_path):
    G = nasty_graph()
    for fmt in ("turtle", "ntriples", "jsonld"):
        p = tmp_path / f"g{EXT[fmt]}"
        rdf.write_rdf(G, p)  # format from the suffix
        assert to_json(kg.load(p)) == to_json(G)


@pytest.mark.parametrize("fmt", list(EXT))
def test_other_parsers_read_the_export(fmt, tmp_path):
    """rdflib parses every format to the same triples as pyoxigraph (here: as N-Triples)."""
    G = nasty_graph()
    p = tmp_path / f"g{EXT[fmt]}"
    rdf.write_rdf(G, p)
    ref = tmp_path / "ref.nt"
    rdf.write_rdf(G, ref)
    expected = rdflib.Graph().parse(ref, format="nt")
    if fmt == "nquads":
        ds = rdflib.Dataset()
        ds.parse(p, format="nquads")
        got = rdflib.Graph()
        for s, pr, o, _ in ds.quads():
            got.add((s, pr, o))
    else:
        got = rdflib.Graph().parse(p, format={"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt])
    assert len(got) == len(expected) == rdf.count_triples(G)
    assert set(got) == set(expected)
    titles = {str(o) for o in got.objects(None, rdflib.URIRef("http://schema.org/name"))}
    assert NASTY in titles


def test_deterministic_bytes_and_insertion_order(tmp_path):
    G = nasty_graph()
    H = new_graph()  # the same graph, nodes and edges inserted in reverse order
    H.graph.update(G.graph)
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(data=True))))
    for fmt in EXT:
        a = rdf.serialize(G, fmt)
        assert a == rdf.serialize(G, fmt) == rdf.serialize(H, fmt)
        p = tmp_path / f"x{EXT[fmt]}"
        rdf.write_rdf(G, p)
        assert p.read_text(encoding="utf-8") == a


def test_iris_stable_and_under_base():
    G = nasty_graph()
    nt = rdf.serialize(G, "ntriples", base="http://data.example.com/kg#")
    subjects = {line.split(" ", 1)[0] for line in nt.splitlines()}
    assert all(s.startswith("<http://data.example.com/kg#") for s in subjects)
    assert "<http://data.example.com/kg#paper/other-paper>" in subjects
    assert "<http://data.example.com/kg#paper/other-paper/author/1>" in subjects  # 1-based
    assert "<http://data.example.com/kg#author/zo%C3%AB-%C3%BCnal>" in subjects


def test_ntriples_escaping_is_line_safe():
    nt = rdf.serialize(nasty_graph(), "ntriples")
    for line in nt.splitlines():
        assert line.endswith(" ."), line
    assert '"He said \\"hi\\" \\\\ back\\\\slash\\nnew line\\r\\ttab <b>&amp; é ß 中文 🎉👩‍🔬 \\u0001\\u007F end\\\\"' in nt


def test_author_order_and_direct_author_links():
    G = nasty_graph()
    g = rdflib.Graph().parse(data=rdf.serialize(G, "turtle"), format="turtle")
    q = """PREFIX kg: <%s> PREFIX schema: <http://schema.org/>
    SELECT ?pos ?listed ?name WHERE { ?p schema:name ?t ; kg:authorship ?e .
      ?e kg:position ?pos ; kg:nameAsListed ?listed . OPTIONAL { ?e kg:author/schema:name ?name }
    } ORDER BY ?pos""" % KG_NS
    rows = [(int(r.pos), str(r.listed), r.name and str(r.name))
            for r in g.query(q, initBindings={"t": rdflib.Literal(NASTY)})]
    assert rows == [(1, "Ann Lee", "Ann Lee"), (2, "Bo Ek", "Bo Ek"), (3, "ann  lee", None),
                    (4, "Zoë Ünal", "Zoë Ünal")]  # 1-based, as DBLP and Wikidata
    direct = list(g.query("""PREFIX schema: <http://schema.org/>
        SELECT ?n WHERE { ?p schema:name ?t ; schema:author/schema:name ?n }""",
                          initBindings={"t": rdflib.Literal(NASTY)}))
    assert sorted(str(r.n) for r in direct) == ["Ann Lee", "Bo Ek", "Zoë Ünal"]


def test_nquads_named_graph_per_source():
    G = nasty_graph()
    ds = rdflib.Dataset()
    ds.parse(data=rdf.serialize(G, "nquads"), format="nquads")
    names = {str(c.identifier) for c in ds.graphs()}
    base = "https://example.org/kg/source/"
    assert {base + "a.txt", base + "b%20b.txt"} <= names
    g_b = ds.graph(rdflib.URIRef(base + "b%20b.txt"))
    papers = set(g_b.subjects(rdflib.RDF.type, rdflib.URIRef("http://schema.org/ScholarlyArticle")))
    assert papers == {rdflib.URIRef("https://example.org/kg/paper/other-paper")}


def test_shacl_exports_conform_and_violations_are_caught(tmp_path):
    G = nasty_graph()
    for fmt in EXT:
        p = tmp_path / f"g{EXT[fmt]}"
        rdf.write_rdf(G, p)
        ok, text = rdf.validate(p)
        assert ok, text
    bad = tmp_path / "bad.nt"
    lines = (tmp_path / "g.nt").read_text(encoding="utf-8").splitlines()
    lines = [ln.replace('"0.00001"', '"1.5"') for ln in lines  # confidence out of range
             if "<http://schema.org/name>" not in ln or "/paper/other-paper>" not in ln]  # title gone
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok, text = rdf.validate(bad)
    assert not ok
    assert text.splitlines() == [
        "mention <https://example.org/kg/paper/other-paper/mention/benchmark/imagenet>: kg:confidence: "
        "value \"1.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
        "paper <https://example.org/kg/paper/other-paper>: schema:name: fewer than 1"]
    ok, text = rdf.validate(bad, engine="pyshacl")
    assert not ok
    assert "Results (2)" in text and "Path: kg:confidence" in text and "MinCountConstraintComponent" in text


def test_ontology_declares_every_term_with_label_and_comment():
    onto = rdflib.Graph().parse(rdf.ONTOLOGY_PATH, format="turtle")
    declared = {s for s in onto.subjects() if str(s).startswith(KG_NS)}
    names = {str(t) for t in KG.__annotations__}
    assert {str(KG._NS[n]) for n in names} == {str(s) for s in declared}
    for s in declared:
        assert onto.value(s, rdflib.RDFS.label) is not None, s
        assert onto.value(s, rdflib.RDFS.comment) is not None, s
    used = {t for t in rdflib.Graph().parse(data=rdf.serialize(odd_graph(), "ntriples"), format="nt")
            .all_nodes() if str(t).startswith(KG_NS)}
    used |= {p for p in rdflib.Graph().parse(data=rdf.serialize(odd_graph(), "ntriples"), format="nt")
             .predicates() if str(p).startswith(KG_NS)}
    assert used and used <= declared
    sub = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    assert (KG.Benchmark, sub, rdflib.URIRef("http://schema.org/Dataset")) in onto


def test_jsonld_has_context_and_compact_terms():
    doc = json.loads(rdf.serialize(nasty_graph(), "jsonld"))
    assert doc["@context"]["schema"] == "http://schema.org/"
    paper = next(o for o in doc["@graph"] if o.get("schema:name") == NASTY)
    assert paper["@type"] == "schema:ScholarlyArticle"
    assert paper["schema:datePublished"] == {"@value": "2023", "@type": "xsd:gYear"}


@pytest.mark.parametrize("base", ["not an iri", "example.org/kg/", "http://x.org/kg", "http://x y/",
                                  "kg:x/", "http://x.org/<kg>/"])
def test_invalid_base_is_a_clear_error(base, tmp_path, capsys):
    g = tmp_path / "graph.json"
    kg.save(nasty_graph(), g)
    assert main(["export", "rdf", "--graph", str(g), "--base", base]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: invalid --base") and err.count("\n") == 1
    assert not (tmp_path / "graph.ttl").exists()


def test_cli_export_load_validate(tmp_path, capsys):
    g = tmp_path / "graph.json"
    G = nasty_graph()
    kg.save(G, g)
    assert main(["export", "rdf", "--graph", str(g)]) == 0
    assert (tmp_path / "graph.ttl").is_file()  # default: graph.EXT beside the graph
    assert main(["export", "rdf", "--graph", str(g), "--format", "jsonld", "--out",
                 str(tmp_path / "o.jsonld"), "--base", "urn:kg:"]) == 0
    assert main(["export", "rdf", "--graph", str(g), "--out", str(tmp_path / "o.nq")]) == 0
    assert "> <urn:kg:source/" not in (tmp_path / "o.nq").read_text()
    assert main(["validate", str(tmp_path / "o.jsonld")]) == 0
    capsys.readouterr()
    assert main(["load", str(tmp_path / "o.jsonld"), "--out", str(tmp_path / "back.json"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["papers"] == 3 and summary["methods"] == 1
    assert to_json(kg.load(tmp_path / "back.json")) == to_json(G)
    assert main(["export", "rdf", "--graph", str(g), "--out", "-", "--format", "ntriples"]) == 0
    assert capsys.readouterr().out == rdf.serialize(G, "ntriples")
    # user mistakes: one line, exit 2
    assert main(["load", str(tmp_path / "missing.ttl")]) == 2
    (tmp_path / "broken.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b \"unterminated .\n")
    assert main(["validate", str(tmp_path / "broken.ttl")]) == 2
    assert main(["load", str(tmp_path / "broken.ttl")]) == 2
    err = capsys.readouterr().err
    assert "broken.ttl:2: not valid turtle" in err
    (tmp_path / "other.nt").write_text("<http://x/a> <http://x/b> <http://x/c> .\n")
    assert main(["load", str(tmp_path / "other.nt")]) == 2
    assert "no kg graph found" in capsys.readouterr().err


def test_validate_exit_code_1_on_violation(tmp_path, capsys):
    p = tmp_path / "g.nt"
    rdf.write_rdf(nasty_graph(), p)
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("<http://www.w3.org/2001/XMLSchema#integer>", "<http://www.w3.org/2001/XMLSchema#string>"),
                 encoding="utf-8")
    assert main(["validate", str(p)]) == 1
    assert "kg:position: value" in capsys.readouterr().out


def test_shards(tmp_path, capsys):
    g = tmp_path / "graph.json"
    G = nasty_graph()
    kg.save(G, g)
    total = rdf.count_triples(G)
    assert main(["export", "rdf", "--graph", str(g), "--out", str(tmp_path / "s.nt"), "--shard-size", "40"]) == 0
    shards = sorted(tmp_path.glob("s-*.nt"))
    assert len(shards) == -(-total // 40)
    lines = [ln for s in shards for ln in s.read_text(encoding="utf-8").splitlines()]
    assert "\n".join(lines) + "\n" == rdf.serialize(G, "ntriples")
    assert main(["export", "rdf", "--graph", str(g), "--out", str(tmp_path / "s.nt"), "--shard-size", "1000"]) == 0
    assert sorted(tmp_path.glob("s-*.nt")) == [tmp_path / "s-00001.nt"]  # stale shards removed
    assert main(["export", "rdf", "--graph", str(g), "--format", "turtle", "--out", str(tmp_path / "s.ttl"),
                 "--shard-size", "10"]) == 2


def test_seeds_build_writes_rdf_that_round_trips(tmp_path):
    """``kg build`` (no extraction here, for speed) writes graph.ttl / graph.nt beside graph.json."""
    out = tmp_path / "exports"
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--no-extract", "--out", str(out), "-q"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    G = kg.load(out / "graph.json")
    for name in ("graph.ttl", "graph.nt"):
        assert to_json(kg.load(out / name)) == to_json(G)
    assert rdf.validate(out / "graph.nt")[0]
    assert sum(1 for _ in open(out / "graph.nt", encoding="utf-8")) == rdf.count_triples(G)


def test_library_errors_name_parameters_and_the_cli_its_flags(tmp_path, capsys):
    """The library names its parameters (``base``, ``fmt``, ``shard_size``, ``out``); ``kg
    export rdf`` says ``--base``, ``--shard-size``... for the same mistakes."""
    import io
    G = nasty_graph()
    cases = [({"base": "no iri"}, "invalid base 'no iri'"),
             ({"fmt": "xml"}, "invalid fmt 'xml': choose from turtle, ntriples, jsonld, nquads"),
             ({"fmt": "turtle", "shard_size": 5}, "shard_size works with the ntriples and nquads formats only"),
             ({"fmt": "ntriples", "shard_size": 0}, "shard_size must be at least 1 (got 0)")]
    for kwargs, message in cases:
        with pytest.raises(kg.KGError) as exc:
            rdf.write_rdf(G, tmp_path / "g.nt", **kwargs)
        assert str(exc.value).startswith(message) and "--" not in str(exc.value)
    with pytest.raises(rdf.ParameterError, match="^shard_size needs a file name as out, not a stream$"):
        rdf.write_rdf(G, io.StringIO(), "ntriples", shard_size=2)
    assert not list(tmp_path.iterdir())  # nothing written
    g = tmp_path / "graph.json"
    kg.save(G, g)
    assert main(["export", "rdf", "--graph", str(g), "--format", "turtle", "--shard-size", "3",
                 "--out", str(tmp_path / "s.ttl")]) == 2
    assert capsys.readouterr().err == "kg: error: --shard-size works with the ntriples and nquads formats only\n"


BAD_RDF = {  # RDF a kg export never has: each a one-line error naming the file, exit code 2
    "json.nt": ('<u:g> a kg:KnowledgeGraph ; kg:extraAttributes "{not json" .', "kg:extraAttributes is not JSON"),
    "list.nt": ('<u:g> a kg:KnowledgeGraph ; kg:extraAttributes "[1, 2]" .', "is not a JSON object"),
    "edges.nt": ('<u:g> a kg:KnowledgeGraph ; kg:extraAttributes "{\\"__kg_edges__\\": 5}" .',
                 "__kg_edges__ is not a list"),
    "mention.nt": ('<u:p> a schema:ScholarlyArticle . <u:m> a kg:Mention ; rdf:object <u:p> .',
                   "mention u:m refers to unknown nodes or role"),
    "position.nt": ('<u:p> a schema:ScholarlyArticle ; kg:authorship <u:e> . '
                    '<u:e> kg:position "first" ; kg:nameAsListed "A" .', "<u:e> kg:position is not an integer"),
    "entry.nt": ('<u:p> a schema:ScholarlyArticle ; kg:authorship <u:e> . <u:e> kg:author <u:a> ; '
                 'kg:extraAttributes "{\\"u:a\\": 3}" .', "the value for 'u:a' is not a JSON object"),
}


@pytest.mark.parametrize("name", list(BAD_RDF))
def test_unusual_rdf_is_a_one_line_error(name, tmp_path, capsys):
    ttl, message = BAD_RDF[name]
    from kg.export.vocab import PREFIXES
    g = rdflib.Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    text = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + ttl + "\n"
    path = tmp_path / name
    path.write_text(g.parse(data=text, format="turtle").serialize(format="nt"), encoding="utf-8")
    assert main(["load", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kg: error: {path}: ") and message in err and err.count("\n") == 1, err
    assert main(["export", "rdf", "--graph", str(path), "--out", str(tmp_path / "o.ttl")]) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "o.ttl").exists()


@pytest.mark.parametrize("position", [-1, 1000, 2500])
def test_author_positions_outside_0_999_are_whole_triples(position, tmp_path):
    """The single-module exporter wrote ``<entry> "-1"^^xsd:integer .`` (no predicate) for these."""
    G = new_graph()
    add_records(G, [Record("T", ["Ann"], None, "a.txt")])
    u, v = next(iter(G.edges))
    G.edges[u, v]["position"] = position
    nt = rdf.serialize(G, "ntriples")
    assert f'<{KG_NS}position> "{position + 1}"^^<http://www.w3.org/2001/XMLSchema#integer> .' in nt  # 1-based
    assert len(rdflib.Graph().parse(data=nt, format="nt")) == rdf.count_triples(G) == len(nt.splitlines())
    H, _ = roundtrip(G, "ntriples", tmp_path)
    assert to_json(H) == to_json(G)
