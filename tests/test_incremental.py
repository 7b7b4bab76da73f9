"""``kg add`` equals a build from scratch: build(A + B) == add(build(A), B), byte for byte.

``kg add`` re-resolves only the entity name blocks the new papers touch (:mod:`kg.touched`);
the mentions of the papers already in the graph are read back from its edges
(:func:`kg.graph.paper_mentions`). The result must not depend on that: the order mentions
arrive in, two mentions of one paper having been one edge, which entities were kept.
"""
from __future__ import annotations

import gzip
import json
import re

import pytest

from kg.cli import main
from kg.graph import add, build, load, paper_mentions, save, to_json
from kg.model import AUTHOR, PAPER
from kg.touched import update_mentions

from .conftest import CORPUS, NEEDS_SHARED, SEEDS

OUTPUTS = ("graph.json", "graph.sqlite", "graph.nt", "graph.ttl", "graph.html")


def _outputs(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def _build_and_add(tmp_path, a: list[str], b: list[str], jobs: str = "1", capsys=None):
    """The output folders of ``kg build A B`` and of ``kg build A`` then ``kg add B`` (and, with
    *capsys*, the ``resolution`` the add reported in ``--json``)."""
    full, inc = tmp_path / "full", tmp_path / "inc"
    assert main(["build", *a, *b, "--out", str(full), "--jobs", "1", "-q"]) == 0
    assert main(["build", *a, "--out", str(inc), "--jobs", jobs, "-q"]) == 0
    if capsys is None:
        assert main(["add", *b, "--graph", str(inc / "graph.json"), "--keep-longer", "--jobs", jobs, "-q"]) == 0
        return full, inc
    capsys.readouterr()
    assert main(["add", *b, "--graph", str(inc / "graph.json"), "--keep-longer", "--jobs", jobs, "--json"]) == 0
    return full, inc, json.loads(capsys.readouterr().out)["resolution"]


def _add_in_process(tmp_path, graph, paths: list[str]) -> tuple[str, dict]:
    """graph.json of *graph* saved, loaded and ``add``-ed *paths* (as ``kg add --keep-longer``),
    and the resolution done."""
    save(graph, tmp_path / "g.json")
    G, info = load(tmp_path / "g.json"), {}
    add(G, paths, keep_longer=True, resolution=info)
    return to_json(G), info


@pytest.mark.slow
def test_seeds_split_add_equals_build(tmp_path):
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    full, inc = _build_and_add(tmp_path, files[:3], files[3:], jobs="2")
    assert _outputs(inc) == _outputs(full)


def _corpus_sample(tmp_path, pattern: str | None, step: int = 1, cut: float = 0.7,
                   limit: int | None = None) -> tuple[str, str]:
    """Corpus lines (those whose title or abstract matches *pattern*, every *step*-th, the first
    *limit*) split into two JSON Lines files at *cut*."""
    if not CORPUS.is_file():
        pytest.skip(NEEDS_SHARED)
    rx = re.compile(pattern) if pattern else None
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        lines = [ln for ln in f if rx is None or rx.search(" ".join(
            str(json.loads(ln).get(k) or "") for k in ("title", "abstract")))][::step]
    k = int(len(lines) * cut)
    paths = []
    for name, part in (("a.jsonl", lines[:k]), ("b.jsonl", lines[k:])):
        (tmp_path / name).write_text("".join(part), encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths[0], paths[1]


def test_ambiguous_acronyms_add_equals_build(tmp_path, capsys):
    # corpus papers that write acronyms with several expansions across papers (NAT, BN, PCT,
    # OMD): where the entities of the bare and the expanded forms depend on all papers, and
    # where kg add gave other keys than a full build before resolution was made order-free;
    # the added papers give NAT and PCT their second expansion, so the touched blocks include
    # every entity written with those acronyms
    a, b = _corpus_sample(tmp_path, r"\b(NAT|BN|PCT|OMD)\b")
    full, inc, resolution = _build_and_add(tmp_path, [a], [b], capsys=capsys)
    assert resolution["mode"] == "touched"
    G = build([a, b])
    assert any(len(d.get("key", "")) > 6 and d["key"].startswith(("nat", "bn", "pct", "omd"))
               for _, d in G.nodes(data=True) if d["type"] == "method")  # expansions resolved
    assert _outputs(inc) == _outputs(full)


def test_merged_mentions_read_back_one_by_one():
    # "Neural Radiance Field, or NeRF": two mentions, one entity, one edge; re-resolving reads
    # both mentions back, as found
    G = build(["seeds"], extract=True)
    merged = [(u, v, e) for u, v, e in G.edges(data=True) if "mentions" in e]
    assert merged, "the seeds have papers naming one entity twice"
    u, _, e = merged[0]
    back = paper_mentions(G, u)
    names = [m["name"] for kind in ("methods", "benchmarks") for m in back[kind]]
    assert len(e["mentions"]) >= 2 and G.nodes[u]["type"] == PAPER
    for m in e["mentions"]:  # each mention comes back under its own written form
        assert m["surface"] in names
    assert len(names) == sum(len(d.get("mentions") or [d]) for _, _, d in G.out_edges(u, data=True)
                             if d["type"] in ("proposes", "uses"))


@pytest.mark.slow
def test_corpus_sample_add_equals_build(tmp_path):
    # every 8th corpus paper (~1,300), the last 30 % added to a graph of the first 70 %
    a, b = _corpus_sample(tmp_path, None, step=8)
    full, inc = _build_and_add(tmp_path, [a], [b], jobs="2")
    assert _outputs(inc) == _outputs(full)


def test_seeds_added_file_by_file_equal_build(tmp_path, seed_graph):
    # one seed file built, the four others added one at a time, each add re-resolving only the
    # name blocks it touches: the same graph.json as the build of all five
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    G, modes = build(files[:1]), []
    for f in files[1:]:
        text, info = _add_in_process(tmp_path, G, [f])
        modes.append(info["mode"])
        G = load(tmp_path / "g.json")
        add(G, [f], keep_longer=True)
    assert text == to_json(seed_graph)
    assert modes.count("touched") >= 3, modes
    assert 0 < info["entities_reresolved"] < info["entities_total"]


def test_more_than_the_share_touched_changes_nothing(seed_graph):
    G = seed_graph.copy()
    before = to_json(G)
    paper = next(u for u, v, t in G.edges(data="type") if t == "uses")
    fresh = {paper: paper_mentions(G, paper)}
    assert update_mentions(G, fresh, share=0.0) is None  # kg.graph.add then re-resolves all
    assert to_json(G) == before
    assert update_mentions(G, fresh)["mode"] == "touched"  # its own mentions again: same graph
    assert to_json(G) == before


def _accent_sample(tmp_path, corpus_records) -> tuple[str, str]:
    """Corpus papers of the authors written with and without accents ("René Vidal" / "Rene
    Vidal"): the less used spelling's papers in A, the more used one's in B, so that adding B
    merges an author node of A's papers into one of B's (its papers' authorship edges change
    after their entity edges) and regroups who is "possibly several" people."""
    from kg.model import accent_key, author_key

    spell: dict = {}
    for i, r in enumerate(corpus_records):
        for name in r.get("authors") or []:
            spell.setdefault(accent_key(name), {}).setdefault(author_key(name), []).append(i)
    a, b = set(), set()
    for forms in spell.values():
        if len(forms) > 1:
            ranked = sorted(forms.values(), key=len)
            a.update(ranked[0])
            b.update(i for rows in ranked[1:] for i in rows)
    b -= a
    paths = []
    for name, rows in (("a.jsonl", sorted(a)), ("b.jsonl", sorted(b))):
        (tmp_path / name).write_text("".join(json.dumps(corpus_records[i]) + "\n" for i in rows), encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths[0], paths[1]


def test_accent_merges_add_equals_build(tmp_path, corpus_records, capsys):
    a, b = _accent_sample(tmp_path, corpus_records)
    full, inc, resolution = _build_and_add(tmp_path, [a], [b], capsys=capsys)
    assert resolution["mode"] in ("touched", "full")
    G = load(full / "graph.json")
    authors = [d for _, d in G.nodes(data=True) if d["type"] == AUTHOR]
    assert any(d.get("aliases") and any(not al.isascii() or not d["name"].isascii() for al in d["aliases"])
               for d in authors)  # accent variants merged
    assert any(d.get("possibly_several") for d in authors)
    assert _outputs(inc) == _outputs(full)


def test_longer_abstracts_re_extracted_add_equals_build(tmp_path, corpus_records):
    # B repeats 15 papers of A with a longer abstract (another corpus paper's first sentence
    # appended): they are extracted again, and their old mentions leave their entities
    rows = corpus_records[::40]
    base, new = rows[:200], rows[200:230]
    longer = [{**r, "abstract": f"{r['abstract']} {o['abstract'].split('. ')[0]}."}
              for r, o in zip(base[::13], rows[230:])]
    paths = []
    for name, recs in (("a.jsonl", base), ("b.jsonl", new + longer)):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        paths.append(str(tmp_path / name))
    text, info = _add_in_process(tmp_path, build(paths[:1]), paths[1:])
    assert info["mode"] == "touched"
    assert text == to_json(build(paths))


@pytest.mark.slow
def test_corpus_2000_plus_200_add_equals_build(tmp_path, capsys):
    # 2,000 corpus papers, then 200 more: only the touched blocks re-resolved, all five files equal
    a, b = _corpus_sample(tmp_path, None, step=1, cut=2000 / 2200, limit=2200)
    full, inc, resolution = _build_and_add(tmp_path, [a], [b], capsys=capsys)
    assert resolution["mode"] == "touched"
    assert resolution["entities_reresolved"] < resolution["entities_total"] / 4
    assert _outputs(inc) == _outputs(full)


@pytest.mark.slow
def test_dask_add_equals_local_add(tmp_path, seed_graph):
    # kg add --engine dask: extraction on the cluster, the touched-only resolution in the client;
    # the same graph as the local add and as the build of all seeds
    distributed = pytest.importorskip("dask.distributed", reason="dask.distributed not installed")
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    save(build(files[:3]), tmp_path / "g.json")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        G, info = load(tmp_path / "g.json"), {}
        add(G, files[3:], keep_longer=True, engine="dask", scheduler=cluster.scheduler_address, resolution=info)
    assert info["mode"] == "touched"
    assert to_json(G) == to_json(seed_graph)
