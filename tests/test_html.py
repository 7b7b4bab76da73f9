"""The HTML export without a browser: selection, self-containment, escaping, determinism, CLI."""
from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.cli import main
from kg.export import html
from kg.export.html.selection import linked_top
from kg.graph import add_records, new_graph
from kg.model import KGError, Record

ROOT = Path(__file__).resolve().parents[1]
REMOTE = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
                    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)"""
                    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)""", re.I)


@pytest.fixture(scope="module")
def plain_seeds():
    """The bundled seeds without extraction (papers and authors only)."""
    return kg.build([ROOT / "seeds"], extract=False)


@pytest.fixture(scope="module")
def corpus_1300(corpus_records):
    """The first 1,300 papers of the 10k corpus, without extraction (papers and authors)."""
    return _graph([Record(r["title"], r.get("authors") or [], r.get("abstract"), "corpus",
                          r.get("year"), r.get("venue"), r.get("url")) for r in corpus_records[:1300]])


def _graph(records):
    G = new_graph()
    add_records(G, records)
    return G


def test_page_has_no_remote_reference(plain_seeds):
    page = html.render(plain_seeds)
    assert not REMOTE.findall(page)
    # outside the inlined vis-network library, web addresses appear only as data (papers' links,
    # shown as text and opened on a click) and as the DOI / arXiv link prefixes of the details panel
    js, css = html.vis_assets()
    rest = page.replace(js, "").replace(css, "")
    index = re.search(r"var IX = (.*);\n", rest).group(1)
    rest = rest.replace(index, "")
    assert re.findall(r"https?://[^\"]*", rest) == ["https://doi.org/", "https://arxiv.org/abs/"]
    assert rest.count("<script") == 2 and "vis.Network" in page


def test_remote_pattern_catches_references():
    for bad in ('<script src="https://cdn.x/vis.js">', "<link href='//cdn.x/a.css'>",
                "@import url(https://fonts.x/f.css);", "background: url( 'http://x/a.png')"):
        assert REMOTE.search(bad), bad


def test_same_graph_same_bytes(plain_seeds):
    a = html.render(plain_seeds)
    b = html.render(kg.build([ROOT / "seeds"], extract=False))
    assert a == b


def test_abstracts_cannot_inject_markup():
    evil = '</script><script>window.pwned=1</script><img src=x onerror=alert(1)> & "q"'
    G = _graph([Record(f"Title {evil}", ["Mallory <b>"], evil, "x.txt")])
    page = html.render(G)
    js, css = html.vis_assets()
    rest = page.replace(js, "").replace(css, "")
    assert "</script><script>window.pwned" not in page
    assert "<img src=x" not in rest and "<b>" not in rest and "Mallory" in rest
    data = re.search(r"var DATA = (\{.*?\});\n", page).group(1)
    nodes = json.loads(data)["nodes"]  # still valid JSON carrying the text unchanged
    assert any(evil in n["title"] for n in nodes)


def test_max_nodes_keeps_most_connected(plain_seeds, seed_graph):
    """--max-nodes N: nodes taken by degree, each linked to one taken (a node with a taken
    neighbour, else with its best-ranked neighbour): no edge-less columns; the hub and its
    best-connected neighbour first; with room for all, exactly the nodes that have a neighbour."""
    for G, n in ((plain_seeds, 30), (seed_graph, 30), (seed_graph, 300)):
        sel = html.select(G, max_nodes=n)
        H = sel.graph
        assert H.number_of_nodes() == n and sel.left_out == G.number_of_nodes() - n
        assert all(any(m != v for m in nx.all_neighbors(H, v)) for v in H)
        # the most connected nodes come first: the hub and its best-connected neighbour
        deg = dict(G.degree())
        ranked = sorted(G, key=lambda v: (-deg[v], v))
        hub = ranked[0]
        assert hub in H and min((m for m in nx.all_neighbors(G, hub) if m != hub), key=ranked.index) in H
        plain = set(ranked[:n])
        assert any(not any(m in plain for m in nx.all_neighbors(G, v) if m != v) for v in plain)  # plain top N has lone nodes
        linked = {v for v in G if any(m != v for m in nx.all_neighbors(G, v))}
        assert len(linked) < G.number_of_nodes()  # the graph has lone nodes: they are never taken
        assert set(linked_top(G, ranked, G.number_of_nodes())) == linked
    page = html.render(plain_seeds, max_nodes=30)
    sel = html.select(plain_seeds, max_nodes=30)
    assert f"{sel.left_out} of {sel.candidates} nodes left out" in page
    assert "(showing the 30 most connected, each linked to another)" in page


