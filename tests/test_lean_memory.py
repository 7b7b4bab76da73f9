"""The lean in-memory graph (issue 15 item 1): what is shared or streamed gives the same graph,
the same files and the same page as before, on the seed build (real data)."""
from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from .conftest import ROOT, SEEDS


def test_loaded_graph_holds_keys_values_and_authorship_attributes_once(seed_graph, tmp_path):
    import kg.graph as g
    from kg.model import AUTHORED
    from kg.persist import SharedAttrs

    path = tmp_path / "graph.json"
    g.save(seed_graph, path)
    G = g.load(path)
    ref = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert list(G.nodes(data=True)) == list(ref.nodes(data=True)) and G.graph == ref.graph
    from kg.model import with_evidence

    assert [(u, v, with_evidence(G.nodes[u], d)) for u, v, d in G.edges(data=True)] == list(ref.edges(data=True))
    assert [list(d) for _, d in G.nodes(data=True)] == [list(d) for _, d in ref.nodes(data=True)]
    buf = io.StringIO()
    g.write_json(G, buf)
    assert buf.getvalue() == path.read_text(encoding="utf-8") == g.to_json(seed_graph)
    keys = {}
    for _, d in G.nodes(data=True):
        for k in d:
            assert keys.setdefault(k, k) is k  # one key string per attribute name
    authorship = [d for *_, d in G.edges(data=True) if d["type"] == AUTHORED]
    assert authorship and all(type(d) is SharedAttrs for d in authorship)
    assert len({id(d) for d in authorship}) == len({(d["type"], d["position"]) for d in authorship})
    mention = next(d for *_, d in G.edges(data=True) if d["type"] != AUTHORED)
    assert type(mention) is dict  # lists inside: not shared, still a plain dict


def test_built_graph_shares_authorship_attributes_and_they_are_read_only(seed_graph):
    from kg.model import AUTHORED
    from kg.persist import SharedAttrs

    u, v, d = next((u, v, d) for u, v, d in seed_graph.edges(data=True) if d["type"] == AUTHORED)
    assert type(d) is SharedAttrs
    with pytest.raises(TypeError, match="copy the graph"):
        seed_graph.edges[u, v]["position"] = 99
    with pytest.raises(TypeError):
        seed_graph.add_edge(u, v, position=99)  # NetworkX updates an existing edge's dict
    H = seed_graph.copy()  # a copy has plain dicts again
    H.edges[u, v]["position"] = 99
    assert seed_graph.edges[u, v]["position"] != 99 and type(H.edges[u, v]) is dict


def test_add_to_a_loaded_graph_equals_a_build(tmp_path):
    """kg add re-links authors (new authorship edges) on a graph whose edges share attributes."""
    import kg
    import kg.graph as g

    files = sorted(str(p) for p in SEEDS.iterdir())
    base = kg.build(files[:3], extract=False)
    g.save(base, tmp_path / "graph.json")
    G = g.load(tmp_path / "graph.json")
    g.add(G, files[3:], extract=False, keep_longer=True)
    assert g.to_json(G) == g.to_json(kg.build(files, extract=False))


def test_float_values_are_shared_apart_from_ints_and_signed_zeros():
    from kg.persist import share_values

    G = nx.DiGraph()
    G.add_node("a", w=1, x=0.5, z=0.0)
    G.add_node("b", w=1.0, x=float("0.5"), z=-0.0)
    share_values(G)
    assert type(G.nodes["b"]["w"]) is float and G.nodes["a"]["x"] is G.nodes["b"]["x"]
    assert json.dumps(G.nodes["b"]["z"]) == "-0.0"


def test_evidence_via_offsets_equals_the_sentence_for_every_mention(seed_graph):
    """The seed build holds every mention's evidence as offsets (AT_OFFSETS); put back, it is
    the text at start:end of title + "\\n" + abstract that the extractor analysed, and the
    sentence the extractor gave (the same results, re-run)."""
    from kg.extract import extract
    from kg.extract.extractor import paper_text
    from kg.model import AT_OFFSETS, PAPER, PROPOSES, USES, with_evidence

    papers = sorted(n for n, t in seed_graph.nodes(data="type") if t == PAPER)
    found = {r["id"]: r for r in extract([{"id": p, "title": seed_graph.nodes[p]["title"],
                                           "abstract": seed_graph.nodes[p].get("abstract")} for p in papers])}
    n = 0
    for p, m, e in seed_graph.edges(data=True):
        if e["type"] not in (PROPOSES, USES):
            continue
        full = with_evidence(seed_graph.nodes[p], e)
        sentences = {x["evidence"] for k in ("methods", "benchmarks") for x in found[p][k]}
        for x, y in zip(e.get("mentions") or (e,), full.get("mentions") or (full,)):
            assert x["evidence"] is AT_OFFSETS, (p, m)
            assert y["evidence"] == paper_text(seed_graph.nodes[p])[x["start"]:x["end"]] and y["evidence"] in sentences
            n += 1
    assert n > 100


