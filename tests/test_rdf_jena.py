"""Apache Jena beside kg (Debian's ``libapache-jena-java`` 4.5.0, installed by the test when it
can be, skipped otherwise; classpath: ``tools/jena.py``): a ``kg add --rdf-delta`` SPARQL
Update applied by Jena's ``update`` command to the old export gives the new export, triple
for triple, over two adds; and Jena SHACL agrees with ``kg validate`` on a good export and
on one with a typo predicate."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.export import rdf

from .conftest import apt_install
from .test_rdf import nasty_graph

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
sys.path.insert(0, str(ROOT))
from tools import jena  # noqa: E402


@pytest.fixture(scope="module")
def java_cp(tmp_path_factory) -> str:
    reason = apt_install([jena.PACKAGE], [jena.MARKER])
    if reason or not shutil.which("java"):
        pytest.skip(reason or "java is not installed")
    cp = jena.classpath(tmp_path_factory.mktemp("jena"))
    assert cp is not None
    return cp


def java(cp: str, *args: str) -> str:
    r = subprocess.run(["java", "-cp", cp, *args], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-1500:]
    return r.stdout


def triples(data: bytes | None = None, path: Path | None = None, fmt=ox.RdfFormat.N_TRIPLES) -> set:
    quads = ox.parse(data, format=fmt) if path is None else ox.parse(path=str(path), format=fmt)
    return {(q.subject, q.predicate, q.object) for q in quads}


@pytest.mark.slow
def test_deltas_applied_by_jena_update_equal_the_new_export(java_cp, tmp_path):
    out = tmp_path / "exports"
    assert main(["build", str(SEEDS[0]), "--out", str(out), "-q", "--no-extract"]) == 0
    current = tmp_path / "store.nt"
    shutil.copy(out / "graph.nt", current)
    for i, listing in enumerate(SEEDS[1:3], 1):
        ru = tmp_path / f"add{i}.ru"
        assert main(["add", str(listing), "--graph", str(out / "graph.json"), "--rdf-delta", str(ru),
                     "-q", "--no-extract"]) == 0
        dumped = java(java_cp, "arq.update", "--data", str(current), "--update", str(ru), "--dump")
        got = triples(dumped.encode("utf-8"), fmt=ox.RdfFormat.TRIG)  # --dump writes TriG
        assert got == triples(path=out / "graph.nt"), f"after add {i}"
        current = tmp_path / f"store{i}.trig"  # the next delta applies to what Jena wrote
        current.write_text(dumped, encoding="utf-8")


@pytest.mark.slow
def test_jena_shacl_agrees_with_kg_validate(java_cp, tmp_path):
    good = tmp_path / "g.nt"
    rdf.write_rdf(nasty_graph(), good)
    typo = tmp_path / "typo.nt"
    typo.write_text(good.read_text(encoding="utf-8").replace("<http://schema.org/name>", "<http://schema.org/nmae>", 1),
                    encoding="utf-8")
    shapes = str(ROOT / "kg" / "shapes.ttl")
    for f, conforms in ((good, True), (typo, False)):
        report = java(java_cp, "shacl.shacl", "validate", "--shapes", shapes, "--data", str(f))
        assert ("sh:conforms  true" in report) is conforms, report[:1500]
        assert rdf.validate(f)[0] is conforms
    assert "nmae" in report and "ClosedConstraintComponent" in report
