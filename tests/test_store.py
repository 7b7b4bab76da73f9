"""kg.store (graph.sqlite beside graph.json): every `kg query` sub-command that reads it gives
the same output as the whole graph.json, on the seed graph; a stale store is not used."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from kg import store
from kg.cli import main
from kg.cli.build import write_outputs
from kg.graph import load


@pytest.fixture(scope="module")
def built(seed_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    write_outputs(seed_graph, out, only_json=True)
    return out / "graph.json"


def _run(capsys, argv):
    code = main(argv)
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def _names(path):
    G = load(path)
    by = {t: sorted((d.get("name") or d.get("title")) for n, d in G.nodes(data=True) if d["type"] == t)
          for t in ("author", "method", "benchmark", "paper")}
    pick = lambda xs, k: xs[:: max(1, len(xs) // k)][:k]  # noqa: E731  spread over the list
    return {t: pick(xs, 3) for t, xs in by.items()}


def _connected_pairs(path):
    """Author pairs 1, 2 (and 3+ where there are) co-authorship hops apart."""
    from kg import query as q

    G = load(path)
    found: dict[int, tuple[str, str]] = {}
    for a in sorted(q.coauthor_graph(G)):
        for r in q.neighbourhood(G, a, k=4):
            found.setdefault(min(r["distance"], 3), (G.nodes[a]["name"], r["name"]))
        if len(found) == 3:
            break
    pairs = [found[d] for d in sorted(found)]
    assert len(pairs) >= 2, pairs  # the seed graph has 1- and 2-hop pairs at least
    return pairs + [(y, x) for x, y in pairs]


def test_store_written_with_graph_json(built):
    con = store.open_fresh(built)
    assert con is not None
    n_nodes = con.execute("SELECT count(*) FROM nodes").fetchone()[0]
    assert n_nodes == len(load(built))
    con.close()


def test_every_store_question_matches_graph_json(built, capsys):
    names = _names(built)
    authors = names["author"] + ["lee", "no such person", "author:" + names["author"][0]]
    ents = names["method"] + names["benchmark"] + ["ACS", "transformer", "zzz-unknown"]
    cases = [["coauthors", a] for a in authors] + [["author", a] for a in authors]
    cases += [["neighbours", a, "--hops", h] for a in names["author"][:2] for h in ("0", "2", "3")]
    cases += [[q, e] for q in ("papers", "experts") for e in ents]
    cases += [["benchmarks", e] for e in names["method"] + ["zzz"]]
    cases += [["methods", e] for e in names["benchmark"] + ["zzz"]]
    cases += [["find", x] for x in authors + ents + [t[:30] for t in names["paper"]] + ["paper:" + names["paper"][0]]]
    cases += [["path", x, y] for x in names["author"] for y in names["author"][::-1]]
    cases += [["path", x, y] for x, y in _connected_pairs(built)]
    cases += [["similar", t[:40], "--score", sc] for t in names["paper"] for sc in ("jaccard", "adamic-adar")]
    cases += [["find", names["author"][0], "--type", "method"], ["papers", ents[0], "--role", "uses"]]
    used = 0
    for case in cases:
        for fmt in ([], ["--json"]):
            argv = ["query", *case, "--graph", str(built), *fmt]
            via_store = _run(capsys, argv)
            via_json = _run(capsys, argv + ["--no-store"])
            assert via_store == via_json, case
        used += store.local_graph(built, [(case[1], None)]) is not None
    assert used > len(cases) // 2  # the store answered most of them (the rest fell back)


def test_stale_store_is_not_used(built, tmp_path, capsys):
    g = tmp_path / "graph.json"
    g.write_bytes(built.read_bytes())
    (tmp_path / "graph.sqlite").write_bytes(store.store_path(built).read_bytes())
    name = _names(built)["author"][0]
    assert store.local_graph(g, [(name, "author")]) is not None  # a copy is fresh
    data = json.loads(g.read_text(encoding="utf-8"))
    victim = next(n for n in data["nodes"] if n.get("name") == name)
    victim["name"] = name + " Changed"
    g.write_text(json.dumps(data), encoding="utf-8")
    os.utime(tmp_path / "graph.sqlite", ns=(0, g.stat().st_mtime_ns + 1))  # not older: content decides
    assert store.open_fresh(g) is None and store.local_graph(g, [(name, "author")]) is None
    code, out, _ = _run(capsys, ["query", "find", name + " Changed", "--graph", str(g)])
    assert code == 0 and "Changed" in out


def test_store_bytes_are_deterministic(seed_graph, built, tmp_path):
    p = tmp_path / "again.sqlite"
    store.write(seed_graph, p, built)
    assert p.read_bytes() == store.store_path(built).read_bytes()
    sqlite3.connect(p).close()


def test_query_help_imports_no_exporters():
    import subprocess
    import sys

    code = ("import sys; from kg.cli import main; main(['query', 'coauthors', '--help'])\n")
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": os.getcwd()})
    loaded = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if "|" in line}
    assert not {m for m in loaded if m.split(".")[0] in ("rdflib", "spacy", "pyvis")}, sorted(loaded)[:5]
