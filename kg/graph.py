"""Build, merge, save and load the knowledge graph (a :class:`networkx.DiGraph`).

The model (node and edge types, ids) is described in :mod:`kg.model`.

Identity rules
--------------
* **Papers**: two records are one paper when they share an identifier (DOI, arXiv id, OpenAlex
  W id, Semantic Scholar paperId, PMID), whatever their titles; otherwise when their normalised
  titles (:func:`kg.model.title_key`) are equal, they do not carry *different* identifiers of
  one kind, and they are not two papers by their content: both author lists known and with no
  author in common *and* both abstracts known and different (kept apart, with a warning in
  ``G.graph["warnings"]``). A title that normalises to nothing (emoji, punctuation, zero-width
  characters only) is matched only by its written form and authors, never to other such
  titles. The merged paper keeps every source, the longest abstract, the longest author list
  (ties: the first seen), and the first value seen of each optional field and identifier;
  ``kg add`` instead takes the newer record's fields (:func:`update_paper`).
* **Authors**: an author with an identifier (ORCID, OpenAlex A id, S2 authorId) is the node
  with that identifier, under any spelling; otherwise one node per :func:`kg.model.author_key`
  (Unicode NFKC, case, punctuation and spacing folded; letters and accents kept), displayed
  with the first spelling seen, except that a node whose identifier contradicts (two
  different ORCIDs under one name) is another person: a second node. Spellings that differ
  only by accents (:func:`kg.model.accent_key`: "René Vidal" / "Rene Vidal") are merged when
  they share a co-author (the other spelling is kept in ``aliases``). An author without an
  identifier whose papers fall into several groups with no co-author in common gets
  ``possibly_several=True`` and ``coauthor_groups`` (see :mod:`kg.identity`).
* **Not authors**: "et al.", "others", "and others" are dropped at reading, and HTML
  entities in names decoded (:func:`kg.ingest.ids.clean_name`).
* **Methods / benchmarks**: one node per canonical key given by
  :func:`kg.extract.resolve` across all papers of the graph.

Example
-------
>>> import kg
>>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
>>> G.nodes["paper:conformal-inverse-optimization"]["authors"]
['Timothy Chan']
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import networkx as nx

from ._version import __version__
from .entities import ENTITY_EDGE_KEYS, paper_mentions, set_mentions  # noqa: F401  (kg.graph.set_mentions)
from .merge import update_paper
from .persist import (GRAPH_FORMAT, evidence_as_offsets, evidence_as_text, load, save,  # noqa: F401  (kg.graph.save)
                      share_values, to_json, write_json)
from .identity import AuthorIndex, PaperIndex, flag_possibly_several, link_authors, merge_accent_variants
from .model import (AUTHOR, AUTHORED, BENCHMARK, EXTRA_PAPER_IDS, METHOD, OPTIONAL_FIELDS, PAPER, PROPOSES,
                    USES, KGError, Record, skipped_records)


def new_graph() -> nx.DiGraph:
    """An empty knowledge graph with its metadata.

    >>> new_graph().graph["format"]
    'kg-graph/1'
    """
    G = nx.DiGraph()
    G.graph.update(format=GRAPH_FORMAT, kg_version=__version__, sources=[], problems=[])
    return G


# --------------------------------------------------------------------------- papers & authors
def add_records(G: nx.DiGraph, records: Iterable[Record], keep_longer: bool = True,
                changes: dict[str, set[str]] | None = None) -> set[str]:
    """Merge listing records into *G* (papers, authors, authorship); return the papers whose
    text (title or abstract) is new or changed and so needs extraction. A record of a paper
    already in *G* is merged by :func:`update_paper` (*keep_longer*: see there); *changes*, if
    given, collects the paper ids ``added``, ``updated`` and seen ``unchanged``. Identity
    warnings (same title, two papers) are appended to ``G.graph["warnings"]``.

    >>> from kg.model import Record
    >>> G = new_graph()
    >>> changed = add_records(G, [Record("A Paper", ["Ann Lee"], None, "a.txt"),
    ...                           Record("A paper", [], "Full text.", "b.txt")])
    >>> G.nodes["paper:a-paper"]["sources"], G.nodes["paper:a-paper"]["abstract"]
    (['a.txt', 'b.txt'], 'Full text.')
    """
    papers, people = PaperIndex(G), AuthorIndex(G)
    warnings: list[str] = []
    changed: set[str] = set()
    relink: list[str] = []
    if changes is not None:
        for k in ("added", "updated", "unchanged"):
            changes.setdefault(k, set())
    for rec in records:
        if rec.source_key and rec.source_key not in G.graph["sources"]:
            G.graph["sources"].append(rec.source_key)
        pid = papers.find(rec, warnings)
        if pid is None:
            pid = papers.new_id(rec)
            G.add_node(pid, type=PAPER, label=rec.title, title=rec.title, abstract=rec.abstract,
                       authors=list(rec.authors), sources=[rec.source_key] if rec.source_key else [],
                       **{k: getattr(rec, k) for k in OPTIONAL_FIELDS},
                       **{k: getattr(rec, k) for k in EXTRA_PAPER_IDS if getattr(rec, k)})
            if any(rec.author_ids):
                G.nodes[pid]["author_ids"] = rec.aligned_author_ids()
            changed.add(pid)
            relink.append(pid)
            if changes is not None:
                changes["added"].add(pid)
        else:
            text, new_authors, other = update_paper(G.nodes[pid], rec, keep_longer)
            if text:
                changed.add(pid)
            if new_authors:
                relink.append(pid)
            if changes is not None and pid not in changes["added"]:
                if text or new_authors or other:
                    changes["updated"].add(pid)
                    changes["unchanged"].discard(pid)
                elif pid not in changes["updated"]:
                    changes["unchanged"].add(pid)
        papers.add(pid)
    for pid in dict.fromkeys(relink):
        link_authors(G, pid, people)
    if relink:
        merge_accent_variants(G)
        flag_possibly_several(G)
    if warnings:
        G.graph.setdefault("warnings", []).extend(warnings)
    return changed


# --------------------------------------------------------------------------- build / add
def read_records(paths: Sequence[str | os.PathLike], fmt: str | None = None,
                 problems: list[str] | None = None, engine: str = "local",
                 scheduler: Any = None, notes: list[str] | None = None, jobs: int = 1) -> list[Record]:
    """Read every listing in *paths* (files or folders), in order; malformed records that were
    skipped are appended to *problems*, notes about the files ("more pages exist") to *notes*.

    >>> len(read_records(["seeds/000_4258901d99358fab.txt"]))
    12
    """
    from .parallel import read_all

    records: list[Record] = []
    for listing in read_all([str(p) for p in paths], fmt=fmt, engine=engine, scheduler=scheduler, jobs=jobs):
        records.extend(listing.records)
        if problems is not None:
            problems.extend(listing.problems)
        if notes is not None:
            notes.extend(getattr(listing, "notes", ()))
    return records


def iter_records(paths: Sequence[str | os.PathLike], fmt: str | None = None,
                 problems: list[str] | None = None, notes: list[str] | None = None) -> Iterator[Record]:
    """:func:`read_records` one file at a time (local engine): a file is read when the records
    of the one before are consumed, so that only one file's records are held at once.

    >>> sum(1 for _ in iter_records(["seeds/000_4258901d99358fab.txt"]))
    12
    """
    from .ingest import expand_paths, read_listing

    for path in expand_paths([str(p) for p in paths]):
        listing = read_listing(path, fmt)
        if problems is not None:
            problems.extend(listing.problems)
        if notes is not None:
            notes.extend(getattr(listing, "notes", ()))
        records, listing = listing.records, None
        records.reverse()
        while records:  # hand each record over and drop it, so the listing shrinks as it goes
            yield records.pop()


def add(G: nx.DiGraph, paths: Sequence[str | os.PathLike], fmt: str | None = None,
        extract: bool = True, jobs: int = 1, engine: str = "local",
        scheduler: Any = None, keep_longer: bool = False,
        changes: dict[str, set[str]] | None = None, resolution: dict[str, Any] | None = None,
        touched: bool = True) -> nx.DiGraph:
    """Merge new listings into *G* in place (and return it): new papers are added, papers seen
    again take the newer record's fields (or, with *keep_longer*, keep the fuller data: see
    :func:`update_paper`); *changes* collects the ids added / updated / unchanged. Only new or
    changed papers are extracted (over *jobs* processes, or on a Dask cluster: see
    :func:`kg.parallel.run_extraction`), plus every paper not extracted yet: all of them when
    *G* was built without extraction or by another extractor version. Without extraction, the
    papers added to an extracted graph are listed in ``G.graph["not_extracted"]``. Entities
    are re-resolved only where the extracted papers touch them (:mod:`kg.touched`), or all of
    them (see :func:`_resolve_entities`; always with ``touched=False``, the same graph);
    *resolution*, if given, receives what was done.

    >>> import kg
    >>> G = kg.build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> n = G.number_of_nodes()
    >>> _ = add(G, ["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> G.number_of_nodes() == n
    True
    """
    problems: list[str] = []
    notes: list[str] = []
    evidence_as_text(G)  # a paper's text may change: its mentions' sentences as written
    if engine == "local" and jobs <= 1 and not len(G):  # a new graph: streamed, one file's
        # records at a time (into an existing graph, or read by several processes, every file
        # is read first: a bad file leaves an existing graph untouched)
        records: Iterable[Record] = iter_records(paths, fmt, problems, notes)
    else:
        records = read_records(paths, fmt, problems, engine=engine, scheduler=scheduler, notes=notes,
                               jobs=jobs)
    at = len(G.graph.get("warnings", ()))
    changed = add_records(G, records, keep_longer=keep_longer, changes=changes)
    G.graph.setdefault("problems", []).extend(problems)
    if notes:  # before the identity warnings of these records, as when read up front
        G.graph.setdefault("warnings", [])[at:at] = notes
    stamp = G.graph.get("extractor_version")
    if extract:
        from .extract import EXTRACTOR_VERSION

        papers = sorted(n for n, t in G.nodes(data="type") if t == PAPER)
        if stamp != EXTRACTOR_VERSION:  # never extracted, or by another version: all papers
            changed = set(papers)
        changed |= set(G.graph.pop("not_extracted", ())) & set(papers)
        todo = [{"id": p, "title": G.nodes[p]["title"], "abstract": G.nodes[p].get("abstract")}
                for p in sorted(changed)]
        from .parallel import run_extraction

        fresh = {r["id"]: r for r in run_extraction(todo, jobs=jobs, engine=engine, scheduler=scheduler,
                                                        lean=True)}
        info = _resolve_entities(G, papers, fresh, stamp, touched)
        G.graph["extractor_version"] = EXTRACTOR_VERSION
    else:
        info = {"mode": "none"}
        if stamp and changed:
            G.graph["not_extracted"] = sorted(set(G.graph.get("not_extracted", ())) | changed)
    if resolution is not None:
        resolution.update(info)
    return share_values(evidence_as_offsets(G))  # each repeated name, type, venue... held once


def _resolve_entities(G: nx.DiGraph, papers: list[str], fresh: dict[str, dict], stamp: str | None,
                      touched: bool = True) -> dict:
    """Entities of *G* after the *fresh* extraction results: only the touched ones
    (:func:`kg.touched.update_mentions`) when *G* was extracted by this extractor (*stamp*)
    and has entities, else all of them; either way the same graph as a build from scratch."""
    from .extract import EXTRACTOR_VERSION

    total = sum(1 for _, t in G.nodes(data="type") if t in (METHOD, BENCHMARK))
    if stamp is None:
        reason = "first extraction"
    elif stamp != EXTRACTOR_VERSION:
        reason = "re-extraction (other extractor version)"
    elif not total:
        reason = "no entities yet"
    elif not touched:
        reason = "asked for"
    else:
        from .touched import update_mentions

        info = update_mentions(G, fresh)
        if info is not None:
            return info
        reason = "more than half of the entities touched"
    set_mentions(G, [fresh.get(p) or paper_mentions(G, p) for p in papers])
    total = sum(1 for _, t in G.nodes(data="type") if t in (METHOD, BENCHMARK))
    mentions = sum(len(d.get("mentions") or (d,)) for *_, d in G.edges(data=True) if d["type"] in (PROPOSES, USES))
    return {"mode": "full", "reason": reason, "blocks": None, "entities_reresolved": total,
            "mentions_reresolved": mentions, "entities_total": total}


def build(paths: Sequence[str | os.PathLike], fmt: str | None = None, extract: bool = True,
          jobs: int = 1, engine: str = "local", scheduler: Any = None) -> nx.DiGraph:
    """Build a knowledge graph from listing files (or folders of them): :func:`add` to an empty
    graph, keeping the longer field where records of one paper differ. ``engine="dask"`` reads
    and extracts on a Dask cluster through :mod:`kg.parallel`; :func:`kg.build` (``kg build
    --engine dask``) runs :func:`kg.cluster.build` instead, whose workers read their own parts.

    >>> G = build(["seeds/000_4258901d99358fab.txt", "seeds/001_3f13293f3bb4fd6f.txt"], extract=False)
    >>> summary(G)["papers"]
    24
    """
    if not paths:
        raise KGError("no input listings given")
    return add(new_graph(), paths, fmt=fmt, extract=extract, jobs=jobs, engine=engine,
               scheduler=scheduler, keep_longer=True)


def coauthor_pairs(G: nx.DiGraph, authors: Iterable[str] | None = None) -> dict[tuple[str, str], list[str]]:
    """The co-author projection: ``{(a, b): [paper, ...]}`` for every pair of authors (``a < b``)
    with a joint paper, papers in graph order. ``authors`` restricts it to those author nodes.

    The one place the projection is computed (``summary``, :func:`kg.query.coauthor_graph` and
    the HTML page's derived co-author edges use it).

    >>> G = build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> pairs = coauthor_pairs(G)
    >>> all(a < b and ps for (a, b), ps in pairs.items())
    True
    """
    keep = None if authors is None else set(authors)
    shared: dict[tuple[str, str], list[str]] = {}
    for p, t in G.nodes(data="type"):
        if t != PAPER:
            continue
        names = sorted(v for v in G.successors(p) if G.edges[p, v].get("type") == AUTHORED
                       and (keep is None or v in keep))
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                shared.setdefault((a, b), []).append(p)
    return shared


def coauthor_pair_count(G: nx.DiGraph) -> int:
    """``len(coauthor_pairs(G))``, counted one author at a time (the projection is not held).

    >>> G = build(["seeds/000_4258901d99358fab.txt"], extract=False)
    >>> coauthor_pair_count(G) == len(coauthor_pairs(G))
    True
    """
    n = 0
    for a in G:
        co: set[str] = set()
        for p, e in G._pred[a].items():
            if e.get("type") == AUTHORED and G.nodes[p].get("type") == PAPER:
                co.update(v for v, f in G._succ[p].items() if f.get("type") == AUTHORED)
        n += sum(1 for b in co if b > a)
    return n


def summary(G: nx.DiGraph) -> dict[str, Any]:
    """Counts of the graph: papers, authors, co-author pairs, methods, benchmarks, edges,
    sources and skipped records.

    >>> summary(new_graph())["papers"]
    0
    """
    counts = {t: 0 for t in (PAPER, AUTHOR, METHOD, BENCHMARK)}
    for _, t in G.nodes(data="type"):
        counts[t] = counts.get(t, 0) + 1
    problems = G.graph.get("problems", [])
    skipped = len(skipped_records(problems))
    edges = {PROPOSES: 0, USES: 0, AUTHORED: 0}
    for *_, t in G.edges(data="type"):
        edges[t] += 1
    return {"papers": counts[PAPER], "authors": counts[AUTHOR], "coauthor_pairs": coauthor_pair_count(G),
            "methods": counts[METHOD], "benchmarks": counts[BENCHMARK],
            "authorship_edges": edges[AUTHORED], "proposes_edges": edges[PROPOSES],
            "uses_edges": edges[USES], "sources": len(G.graph.get("sources", [])),
            "skipped_records": skipped, "repaired_records": len(problems) - skipped}
