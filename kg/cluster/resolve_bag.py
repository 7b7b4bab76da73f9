"""Cross-paper entity resolution (:func:`kg.extract.resolve`) over a mention table in a
:mod:`dask.bag`, so that no process holds every mention.

A mention row is ``(order, kind, name, forms)``: ``order = (paper rank, 0 methods / 1
benchmarks, position)`` is the place of the mention in the one-process sequence (papers
sorted by id), ``forms`` its written name and in-paper aliases. The rules of
:func:`kg.extract.resolve`, step by step:

1. **acronyms with several expansions** (``ambiguous``): ``foldby`` of ``(kind, acronym key) ->
   {expansion keys}`` (plus the gazetteer's expansions), keys with more than one. Small: gathered.
2. **identity keys** of a mention (its forms' :func:`kg.model.entity_key`, bare acronym keys,
   gazetteer entries): computed per row; mentions are one entity when they are connected through
   shared keys. Connected components are not a groupby: they are found **centrally**, with one
   :class:`networkx.utils.UnionFind` over the *distinct* key sets (``distinct()``), far fewer than
   the mentions (one per spelling pattern, not per paper); the key -> component table goes back
   to the workers.
3. **display name and key per entity**: ``foldby`` over the component of each row with a
   mergeable summary (count and first place of each name, the first gazetteer entry, the ambiguous
   acronym forms and expansions), then the same choice as ``resolve`` (most frequent name, ties
   to the first seen; the gazetteer's canonical name first; an ambiguous acronym keyed with its
   most frequent expansion).
4. **each mention** gets its entity's name and key where it is (:func:`resolved_pairs`).

``resolve_rows`` on the rows of a list of results gives what ``resolve`` gives
(``tests/test_cluster.py``, seeds and a corpus sample).
"""
from __future__ import annotations

from typing import Any

from networkx.utils import UnionFind

from ..extract.lexicon import load
from ..extract.resolve import (KINDS, add_mention, choose, expansions, mention_identity, new_summary,
                                rename)


def mention_rows(results: list[dict], ranks: list[int]) -> list[tuple]:
    """The mention rows of per-paper extraction *results* whose papers have *ranks*.

    >>> mention_rows([{"methods": [{"name": "A B", "aliases": ["AB", "A B"]}], "benchmarks": []}], [7])
    [((7, 0, 0), 'method', 'A B', ('A B', 'AB'))]
    """
    rows = []
    for r, rank in zip(results, ranks):
        for fi, (field, kind) in enumerate(KINDS):
            for i, ent in enumerate(r.get(field) or ()):
                forms = (ent["name"], *(a for a in ent.get("aliases") or () if a != ent["name"]))
                rows.append(((rank, fi, i), kind, ent["name"], forms))
    return rows


def _expansions(rows) -> list[tuple]:
    lex = load()
    return [kv for _, kind, _, forms in rows for kv in expansions(kind, forms, lex)]


def _add(acc: frozenset, kv: tuple) -> frozenset:
    return acc | {kv[1]}


def _or(a: frozenset, b: frozenset) -> frozenset:
    return a | b


def ambiguous_acronyms(rows) -> Any:
    """Step 1 as a bag: the ``(kind, acronym key)`` with several expansions."""
    return (rows.map_partitions(_expansions)
            .foldby(lambda kv: kv[0], _add, frozenset(), _or, frozenset())
            .filter(lambda kv: len(kv[1]) > 1).map(lambda kv: kv[0]))


def row_keys(row: tuple, ambiguous: frozenset) -> tuple[tuple, str | None, str | None, str | None]:
    """Step 2 for one row: ``(identity keys, ambiguous acronym form, gazetteer name, first
    expansion)``, as :func:`kg.extract.resolve` sees that mention
    (:func:`kg.extract.resolve.mention_identity`)."""
    _, kind, _, forms = row
    keys, amb, canonical, long = mention_identity(kind, forms, ambiguous, load())
    return tuple(sorted(keys)), amb, canonical, long


def _signatures(rows, ambiguous):
    return [row_keys(r, ambiguous)[0] for r in rows]