def test_evidence_of_a_paper_whose_text_changes_is_kept_as_written(tmp_path):
    """kg add without extraction changes an abstract: the old mention's sentence stays as found."""
    import kg
    import kg.graph as g
    from kg.model import AT_OFFSETS, PROPOSES, USES, with_evidence

    G = kg.build([str(SEEDS / "000_4258901d99358fab.txt")])
    p, m, e = next((p, m, e) for p, m, e in G.edges(data=True) if e["type"] in (PROPOSES, USES))
    before = with_evidence(G.nodes[p], e)["evidence"]
    rows = [{"title": G.nodes[p]["title"], "authors": G.nodes[p]["authors"], "abstract": "Rewritten."}]
    (tmp_path / "new.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    g.add(G, [str(tmp_path / "new.jsonl")], extract=False)
    assert G.nodes[p]["abstract"] == "Rewritten."
    assert G.edges[p, m]["evidence"] == before and G.edges[p, m]["evidence"] is not AT_OFFSETS


def test_streamed_page_equals_the_page_as_one_string(seed_graph, tmp_path):
    from kg.export.html import render, select, write_html
    from kg.export.html.data import edge_rows, index_without_edges, page_index, write_index
    from kg.export.html.page import _script_json
    from kg.export.html.views import clusters

    sel = select(seed_graph, max_nodes=0)
    assert sel.graph is seed_graph  # nothing filtered: the graph itself, not a copy
    for renderer in ("canvas", "webgl"):
        out = tmp_path / f"{renderer}.html"
        write_html(seed_graph, out, sel, renderer=renderer)
        assert out.read_text(encoding="utf-8") == render(seed_graph, sel, renderer=renderer)
    c = clusters(seed_graph)
    whole = _script_json(page_index(seed_graph, seed_graph, seed_graph, c))
    parts: list[str] = []
    write_index(parts.append, index_without_edges(seed_graph, seed_graph, seed_graph, c),
                edge_rows(seed_graph), _script_json)
    assert "".join(parts) == whole and len(parts) > 10


def test_seed_page_is_the_committed_one(seed_graph, tmp_path):
    from kg.export.html import write_build_exports

    (page,) = write_build_exports(seed_graph, tmp_path)
    assert page.read_bytes() == (ROOT / "exports" / "graph.html").read_bytes()


def test_page_clusters_coauthor_graph_equals_the_query_one(seed_graph):
    from kg.export.html.views import coauthor_graph
    from kg.query import coauthor_graph as indexed
    from kg.query._index import clear_cache

    G = seed_graph.copy()
    clear_cache(G)
    H, W = coauthor_graph(G), indexed(G)
    assert list(H.nodes) == list(W.nodes)
    assert list(H.edges(data=True)) == list(W.edges(data=True))
    assert {n: list(H.adj[n]) for n in H} == {n: list(W.adj[n]) for n in W}


def _clusters_both_ways(G):
    from kg.export.html import views

    pytest.importorskip("igraph", reason="rows_partition needs python-igraph")
    from_rows = views._coauthor_clusters(G)
    projected = views._partition(views.coauthor_graph(G))
    return from_rows, projected


def test_page_clusters_from_coauthor_rows_equal_those_of_the_projection(seed_graph):
    from_rows, projected = _clusters_both_ways(seed_graph)
    assert from_rows == projected and len(set(from_rows.values())) > 3


def test_page_clusters_from_coauthor_rows_on_corpus_papers(corpus_records, tmp_path):
    import kg.graph as g

    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in corpus_records[:3000]), encoding="utf-8")
    G = g.build([path], extract=False)
    from_rows, projected = _clusters_both_ways(G)
    assert from_rows == projected and len(set(from_rows.values())) > 50


def test_abstracts_packed_in_pieces_are_the_packed_abstracts(seed_graph):
    import base64
    import gzip

    from kg.export.html.data import packed_chunks, packed_texts, unpacked_texts

    def whole(texts):  # the JSON list gzip-compressed at once, as the page's Z was written before
        raw = json.dumps(texts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")

    texts = [d["abstract"] for _, d in seed_graph.nodes(data=True) if d.get("abstract")]
    assert len(texts) > 100
    for size in (3, 1000, 1 << 20):
        chunks = list(packed_chunks(texts, size=size))
        assert "".join(chunks) == whole(texts) == packed_texts(texts)
        assert (len(chunks) > 2) == (size < 1 << 20)  # the seed page's abstracts pack into < 1 MB
    assert unpacked_texts("".join(packed_chunks(texts))) == texts and packed_texts([]) == whole([])
