#!/usr/bin/env python3
"""Extraction quality on the dev gold: runs ``kg extract`` on both dev files and prints the
output of ``../shared/eval/score_entities.py`` for each.

usage: python benchmarks/extraction_quality.py [--show]

The dev gold is the measuring stick only: nothing in the product is derived from its answers.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = ("seed-entities.gold.json", "corpus-entities.gold.json")


def main() -> int:
    show = "--show" in sys.argv
    scorer = SHARED / "eval" / "score_entities.py"
    if not scorer.is_file():
        print("needs ../shared (eval/ and data/dev/) beside the repository", file=sys.stderr)
        return 2
    for name in GOLD:
        gold = SHARED / "data" / "dev" / name
        with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as tmp:
            subprocess.run([sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())", "extract", str(gold)], stdout=tmp,
                           check=True, cwd=ROOT)
        print(f"== {name}")
        sys.stdout.flush()
        subprocess.run([sys.executable, str(scorer), str(gold), tmp.name] + (["--show"] if show else []),
                       check=True)
        Path(tmp.name).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
