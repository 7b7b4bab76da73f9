"""Deltas (issue 16): ``kg add --rdf-delta`` and ``kg diff`` write what a triple store holding
the old N-Triples export must delete and insert; applied to a live Oxigraph server, the store
then equals a fresh load of the new export, triple for triple, after one add and after five."""
from __future__ import annotations

import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.export.rdf.delta import apply_patch, file_lines

from .test_rdf_store import Store, store  # noqa: F401  (the live server fixture)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
LISTINGS = [*SEEDS[1:], ROOT / "tests" / "data" / "listing.jsonl"]  # five adds


def _request(url: str, data: bytes | None = None, method: str = "GET", ctype: str | None = None,
             accept: str | None = None) -> bytes:
    headers = {k: v for k, v in (("Content-Type", ctype), ("Accept", accept)) if v}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.read()


def graph_triples(store: Store, graph: str = "default") -> set:
    """The triples of a graph of the store (``default`` or an IRI), parsed."""
    sel = "default" if graph == "default" else "graph=" + urllib.request.quote(graph, safe="")
    data = _request(f"{store.url}/store?{sel}", accept="application/n-triples")
    return {(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


def put(store: Store, path: Path, graph: str = "default") -> None:
    sel = "default" if graph == "default" else "graph=" + urllib.request.quote(graph, safe="")
    _request(f"{store.url}/store?{sel}", path.read_bytes(), "PUT", "application/n-triples")


def update(store: Store, path: Path) -> None:
    _request(f"{store.url}/update", path.read_bytes(), "POST", "application/sparql-update")


def test_five_adds_as_deltas_equal_fresh_loads(store, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "exports"
    assert main(["build", str(SEEDS[0]), "--out", str(out), "-q"]) == 0
    put(store, out / "graph.nt")
    for i, listing in enumerate(LISTINGS, 1):
        old = file_lines(out / "graph.nt")
        ru, rdfp = tmp_path / f"add{i}.ru", tmp_path / f"add{i}.rdfp"
        assert main(["add", str(listing), "--graph", str(out / "graph.json"), "--rdf-delta", str(ru), "-q"]) == 0
        assert main(["diff", str(out / "graph.nt"), str(out / "graph.nt"), "--out", str(tmp_path / "none.ru")]) == 0
        update(store, ru)
        fresh = f"urn:fresh:{i}"
        put(store, out / "graph.nt", fresh)
        got, want = graph_triples(store), graph_triples(store, fresh)
        assert got == want, f"add {i} ({listing.name}): {len(got ^ want)} triples differ"
        new = file_lines(out / "graph.nt")
        assert len(want) == len(new)
        # the same change as an RDF Patch, from kg diff of the two exports
        old_nt = tmp_path / f"old{i}.nt"
        old_nt.write_text("".join(ln + "\n" for ln in sorted(old)), encoding="utf-8")
        assert main(["diff", str(old_nt), str(out / "graph.nt"), "--out", str(rdfp)]) == 0
        assert apply_patch(old, rdfp.read_text(encoding="utf-8")) == new
        assert main(["diff", str(old_nt), str(out / "graph.nt"), "--out", str(tmp_path / "d.ru")]) == 0
        assert (tmp_path / "d.ru").read_bytes() == ru.read_bytes()
        assert old != new
    text = capsys.readouterr().out
    assert "deleted: 0  inserted: 0" in text  # a graph against itself


def test_diff_refuses_blank_nodes_and_unknown_suffixes(tmp_path, capsys):
    a = tmp_path / "a.nt"
    a.write_text('_:b0 <http://x/p> "1" .\n')
    assert main(["diff", str(a), str(a), "--out", str(tmp_path / "d.ru")]) == 2
    assert "a.nt:1: a blank node" in capsys.readouterr().err
    b = tmp_path / "b.nt"
    b.write_text('<http://x/a> <http://x/p> "1" .\n')
    assert main(["diff", str(b), str(b), "--out", str(tmp_path / "d.txt")]) == 2
    assert "invalid --out file name" in capsys.readouterr().err
    assert not (tmp_path / "d.txt").exists()


def test_export_has_no_blank_nodes():
    from .test_rdf import odd_graph
    from kg.export import rdf

    for fmt in ("ntriples", "nquads", "turtle"):
        assert "_:" not in rdf.serialize(odd_graph(), fmt).replace('"_:', "")
