"""Issue 16: a vocabulary a triple-store user can keep (permanent kg IRI, public classes,
identifier IRIs, VoID/DCAT), the details of point 5 (base, positions, url, venue, confidence)
and shapes that catch real breakage (closed shapes, dates, mention completeness, no kg data)."""
from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.cli import main
from kg.export import rdf
from kg.export.rdf.validation import validate
from kg.export.vocab import KG_NS
from kg.graph import build, to_json

from .test_rdf import nasty_graph

OPENALEX = Path(__file__).resolve().parent / "data" / "formats" / "openalex-work-W2741809807.json"
SDO = "http://schema.org/"


@pytest.fixture(scope="module")
def oa_graph():
    """A real OpenAlex work: DOI, PMID, OpenAlex id on the paper, ORCID iDs on the authors."""
    return build([str(OPENALEX)], extract=False)


def test_permanent_vocabulary_iri_and_public_classes():
    assert KG_NS == "https://w3id.org/kg-papers/ontology#"
    nt = rdf.serialize(nasty_graph(), "ntriples")
    assert "example.org/kg/ontology" not in nt
    assert f"<https://example.org/kg/method/adam> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SDO}DefinedTerm> ." in nt
    assert f"<https://example.org/kg/method/adam> <{SDO}inDefinedTermSet> <https://example.org/kg/methods> ." in nt
    assert f"<https://example.org/kg/benchmark/imagenet> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SDO}Dataset> ." in nt
    # the extractor is one stable IRI; its version is a literal
    assert f"<{KG_NS}Mention>" in nt and "<https://example.org/kg/extractor> <http://schema.org/softwareVersion> \"kg-extract 0.1 (rules)\" ." in nt
    assert "/extractor/" not in nt


def test_identifier_iris_and_round_trip(oa_graph, tmp_path):
    nt = rdf.serialize(oa_graph, "ntriples")
    paper = next(n for n, d in oa_graph.nodes(data=True) if d["type"] == "paper")
    p_iri = f"<{rdf.node_iri(paper)}>"
    for iri in ("https://doi.org/10.7717/peerj.4375", "https://openalex.org/W2741809807",
                "https://pubmed.ncbi.nlm.nih.gov/29456894"):
        assert f"{p_iri} <{SDO}sameAs> <{iri}> ." in nt
    assert f'{p_iri} <{SDO}identifier> "doi:10.7717/peerj.4375" .' in nt
    assert (f"<https://example.org/kg/author/heather-piwowar> <{SDO}sameAs> "
            "<https://orcid.org/0000-0003-1613-5981> .") in nt
    assert f'{p_iri} <{SDO}url> <https://doi.org/10.7717/peerj.4375> .' in nt  # an IRI now
    # the venue is a node with a name
    assert f"{p_iri} <{SDO}isPartOf> <https://example.org/kg/venue/PeerJ> ." in nt
    assert f'<https://example.org/kg/venue/PeerJ> <{SDO}name> "PeerJ" .' in nt
    for suffix in (".nt", ".ttl", ".jsonld", ".nq"):
        p = tmp_path / f"g{suffix}"
        rdf.write_rdf(oa_graph, p)
        assert to_json(rdf.load_rdf(p)) == to_json(oa_graph), suffix
        assert validate(p) == (True, "")


def test_void_description_and_deterministic_creation_time(oa_graph, monkeypatch):
    nt = rdf.serialize(oa_graph, "ntriples")
    assert "<https://example.org/kg/graph> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://rdfs.org/ns/void#Dataset> ." in nt
    n = oa_graph.number_of_nodes()
    assert f'<https://example.org/kg/graph> <http://rdfs.org/ns/void#entities> "{n}"^^<http://www.w3.org/2001/XMLSchema#integer> .' in nt
    assert "dcterms" not in nt and "/terms/created>" not in nt  # no time unless asked for
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    nt2 = rdf.serialize(oa_graph, "ntriples")
    assert ('<https://example.org/kg/graph> <http://purl.org/dc/terms/created> '
            '"2023-11-14T22:13:20Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .') in nt2
    assert nt2 == rdf.serialize(oa_graph, "ntriples")


def test_warnings_and_problems_are_not_exported(oa_graph):
    G = oa_graph.copy()
    G.graph["warnings"] = ["same title, two papers"]
    G.graph["problems"] = ["x.csv:3: no title"]
    assert rdf.serialize(G, "ntriples") == rdf.serialize(oa_graph, "ntriples")


