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
