"""kg — a knowledge graph of papers, authors, methods and benchmarks from paper listings.

Pipeline: :mod:`kg.ingest` (listings → records) → :mod:`kg.extract` (abstracts → methods and
benchmarks) → :mod:`kg.graph` (a typed :class:`networkx.DiGraph`) → :mod:`kg.query` and
:mod:`kg.export`.

>>> import kg
>>> G = kg.build(["seeds/001_3f13293f3bb4fd6f.txt"], extract=False)
>>> kg.summary(G)["papers"]
12
"""
from ._version import __version__  # noqa: E402

from .graph import add, save, summary  # noqa: E402
from .model import KGError  # noqa: E402

RDF_SUFFIXES = (".ttl", ".nt", ".jsonld", ".nq")


def build(paths, fmt=None, extract=True, jobs=1, engine="local", scheduler=None):
    """Build a knowledge graph from listing files (or folders of them): :func:`kg.graph.build`,
    or with ``engine="dask"`` :func:`kg.cluster.build` (the workers read their own parts of the
    files; the same graph). The one place that chooses the engine (``kg build`` asks it), so that
    :mod:`kg.graph` imports nothing of :mod:`kg.cluster`.

    >>> summary(build(["seeds/001_3f13293f3bb4fd6f.txt"], extract=False))["papers"]
    12
    """
    if engine == "dask" and paths:
        from .cluster import build as cluster_build

        return cluster_build(paths, fmt=fmt, extract=extract, scheduler=scheduler)
    from .graph import build as graph_build

    return graph_build(paths, fmt=fmt, extract=extract, jobs=jobs, engine=engine, scheduler=scheduler)


def load(path):
    """Load a graph from ``graph.json`` (:func:`kg.graph.load`) or from an RDF export
    (``.ttl``, ``.nt``, ``.jsonld``, ``.nq``: :func:`kg.export.rdf.load_rdf`).

    >>> import tempfile, pathlib
    >>> from kg.export.rdf import write_rdf
    >>> G = build(["seeds/001_3f13293f3bb4fd6f.txt"], extract=False)
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = write_rdf(G, p); summary(load(p))["papers"]
    12
    """
    from pathlib import Path

    if Path(path).suffix in RDF_SUFFIXES:
        from .export.rdf import load_rdf

        return load_rdf(path)
    from .graph import load as load_json

    return load_json(path)


__all__ = ["build", "add", "load", "save", "summary", "KGError", "__version__"]