def test_map_layout_is_deterministic_with_clusters(seed_graph):
    """The two-level map: the same positions twice (and for a copy), another seed moves them;
    map clusters numbered by size from 0 in the parts of MAP_FROM nodes or more, -1 in the others."""
    from collections import Counter

    pytest.importorskip("leidenalg", reason="leidenalg is not installed")
    G = seed_graph
    pos, cluster = html.map_layout(G)
    assert (pos, cluster) == html.map_layout(G.copy()) and pos == html.map_layout(G)[0]
    assert pos != html.map_layout(G, seed=8)[0]
    assert set(pos) == set(cluster) == set(G)
    sizes = Counter(c for c in cluster.values() if c >= 0)
    assert len(sizes) >= 3 and [sizes[c] for c in sorted(sizes)] == sorted(sizes.values(), reverse=True)
    # every part of MAP_FROM nodes or more is split into communities (the seeds have two),
    # each community inside one part; the smaller parts are -1
    from kg.export.html.maplayout import MAP_FROM

    big = [p for p in nx.connected_components(G.to_undirected()) if len(p) >= MAP_FROM]
    assert len(big) >= 2 and {v for v, c in cluster.items() if c >= 0} == set().union(*big)
    assert all(len({cluster[v] for v in p} & {cluster[v] for v in q}) == 0 for p in big for q in big if p is not q)
    assert html.layout(G) == pos


def test_big_full_page_is_coloured_by_map_cluster(seed_graph, corpus_1300):
    """A full view drawing more than 1,000 nodes is coloured by map cluster by default, with
    the legend shown; a smaller page keeps node-type colours (legend hidden or absent)."""
    page = html.render(corpus_1300, max_nodes=1500)
    data = json.loads(re.search(r"var DATA = (\{.*?\});\n", page).group(1))
    assert data["colour"] == "map" and len(data["nodes"]) > 1000
    legend = re.search(r'<div id="map-legend"[^>]*>', page).group(0)
    assert "hidden" not in legend and page.count('title="map cluster ') == 10
    assert '<option value="map" selected>' in page
    small = html.render(seed_graph)
    assert json.loads(re.search(r"var DATA = (\{.*?\});\n", small).group(1))["colour"] == "type"
    assert not re.search(r'<div id="map-legend"(?![^>]*hidden)[^>]*>', small)


def test_focus_radius_and_types():
    G = _graph([Record("Paper One", ["Ann Lee", "Bo Chen"], "x", "a"),
                Record("Paper Two", ["Bo Chen", "Cy Dee"], "y", "a"),
                Record("Paper Three", ["Ed Fox"], "z", "a")])
    one = html.select(G, focus="Ann Lee")
    assert set(one.graph) == {"author:ann-lee", "paper:paper-one"}
    three = html.select(G, focus="Ann Lee", radius=3)
    assert set(three.graph) == {"author:ann-lee", "paper:paper-one", "author:bo-chen",
                                "paper:paper-two"}
    authors = html.select(G, types="author")
    assert set(authors.graph) == {"author:ann-lee", "author:bo-chen", "author:cy-dee", "author:ed-fox"}
    assert {(u, v) for u, v, t in authors.graph.edges(data="type") if t == html.COAUTHOR} == {
        ("author:ann-lee", "author:bo-chen"), ("author:bo-chen", "author:cy-dee")}
    both = html.select(G, types="author,paper")
    assert both.graph.number_of_nodes() == 7 and both.graph.number_of_edges() == 5


def test_bad_selection_is_a_user_error(plain_seeds):
    with pytest.raises(KGError, match="no paper, author, method or benchmark named"):
        html.select(plain_seeds, focus="Nobody At All Xyzzy")
    with pytest.raises(KGError, match="unknown node type 'people'"):
        html.select(plain_seeds, types="people")
    with pytest.raises(KGError, match="^radius needs focus$"):
        html.select(plain_seeds, radius=2)
    with pytest.raises(KGError, match="^max_nodes must be 0"):
        html.select(plain_seeds, max_nodes=-1)
    with pytest.raises(KGError, match="^focus 'Timothy Chan' is a author, which types leaves out$"):
        html.select(plain_seeds, focus="Timothy Chan", types="paper")


