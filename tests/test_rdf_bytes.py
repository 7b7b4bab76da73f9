"""The RDF export is byte-identical to the recorded one: the SHA-256 of every file, in
``tests/data/rdf/export-sha256.json`` (recorded at commit 624cb03, before ``kg.export.rdf`` became a
package, and re-recorded on purpose when issue 16 changed the vocabulary and the mapping),
for the seed graph with and without extraction, all four formats, three bases and shards, and
for the hand-made graphs of ``test_rdf.py``. The graph is a frozen ``graph.json`` (not rebuilt),
so changes to ingest or extraction do not move these digests; only the export can."""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

import kg
from kg.cli import main
from kg.export import rdf

from .test_rdf import nasty_graph, odd_graph

DATA = Path(__file__).resolve().parent / "data" / "rdf"
DIGESTS = json.loads((DATA / "export-sha256.json").read_text(encoding="utf-8"))
FMTS = ["turtle", "ntriples", "jsonld", "nquads"]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def seed_graphs(tmp_path_factory) -> dict[str, Path]:
    """``graph.json`` of the seeds with extraction, and the same graph without extraction."""
    folder = tmp_path_factory.mktemp("graphs")
    ext = folder / "ext.json"
    ext.write_bytes(gzip.decompress((DATA / "seeds-graph.json.gz").read_bytes()))
    G = kg.load(ext)
    G.remove_nodes_from([n for n, d in list(G.nodes(data=True)) if d["type"] in ("method", "benchmark")])
    del G.graph["extractor_version"]
    noext = folder / "noext.json"
    kg.save(G, noext)
    return {"ext": ext, "noext": noext}


@pytest.mark.parametrize("graph", ["ext", "noext"])
@pytest.mark.parametrize("fmt", FMTS)
def test_seed_exports_unchanged(graph, fmt, seed_graphs):
    G = kg.load(seed_graphs[graph])
    expected = DIGESTS["graphs"][graph]
    for key, base in DIGESTS["bases"].items():
        got = sha(rdf.serialize(G, fmt, base).encode("utf-8"))
        assert got == expected[f"{key}.{fmt}"], f"{graph} graph, {fmt}, base {base}: the bytes changed"


@pytest.mark.parametrize("fmt", ["ntriples", "nquads"])
def test_seed_shards_and_cli_unchanged(fmt, seed_graphs, tmp_path, capsys):
    """``kg export rdf --shard-size 1000 --base urn:x:`` and ``kg export rdf`` (the default
    base) through the command line, as ``kg build`` writes ``graph.nt``."""
    out = tmp_path / f"s.{fmt}"
    assert main(["export", "rdf", "--graph", str(seed_graphs["ext"]), "--format", fmt,
                 "--shard-size", "1000", "--base", "urn:x:", "--out", str(out)]) == 0
    shards = sorted(tmp_path.glob(f"s-*.{fmt}"))
    assert [sha(p.read_bytes()) for p in shards] == DIGESTS["graphs"]["ext"][f"shards.{fmt}"]
    one = tmp_path / ("graph.nt" if fmt == "ntriples" else "graph.nq")
    assert main(["export", "rdf", "--graph", str(seed_graphs["ext"]), "--out", str(one)]) == 0
    assert sha(one.read_bytes()) == DIGESTS["graphs"]["ext"][f"x.{fmt}"]
    capsys.readouterr()


@pytest.mark.parametrize("name,make", [("nasty", nasty_graph), ("odd", odd_graph)])
def test_hand_made_graph_exports_unchanged(name, make):
    G = make()
    for i, base in enumerate(DIGESTS["fixture_bases"]):
        for fmt in FMTS:
            got = sha(rdf.serialize(G, fmt, base).encode("utf-8"))
            assert got == DIGESTS["graphs"][name][f"{i}.{fmt}"], f"{name} graph, {fmt}, base {base}"