def components(signatures) -> dict[tuple, int]:
    """The central step: identity key -> component number, over the distinct key sets."""
    uf = UnionFind()
    for sig in signatures:
        if sig:
            uf.union(*sig)
    roots: dict = {}
    return {k: roots.setdefault(uf[k], len(roots)) for sig in signatures for k in sig}


def _component(row, keys, comp_of) -> Any:
    return comp_of[keys[0]] if keys else ("e", row[0])  # no key at all: an entity of its own


def _summaries(rows, ambiguous, comp_of) -> list[tuple]:
    out = []
    lex = load()
    for row in rows:
        order, kind, name, forms = row
        ident = mention_identity(kind, forms, ambiguous, lex)
        keys = tuple(sorted(ident.keys))
        out.append((_component(row, keys, comp_of), add_mention(new_summary(), order, name, ident)))
    return out


def _merge(a: dict, b: dict) -> dict:
    out = {"entry": min((e for e in (a["entry"], b["entry"]) if e), default=None)}
    for field in ("names", "amb"):
        m = {k: list(v) for k, v in a[field].items()}
        for k, (n, o) in b[field].items():
            if k in m:
                m[k] = [m[k][0] + n, min(m[k][1], o)]
            else:
                m[k] = [n, o]
        out[field] = m
    m = dict(a["longs"])
    for k, n in b["longs"].items():
        m[k] = m.get(k, 0) + n
    out["longs"] = m
    return out


def _merge_pair(acc, kv):
    return kv[1] if acc is None else _merge(acc, kv[1])


def _combine(a, b):
    return b if a is None else a if b is None else _merge(a, b)


def entity_table(rows, ambiguous, comp_of) -> Any:
    """Step 3 as a bag: ``(component, (display name, key))`` (the choice of
    :func:`kg.extract.resolve.choose` over the merged summaries)."""
    return (rows.map_partitions(_summaries, ambiguous, comp_of)
            .foldby(lambda kv: kv[0], _merge_pair, None, _combine, None)
            .map(lambda kv: (kv[0], choose(kv[1]))))


def resolved_pairs(rows: list[tuple], ambiguous, comp_of, table: dict) -> list[tuple[str, str]]:
    """Step 4: ``(display name, key)`` of each row, in row order."""
    return [table[_component(r, row_keys(r, ambiguous)[0], comp_of)] for r in rows]


def apply_resolution(results: list[dict], pairs) -> list[dict]:
    """Give each entity of *results* (in :func:`mention_rows` order) its entity's name and key,
    exactly as the last loop of :func:`kg.extract.resolve` (in place; returns *results*)."""
    it = iter(pairs)
    for r in results:
        for field, _ in KINDS:
            for ent in r.get(field) or ():
                rename(ent, *next(it))
    return results


def resolve_rows(rows_bag, compute=None, share=None) -> tuple[frozenset, Any, dict]:
    """Steps 1-3 over a bag of mention rows: ``(ambiguous, key -> component, component ->
    (name, key))``. *compute* runs a collection (default: ``dask.compute``); *share* turns the
    key -> component table into what the bag's tasks take (on a cluster: a future of the table
    scattered to the workers, so that it is not inside the task graph); its result is returned.

    >>> import dask.bag as db
    >>> rows = mention_rows([{"methods": [{"name": "LLaMA-2", "aliases": []}], "benchmarks": []},
    ...                      {"methods": [{"name": "Llama2", "aliases": []}], "benchmarks": []}], [0, 1])
    >>> amb, comp_of, table = resolve_rows(db.from_sequence(rows, npartitions=2))
    >>> sorted(table.values())
    [('Llama 2', 'llama2')]
    """
    import dask

    compute = compute or (lambda c: dask.compute(c, scheduler="sync")[0])
    share = share or (lambda x: x)
    ambiguous = frozenset(compute(ambiguous_acronyms(rows_bag)))
    sigs = compute(rows_bag.map_partitions(_signatures, ambiguous).distinct())
    comp_of = share(components(sigs))
    table = dict(compute(entity_table(rows_bag, ambiguous, comp_of)))
    return ambiguous, comp_of, table