def test_library_names_parameters_and_cli_names_flags(tmp_path, plain_seeds, capsys):
    """Messages of select() name its parameters, never a command-line flag; the CLI says the
    same with its flags, on one line, exit code 2."""
    for kwargs in ({"types": "people"}, {"types": " , "}, {"radius": 1}, {"max_nodes": -1},
                   {"radius": -1, "focus": "Timothy Chan"},
                   {"focus": "Timothy Chan", "types": "paper"}):
        with pytest.raises(KGError) as info:
            html.select(plain_seeds, **kwargs)
        assert "--" not in str(info.value) and any(k in str(info.value) for k in kwargs), kwargs
    kg.save(plain_seeds, tmp_path / "graph.json")
    base = ["export", "html", "--graph", str(tmp_path / "graph.json"), "--out", str(tmp_path / "p.html")]
    for flags, message in ((["--types", "people"], "unknown node type 'people' in --types (choose"),
                           (["--radius", "2"], "--radius needs --focus"),
                           (["--focus", "Timothy Chan", "--types", "paper"],
                            "--focus 'Timothy Chan' is a author, which --types leaves out")):
        assert main(base + flags) == 2
        err = capsys.readouterr().err
        assert err == f"kg: error: {message}" + err[len(f"kg: error: {message}"):] and \
            err.count("\n") == 1, err
    assert not (tmp_path / "p.html").exists()  # nothing written


def test_render_takes_a_selection(plain_seeds):
    sel = html.select(plain_seeds, types="author", max_nodes=20)
    assert html.render(plain_seeds, sel) == html.render(plain_seeds, types="author", max_nodes=20)
    with pytest.raises(TypeError, match="not both"):
        html.render(plain_seeds, sel, max_nodes=5)
    with pytest.raises(TypeError, match="must be a Selection"):
        html.render(plain_seeds, 500)


def test_layout_is_deterministic_and_spread(plain_seeds):
    pos = html.layout(plain_seeds)
    assert pos == html.layout(plain_seeds.copy())
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot


