"""Apache Jena from Debian's ``libapache-jena-java`` (4.5.0) as a Java classpath, for the
benchmarks and tests that run Jena's commands (``shacl.shacl``, ``arq.update``) beside kg.

The classpath is the package's jars and those of its Debian dependencies (without the SLF4J
bindings that clash). Debian's jena-core looks up the message files of its relocated Xerces
under ``xerces/`` but ships them under ``org/apache/jena/ext/xerces/``, and every Jena command
then fails at start with "internal error"; :func:`classpath` puts first a small jar with the
files copied to the looked-up place.
"""
from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "libapache-jena-java"
MARKER = "/usr/share/java/jena-shacl.jar"
_CLASH = ("log4j-over-slf4j", "slf4j-log4j12", "slf4j-jdk14", "slf4j-reload4j", "slf4j-jcl", "slf4j-simple")


def classpath(folder: str | Path | None = None) -> str | None:
    """The classpath of Debian's Jena (the fix jar written in *folder*, default a new
    temporary one), or None when the package is not installed."""
    if not Path(MARKER).is_file():
        return None
    deps = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                           "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", PACKAGE],
                          capture_output=True, text=True).stdout
    jars: set[str] = set()
    for pkg in sorted({ln for ln in deps.splitlines() if ln and not ln.startswith(" ")}):
        files = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True).stdout.split()
        jars.update(f for f in files if f.startswith("/usr/share/java/") and f.count("/") == 4
                    and f.endswith(".jar") and not any(c in f for c in _CLASH))
    fix = Path(folder or tempfile.mkdtemp(prefix="jena-fix-")) / "xerces-messages.jar"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile("/usr/share/java/jena-core.jar") as src, zipfile.ZipFile(fix, "w") as out:
        for name in src.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                out.writestr("xerces/" + name[len(prefix):], src.read(name))
    return ":".join([str(fix), *sorted(jars)])
