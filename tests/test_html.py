"""The HTML export without a browser: selection, self-containment, escaping, determinism, CLI."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import kg
from kg.cli import main
from kg.export import html
from kg.graph import add_records, new_graph
from kg.model import KGError, Record

ROOT = Path(__file__).resolve().parents[1]
REMOTE = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
                    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)"""
                    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)""", re.I)


@pytest.fixture(scope="module")
def seed_graph():
    return kg.build([ROOT / "seeds"], extract=False)


def _graph(records):
    G = new_graph()
    add_records(G, records)
    return G


def test_page_has_no_remote_reference(seed_graph):
    page = html.render(seed_graph)
    assert not REMOTE.findall(page)
    # nothing outside the inlined vis-network library mentions a web address at all
    js, css = html.vis_assets()
    rest = page.replace(js, "").replace(css, "")
    assert "http://" not in rest and "https://" not in rest
    assert rest.count("<script") == 2 and "vis.Network" in page


def test_remote_pattern_catches_references():
    for bad in ('<script src="https://cdn.x/vis.js">', "<link href='//cdn.x/a.css'>",
                "@import url(https://fonts.x/f.css);", "background: url( 'http://x/a.png')"):
        assert REMOTE.search(bad), bad


def test_same_graph_same_bytes(seed_graph):
    a = html.render(seed_graph)
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


def test_max_nodes_keeps_most_connected(seed_graph):
    sel = html.select(seed_graph, max_nodes=30)
    H = sel.graph
    assert H.number_of_nodes() == 30 and sel.left_out == seed_graph.number_of_nodes() - 30
    kept_min = min(dict(seed_graph.degree(H.nodes)).values())
    dropped_max = max(d for n, d in seed_graph.degree() if n not in H)
    assert kept_min >= dropped_max
    page = html.render(seed_graph, max_nodes=30)
    assert f"{sel.left_out} of {sel.candidates} nodes left out" in page


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


def test_bad_selection_is_a_user_error(seed_graph):
    with pytest.raises(KGError, match="no paper, author, method or benchmark named"):
        html.select(seed_graph, focus="Nobody At All Xyzzy")
    with pytest.raises(KGError, match="unknown node type 'people'"):
        html.select(seed_graph, types="people")
    with pytest.raises(KGError, match="--radius needs --focus"):
        html.select(seed_graph, radius=2)
    with pytest.raises(KGError, match="leaves out"):
        html.select(seed_graph, focus="Timothy Chan", types="paper")


def test_layout_is_deterministic_and_spread(seed_graph):
    pos = html.layout(seed_graph)
    assert pos == html.layout(seed_graph.copy())
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot


def test_cli_export_html(tmp_path, seed_graph, capsys):
    kg.save(seed_graph, tmp_path / "graph.json")
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
