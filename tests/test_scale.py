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
