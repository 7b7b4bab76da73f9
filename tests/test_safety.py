"""Data safety of `kg build` / `kg add` (issue 14): one writer at a time, all-or-nothing
output folders, workers that die with their parent, predictable update semantics."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg._io import lock_path, writer_lock
from kg.cli import main

from .conftest import ROOT, SEEDS

SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))
ENV = {**os.environ, "KG_NO_PROGRESS": "1", "PYTHONPATH": str(ROOT)}


def kg(*argv, **kw) -> subprocess.Popen:
    kw.setdefault("env", ENV)
    return subprocess.Popen([sys.executable, "-m", "kg", *map(str, argv)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def papers(graph: Path) -> set[str]:
    return {n["id"] for n in json.loads(graph.read_text())["nodes"] if n["type"] == "paper"}


def test_concurrent_adds_lose_no_paper(tmp_path):
    """Three `kg add` at once on one graph (each read-modify-write): every paper of every
    listing is in the result, as in one build of all of them."""
    out = tmp_path / "o"
    assert main(["build", SEED_FILES[0], "--out", str(out), "--no-extract", "--only-json", "-q"]) == 0
    with writer_lock(out):  # the three start while the folder is locked: they must queue
        procs = [kg("add", f, "--graph", out / "graph.json", "--no-extract", "--only-json", "-q")
                 for f in SEED_FILES[1:4]]
        time.sleep(3)  # long enough for them to start and find the lock taken
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(rc == 0 for *_, rc in results), results
    assert sum("waiting for another kg process" in err for _, err, _ in results) >= 1
    whole = tmp_path / "whole"
    assert main(["build", *SEED_FILES[:4], "--out", str(whole), "--no-extract", "--only-json", "-q"]) == 0
    assert papers(out / "graph.json") == papers(whole / "graph.json")
    assert sorted(p.name for p in tmp_path.iterdir() if ".kg-staging" in p.name) == []


def test_concurrent_builds_leave_one_whole_set(tmp_path):
    """Three `kg build --out same` of different inputs: the folder holds one build's complete
    set (graph.json and graph.html of the same run), not a mix."""
    out, ref = tmp_path / "o", tmp_path / "ref"
    sets = [SEED_FILES[:1], SEED_FILES[1:2], SEED_FILES[:2]]
    expected = []
    for i, inputs in enumerate(sets):
        assert main(["build", *inputs, "--out", str(ref / str(i)), "--no-extract", "-q"]) == 0
        expected.append({p.name: p.read_bytes() for p in (ref / str(i)).iterdir()})
    procs = [kg("build", *inputs, "--out", out, "--no-extract", "-q") for inputs in sets]
    assert all(p.wait(timeout=180) == 0 for p in procs)
    got = {p.name: p.read_bytes() for p in out.iterdir()}
    assert got in expected
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kg-")] == []


def test_no_wait_fails_with_one_line_and_wait_waits(tmp_path):
    out = tmp_path / "o"
    assert main(["build", SEED_FILES[0], "--out", str(out), "--no-extract", "--only-json", "-q"]) == 0
    before = (out / "graph.json").read_bytes()
    with writer_lock(out):
        p = kg("add", SEED_FILES[1], "--graph", out / "graph.json", "--no-extract", "--no-wait")
        _, err = p.communicate(timeout=60)
        assert p.returncode == 2 and len(err.strip().splitlines()) == 1, err
        assert "another kg process is writing" in err and str(lock_path(out)) in err
        assert (out / "graph.json").read_bytes() == before
        waiter = kg("add", SEED_FILES[1], "--graph", out / "graph.json", "--no-extract", "-q")
        time.sleep(4)  # time to start and reach the lock: it must be waiting there
        assert waiter.poll() is None and (out / "graph.json").read_bytes() == before
    _, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 0 and "waiting for another kg process" in err
    assert len(papers(out / "graph.json")) == 24


def _children(pid: int) -> list[int]:
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(d.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(tmp_path, sig):
    """`kg build --jobs 2` killed during extraction leaves no worker process behind."""
    # faulthandler: a build that hangs after the signal is made to print every thread's stack
    p = kg("build", SEEDS, "--out", tmp_path / "o", "--jobs", "2", "-q", env={**ENV, "PYTHONFAULTHANDLER": "1"})
    deadline, kids = time.time() + 90, []
    while time.time() < deadline and len(kids) < 2 and p.poll() is None:
        time.sleep(0.2)
        kids = _children(p.pid)
    assert len(kids) == 2, "the build did not start two workers"
    p.send_signal(sig)
    try:
        p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGABRT)  # faulthandler dumps the threads' stacks to stderr
        _, err = p.communicate(timeout=30)
        pytest.fail(f"kg build still running 30 s after signal {sig!r}; its threads:\n{err[-6000:]}")
    deadline = time.time() + 10
    while time.time() < deadline and any(map(_alive, kids)):
        time.sleep(0.2)
    left = [k for k in kids if _alive(k)]
    for k in left:
        os.kill(k, signal.SIGKILL)
    assert not left and p.returncode == (-9 if sig == signal.SIGKILL else 143)
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- update semantics
def _corpus_rows(corpus_records, n=3):
    rows = [dict(r) for r in corpus_records[:n]]
    for i, r in enumerate(rows):
        r["doi"] = f"10.5555/kg-test.{i}"
    return rows


def _write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_add_takes_the_corrected_record(tmp_path, corpus_records, capsys):
    """A corrected listing (title typo fixed, shorter abstract, an author removed) updates the
    papers with the same DOI instead of adding a second paper or keeping the old fields."""
    rows = _corpus_rows(corpus_records)
    out = tmp_path / "o"
    assert main(["build", str(_write_jsonl(tmp_path / "v1.jsonl", rows)), "--out", str(out),
                 "--no-extract", "--only-json", "-q"]) == 0
    fixed = [dict(r) for r in rows]
    fixed[0]["title"] = rows[0]["title"] + " (corrected)"
    fixed[1]["abstract"] = "A shorter abstract."
    fixed[2]["authors"] = rows[2]["authors"][:1]
    new = {"title": "A New Paper", "authors": ["Ada Lovelace"], "abstract": "New."}
    capsys.readouterr()
    assert main(["add", str(_write_jsonl(tmp_path / "v2.jsonl", fixed + [new])),
                 "--graph", str(out / "graph.json"), "--no-extract", "--only-json"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "1 added, 3 updated, 0 unchanged"
    nodes = {n["doi"]: n for n in json.loads((out / "graph.json").read_text())["nodes"] if n.get("doi")}
    assert len(nodes) == 3
    assert nodes["10.5555/kg-test.0"]["title"] == fixed[0]["title"]
    assert nodes["10.5555/kg-test.1"]["abstract"] == "A shorter abstract."
    assert nodes["10.5555/kg-test.2"]["authors"] == rows[2]["authors"][:1]
    assert all([s.rsplit("/", 1)[-1] for s in n["sources"]] == ["v1.jsonl", "v2.jsonl"] for n in nodes.values())
    capsys.readouterr()
    assert main(["add", str(tmp_path / "v2.jsonl"), "--graph", str(out / "graph.json"),
                 "--no-extract", "--only-json", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert (s["added"], s["updated"], s["unchanged"]) == (0, 0, 4)


def test_keep_longer_is_the_old_rule(tmp_path, corpus_records, capsys):
    rows = _corpus_rows(corpus_records, 1)
    out = tmp_path / "o"
    assert main(["build", str(_write_jsonl(tmp_path / "v1.jsonl", rows)), "--out", str(out),
                 "--no-extract", "--only-json", "-q"]) == 0
    short = [{**rows[0], "abstract": "Short.", "authors": rows[0]["authors"][:1]}]
    capsys.readouterr()
    assert main(["add", str(_write_jsonl(tmp_path / "v2.jsonl", short)), "--graph", str(out / "graph.json"),
                 "--no-extract", "--only-json", "--keep-longer"]) == 0
    assert capsys.readouterr().out.startswith("0 added, 0 updated, 1 unchanged")
    node = next(n for n in json.loads((out / "graph.json").read_text())["nodes"] if n.get("doi"))
    assert node["abstract"] == rows[0]["abstract"] and node["authors"] == rows[0]["authors"]


def test_add_onto_a_no_extract_graph_extracts_every_paper(tmp_path):
    """The extractor stamp means what it says: after `kg add` with extraction onto a graph
    built with --no-extract, the old papers are extracted too (same graph as a full build)."""
    part, whole = tmp_path / "part", tmp_path / "whole"
    assert main(["build", SEED_FILES[0], "--out", str(part), "--no-extract", "--only-json", "-q"]) == 0
    assert main(["add", SEED_FILES[1], "--graph", str(part / "graph.json"), "--only-json", "-q"]) == 0
    assert main(["build", *SEED_FILES[:2], "--out", str(whole), "--only-json", "-q"]) == 0
    assert (part / "graph.json").read_bytes() == (whole / "graph.json").read_bytes()
    # the other way: papers added without extraction to an extracted graph are listed, and
    # extracted by the next add that extracts
    assert main(["build", SEED_FILES[0], "--out", str(part), "--only-json", "-q"]) == 0
    assert main(["add", SEED_FILES[1], "--graph", str(part / "graph.json"), "--no-extract",
                 "--only-json", "-q"]) == 0
    g = json.loads((part / "graph.json").read_text())["graph"]
    assert len(g["not_extracted"]) == 12 and g["extractor_version"]
    assert main(["add", SEED_FILES[0], "--graph", str(part / "graph.json"), "--only-json", "-q"]) == 0
    assert (part / "graph.json").read_bytes() == (whole / "graph.json").read_bytes()


def test_symlinked_out_folder_stays_a_symlink(tmp_path):
    """--out naming a symlink to a folder: the folder it points to gets the new set, the link
    stays; a build through the link and one through the real path share one lock."""
    real = tmp_path / "real"
    link = tmp_path / "link"
    assert main(["build", SEED_FILES[0], "--out", str(real), "--no-extract", "--only-json", "-q"]) == 0
    link.symlink_to(real, target_is_directory=True)
    assert lock_path(link) == lock_path(real)
    (real / "notes.txt").write_text("mine\n")
    assert main(["build", *SEED_FILES[:2], "--out", str(link), "--no-extract", "--only-json", "-q"]) == 0
    assert link.is_symlink() and len(papers(real / "graph.json")) == 24
    assert (real / "notes.txt").read_text() == "mine\n"


_KILLED_MID_SEND = """
import os, signal, sys, threading, time
from kg.parallel import PoolTerminated, map_processes
def big(i):
    return "x" * (200 * 2**20)  # 200 MB: the worker is still sending it when the signal comes
signal.signal(signal.SIGTERM, lambda *a: None)  # a previous handler that returns
threading.Timer(float(sys.argv[1]), os.kill, (os.getpid(), signal.SIGTERM)).start()
try:
    map_processes(big, list(range(6)), 2)
    print("finished")
except PoolTerminated:
    print("terminated")
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("delay", [0.5, 1.0])
def test_pool_killed_while_a_worker_sends_a_result_does_not_hang(delay):
    """SIGTERM while a worker is writing a big result into the pool's pipe: the workers are
    killed and map_processes returns (PoolTerminated) instead of waiting for ever for the rest of
    a half-sent result (what `kg build --jobs 2` did when terminated while reading files)."""
    p = subprocess.run([sys.executable, "-c", _KILLED_MID_SEND, str(delay)], env=ENV, cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.split() == ["terminated"], p.stderr[-2000:]
