"""`kg build` / `kg add` end to end: outputs, summary, determinism, bad input, atomic writes."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kg.cli import main

from .conftest import ROOT, SEEDS

SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))


def run(*argv):
    return main([str(a) for a in argv])


def test_build_writes_graph_and_prints_summary(tmp_path, capsys):
    assert run("build", *SEED_FILES[:2], "--out", tmp_path, "--no-extract", "--only-json") == 0
    out = capsys.readouterr().out
    assert "papers: 24" in out and "authors:" in out and "co-author pairs:" in out and "sources: 2" in out
    data = json.loads((tmp_path / "graph.json").read_text())
    assert data["directed"] is True and {"nodes", "edges", "graph"} <= set(data)
    assert sum(n["type"] == "paper" for n in data["nodes"]) == 24


def test_build_json_summary(tmp_path, capsys):
    assert run("build", SEED_FILES[0], "--out", tmp_path, "--no-extract", "--only-json", "--json") == 0
    s = json.loads(capsys.readouterr().out)
    assert s["papers"] == 12 and s["sources"] == 1


def test_build_twice_is_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("build", "--out", a, "-q") == 0
    assert run("build", *SEED_FILES, "--out", b, "-q") == 0
    names = sorted(p.name for p in a.iterdir())
    assert "graph.json" in names and names == sorted(p.name for p in b.iterdir())
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n


def test_add_merges_without_duplicates(tmp_path, capsys):
    whole = tmp_path / "whole"
    part = tmp_path / "part"
    assert run("build", *SEED_FILES, "--out", whole, "--no-extract", "--only-json", "-q") == 0
    assert run("build", *SEED_FILES[:3], "--out", part, "--no-extract", "--only-json", "-q") == 0
    assert run("add", *SEED_FILES[2:], "--graph", part / "graph.json", "--no-extract", "--only-json", "-q") == 0
    assert (part / "graph.json").read_bytes() == (whole / "graph.json").read_bytes()


@pytest.mark.parametrize("content,expect", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    ("Publications\n\nT\u00e9st title\n".encode("latin-1"), "UTF-8"),
    (b"just some words\nthat are no listing\n", "format"),
])
def test_bad_input_is_one_line_exit_2_and_exports_untouched(tmp_path, capsys, content, expect):
    out = tmp_path / "out"
    assert run("build", SEED_FILES[0], "--out", out, "--no-extract", "--only-json", "-q") == 0
    before = (out / "graph.json").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    capsys.readouterr()
    assert run("build", SEED_FILES[0], bad, "--out", out, "--no-extract") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bad.txt" in err and expect.lower() in err.lower(), err
    assert (out / "graph.json").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_missing_path(tmp_path, capsys):
    assert run("build", tmp_path / "nope.txt", "--out", tmp_path) == 2
    err = capsys.readouterr().err
    assert "nope.txt" in err and "Traceback" not in err


def test_jsonl_line_not_json_names_file_and_line(tmp_path, capsys):
    f = tmp_path / "papers.jsonl"
    f.write_text('{"title": "A", "authors": ["X Y"], "abstract": "a"}\n{not json\n'
                 '{"title": "B", "authors": "X Y and Z W", "abstract": null}\n', encoding="utf-8")
    assert run("build", f, "--out", tmp_path / "o", "--no-extract", "--only-json") == 2
    err = capsys.readouterr().err
    assert "papers.jsonl:2:" in err and len(err.strip().splitlines()) == 1


def test_malformed_record_is_skipped_and_reported(tmp_path, capsys):
    f = tmp_path / "papers.jsonl"
    f.write_text('{"title": "A", "authors": ["X Y"], "abstract": "a"}\n{"authors": ["no title"]}\n'
                 '{"title": "B", "authors": "X Y and Z W", "abstract": null}\n', encoding="utf-8")
    assert run("build", f, "--out", tmp_path / "o", "--no-extract", "--only-json", "--json") == 0
    cap = capsys.readouterr()
    s = json.loads(cap.out)
    assert s["papers"] == 2 and s["skipped_records"] == 1 and s["coauthor_pairs"] == 1
    assert "papers.jsonl:2" in cap.err


def test_gzipped_jsonl(tmp_path, capsys):
    import gzip
    f = tmp_path / "papers.jsonl.gz"
    f.write_bytes(gzip.compress(b'{"title": "A", "authors": ["X Y"], "abstract": "a"}\n'))
    assert run("build", f, "--out", tmp_path / "o", "--no-extract", "--only-json", "--json") == 0
    assert json.loads(capsys.readouterr().out)["papers"] == 1


def test_csv_without_title_column(tmp_path, capsys):
    f = tmp_path / "papers.csv"
    f.write_text("authors,abstract\nA B,Some text.\n", encoding="utf-8")
    assert run("build", f, "--out", tmp_path / "o", "--no-extract") == 2
    err = capsys.readouterr().err
    assert "papers.csv" in err and "title" in err


def test_console_script_runs_without_traceback(tmp_path):
    """The installed entry point, as a user runs it."""
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(tmp_path / "missing")],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "KG_NO_PROGRESS": "1"})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "missing" in proc.stderr


@pytest.mark.parametrize("where", ["file", "under-file"])
def test_unwritable_out_is_one_line_exit_2(tmp_path, capsys, where):
    """--out naming a file (or a folder inside a file) is a user mistake: one line, no traceback."""
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker if where == "file" else blocker / "exports"
    assert run("build", SEED_FILES[0], "--out", out, "--no-extract", "--only-json") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("kg: error:") and "taken" in err, err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_export_over_a_folder_names_the_folder(tmp_path, capsys):
    assert run("build", SEED_FILES[0], "--out", tmp_path / "o", "--no-extract", "--only-json", "-q") == 0
    assert run("export", "rdf", "--graph", tmp_path / "o" / "graph.json", "--out", tmp_path / "o") == 2
    err = capsys.readouterr().err.strip()
    assert err == f"kg: error: {tmp_path / 'o'}: is a directory", err


def test_add_refuses_to_overwrite_an_rdf_export(tmp_path, capsys):
    """kg add writes node-link JSON: given an RDF export it stops instead of overwriting it."""
    out = tmp_path / "o"
    assert run("build", SEED_FILES[0], "--out", out, "--no-extract", "-q") == 0
    before = (out / "graph.ttl").read_bytes()
    assert run("add", SEED_FILES[1], "--graph", out / "graph.ttl", "--no-extract") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "graph.ttl" in err and "graph.json" in err, err
    assert (out / "graph.ttl").read_bytes() == before


def test_committed_exports_are_the_seed_build(tmp_path):
    """exports/ in the repository is exactly what `kg build` writes for the bundled seeds
    (regenerate with `kg build` after changing the extractor or an exporter)."""
    committed = ROOT / "exports"
    assert run("build", "--out", tmp_path, "-q") == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(p.name for p in committed.iterdir() if not p.name.startswith("."))
    stale = [n for n in names if (tmp_path / n).read_bytes() != (committed / n).read_bytes()]
    assert not stale, f"exports/ is stale, run `kg build`: {stale}"