def test_positions_are_1_based_and_confidence_canonical_decimal():
    nt = rdf.serialize(nasty_graph(), "ntriples")
    assert (f'<https://example.org/kg/paper/other-paper/author/1> <{KG_NS}position> '
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .') in nt
    assert '"0.00001"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nt
    assert '"1.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nt
    assert "#double>" not in nt


def test_unsafe_urls_stay_literals(oa_graph):
    G = oa_graph.copy()
    paper = next(n for n, d in G.nodes(data=True) if d["type"] == "paper")
    for url in ("javascript:alert(1)", "http://x.org/a b", "ftp://x.org/f", "http://x.org/%zz"):
        G.nodes[paper]["url"] = url
        nt = rdf.serialize(G, "ntriples")
        assert f'<{SDO}url> "{url}" .' in nt
        assert f"<{url}>" not in nt


def test_base_with_bad_percent_escape_refused(tmp_path, capsys):
    with pytest.raises(rdf.ParameterError, match="percent escape"):
        rdf.check_base("https://ex.org/%zz/")
    assert rdf.check_base("https://ex.org/a%20b/") == "https://ex.org/a%20b/"
    g = tmp_path / "graph.json"
    kg.save(nasty_graph(), g)
    assert main(["export", "rdf", "--graph", str(g), "--base", "https://ex.org/%zz/"]) == 2
    assert "invalid --base 'https://ex.org/%zz/'" in capsys.readouterr().err


def _edit(path: Path, out: Path, fn) -> Path:
    out.write_text("".join(fn(path.read_text(encoding="utf-8").splitlines(keepends=True))), encoding="utf-8")
    return out


@pytest.fixture()
def nasty_nt(tmp_path):
    p = tmp_path / "g.nt"
    G = nasty_graph()
    rdf.write_rdf(G, p)
    return p


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_shapes_catch_typo_bad_date_missing_mentions_and_foreign_files(engine, nasty_nt, tmp_path):
    assert validate(nasty_nt, engine)[0]
    typo = _edit(nasty_nt, tmp_path / "typo.nt",
                 lambda ls: [ln.replace(f"<{SDO}name>", f"<{SDO}nmae>", 1) if "/paper/other-paper> <" in ln
                             and f"<{SDO}name>" in ln else ln for ln in ls])
    ok, text = validate(typo, engine)
    assert not ok and "nmae" in text
    date = _edit(nasty_nt, tmp_path / "date.nt",
                 lambda ls: [ln.replace('"2023"^^<http://www.w3.org/2001/XMLSchema#gYear>', '"last year"')
                             for ln in ls])
    ok, text = validate(date, engine)
    assert not ok and "datePublished" in text
    no_mentions = _edit(nasty_nt, tmp_path / "nomention.nt",
                        lambda ls: [ln for ln in ls if "/mention/" not in ln.split(" ", 1)[0]])
    ok, text = validate(no_mentions, engine)
    assert not ok and "kg:Mention" in text
    foaf = tmp_path / "foaf.ttl"
    foaf.write_text('@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n<urn:me> a foaf:Person ; foaf:name "Me" .\n')
    ok, text = validate(foaf, engine)
    assert not ok and text.startswith("no kg data")


def test_cli_validate_names_first_violations_and_load_warns_of_missing_evidence(nasty_nt, tmp_path, capsys):
    no_mentions = _edit(nasty_nt, tmp_path / "nomention.nt",
                        lambda ls: [ln for ln in ls if "/mention/" not in ln.split(" ", 1)[0]])
    assert main(["validate", str(no_mentions)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("paper <https://example.org/kg/paper/") and "without its kg:Mention" in out[0]
    assert main(["load", str(no_mentions)]) == 0
    err = capsys.readouterr().err
    assert "3 kg:proposes / kg:uses triples have no kg:Mention" in err


@pytest.mark.parametrize("suffix", [".nt", ".ttl", ".jsonld", ".nq"])
def test_schema_https_flag_for_rdflib_sdo_users(suffix, oa_graph, tmp_path):
    """``--schema-https``: rdflib 7's ``SDO`` namespace finds the papers; kg load reads it back."""
    import rdflib
    from rdflib.namespace import SDO as RDFLIB_SDO

    g = tmp_path / "graph.json"
    kg.save(oa_graph, g)
    out = tmp_path / f"g{suffix}"
    assert main(["export", "rdf", "--graph", str(g), "--out", str(out), "--schema-https"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "http://schema.org/" not in text
    if suffix != ".nq":
        r = rdflib.Graph().parse(out, format={".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld"}[suffix])
        assert len(set(r.subjects(rdflib.RDF.type, RDFLIB_SDO.ScholarlyArticle))) == 1
    assert to_json(rdf.load_rdf(out)) == to_json(oa_graph)
    assert main(["validate", str(out)]) == 0  # the shapes, with https schema.org terms


HTTPS = "https://schema.org/"


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_shapes_check_schema_https_exports_too(engine, tmp_path):
    """The shapes under ``https://schema.org/``: a ``--schema-https`` export of the nasty graph
    conforms; a typo, a second title, a missing title and an ``http`` term mixed in do not."""
    p = tmp_path / "g.nt"
    rdf.write_rdf(nasty_graph(), p, schema_https=True)
    assert validate(p, engine) == (True, "" if engine == "oxigraph" else validate(p, engine)[1])
    paper = "<https://example.org/kg/paper/other-paper>"

    def edited(name, fn):
        return _edit(p, tmp_path / name, lambda ls: [y for ln in ls for y in fn(ln)])

    typo = edited("typo.nt", lambda ln: [ln.replace(f"<{HTTPS}name>", f"<{HTTPS}nmae>")
                                         if ln.startswith(paper + f" <{HTTPS}name>") else ln])
    twice = edited("twice.nt", lambda ln: [ln, ln.replace('" .', ' (again)" .')]
                   if ln.startswith(paper + f" <{HTTPS}name>") else [ln])
    gone = edited("gone.nt", lambda ln: [] if ln.startswith(paper + f" <{HTTPS}name>") else [ln])
    mixed = edited("mixed.nt", lambda ln: [ln.replace(f"<{HTTPS}abstract>", "<http://schema.org/abstract>")])
    if engine == "oxigraph":
        assert validate(typo) == (False, f"paper {paper}: closed <{HTTPS}nmae>\n"
                                         f"paper {paper}: schema:name: fewer than 1")
        assert validate(twice) == (False, f"paper {paper}: schema:name: more than 1")
        assert validate(gone) == (False, f"paper {paper}: schema:name: fewer than 1")
        ok, text = validate(mixed)
        assert not ok and text.splitlines()[0].endswith(": closed <http://schema.org/abstract>")
    else:
        for f, hint in ((typo, "nmae"), (twice, "MaxCount"), (gone, "MinCount"), (mixed, "abstract")):
            ok, text = validate(f, engine)
            assert not ok and hint in text, f.name


def test_license_of_the_export(oa_graph, tmp_path, capsys):
    """``kg export rdf --license IRI``: ``dcterms:license`` of ``<base>graph`` (VoID / DCAT),
    allowed by the closed shapes, read back by kg load; anything but an http(s) IRI is refused."""
    g = tmp_path / "graph.json"
    kg.save(oa_graph, g)
    cc = "https://creativecommons.org/licenses/by/4.0/"
    out = tmp_path / "g.nt"
    assert main(["export", "rdf", "--graph", str(g), "--out", str(out), "--license", cc]) == 0
    assert f"<https://example.org/kg/graph> <http://purl.org/dc/terms/license> <{cc}> .\n" in out.read_text()
    assert validate(out)[0] and validate(out, "pyshacl")[0]
    assert rdf.load_rdf(out).graph["license"] == cc
    assert "license" not in kg.load(g).graph  # the graph file is not changed
    for bad in ("CC-BY", "javascript:alert(1)"):
        assert main(["export", "rdf", "--graph", str(g), "--out", str(out), "--license", bad]) == 2
        assert f"invalid --license {bad!r}" in capsys.readouterr().err
    twice = tmp_path / "twice.nt"
    twice.write_text(out.read_text() + f"<https://example.org/kg/graph> <http://purl.org/dc/terms/license> "
                     "<https://example.org/other-licence> .\n")
    assert validate(twice) == (False, "knowledge graph <https://example.org/kg/graph>: dcterms:license: more than 1")
