"""``kg build`` and ``kg add``: listings → graph (+ exports) on disk."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..model import KGError, skipped_records

DEFAULT_OUT = "exports"


def default_inputs() -> list[str]:
    """The bundled seed listings: ``./seeds`` if present, else the ``seeds/`` of the source tree.

    >>> [Path(p).name for p in default_inputs()]
    ['seeds']
    """
    for cand in (Path("seeds"), Path(__file__).resolve().parents[2] / "seeds"):
        if cand.is_dir():
            return [str(cand)]
    raise KGError("no inputs given and no bundled seeds/ folder found")


def _jobs(value: str) -> int:
    from ..parallel import default_jobs
    from . import int_at_least

    return int_at_least(0)(value) or default_jobs()


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``build`` and ``add`` commands."""
    p = sub.add_parser("build", help="build the graph from listings and write exports",
                       description="Build the knowledge graph from listing files or folders "
                       "(default: the bundled seeds/) and write graph.json and the exports to --out.")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="listing files or folders")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help="output folder (default: exports)")
    _common(p)
    p.set_defaults(func=run_build)

    a = sub.add_parser("add", help="merge new listings into an existing graph",
                       description="Merge listings into an existing graph.json (and refresh the "
                       "exports beside it): nothing is lost or duplicated.")
    a.add_argument("inputs", nargs="+", metavar="INPUT", help="listing files or folders")
    a.add_argument("--graph", required=True, metavar="PATH", help="graph.json to update")
    a.add_argument("--keep-longer", action="store_true",
                   help="merge as before 0.2: keep the longer abstract and the longer author list "
                   "instead of taking the newer record's fields")
    a.add_argument("--rdf-delta", metavar="FILE", help="also write the change of the N-Triples "
                   "export: SPARQL Update (.ru) or RDF Patch (.rdfp), see kg diff")
    _common(a)
    a.set_defaults(func=run_add)


