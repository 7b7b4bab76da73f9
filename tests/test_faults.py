"""Fault injection and fuzzing (issue 14).

* **Kills**: `kg build` and `kg add` are killed (SIGKILL, some SIGTERM) at named points of the
  write path (``KG_FAULT_POINT=name:count``, see :func:`kg._io.fault`). After each kill the
  output folder holds exactly the old set of files or the new set, nothing else; what the dead
  run left beside it is removed by the next run.
* **Concurrent writers**: 4 `kg add` / `kg build` at once on one graph lose no paper.
* **Fuzz**: mutated listings of every format and mutated graph.json files (byte flips,
  truncation, spliced chunks, deep nesting, other encodings, hostile tokens) give exit 0 or 2
  with one line, never a traceback and never a hang.

The default run tries a few points and 40 inputs per format; ``-m slow`` every point and
1,000 inputs per format. Counts (tried / held) are printed; see docs/reliability.md.
"""
from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

from .conftest import CORPUS, NEEDS_SHARED, ROOT, SEEDS, SHARED, TEST_DATA

SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))
ENV = {**os.environ, "KG_NO_PROGRESS": "1", "PYTHONPATH": str(ROOT)}
JUNK = (".kg-staging", ".kg-old")


def kg(*argv, env=None, timeout=180):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, argv)], cwd=ROOT, env={**ENV, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def junk(base: Path) -> list[str]:
    found = [p.name for p in base.rglob("*") if p.name.startswith(JUNK) or p.name.endswith(".tmp")]
    return sorted(found)


# --------------------------------------------------------------------------- kills
# (command, point, count, signal, which set the folder must hold after the kill)
BUILD_POINTS = [("locked", 1), ("built", 1), ("staging-created", 1), ("wrote-json", 1), ("wrote-rdf", 1),
                ("wrote-html", 1), ("staged", 1), ("carried-over", 1), ("swapped", 1), ("cleaned", 1)]
AFTER_SWAP = {"swapped", "cleaned", "atomic-replaced", "renamed"}
CASES = ([("build", p, c, "KILL") for p, c in BUILD_POINTS]
         + [("add", p, c, "KILL") for p, c in BUILD_POINTS]
         + [("add-file", p, 1, "KILL") for p in ("locked", "built", "atomic-written", "atomic-replaced")]
         + [("build-fallback", p, 1, "KILL") for p in ("staged", "fallback-between", "swapped")]
         + [("build-subfolder", p, c, "KILL") for p, c in (("committed", 1), ("renamed", 1), ("renamed", 3))]
         + [("build", p, 1, "TERM") for p in ("wrote-json", "staged", "swapped")]
         + [("add", p, 1, "TERM") for p in ("built", "wrote-rdf")])
QUICK = {("build", "wrote-rdf", 1, "KILL"), ("add", "swapped", 1, "KILL"),
         ("build-fallback", "fallback-between", 1, "KILL"), ("build", "staged", 1, "TERM")}


@pytest.fixture(scope="module")
def kill_counts(request):
    """Counts kill points tried / held; printed once the module's kill tests are done."""
    counts = {"tried": 0, "held": 0}
    yield counts
    if counts["tried"]:
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(f"\nkill points: tried {counts['tried']}, held {counts['held']}")


def _command(kind: str, base: Path):
    """The folder (or file) a case writes, its command and its environment."""
    out = base / "exports"
    env = {"KG_NO_EXCHANGE": "1"} if kind == "build-fallback" else {}
    if kind.startswith("build"):
        return out, ["build", *SEED_FILES[:2], "--out", out, "--no-extract"], env
    if kind == "add":
        return out, ["add", SEED_FILES[1], "--graph", out / "graph.json", "--no-extract"], env
    return base / "mine.json", ["add", SEED_FILES[1], "--graph", base / "mine.json", "--no-extract"], env


def _prepare(kind: str, base: Path) -> None:
    """The old state: the first seed file built (plus a user's sub-folder, or a copy of the
    graph under another name, for the kinds that need them)."""
    out = base / "exports"
    assert main(["build", SEED_FILES[0], "--out", str(out), "--no-extract", "-q"]) == 0
    if kind == "build-subfolder":
        (out / "notes").mkdir()
        (out / "notes" / "mine.txt").write_text("user file\n")
    if kind == "add-file":
        shutil.copy(out / "graph.json", base / "mine.json")


def _state(out: Path):
    if out.is_dir():
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return {out.name: out.read_bytes()} if out.exists() else None


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """Per kind: a folder holding the old state, and the state after the command ran."""
    cache = {}

    def get(kind):
        if kind not in cache:
            old, new = tmp_path_factory.mktemp(f"old-{kind}"), tmp_path_factory.mktemp(f"new-{kind}")
            _prepare(kind, old)
            _prepare(kind, new)
            out, cmd, env = _command(kind, new)
            with _env(env):
                assert main([*map(str, cmd), "-q"]) == 0
            cache[kind] = old, _state(out)
        return cache[kind]

    return get


@contextlib.contextmanager
def _env(extra):
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.mark.parametrize("case", [pytest.param(c, marks=() if c in QUICK else pytest.mark.slow,
                                               id="-".join(map(str, c))) for c in CASES])
def test_kill_leaves_old_or_new_set(tmp_path, case, references, kill_counts):
    kind, point, count, sig = case
    kill_counts["tried"] += 1
    old_dir, new = references(kind)
    work = tmp_path / "work"
    shutil.copytree(old_dir, work, symlinks=True)
    out, cmd, env = _command(kind, work)
    old = _state(out)
    assert new != old
    proc = kg(*cmd, env={**env, "KG_FAULT_POINT": f"{point}:{count}", "KG_FAULT_SIGNAL": sig})
    assert proc.returncode == (-9 if sig == "KILL" else 143), (proc.returncode, proc.stderr[-500:])
    assert "Traceback" not in proc.stderr
    after = _state(out)
    if kind == "build-fallback" and point == "fallback-between":
        assert after is None  # between the two renames: the next run puts the old set back first
    elif kind == "build-subfolder" and point in ("committed", "renamed"):
        assert after in (old, new) or point == "renamed"  # renamed in one by one; finished next run
    else:
        assert after == (new if point in AFTER_SWAP else old), sorted(after or ())
    if sig == "TERM":
        assert junk(work) == [], "a terminated run cleans up after itself"
    with _env(env):  # the next run removes (or finishes) what the dead one left
        assert main([*map(str, cmd), "-q"]) == 0
    assert _state(out) == new
    assert junk(work) == [], junk(work)
    kill_counts["held"] += 1


# --------------------------------------------------------------------------- concurrency
def _corpus_lines(n):
    if not CORPUS.is_file():
        pytest.skip("needs ../shared/data (the shared data folder is not beside this clone)")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        return [next(f) for _ in range(n)]


@pytest.mark.slow
def test_four_concurrent_writers_lose_nothing(tmp_path):
    lines = _corpus_lines(1000)
    parts = []
    for i in range(5):
        p = tmp_path / f"part{i}.jsonl"
        p.write_text("".join(lines[i * 200:(i + 1) * 200]), encoding="utf-8")
        parts.append(p)
    out = tmp_path / "o"
    assert kg("build", parts[0], "--out", out, "--no-extract").returncode == 0
    procs = [subprocess.Popen([sys.executable, "-m", "kg", "add", str(p), "--graph", str(out / "graph.json"),
                               "--no-extract"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for p in parts[1:]]
    assert all(p.wait(timeout=300) == 0 for p in procs)
    whole = tmp_path / "whole"
    assert kg("build", *parts, "--out", whole, "--no-extract").returncode == 0
    ids = lambda g: sorted(n["id"] for n in json.loads(g.read_text())["nodes"] if n["type"] == "paper")
    assert ids(out / "graph.json") == ids(whole / "graph.json")
    assert junk(tmp_path) == []
    print(f"\nconcurrent writers: 4 tried, {len(ids(out / 'graph.json'))} papers = {len(ids(whole / 'graph.json'))}")


# --------------------------------------------------------------------------- fuzz
class Hang(BaseException):
    pass


def _on_alarm(signum, frame):
    raise Hang()


def _base_inputs(tmp_path) -> dict[str, tuple[str, bytes]]:
    """One small real file per format: suffix and bytes."""
    seeds = {Path(p).name: Path(p).read_bytes() for p in SEED_FILES}
    pubs = next(b for b in seeds.values() if b.startswith(b"Publications"))
    daily = next(b for n, b in seeds.items() if not b.startswith(b"Publications"))
    recs = [json.loads(line) for line in _corpus_lines(15)]
    jsonl = "".join(json.dumps(r) + "\n" for r in recs).encode()
    js = json.dumps(recs, indent=1).encode()
    import csv
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["title", "authors", "abstract", "year", "venue"])
    for r in recs:
        w.writerow([r["title"], "; ".join(r["authors"]), r["abstract"], r["year"], r["venue"]])
    bib = "".join("@inproceedings{k%d,\n  title = {%s},\n  author = {%s},\n  booktitle = %s,\n  year = %s\n}\n"
                  % (i, r["title"], " and ".join(r["authors"]), "conf" if i % 2 else "{" + r["venue"] + "}", r["year"])
                  for i, r in enumerate(recs))
    bib = '@string{conf = "Proc. " # "ICLR"}\n' + bib
    out = tmp_path / "g"
    assert main(["build", SEED_FILES[1], "--out", str(out), "--only-json", "-q"]) == 0
    return {"publications": (".txt", pubs[:6000]), "daily": (".txt", daily[:6000]), "jsonl": (".jsonl", jsonl),
            "json": (".json", js), "csv": (".csv", buf.getvalue().encode()), "bibtex": (".bib", bib.encode()),
            "graph.json": (".json", (out / "graph.json").read_bytes())}


TOKENS = [b'"', b"'", b"{", b"}", b"[", b"]", b",", b";", b"\n", b"\r", b"\t", b"#", b"@string{x = ", b"@article{",
          b"\\ud800", b"\\u0000", b"\x00", b"\xff", b"\xc3", b"\xe2\x80", b"[" * 3000, b"{\"a\":" * 2500,
          b"null", b"true", b"1e999", b"-", b"\xef\xbb\xbf", b" and ", b"\\", b"%", b"$", b"~"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random damage (or a few) of *data*."""
    b = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        op = rng.randrange(9)
        i = rng.randrange(len(b) + 1) if b else 0
        if op == 0 and b:  # byte flips
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == 1:  # truncation
            del b[i:]
        elif op == 2 and b:  # delete a chunk
            del b[i:i + rng.randint(1, 200)]
        elif op == 3 and b:  # splice a chunk elsewhere
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randint(1, 300)]
        elif op == 4:  # hostile token
            b[i:i] = rng.choice(TOKENS)
        elif op == 5:  # deep nesting
            b[i:i] = rng.choice((b"[", b"{", b"{\"title\": ")) * rng.choice((50, 999, 2100, 5000))
        elif op == 6:  # other encodings
            text = bytes(b).decode("utf-8", "replace")
            b = bytearray(text.encode(rng.choice(("latin-1", "utf-16", "utf-32", "cp1252", "utf-8-sig")), "replace"))
        elif op == 7:  # line ends
            b = bytearray(bytes(b).replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n", b""))))
        elif op == 8:  # gzip, maybe truncated
            z = gzip.compress(bytes(b))
            b = bytearray(z[:rng.randint(10, len(z))] if rng.random() < 0.5 else z)
    return bytes(b)


def _run_one(argv) -> tuple[int | None, str, str]:
    """main(argv) in this process with strict UTF-8 stdout/stderr; (code, out, err), code None
    for an escaped exception (err holds its name)."""
    out, err = io.BytesIO(), io.BytesIO()
    o = io.TextIOWrapper(out, encoding="utf-8", errors="strict")
    e = io.TextIOWrapper(err, encoding="utf-8", errors="strict")
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(20)
    try:
        with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
            code = main(argv)
            o.flush(), e.flush()
    except Hang:
        return None, "", "hang (over 20 s)"
    except BaseException as exc:  # noqa: BLE001 - anything escaping main is a failure
        return None, "", f"{type(exc).__name__}: {exc}"[:300]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, out.getvalue().decode(), err.getvalue().decode()


def _held(code, err) -> bool:
    if code == 0:
        return "Traceback" not in err
    lines = err.strip().splitlines()
    return code == 2 and len(lines) == 1 and lines[0].startswith("kg: error: ")


#: the files of bibliographic systems (issue 13): a real file each, from tests/data/formats or,
#: for the two kept only in ../shared, from ../shared/data/formats
BIBLIO = {"openalex": TEST_DATA / "formats" / "openalex-work-W2741809807.json",
          "oai": TEST_DATA / "formats" / "arxiv-oai-arxivraw.xml",
          "pubmed": TEST_DATA / "formats" / "pubmed-efetch.xml",
          "csl": TEST_DATA / "formats" / "zotero.csl.json",
          "ris": TEST_DATA / "formats" / "state-of-oa.ris",
          "arxiv": SHARED / "data" / "formats" / "arxiv-api-atom-2016.xml",
          "s2": SHARED / "data" / "formats" / "s2-open-research-corpus.jsonl"}


def fuzz(fmt: str, n: int, tmp_path: Path, seed: int = 14) -> tuple[int, int, list[str]]:
    if fmt in BIBLIO:
        if not BIBLIO[fmt].is_file():
            pytest.skip(NEEDS_SHARED)
        suffix, data = "".join(BIBLIO[fmt].suffixes[-1:]), BIBLIO[fmt].read_bytes()
    else:
        suffix, data = _base_inputs(tmp_path)[fmt]
    rng = random.Random(f"{seed}-{fmt}")
    held, failures = 0, []
    for k in range(n):
        path = tmp_path / f"in{k % 5}{suffix}"
        path.write_bytes(mutate(data, rng))
        if fmt == "graph.json":
            argv = ["query", "central", "--graph", str(path), "--json"]
        else:
            argv = ["parse", str(path)] + (["--format", fmt] if k % 3 == 0 else [])
        code, _, err = _run_one(argv)
        if _held(code, err):
            held += 1
        else:
            keep = tmp_path / f"failed-{fmt}-{k}{suffix}"
            shutil.copy(path, keep)
            failures.append(f"{keep.name}: exit {code}: {err.strip()[:200]}")
    return n, held, failures


FORMATS = ["publications", "daily", "jsonl", "json", "csv", "bibtex", *BIBLIO, "graph.json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_fuzz_quick(tmp_path, fmt, capsys):
    tried, held, failures = fuzz(fmt, 40, tmp_path)
    with capsys.disabled():
        print(f"\nfuzz {fmt}: tried {tried}, held {held}")
    assert not failures, failures[:5]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_fuzz_1000(tmp_path, fmt, capsys):
    tried, held, failures = fuzz(fmt, 1000, tmp_path, seed=1400)
    with capsys.disabled():
        print(f"\nfuzz {fmt}: tried {tried}, held {held}")
    assert not failures, failures[:5]
