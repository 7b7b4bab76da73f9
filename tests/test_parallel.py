"""Parallel and distributed builds give the same graph as a single-process build."""
from __future__ import annotations

import pytest

import kg
from kg.graph import to_json
from kg.model import KGError
from kg.parallel import run_extraction

from .conftest import SEEDS


@pytest.fixture(scope="module")
def seed_json_single():
    return to_json(kg.build([str(SEEDS)], jobs=1))


def test_jobs_2_is_byte_identical(seed_json_single):
    assert to_json(kg.build([str(SEEDS)], jobs=2)) == seed_json_single


def test_dask_local_cluster_equals_local_build(seed_json_single):
    distributed = pytest.importorskip("dask.distributed", reason="dask.distributed not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        G = kg.build([str(SEEDS)], engine="dask", scheduler=cluster.scheduler_address)
    assert to_json(G) == seed_json_single


def test_dask_without_scheduler_is_a_user_error():
    with pytest.raises(KGError, match="--scheduler"):
        run_extraction([{"id": 1, "title": "x", "abstract": None}], engine="dask")


def test_unknown_engine():
    with pytest.raises(KGError, match="unknown engine"):
        run_extraction([{"id": 1, "title": "x", "abstract": None}], engine="spark")


def test_reading_several_files_in_processes_is_the_same(tmp_path):
    from kg.parallel import read_all

    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    one, two = read_all(files, jobs=1), read_all(files, jobs=2)
    assert [(x.path, x.records, x.problems) for x in two] == [(x.path, x.records, x.problems) for x in one]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\x00\x01binary\xff")
    with pytest.raises(KGError) as one_err:
        read_all([*files, str(bad)], jobs=1)
    with pytest.raises(KGError) as two_err:  # the error of the file itself, as one process gives it
        read_all([*files, str(bad)], jobs=2)
    assert str(two_err.value) == str(one_err.value) and str(bad) in str(two_err.value)


def test_build_exports_in_processes_are_byte_identical(tmp_path):
    from kg.cli import main

    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        assert main(["build", str(SEEDS), "--out", str(out), "--jobs", jobs, "--no-extract", "-q"]) == 0
        outs[jobs] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert sorted(outs["2"]) == ["graph.html", "graph.json", "graph.nt", "graph.sqlite", "graph.ttl"]
    assert outs["2"] == outs["1"]
