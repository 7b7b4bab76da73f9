"""Extraction on the workers that hold the records, and resolution over the mention table
(:mod:`.resolve_bag`); the client receives the resolved results, directly from the workers."""
from __future__ import annotations

from ..extract.resolve import KINDS
from .resolve_bag import apply_resolution, mention_rows, resolve_rows, resolved_pairs

_RESOLVED = "_kg_resolved"  # (name, key) of an entity, attached on the worker, taken by set_mentions


def extract_records(listing, recs: list) -> list[dict]:
    """Extract records *recs* of a part held by this worker (an entry ``(number, {"title":
    ...})``: the paper's title or abstract where the merge kept another record's one)."""
    from ..parallel import extract_chunk

    papers = []
    for entry in recs:
        j, over = entry if isinstance(entry, tuple) else (entry, {})
        rec = listing.records[j]
        papers.append({"id": j, "title": over.get("title", rec.title),
                       "abstract": over.get("abstract", rec.abstract)})
    return extract_chunk(papers)


def attach(results: list[dict], rows: list[tuple], ambiguous, comp_of, table) -> list[dict]:
    """Each entity of *results* gets its entity's ``(name, key)`` under ``_kg_resolved``."""
    it = iter(resolved_pairs(rows, ambiguous, comp_of, table))
    for r in results:
        for field, _ in KINDS:
            for ent in r.get(field) or ():
                ent[_RESOLVED] = next(it)
    return results


def take_attached(results: list[dict]) -> list[dict]:
    """The resolver :func:`kg.graph.set_mentions` runs: the attached names and keys applied as
    :func:`kg.extract.resolve` would (same aliases rule)."""
    pairs = [ent.pop(_RESOLVED) for r in results for field, _ in KINDS for ent in r.get(field) or ()]
    return apply_resolution(results, pairs)


def extract_and_resolve(client, G, parts, listings, chunk: int) -> None:
    """Extract every paper of *G* where its record is, resolve, and set the mentions of *G*."""
    import dask.bag as db

    from ..graph import set_mentions
    from ..parallel import extract_chunk
    from . import extraction_plan

    plan, loose = extraction_plan(G, listings)
    ranks = {pid: i for i, pid in enumerate(sorted([p for _, ps, _ in plan for p in ps]
                                                   + [d["id"] for d in loose]))}
    tasks = []  # (future of the results, paper ids): the ids never leave the client
    for part, pids, recs in plan:
        for a in range(0, len(recs), chunk):
            fut = client.submit(extract_records, parts[part], recs[a:a + chunk], pure=False)
            tasks.append((fut, pids[a:a + chunk]))
    for a in range(0, len(loose), chunk):
        tasks.append((client.submit(extract_chunk, loose[a:a + chunk], pure=False),
                      [d["id"] for d in loose[a:a + chunk]]))
    rows = [client.submit(mention_rows, fut, [ranks[p] for p in pids], pure=False) for fut, pids in tasks]
    bag = db.from_delayed(rows)
    ambiguous, comp_of, table = resolve_rows(
        bag, compute=lambda c: client.compute(c, sync=True),
        share=lambda x: client.scatter([x], broadcast=True, direct=True)[0])  # [x]: a dict
    table_f = client.scatter([table], broadcast=True, direct=True)[0]  # would be split by key
    done = [client.submit(attach, fut, rf, ambiguous, comp_of, table_f, pure=False)
            for (fut, _), rf in zip(tasks, rows)]
    results = []
    for chunk_results, (_, pids) in zip(client.gather(done, direct=True), tasks):
        for r, pid in zip(chunk_results, pids):
            r["id"] = pid
            results.append(r)
    set_mentions(G, results, resolver=take_attached)
