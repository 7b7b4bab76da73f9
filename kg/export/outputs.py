"""The files ``kg build`` / ``kg add`` write into an output folder, written one after the other
or side by side in worker processes (:func:`write_build_outputs`).

Every file is written by the same function from the same graph either way, so the bytes do not
depend on *jobs*. With several jobs the writers run in forked processes
(:func:`kg.parallel.map_processes`): each sees the finished graph as the parent holds it, writes
its files into the staging folder and returns their names; nothing but those names travels
between processes.

>>> import kg, tempfile, pathlib
>>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> sorted(p.name for p in write_build_outputs(G, d, jobs=2))
['graph.html', 'graph.json', 'graph.nt', 'graph.sqlite', 'graph.ttl']
"""
from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

__all__ = ["TASKS", "write_build_outputs"]

#: the writers, longest first (the order a pool hands them out in); each writes its files
TASKS = ("html", "json", "ntriples", "turtle")

_GRAPH: nx.DiGraph | None = None  # the graph the forked writers see
_FOLDER: Path | None = None


def _write(task: str, G: nx.DiGraph, folder: Path) -> list[Path]:
    """Run one writer: the files it wrote into *folder*."""
    if task == "json":  # graph.json, then its store (which records graph.json's fingerprint)
        from .. import store
        from ..graph import write_json

        with open(folder / "graph.json", "w", encoding="utf-8") as f:
            write_json(G, f)
        store.write(G, folder / "graph.sqlite", folder / "graph.json")
        return [folder / "graph.json", folder / "graph.sqlite"]
    if task in ("ntriples", "turtle"):
        from .rdf import write_rdf

        return write_rdf(G, folder / ("graph.nt" if task == "ntriples" else "graph.ttl"), task)
    if task == "html":
        from .html import write_build_exports

        return write_build_exports(G, folder)
    raise ValueError(f"unknown task {task!r}")


def _forked_write(task: str) -> list[str]:
    assert _GRAPH is not None and _FOLDER is not None, "call through write_build_outputs"
    return [str(p) for p in _write(task, _GRAPH, _FOLDER)]


def write_build_outputs(G: nx.DiGraph, folder: str | os.PathLike, only_json: bool = False,
                        jobs: int = 1, fault=None) -> list[Path]:
    """Write ``graph.json`` and its query store ``graph.sqlite`` (:mod:`kg.store`), and unless
    *only_json* ``graph.ttl``, ``graph.nt`` and ``graph.html``, into *folder*; return the files.
    With *jobs* > 1 (and ``fork`` available) the writers run in up to *jobs* worker processes;
    the files are the same bytes. *fault*, if given, is called with ``"wrote-json"``,
    ``"wrote-rdf"``, ``"wrote-html"`` once each part is written (in that order; in parallel
    runs, once all are), for :func:`kg._io.fault`.
    """
    import multiprocessing as mp

    global _GRAPH, _FOLDER
    folder = Path(folder)
    tasks = ["json"] if only_json else list(TASKS)
    marks = {"json": "wrote-json", "ntriples": "wrote-rdf", "html": "wrote-html"}
    fault = fault or (lambda name: None)
    written: dict[str, list[Path]] = {}
    if jobs > 1 and len(tasks) > 1 and "fork" in mp.get_all_start_methods():
        from ..parallel import map_processes

        _GRAPH, _FOLDER = G, folder
        try:
            for task, names in zip(tasks, map_processes(_forked_write, tasks, jobs)):
                written[task] = [Path(n) for n in names]
        finally:
            _GRAPH = _FOLDER = None
        for task in ("json", "ntriples", "html"):
            if task in written:
                fault(marks[task])
    else:
        for task in ("json", "turtle", "ntriples", "html"):
            if task in tasks:
                written[task] = _write(task, G, folder)
                if task in marks:
                    fault(marks[task])
    order = ("json", "turtle", "ntriples", "html")
    return [p for task in order if task in written for p in written[task]]
