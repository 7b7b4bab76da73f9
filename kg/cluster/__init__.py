"""``kg build --engine dask``: a build whose bulk data never travels through the Dask scheduler.

What goes where (see ``docs/scaling.md`` for the measured cost)::

    client                               scheduler (task specs)      workers
    expand folders, plan tasks   ──────► path + byte/line range ───► read their part (:mod:`.partitions`)
    paper & author identity      ◄────── records, direct from the worker (graph.json needs them)
    (one index, first-seen rules)
    per part: record numbers     ──────► ints ─────────────────────► extract those records, keep
                                                                     the results; mention table
    connected components of the  ◄────── distinct key sets ───────── (a dask.bag): acronym
    entity keys (one UnionFind)  ──────► key -> component (scattered   expansions and per-entity
                                         to the workers, direct)      names by foldby (groupby)
    graph (set_mentions)         ◄────── resolved results, direct
    graph.json, graph.sqlite, Turtle, HTML;  N-Triples: node ranges ─► each worker writes one
    graph.nt = shards concatenated       (scattered, direct)           shard (:mod:`.shards`)

The graph equals a ``--jobs 1`` build byte for byte (``tests/test_cluster.py``). Every task
argument is a path, a range, record numbers or a reference to data already on a worker; the
records, the extraction results and the sub-graphs move between the client and the workers
directly (``direct_to_workers``), never inside the task graph.

:func:`build` is what ``kg.build(engine="dask")`` (``kg build --engine dask``) runs; ``kg add
--engine dask`` still uses :mod:`kg.parallel` (extraction only on the cluster).
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ..model import PAPER, KGError

#: lines of a JSON Lines file per part, and papers per extraction task
PART_LINES, CHUNK = 2000, 250


def client_for(scheduler) -> Any:
    """A ``dask.distributed.Client`` for *scheduler* (an address, or a Client / LocalCluster)
    that fetches and sends data directly from / to the workers."""
    from ..parallel import dask_client

    return dask_client(scheduler, direct=True)


def read_parts(client, paths: Sequence[str], fmt: str | None, part_lines: int = PART_LINES):
    """Plan and read the parts of every file on the workers; return ``(part futures, listings)``
    in input order (the listings gathered directly from the workers)."""
    from ..ingest import expand_paths, read_listing
    from ..ingest.reader import source_identity
    from .partitions import plan_file, read_part

    files = expand_paths(list(paths))
    plans = client.map(plan_file, files, fmt=fmt, part_lines=part_lines, pure=False)
    specs = _gather_or_raise(client, plans, files, fmt)
    flat = [(f, s) for f, ss in zip(files, specs) for s in ss]
    idents = {f: source_identity(f) for f in files}  # as the client sees the paths
    futures = client.map(read_part, [s for _, s in flat], [idents[f] for f, _ in flat], pure=False)
    listings = _gather_or_raise(client, futures, [f for f, _ in flat], fmt)
    for f in files:  # a file with no papers at all: the one-process error
        if not any(lst.records for (g, _), lst in zip(flat, listings) if g == f):
            read_listing(f, fmt)
    return futures, listings


def _gather_or_raise(client, futures, files, fmt):
    from ..ingest import read_listing

    try:
        return client.gather(futures, direct=True)
    except Exception:  # re-read the failing file here: raises the user-facing error
        for f, fut in zip(files, futures):
            if fut.status == "error":
                read_listing(f, fmt)
        raise


def build(paths: Sequence[str | os.PathLike], fmt: str | None = None, extract: bool = True,
          scheduler: Any = None, part_lines: int | None = None, chunk: int | None = None):
    """Build the graph of *paths* on the Dask cluster at *scheduler* (see the module docstring);
    the same graph as :func:`kg.graph.build`."""
    from ..graph import add_records, new_graph

    if not paths:
        raise KGError("no input listings given")
    client = client_for(scheduler)
    try:
        parts, listings = read_parts(client, [str(p) for p in paths], fmt, part_lines or PART_LINES)
        G = new_graph()
        notes: list[str] = []
        for lst in listings:
            G.graph["problems"].extend(lst.problems)
            notes.extend(lst.notes)
        if notes:
            G.graph.setdefault("warnings", []).extend(notes)
        add_records(G, [r for lst in listings for r in lst.records], keep_longer=True)
        if extract:
            from ..extract import EXTRACTOR_VERSION
            from .mentions import extract_and_resolve

            extract_and_resolve(client, G, parts, listings, chunk or CHUNK)
            G.graph["extractor_version"] = EXTRACTOR_VERSION
        return G
    finally:
        if client is not scheduler:
            client.close()


def extraction_plan(G, listings) -> tuple[list[tuple[int, list[str], list]], list[dict]]:
    """Which record of which part gives each paper its text: ``([(part, [paper ids], [record
    number, or (record number, {"title"/"abstract": value}) where the paper's differs]), ...],
    [papers found in no record, as dicts])``, papers sorted by id. The merge copies a record's
    very strings into the paper, so the record is found by identity: the one of the paper's
    abstract, else of its title (``keep_longer`` keeps the first record's title and the longest
    abstract, so a title may have to be sent along: text of one paper, never an abstract)."""
    by_abstract, by_title = {}, {}
    for i, lst in enumerate(listings):
        for j, rec in enumerate(lst.records):
            if rec.abstract:
                by_abstract.setdefault(id(rec.abstract), (i, j))
            by_title.setdefault(id(rec.title), (i, j))
    per_part: dict[int, tuple[list[str], list]] = {}
    loose: list[dict] = []
    for pid in sorted(n for n, t in G.nodes(data="type") if t == PAPER):
        d = G.nodes[pid]
        abstract = d.get("abstract")
        hit = by_abstract.get(id(abstract)) if abstract else by_title.get(id(d["title"]))
        if hit is None:  # not expected: the text goes in the task
            loose.append({"id": pid, "title": d["title"], "abstract": abstract})
            continue
        rec = listings[hit[0]].records[hit[1]]
        over = {k: v for k, v, mine in (("title", d["title"], rec.title), ("abstract", abstract, rec.abstract))
                if v != mine}
        pids, recs = per_part.setdefault(hit[0], ([], []))
        pids.append(pid)
        recs.append((hit[1], over) if over else hit[1])
    return [(i, *per_part[i]) for i in sorted(per_part)], loose


def write_build_exports(G, folder: str | os.PathLike, scheduler: Any) -> list:
    """``graph.ttl`` (here) and ``graph.nt`` (shards written by the workers, concatenated:
    :func:`kg.cluster.shards.write_ntriples`) into *folder*, the files and bytes of
    :func:`kg.export.rdf.write_build_exports`."""
    from pathlib import Path

    from ..export.rdf import write_rdf
    from .shards import write_ntriples

    folder = Path(folder)
    client = client_for(scheduler)
    try:
        nt = write_ntriples(client, G, folder / "graph.nt")
        return [*write_rdf(G, folder / "graph.ttl", "turtle"), *nt]
    finally:
        if client is not scheduler:
            client.close()
