"""kg.cluster: workers read their own parts of the inputs, entities are resolved over a mention
table in a dask.bag, the workers write the N-Triples shards; the result equals --jobs 1."""
from __future__ import annotations

import copy
import gzip
import itertools
import json
import warnings

import pytest

import kg
from kg.cluster.partitions import plan_file, read_part
from kg.cluster.resolve_bag import (
    apply_resolution,
    mention_rows,
    resolve_rows,
    resolved_pairs,
)
from kg.extract import resolve
from kg.graph import PAPER, paper_mentions
from kg.ingest import read_listing

from .conftest import CORPUS, NEEDS_SHARED, SEEDS

FILES = ("graph.json", "graph.sqlite", "graph.ttl", "graph.nt", "graph.html")


def _jsonl(tmp_path, name: str, newline: str = "\n", gz: bool = False):
    rows = [json.dumps({"title": f"Paper {i}", "authors": ["Ann Lee"], "abstract": f"We use Adam {i}."})
            for i in range(9)]
    rows[3] = ""  # a blank line
    rows[5] = json.dumps({"authors": ["No Title"]})  # skipped: a problem naming its line
    rows[7] = json.dumps({"title": "Ünïcode tïtle", "abstract": "Bytes ≠ characters."})
    data = newline.join(rows).encode()
    p = tmp_path / name
    p.write_bytes(gzip.compress(data) if gz else data)
    return str(p)


@pytest.mark.parametrize("name,newline,gz,kind", [("a.jsonl", "\n", False, "bytes"),
                                                  ("b.jsonl", "\r\n", False, "lines"),
                                                  ("c.jsonl.gz", "\n", True, "lines")])
def test_parts_read_like_the_whole_file(tmp_path, name, newline, gz, kind):
    path = _jsonl(tmp_path, name, newline, gz)
    whole = read_listing(path)
    specs = plan_file(path, None, part_lines=2)
    assert len(specs) == 5 and {s[0] for s in specs} == {kind}
    assert all(isinstance(x, (str, int)) for s in specs for x in s)  # a path and a range only
    parts = [read_part(s) for s in specs]
    assert [r for p in parts for r in p.records] == whole.records  # titles, lines, sources
    assert [m for p in parts for m in p.problems] == whole.problems
    assert any(":6:" in m for m in whole.problems)


def test_other_formats_are_one_part_per_file():
    path = str(min(SEEDS.glob("*.txt")))
    (spec,) = plan_file(path, None)
    assert spec[0] == "file" and read_part(spec).records == read_listing(path).records


def _resolve_both(results):
    results = sorted(results, key=lambda r: r["id"])
    one = copy.deepcopy(results)
    resolve(one)
    rows = mention_rows(results, list(range(len(results))))
    import dask.bag as db

    amb, comp_of, table = resolve_rows(db.from_sequence(rows, npartitions=5))
    apply_resolution(results, resolved_pairs(rows, amb, comp_of, table))
    return one, results, amb


def test_bag_resolution_equals_resolve_on_the_seeds(seed_graph):
    results = [paper_mentions(seed_graph, p) for p, t in seed_graph.nodes(data="type") if t == PAPER]
    one, bag, _ = _resolve_both(results)
    assert sum(len(r["methods"]) + len(r["benchmarks"]) for r in bag) > 400
    assert bag == one


@pytest.mark.slow
def test_bag_resolution_equals_resolve_on_a_corpus_sample():
    if not CORPUS.is_file():
        pytest.skip(NEEDS_SHARED)
    from kg.parallel import run_extraction

    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in itertools.islice(f, 1500)]
    papers = [{"id": f"p{i:05d}", "title": r["title"], "abstract": r.get("abstract")} for i, r in enumerate(rows)]
    one, bag, amb = _resolve_both(run_extraction(papers, jobs=2))
    assert len(amb) > 5  # acronyms with several expansions: the hardest rule is exercised
    assert bag == one


def _local_cluster():
    distributed = pytest.importorskip("dask.distributed", reason="dask.distributed not installed")
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address=None)


def _build_both(tmp_path, inputs, scheduler):
    from kg.cli import main

    assert main(["build", *inputs, "--jobs", "1", "--out", str(tmp_path / "one"), "-q"]) == 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["build", *inputs, "--engine", "dask", "--scheduler", scheduler,
                     "--out", str(tmp_path / "dask"), "-q"]) == 0
    for f in FILES:
        assert (tmp_path / "dask" / f).read_bytes() == (tmp_path / "one" / f).read_bytes(), f
    assert sorted(p.name for p in (tmp_path / "dask").iterdir()) == \
        sorted(p.name for p in (tmp_path / "one").iterdir())  # the shards were merged away
    return [str(w.message) for w in caught]


@pytest.mark.slow
def test_cli_build_on_a_local_cluster_equals_jobs_1(tmp_path):
    """Every output file byte for byte, and no task graph above 50 kB (the previous Dask path,
    abstracts inside the tasks, crosses it on the seeds: the check can fail)."""
    import dask

    with _local_cluster() as cluster, \
            dask.config.set({"distributed.admin.large-graph-warning-threshold": "50kB"}):
        caught = _build_both(tmp_path, [str(SEEDS)], cluster.scheduler_address)
        assert not [m for m in caught if "large graph" in m]
        with warnings.catch_warnings(record=True) as old:
            warnings.simplefilter("always")
            kg.graph.add(kg.graph.new_graph(), [str(SEEDS)], engine="dask",
                         scheduler=cluster.scheduler_address)
        assert [w for w in old if "large graph" in str(w.message)]


@pytest.mark.slow
def test_cli_build_of_a_corpus_sample_on_a_local_cluster(tmp_path, capsys):
    """1,200 corpus papers as one plain JSON Lines file (byte ranges) and one gzip file (line
    ranges), several parts each; a damaged line in a part is the one-line error of a local build."""
    if not CORPUS.is_file():
        pytest.skip(NEEDS_SHARED)
    import kg.cluster

    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        lines = list(itertools.islice(f, 1200))
    (tmp_path / "a.jsonl").write_text("".join(lines[:700]), encoding="utf-8")
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress("".join(lines[700:]).encode()))
    inputs = [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl.gz")]
    old = kg.cluster.PART_LINES
    kg.cluster.PART_LINES = 200  # read as several parts per file
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines[:450]) + "{not json\n" + "".join(lines[450:500]), encoding="utf-8")
    try:
        with _local_cluster() as cluster:
            _build_both(tmp_path, inputs, cluster.scheduler_address)
            from kg.cli import main

            before = (tmp_path / "dask" / "graph.json").read_bytes()
            assert main(["build", str(bad), "--engine", "dask", "--scheduler", cluster.scheduler_address,
                         "--out", str(tmp_path / "dask"), "-q"]) == 2
            assert f"{bad}:451:" in capsys.readouterr().err  # the file and line, as one process says
            assert (tmp_path / "dask" / "graph.json").read_bytes() == before  # nothing damaged
    finally:
        kg.cluster.PART_LINES = old