def _common(p: argparse.ArgumentParser) -> None:
    from ..ingest import FORMATS

    p.add_argument("--format", choices=FORMATS, default=None, help="force the listing format (default: detect)")
    p.add_argument("--no-extract", action="store_true", help="skip method/benchmark extraction")
    p.add_argument("--jobs", type=_jobs, default="0", metavar="N",
                   help="worker processes for reading, extraction and writing the exports "
                   "(default 0: all cores); output is identical for any N")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where extraction runs: local processes or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --engine dask)")
    p.add_argument("--only-json", action="store_true", help="write graph.json only (no RDF/HTML)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    w = p.add_mutually_exclusive_group()
    w.add_argument("--wait", dest="wait", action="store_true", default=True,
                   help="if another kg process is writing the same graph/folder, wait for it (default)")
    w.add_argument("--no-wait", dest="wait", action="store_false",
                   help="if another kg process is writing the same graph/folder, stop with an error")


def write_outputs(G, out: str | os.PathLike, only_json: bool = False, jobs: int = 1,
                  scheduler=None) -> list[Path]:
    """Write ``graph.json`` with its query store ``graph.sqlite`` (:mod:`kg.store`), and
    ``graph.ttl``, ``graph.nt`` and ``graph.html`` (not with *only_json*) into *out* as one unit
    (:func:`kg._io.publish_folder`): a reader, or a run killed at any point, sees the old set or
    the new set, never a mix. Other files in *out* are kept. With *jobs* > 1 the files are
    written side by side in worker processes (:func:`kg.export.outputs.write_build_outputs`),
    the same bytes; with a Dask *scheduler*, the workers write ``graph.nt`` in shards
    (:mod:`kg.cluster.shards`, same bytes). Call it holding the writer lock of *out*
    (:func:`kg._io.writer_lock`).
    """
    from .._io import fault, publish_folder
    from ..export.outputs import write_build_outputs

    def fill(stage: Path) -> None:
        if scheduler is None:
            write_build_outputs(G, stage, only_json=only_json, jobs=jobs, fault=fault)
            return
        write_build_outputs(G, stage, only_json=True, fault=fault)
        if not only_json:
            from ..cluster import write_build_exports
            from ..export import html

            write_build_exports(G, stage, scheduler)
            fault("wrote-rdf")
            html.write_build_exports(G, stage)
            fault("wrote-html")

    return publish_folder(out, fill)


def _resolution_line(r: dict) -> str:
    """The one line ``kg add`` prints about entity resolution."""
    if r.get("mode") == "touched":
        return (f"resolution: touched: {r['entities_reresolved']:,} of {r['entities_total']:,} entities "
                f"re-resolved ({r['mentions_reresolved']:,} mentions, {r['blocks']:,} name blocks)")
    if r.get("mode") == "full":
        return f"resolution: full ({r['reason']}): all {r['entities_total']:,} entities re-resolved"
    return "resolution: none (not extracted)"


def _report(G, args, written, changes: dict | None = None, resolution: dict | None = None) -> None:
    from ..graph import summary

    s = summary(G)
    if changes is not None:
        s = {**s, **{k: len(changes.get(k, ())) for k in ("added", "updated", "unchanged")}}
    if resolution is not None:
        s["resolution"] = resolution
    problems = G.graph.get("problems", [])
    for p in problems:  # most problems are skipped records; repaired ones say what was done
        kind = "skipped record: " if skipped_records([p]) else ""
        print(f"kg: warning: {kind}{p}", file=sys.stderr)
    for w in G.graph.get("warnings", []):
        print(f"kg: warning: {w}", file=sys.stderr)
    if args.quiet:
        return
    if args.json:
        print(json.dumps({**s, "written": [str(w) for w in written]}, ensure_ascii=False))
        return
    if changes is not None:
        print(f"{s['added']} added, {s['updated']} updated, {s['unchanged']} unchanged")
    if resolution is not None:
        print(_resolution_line(resolution))
    print(f"papers: {s['papers']}  authors: {s['authors']}  co-author pairs: {s['coauthor_pairs']}  "
          f"sources: {s['sources']}")
    print(f"methods: {s['methods']}  benchmarks: {s['benchmarks']}  "
          f"proposes: {s['proposes_edges']}  uses: {s['uses_edges']}")
    if problems:
        skipped, repaired = s["skipped_records"], s["repaired_records"]
        other = f", other warnings: {repaired}" if repaired else ""
        print(f"skipped records: {skipped}{other} (see warnings)")
    print("wrote: " + ", ".join(str(w) for w in written))


def run_build(args) -> int:
    from .. import build  # chooses the engine: kg.graph.build, or kg.cluster.build with --engine dask
    from .._io import clean_stale, fault, writer_lock

    inputs = args.inputs or default_inputs()
    with writer_lock(args.out, wait=args.wait):
        fault("locked")
        clean_stale(args.out)
        G = build(inputs, fmt=args.format, extract=not args.no_extract, jobs=args.jobs,
                  engine=args.engine, scheduler=args.scheduler)
        fault("built")
        written = write_outputs(G, args.out, only_json=args.only_json, jobs=args.jobs,
                                scheduler=args.scheduler if args.engine == "dask" else None)
    _report(G, args, written)
    return 0


def run_add(args) -> int:
    from .._io import clean_stale, fault, writer_lock
    from ..graph import add, load, save

    graph = Path(args.graph)
    if graph.suffix != ".json":  # an RDF export would be overwritten with JSON
        raise KGError("kg add updates a graph.json (convert an RDF export with `kg load FILE "
                      "--out graph.json` first)", args.graph)
    folder = graph.name == "graph.json"  # graph.json of an output folder: refresh the whole set
    target = graph.parent if folder else graph
    with writer_lock(target, wait=args.wait):  # held from reading the graph to writing it back
        fault("locked")
        clean_stale(target)
        G = load(graph)
        if args.rdf_delta:  # the export before the add (see kg.export.rdf.delta)
            from ..export.rdf.delta import check_delta_path, graph_lines
            before = (check_delta_path(args.rdf_delta), graph_lines(G))
        G.graph["problems"] = []
        G.graph.pop("warnings", None)
        changes: dict = {}
        resolution: dict = {}
        add(G, args.inputs, fmt=args.format, extract=not args.no_extract, jobs=args.jobs,
            engine=args.engine, scheduler=args.scheduler, keep_longer=args.keep_longer, changes=changes,
            resolution=resolution)
        fault("built")
        if folder:
            written = write_outputs(G, graph.parent, only_json=args.only_json, jobs=args.jobs)
        else:
            save(G, graph)
            written = [graph]
        if args.rdf_delta:
            from ..export.rdf.delta import graph_lines, write_delta
            write_delta(before[1], graph_lines(G), before[0])
            written.append(before[0])
    _report(G, args, written, changes, resolution)
    return 0
