"""Hostile inputs (issue 14): damaged graph.json, deep JSON, lone surrogates, pipes and
devices, a stray CSV quote, long CSV fields, author lists, BibTeX macros and duplicate keys.
Each is one line and exit 2, or a kept record with a warning: never a traceback, a hang or
records silently lost."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from kg.cli import main

from .conftest import ROOT, SEEDS

SEED = str(sorted(SEEDS.glob("*.txt"))[0])
ENV = {**os.environ, "KG_NO_PROGRESS": "1", "PYTHONPATH": str(ROOT)}


def kg(*argv, timeout=60):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, argv)], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def one_line_error(proc, *words):
    err = proc.stderr.strip()
    assert proc.returncode == 2 and "Traceback" not in err and len(err.splitlines()) == 1, err
    assert all(w in err for w in words), err


@pytest.fixture(scope="module")
def seed_graph_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("g")
    assert main(["build", SEED, "--out", str(out), "--only-json", "-q"]) == 0
    return out / "graph.json"


def _damage(data, how):
    nodes = data["nodes"]
    if how == "author-name":
        del next(n for n in nodes if n["type"] == "author")["name"]
    elif how == "edge-type":
        del data["edges"][0]["type"]
    elif how == "title-null":
        next(n for n in nodes if n["type"] == "paper")["title"] = None
    elif how == "sources-null":
        next(n for n in nodes if n["type"] == "paper")["sources"] = None
    elif how == "graph-sources-null":
        data["graph"]["sources"] = None
    elif how == "edge-to-nowhere-type":
        data["edges"][0]["type"] = "cites"
    elif how == "node-id-number":  # found by the fuzz suite: a sort of mixed ids crashed
        next(n for n in nodes if n["type"] == "author")["id"] = 58
    return data


@pytest.mark.parametrize("how", ["author-name", "edge-type", "title-null", "sources-null",
                                 "graph-sources-null", "edge-to-nowhere-type", "node-id-number"])
@pytest.mark.parametrize("command", ["query", "add"])
def test_damaged_graph_json_is_one_line(tmp_path, seed_graph_file, how, command):
    g = tmp_path / "graph.json"
    g.write_text(json.dumps(_damage(json.loads(seed_graph_file.read_text()), how)), encoding="utf-8")
    before = g.read_bytes()
    if command == "query":
        proc = kg("query", "central", "--graph", g)
    else:
        proc = kg("add", SEED, "--graph", g, "--no-extract")
    one_line_error(proc, str(g), "damaged kg graph.json")
    assert g.read_bytes() == before


def test_deeply_nested_json_is_one_line(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 2000 + "]" * 2000)
    one_line_error(kg("parse", deep), "deep.json", "nested too deeply")
    obj = tmp_path / "deep.jsonl"
    obj.write_text('{"title": ' + '{"a": ' * 2000 + "1" + "}" * 2001 + "\n")
    one_line_error(kg("parse", obj), "deep.jsonl:1", "nested too deeply")
    g = tmp_path / "graph.json"
    g.write_text('{"graph": {"format": "kg-graph/1"}, "nodes": ' + "[" * 2000 + "]" * 2000 + "}")
    one_line_error(kg("query", "central", "--graph", g), "graph.json")


def test_lone_surrogate_is_replaced_and_reported(tmp_path, corpus_records):
    rows = [dict(r) for r in corpus_records[:3]]
    f = tmp_path / "papers.jsonl"
    lines = [json.dumps(r) for r in rows]
    lines[1] = lines[1].replace('"title": "', '"title": "\\ud800', 1)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = kg("build", f, "--out", tmp_path / "o", "--no-extract")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "papers.jsonl:2: lone surrogate \\ud800" in proc.stderr
    titles = {n.get("title") for n in json.loads((tmp_path / "o" / "graph.json").read_text())["nodes"]}
    assert "\ufffd" + rows[1]["title"] in titles and rows[0]["title"] in titles
    assert (tmp_path / "o" / "graph.ttl").stat().st_size > 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_and_device_are_refused_not_read(tmp_path):
    fifo = tmp_path / "papers.jsonl"
    os.mkfifo(fifo)
    one_line_error(kg("parse", fifo, timeout=30), "papers.jsonl", "not a regular file")
    one_line_error(kg("build", "/dev/zero", "--out", tmp_path / "o", timeout=30), "/dev/zero", "not a regular file")
    one_line_error(kg("query", "central", "--graph", fifo, timeout=30), "not a regular file")


# --------------------------------------------------------------------------- CSV
def _corpus_csv(records, n=100) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["title", "authors", "year", "venue"])
    for r in records[:n]:
        w.writerow([r["title"], "; ".join(r["authors"]), r["year"], r["venue"]])
    return buf.getvalue()


def _parse(path):
    proc = kg("parse", path)
    recs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all(r.pop("source_path").endswith("/" + r["source"]) for r in recs)
    return proc, recs


def test_stray_csv_quote_does_not_swallow_the_file(tmp_path, corpus_records):
    """Row 4 of 100 starts its title with a quote that is never closed."""
    lines = _corpus_csv(corpus_records).splitlines()
    lines[4] = '"' + lines[4]
    f = tmp_path / "papers.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc, recs = _parse(f)
    assert proc.returncode == 0 and len(recs) == 100, proc.stderr
    assert "papers.csv:5: unbalanced quote: its field ran over lines 5-" in proc.stderr
    assert [r["title"] for r in recs[4:]] == [r["title"] for r in corpus_records[4:100]]


def test_csv_multiline_quoted_abstract_still_reads(tmp_path, corpus_records):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["title", "authors", "abstract"])
    for r in corpus_records[:20]:
        w.writerow([r["title"], "; ".join(r["authors"]), r["abstract"].replace(". ", ".\n")])
    f = tmp_path / "papers.csv"
    f.write_text(buf.getvalue(), encoding="utf-8")
    proc, recs = _parse(f)
    assert proc.returncode == 0 and proc.stderr == "" and len(recs) == 20
    assert recs[3]["abstract"] == " ".join(corpus_records[3]["abstract"].split())


def test_csv_field_over_128_kb(tmp_path, corpus_records):
    r = corpus_records[0]
    f = tmp_path / "long.csv"
    long_abstract = " ".join([r["abstract"]] * (200_000 // len(r["abstract"]) + 1))
    f.write_text(f'title,authors,abstract\n{r["title"]},Ada Lovelace,"{long_abstract}"\n', encoding="utf-8")
    proc, recs = _parse(f)
    assert proc.returncode == 0 and len(recs[0]["abstract"]) > 131072


def test_csv_author_list_with_a_one_word_name(tmp_path):
    f = tmp_path / "papers.csv"
    f.write_text('title,authors\nOn Engines,"Ada Lovelace, Turing"\nOn Art,"van Gogh, Vincent"\n'
                 'On Rights,"Martin Luther King, Jr."\n', encoding="utf-8")
    _, recs = _parse(f)
    assert [r["authors"] for r in recs] == [["Ada Lovelace", "Turing"], ["Vincent van Gogh"],
                                           ["Martin Luther King Jr."]]


# --------------------------------------------------------------------------- BibTeX
def test_bibtex_string_macros_joined_with_hash(tmp_path):
    f = tmp_path / "refs.bib"
    f.write_text('@string{ada = "Ada"}\n@string{conf = "Proc. of " # "NeurIPS"}\n'
                 '@inproceedings{a1, title = {Notes} # " on " # {Engines}, author = ada # " Lovelace and Alan Turing",\n'
                 '  booktitle = conf, year = 1843, month = jan}\n', encoding="utf-8")
    _, recs = _parse(f)
    assert recs == [{"title": "Notes on Engines", "authors": ["Ada Lovelace", "Alan Turing"], "abstract": None,
                     "source": "refs.bib", "year": 1843, "venue": "Proc. of NeurIPS"}]


def test_bibtex_duplicate_keys_keep_both_entries(tmp_path):
    f = tmp_path / "refs.bib"
    f.write_text("@article{smith2020, title={First Paper}, author={Ann Smith}, year=2020}\n\n"
                 "@article{smith2020, title={Second Paper}, author={Ann Smith}, year=2020}\n", encoding="utf-8")
    proc, recs = _parse(f)
    assert [r["title"] for r in recs] == ["First Paper", "Second Paper"]
    assert "refs.bib:3: duplicate BibTeX key 'smith2020' (first at line 1); both entries kept" in proc.stderr
    assert "does not parse" not in proc.stderr
