"""Shared test fixtures: paths to the repo's seeds and to ../shared (optional)."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
TEST_DATA = ROOT / "tests" / "data"
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "data" / "corpus" / "conference-papers-2022-2024.jsonl.gz"
NEEDS_SHARED = "needs ../shared/data (the shared data folder is not beside this clone)"


@pytest.fixture(autouse=True, scope="session")
def _repo_cwd():
    """Doctests and CLI tests use repo-relative paths such as seeds/."""
    old = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(old)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(NEEDS_SHARED)
    return SHARED


@pytest.fixture(scope="session")
def corpus_records() -> list[dict]:
    """The 10k conference papers of ../shared/data/corpus as dicts."""
    if not CORPUS.is_file():
        pytest.skip(NEEDS_SHARED)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="session")
def seed_graph():
    """The graph of the bundled seeds, with extraction (built once per session; do not mutate)."""
    import kg

    return kg.build([str(SEEDS)])


def apt_install(packages: list[str], files: list[str]) -> str | None:
    """Install Debian *packages* with apt-get unless every path in *files* exists (CI and a
    fresh machine start without them); return why they cannot be used, or None."""
    if all(Path(f).exists() for f in files):
        return None
    what = " ".join(packages)
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return f"{', '.join(files)} not installed and cannot be installed here (needs root and apt-get): apt-get install {what}"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
            if r.returncode:
                return f"{' '.join(cmd)} failed ({r.returncode}): {(r.stderr or r.stdout)[-300:]}"
    except (subprocess.TimeoutExpired, OSError) as exc:
        return f"installing {what} failed: {exc}"
    missing = [f for f in files if not Path(f).exists()]
    return f"apt-get installed {what} but {', '.join(missing)} is missing" if missing else None


def stop_server(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a server the tests started: SIGTERM, then SIGKILL if it is still up after *timeout*."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def start_oxigraph(location: Path, binary: str | None = None):
    """Start ``oxigraph serve`` on a free loopback port with its database in *location*; return
    ``(process, base_url)`` (``base_url + "/query"`` is the SPARQL endpoint), or skip when the
    server binary is not installed. Stop it with :func:`stop_server`."""
    import socket
    import sys
    import time
    import urllib.error
    import urllib.parse
    import urllib.request

    binary = binary or shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).is_file():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    location.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):  # the free port may be taken between probing and binding
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with open(location / "server.log", "wb") as log:
            proc = subprocess.Popen([binary, "serve", "--location", str(location / "db"),
                                     "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{url}/query?query=" + urllib.parse.quote("ASK {}"), timeout=2):
                    return proc, url
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        stop_server(proc)
    pytest.fail("the oxigraph server did not start: " + (location / "server.log").read_text(errors="replace"))
