"""Streaming graph.json: kg.graph.save / write_json write the same bytes as kg.graph.to_json
(the whole-string writer), on the seed graph and on a corpus slice."""
from __future__ import annotations

import io

from kg.graph import load, save, to_json, write_json


def test_streaming_json_is_byte_identical_on_seed_graph(seed_graph, tmp_path):
    buf = io.StringIO()
    write_json(seed_graph, buf)
    assert buf.getvalue() == to_json(seed_graph)
    save(seed_graph, tmp_path / "g.json")
    assert (tmp_path / "g.json").read_bytes() == to_json(seed_graph).encode("utf-8")
    G = load(tmp_path / "g.json")  # and a loaded graph writes itself back unchanged
    save(G, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "g.json").read_bytes()


def test_streaming_json_keeps_problems_out(seed_graph):
    G = seed_graph.copy()
    G.graph["problems"], G.graph["warnings"] = ["x skipped"], ["w"]
    buf = io.StringIO()
    write_json(G, buf)
    assert buf.getvalue() == to_json(G) and '"problems"' not in buf.getvalue()


def _same_graph(G, H) -> bool:
    """Same nodes and edges, in the same order, with the same attributes (evidence held as
    offsets put back: :func:`kg.model.with_evidence`)."""
    from kg.model import with_evidence

    def edges(X):
        return [(u, v, with_evidence(X.nodes[u], d)) for u, v, d in X.edges(data=True)]

    return (list(G.nodes(data=True)) == list(H.nodes(data=True)) and G.graph == H.graph
            and edges(G) == edges(H))


def test_load_equals_node_link_graph_and_shares_values(seed_graph, tmp_path):
    import json

    import networkx as nx

    save(seed_graph, tmp_path / "g.json")
    G = load(tmp_path / "g.json")  # streamed, one node or edge at a time
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert _same_graph(G, nx.node_link_graph(data, directed=True, multigraph=False, edges="edges"))
    # the same file in another layout (indented, keys in another order) takes the whole-file path
    (tmp_path / "other.json").write_text(json.dumps(dict(reversed(data.items())), indent=1), encoding="utf-8")
    assert _same_graph(load(tmp_path / "other.json"), G)
    # equal values are one object: edge types, and an author's name in the papers' author lists
    types = {id(e["type"]) for *_, e in G.edges(data=True) if e["type"] == "author"}
    assert len(types) == 1
    for p, a in G.edges():
        if G.edges[p, a]["type"] == "author" and G.nodes[a]["name"] in G.nodes[p]["authors"]:
            i = G.nodes[p]["authors"].index(G.nodes[a]["name"])
            assert G.nodes[p]["authors"][i] is G.nodes[a]["name"]


def test_truncated_or_padded_graph_json_is_one_clear_error(seed_graph, tmp_path):
    import pytest

    from kg.model import KGError

    save(seed_graph, tmp_path / "g.json")
    whole = (tmp_path / "g.json").read_bytes()
    for i, damaged in enumerate((whole[: len(whole) // 2], whole[:-3], whole + b"x", whole.replace(b"},{", b"}{", 1))):
        (tmp_path / f"bad{i}.json").write_bytes(damaged)
        with pytest.raises(KGError, match="not a kg graph.json file"):
            load(tmp_path / f"bad{i}.json")
    (tmp_path / "ws.json").write_bytes(whole + b"  \n")  # trailing white space is still JSON
    assert _same_graph(load(tmp_path / "ws.json"), load(tmp_path / "g.json"))


def test_built_graph_shares_values_and_streams_records(tmp_path):
    import kg
    from kg.graph import iter_records, read_records

    from .conftest import SEEDS

    problems_a, problems_b = [], []
    assert [r.to_dict() for r in iter_records([SEEDS], problems=problems_a)] == \
        [r.to_dict() for r in read_records([SEEDS], problems=problems_b)]
    assert problems_a == problems_b
    G = kg.build([str(SEEDS)], extract=False)
    venues = {}
    for _, d in G.nodes(data=True):
        if d.get("venue"):
            assert venues.setdefault(d["venue"], d["venue"]) is d["venue"]


def test_coauthor_rows_equal_the_query_index(seed_graph):
    from kg.query._index import Index
    from kg.query._index import coauthor_rows

    idx = Index(seed_graph)
    rows = [(a, b, len(ps)) for a in idx.authors for b, ps in idx.co[a].items() if a < b]
    assert rows and list(coauthor_rows(seed_graph)) == rows


def test_add_with_a_bad_file_leaves_an_existing_graph_untouched(tmp_path):
    import pytest

    import kg
    from kg.graph import add, to_json
    from kg.model import KGError

    from .conftest import SEEDS

    seeds = sorted(SEEDS.glob("*.txt"))
    G = kg.build([str(seeds[0])], extract=False)
    before = to_json(G)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "A", "authors": ["Ann Lee"]}\n{not json\n', encoding="utf-8")
    with pytest.raises(KGError):
        add(G, [str(seeds[1]), str(bad)], extract=False)
    assert to_json(G) == before
    with pytest.raises(KGError):  # a new build fails the same way
        kg.build([str(seeds[1]), str(bad)], extract=False)


def test_coauthor_pair_count_is_the_projection_size(seed_graph):
    from kg.graph import coauthor_pair_count, coauthor_pairs, summary

    assert coauthor_pair_count(seed_graph) == len(coauthor_pairs(seed_graph)) == summary(seed_graph)["coauthor_pairs"] > 0
