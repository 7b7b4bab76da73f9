"""``kg validate`` on an RDF export: the SPARQL-on-pyoxigraph engine against pyshacl, same file,
same run. Each engine runs in its own process; printed: wall-clock, CPU time (user+sys) and
peak memory (max RSS) of that process.

    python benchmarks/rdf_validate_speed.py FILE.nt               # oxigraph engine only
    python benchmarks/rdf_validate_speed.py FILE.nt --pyshacl     # ... and pyshacl (minutes, >1 GB)

Figures: docs/rdf.md ("Validation").
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(file: str, engine: str) -> dict:
    """Run ``kg validate --engine ENGINE FILE`` in a child process; its times and memory."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", "import resource, sys\nfrom kg.cli import main\n"
                        "rc = main(sys.argv[1:])\n"
                        "print('maxrss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
                        "sys.exit(rc)", "validate", "--engine", engine, "-q", file],
                       env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss = next((int(ln.split()[1]) for ln in p.stderr.splitlines() if ln.startswith("maxrss_kb")), 0)
    return {"engine": engine, "exit": p.returncode, "wall_s": wall,
            "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "max_rss_mb": rss / 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="RDF export to validate")
    ap.add_argument("--pyshacl", action="store_true", help="also time the pyshacl engine")
    args = ap.parse_args()
    lines = sum(1 for _ in open(args.file, "rb")) if args.file.endswith(".nt") else None
    print(f"file: {args.file}" + (f"  ({lines:,} triples)" if lines else ""))
    for engine in ["oxigraph", *(["pyshacl"] if args.pyshacl else [])]:
        r = run(args.file, engine)
        print(f"{engine:9s} exit {r['exit']}  wall {r['wall_s']:6.1f} s  cpu {r['cpu_s']:6.1f} s  "
              f"max RSS {r['max_rss_mb']:6.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
