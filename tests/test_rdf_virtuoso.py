"""A ``kg add --rdf-delta`` SPARQL Update applied in Virtuoso 7 (``virtuoso-opensource``, when
installed; skipped otherwise): a private server on loopback ports, the old export bulk-loaded
with ``DB.DBA.TTLP_MT`` into a graph, each delta run through ``isql`` with that graph as the
default graph; the graph then equals the new export, triple for triple, after two adds."""
from __future__ import annotations

import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main

from .conftest import apt_install, stop_server
from .test_rdf_store import free_port

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GRAPH = "urn:kg:test"
INI = """[Database]
DatabaseFile = {d}/db.db
ErrorLogFile = {d}/db.log
TransactionFile = {d}/db.trx
xa_persistent_file = {d}/db.pxa
[TempDatabase]
DatabaseFile = {d}/tmp.db
TransactionFile = {d}/tmp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
[SPARQL]
ResultSetMaxRows = 1000000
"""


class Virtuoso:
    def __init__(self, folder: Path, sql: int, http: int):
        self.folder, self.sql, self.http = folder, sql, http

    def isql(self, text: str) -> str:
        f = self.folder / "cmd.sql"
        f.write_text(text, encoding="utf-8")
        r = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql}", "dba", "dba", str(f)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "*** Error" not in r.stdout, r.stdout[-1500:] + r.stderr[-500:]
        return r.stdout

    def triples(self) -> set:
        q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
        url = f"http://127.0.0.1:{self.http}/sparql?" + urllib.parse.urlencode({"query": q})
        req = urllib.request.Request(url, headers={"Accept": "text/plain"})
        with urllib.request.urlopen(req, timeout=120) as r:
            data = r.read()
        return {(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    reason = apt_install(["virtuoso-opensource"], ["/usr/bin/virtuoso-t", "/usr/bin/isql-vt"])
    if reason or not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
        pytest.skip(reason or "Virtuoso is not installed (apt-get install virtuoso-opensource)")
    d = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (d / "virtuoso.ini").write_text(INI.format(d=d, sql=sql, http=http))
    log = open(d / "server.log", "wb")
    proc = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(d / "virtuoso.ini")],
                            cwd=d, stdout=log, stderr=subprocess.STDOUT)
    v = Virtuoso(d, sql, http)
    deadline = time.monotonic() + 60
    while True:
        r = subprocess.run(["isql-vt", f"127.0.0.1:{sql}", "dba", "dba", "exec=SELECT 1;"],
                           capture_output=True, text=True, timeout=30)
        if r.returncode == 0:
            break
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("Virtuoso did not start: " + (d / "db.log").read_text(errors="replace")[-1000:])
        time.sleep(0.5)
    try:
        yield v
    finally:
        stop_server(proc, timeout=30)
        log.close()


def nt_triples(path: Path) -> set:
    return {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)}


def test_deltas_in_virtuoso_equal_the_new_export(virtuoso, tmp_path):
    out = tmp_path / "exports"
    assert main(["build", str(SEEDS[0]), "--out", str(out), "-q", "--no-extract"]) == 0
    # the server reads files only from its DirsAllowed: copy the export beside its database
    shutil.copy(out / "graph.nt", virtuoso.folder / "old.nt")
    virtuoso.isql(f"SPARQL CLEAR GRAPH <{GRAPH}>;\n"
                  f"DB.DBA.TTLP_MT(file_to_string_output('{virtuoso.folder / 'old.nt'}'), '', '{GRAPH}');\n")
    assert virtuoso.triples() == nt_triples(out / "graph.nt")
    for i, listing in enumerate(SEEDS[1:3], 1):
        ru = tmp_path / f"add{i}.ru"
        assert main(["add", str(listing), "--graph", str(out / "graph.json"), "--rdf-delta", str(ru),
                     "-q", "--no-extract"]) == 0
        delete, insert = ru.read_text(encoding="utf-8").split("} ;\n", 1)
        pre = f"SPARQL DEFINE input:default-graph-uri <{GRAPH}> "
        virtuoso.isql(f"{pre}{delete}}};\n{pre}{insert.rstrip()};\n")
        assert virtuoso.triples() == nt_triples(out / "graph.nt"), f"after add {i}"
