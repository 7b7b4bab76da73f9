"""``kg validate`` on an RDF export: the SPARQL-on-pyoxigraph engine next to, in the same run,
the floor of any pyoxigraph-based check (parsing the file into an in-memory store, nothing
else), optionally the same engine of an older commit, and optionally pyshacl. Each runs in its
own process; printed: wall-clock, CPU time (user+sys) and peak memory (max RSS) of that process.

    python benchmarks/rdf_validate_speed.py FILE.nt                          # load floor + oxigraph engine
    python benchmarks/rdf_validate_speed.py FILE.nt --reference c8069ba      # ... and kg validate at c8069ba
    python benchmarks/rdf_validate_speed.py FILE.nt --pyshacl --timeout 900  # ... and pyshacl (minutes, >1 GB)
    python benchmarks/rdf_validate_speed.py FILE.nt --jena                   # ... and Jena SHACL (shacl validate)

Jena: Debian's ``libapache-jena-java`` (4.5.0; ``apt-get install libapache-jena-java``), run as
``java -cp ... shacl.shacl validate --shapes kg/shapes.ttl --data FILE``, the classpath from
``tools/jena.py`` (with its workaround for the package's misplaced Xerces message files).

On a shared machine wall-clock follows the load; compare the CPU times. Figures: docs/rdf.md
("Validation").
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.jena import classpath as jena_classpath  # noqa: E402
CHILD = ("import resource, sys\n{body}\n"
         "print('maxrss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
         "sys.exit(rc)")
VALIDATE = "from kg.cli import main\nrc = main(sys.argv[1:])"
LOAD = ("import pyoxigraph as ox\nfrom kg.export.rdf.validation import oxigraph_store\n"
        "from pathlib import Path\nstore = oxigraph_store(Path(sys.argv[-1])); rc = 0")


def run(label: str, body: str, args: list[str], root: Path, timeout: float | None,
        code: str | None = None, argv: list[str] = ()) -> dict:
    """Run *body* in a child process in folder *root* (``-c`` imports from there first); its
    times and memory."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code or CHILD.format(body=body), *args, *argv], env=env, cwd=root,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, err = p.communicate(timeout=timeout)
        stopped = False
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
        stopped = True
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss = next((int(ln.split()[1]) for ln in err.splitlines() if ln.startswith("maxrss_kb")),
               after.ru_maxrss)
    status = "conforms" if "conforms" in err.split() else p.returncode
    return {"label": label, "exit": "stopped" if stopped else status, "wall_s": wall,
            "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "max_rss_mb": rss / 1024}


def checkout(rev: str) -> Path:
    """The ``kg/`` package of git commit *rev*, unpacked in a temporary folder."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "kg"], capture_output=True, check=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="kg-ref-"))
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(folder, filter="data")
    return folder


JAVA = ("import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)\n"
        "print('conforms' if 'sh:conforms  true' in r.stdout else 'violations', file=sys.stderr)\n"
        "print('maxrss_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(r.returncode)")


def run_java(label: str, classpath: str, args: list[str], timeout: float | None) -> dict:
    """Run a Java class in a child process (under a small Python parent that reports its
    memory); its times and memory."""
    r = run(label, "", [], ROOT, timeout, code=JAVA, argv=["java", "-cp", classpath, *args])
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="RDF export to validate")
    ap.add_argument("--reference", metavar="REV", help="also time kg validate of this git commit")
    ap.add_argument("--pyshacl", action="store_true", help="also time the pyshacl engine")
    ap.add_argument("--jena", action="store_true", help="also time Jena SHACL (Debian's libapache-jena-java)")
    ap.add_argument("--timeout", type=float, default=None, metavar="S", help="stop a run after S seconds")
    args = ap.parse_args()
    args.file = os.path.abspath(args.file)
    lines = sum(1 for _ in open(args.file, "rb")) if args.file.endswith(".nt") else None
    print(f"file: {args.file}" + (f"  ({lines:,} triples)" if lines else "")
          + f"  load average {os.getloadavg()[0]:.1f}")
    runs = [("load only (pyoxigraph parse, the floor)", LOAD, [args.file], ROOT),
            ("kg validate (oxigraph engine)", VALIDATE, ["validate", "-q", args.file], ROOT)]
    if args.reference:
        runs.append((f"kg validate at {args.reference}", VALIDATE, ["validate", "-q", args.file],
                     checkout(args.reference)))
    if args.pyshacl:
        runs.append(("kg validate --engine pyshacl", VALIDATE,
                     ["validate", "-q", "--engine", "pyshacl", args.file], ROOT))
    for label, body, argv, root in runs:
        r = run(label, body, argv, root, args.timeout)
        report(r)
    if args.jena:
        cp = jena_classpath()
        if cp is None:
            print("jena: not installed (apt-get install libapache-jena-java)")
        else:
            report(run_java("Jena SHACL 4.5 (shacl validate)", cp, ["shacl.shacl", "validate", "--shapes",
                            str(ROOT / "kg" / "shapes.ttl"), "--data", args.file], args.timeout))
    return 0


def report(r: dict) -> None:
    print(f"{r['label']:42s} exit {r['exit']!s:8s} wall {r['wall_s']:7.1f} s  cpu {r['cpu_s']:7.1f} s  "
          f"max RSS {r['max_rss_mb']:6.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
