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