def _random_layout(H, seed=7):
    """The control: uniform random positions in each connected part, the part's square as big
    as the real layout's would be (side 1.5 edges per sqrt(node)), parts far apart."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = {}
    for i, comp in enumerate(sorted(sorted(c) for c in nx.connected_components(H.to_undirected()))):
        side = 1.5 * html.EDGE_PX * len(comp) ** 0.5
        for v, (x, y) in zip(comp, rng.uniform(0, side, (len(comp), 2))):
            out[v] = (float(x) + 1e6 * i, float(y))
    return out


def test_layout_backends_give_equal_quality(seed_graph):
    """igraph (the fast path) and NetworkX (the fallback) lay the seed graph (with extraction:
    a 279-node part and ~350 small ones) out equally well: both pass the same bar, set by the
    own layout they replaced (0.113 and 0.000 on this graph), each deterministic for a seed.
    Quality: edges short against the mean distance of two nodes of the same part
    (:func:`edge_length_ratio`; random positions give ~0.6) and nodes not on top of each other
    (:func:`crowded_share`)."""
    pytest.importorskip("igraph", reason="python-igraph is not installed")
    H = seed_graph
    control = html.edge_length_ratio(H, _random_layout(H))
    assert control > 0.5
    ratios = {}
    for backend in ("igraph", "networkx"):
        pos = html.layout(H, backend=backend)
        assert pos == html.layout(H.copy(), backend=backend), backend
        assert pos != html.layout(H, seed=8, backend=backend), backend
        assert set(pos) == set(H)
        ratios[backend] = html.edge_length_ratio(H, pos)
        # the bar is relative to random positions, so that it holds when extraction changes the
        # graph (on the 0.4 extractor's seed graph: own layout 0.113, random 0.6; on 1.0's seed
        # graph igraph 0.103, networkx 0.136)
        assert ratios[backend] < 0.25 * control, backend
        assert html.crowded_share(pos) < 0.02, backend
    assert ratios["networkx"] < 1.5 * ratios["igraph"] and ratios["igraph"] < 1.5 * ratios["networkx"]
    with pytest.raises(ValueError, match="unknown layout backend"):
        html.layout(H, backend="graphviz")


def test_layout_falls_back_to_networkx_without_igraph(plain_seeds, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "igraph", None)  # "import igraph" now raises ImportError
    assert html.default_backend() == "networkx"
    assert html.layout(plain_seeds) == html.layout(plain_seeds, backend="networkx")


def test_cli_export_html(tmp_path, plain_seeds, capsys):
    kg.save(plain_seeds, tmp_path / "graph.json")
    out = tmp_path / "page.html"
    assert main(["export", "html", "--graph", str(tmp_path / "graph.json"), "--out", str(out),
                 "--max-nodes", "40"]) == 0
    assert "40 nodes" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").count("\"kind\"") >= 40
    code = main(["export", "html", "--graph", str(tmp_path / "graph.json"), "--out", str(out),
                 "--focus", "Nobody At All Xyzzy"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("kg: error: no paper, author") and err.count("\n") == 1
    assert main(["query", "find", "Nobody At All Xyzzy", "--graph",
                 str(tmp_path / "graph.json")]) == 2
    query_err = capsys.readouterr().err
    assert err.split(";")[0] in query_err  # the same message as the queries


def test_build_writes_the_page(tmp_path):
    assert main(["build", str(ROOT / "seeds" / "000_4258901d99358fab.txt"), "--no-extract",
                 "--out", str(tmp_path), "-q"]) == 0
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "Conformal Inverse Optimization" in page and not REMOTE.findall(page)


def _index(page: str) -> dict:
    return json.loads(re.search(r"var IX = (.*);\n", page).group(1))


def test_page_indexes_every_node_of_the_graph(seed_graph):
    G = seed_graph
    sel = html.select(G, max_nodes=30)
    ix = _index(html.render(G, sel))
    assert sorted(r[0] for r in ix["N"]) == sorted(G.nodes)
    drawn = {r[0] for r in ix["N"] if r[-1]}
    assert drawn == set(sel.graph)
    assert len(ix["E"]) == G.number_of_edges()
    # evidence and confidence of each uses/proposes edge are there for the details panel
    at = {r[0]: i for i, r in enumerate(ix["N"])}
    u, v, e = next((u, v, e) for u, v, e in G.edges(data=True) if e.get("evidence"))
    row = next(r for r in ix["E"] if r[0] == at[u] and r[1] == at[v])
    from kg.model import with_evidence

    assert row[4] == with_evidence(G.nodes[u], e)["evidence"] and row[3] == round(e["confidence"], 3)
    # authorship rows carry the author position (the panel lists authors in order)
    p = next(n for n, t in G.nodes(data="type") if t == "paper" and len(G.nodes[n]["authors"]) > 1)
    rows = sorted((r[3], ix["N"][r[1]][2]) for r in ix["E"] if r[0] == at[p] and ix["ET"][r[2]] == "author")
    assert [name for _, name in rows] == G.nodes[p]["authors"]


def test_page_packs_the_abstracts(seed_graph):
    """Abstracts travel compressed (Z) and each paper row points at its own."""
    from kg.export.html.data import unpacked_texts

    G = seed_graph
    page = html.render(G, html.select(G, max_nodes=30))
    ix = _index(page)
    texts = unpacked_texts(ix["Z"])
    papers = {n: d for n, d in G.nodes(data=True) if d.get("type") == "paper"}
    assert len(texts) == sum(1 for d in papers.values() if d.get("abstract")) > 0
    for i, row in ix["P"].items():
        d = papers[ix["N"][int(i)][0]]
        assert (row[4] is None) if not d.get("abstract") else texts[row[4]] == d["abstract"]
    first = next(d["abstract"] for d in papers.values() if d.get("abstract"))
    assert first[:40] not in page  # not also embedded as plain text


def test_views_and_clusters(seed_graph):
    G = seed_graph
    C = html.select(G, view="concepts")
    assert {t for _, t in C.graph.nodes(data="type")} <= {"method", "benchmark"}
    assert {t for *_, t in C.graph.edges(data="type")} == {"cooccurs"}
    # co-occurrence weight = papers mentioning both
    a, b, w = next((a, b, e["weight"]) for a, b, e in C.graph.edges(data=True) if e["weight"] > 1)
    both = [p for p in G if G.has_edge(p, a) and G.has_edge(p, b)]
    assert len(both) == w
    assert html.select(G, view="coauthors").types == ("author",)
    with pytest.raises(html.SelectionError, match="unknown view"):
        html.select(G, view="map")
    from kg.export.html.views import clusters
    from kg.query import coauthor_graph
    c = clusters(G)
    H = coauthor_graph(G)
    for x, y in list(H.edges)[:50]:  # co-authors of a pair with no other co-author share a cluster
        if H.degree(x) == 1 and H.degree(y) == 1:
            assert c[x] == c[y] >= 0


def test_webgl_page_is_self_contained(seed_graph):
    page = html.render(seed_graph, renderer="webgl")
    graphology, sigma = html.page.webgl_assets()
    assert graphology in page and sigma in page and "vis.Network" not in page
    assert not REMOTE.findall(page)
    assert page.count("<script") == 3
    with pytest.raises(KGError, match="unknown renderer"):
        html.render(seed_graph, renderer="svg")


def test_cli_view_and_renderer(tmp_path, plain_seeds, capsys):
    g = tmp_path / "graph.json"
    kg.save(plain_seeds, g)
    out = tmp_path / "co.html"
    assert main(["export", "html", "--graph", str(g), "--out", str(out), "--view", "coauthors",
                 "--renderer", "webgl", "-q"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "view: coauthors" in page and "Sigma" in page
    assert main(["export", "html", "--graph", str(g), "--view", "map"]) == 2
    assert "invalid choice: 'map'" in capsys.readouterr().err
