"""Cross-paper identity of extracted entities (:func:`resolve`).

The rules, one function each, are shared with the Dask build's resolution over a mention table
(:mod:`kg.cluster.resolve_bag`): :func:`expansions` (the acronym definitions a mention gives),
:func:`mention_identity` (its identity keys, ambiguous acronym form, gazetteer name, first
expansion), :func:`add_mention` / :func:`choose` (an entity's display name and key) and
:func:`rename` (a mention given its entity's name and key).
"""
from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from networkx.utils import UnionFind

from kg.model import entity_key

from .abbrev import is_shortform
from .lexicon import load

KINDS = (("methods", "method"), ("benchmarks", "benchmark"))


def _is_long(form: str) -> bool:
    return len(form.split()) >= 2


def _long_key(form: str) -> str:
    """Identity of an acronym's expansion, singular and plural alike ("Neural Radiance Field(s)").

    >>> _long_key("Neural Radiance Fields") == _long_key("neural radiance field")
    True
    """
    k = entity_key(form)
    return k[:-1] if k.endswith("s") else k


def expansions(kind: str, forms, lex=None) -> list[tuple[tuple[str, str], str]]:
    """The ``((kind, acronym key), expansion key)`` pairs a mention of *kind* written in *forms*
    (name, then aliases) gives: each short form with the first long form (and the gazetteer's
    long spellings of that acronym). None without a long form.

    >>> expansions("method", ["EDT", "Efficient Diffusion Transformers"])
    [(('method', 'edt'), 'efficientdiffusiontransformer')]
    >>> expansions("method", ["EDT"])
    []
    """
    longs = [f for f in forms if _is_long(f)]
    if not longs:
        return []
    lex = lex or load()
    out = []
    for f in forms:
        if is_shortform(f) and not _is_long(f):
            k = (kind, entity_key(f))
            out.append((k, _long_key(longs[0])))
            entry = lex.lookup(f)
            if entry is not None and entry.kind == kind:
                out.extend((k, _long_key(sp)) for sp in entry.spellings if _is_long(sp))
    return out


class Identity(NamedTuple):
    """What :func:`mention_identity` finds of one mention."""

    keys: set  #: identity keys: mentions sharing one are one entity
    amb: str | None  #: its ambiguous acronym form, when it is linked through its expansion instead
    canonical: str | None  #: the gazetteer's canonical name of its first listed form
    long: str | None  #: its first long form (an acronym's expansion)


def mention_identity(kind: str, forms, ambiguous, lex=None) -> Identity:
    """The :class:`Identity` of a mention of *kind* written in *forms*, given the *ambiguous*
    ``(kind, acronym key)`` set: ``("k", kind, key)`` per form's :func:`kg.model.entity_key`
    (``("k", kind, "bare", key)`` for an ambiguous acronym used alone), ``("g", kind, canonical)``
    per gazetteer entry; an ambiguous acronym written with its expansion is left to the
    expansion.

    >>> m = mention_identity("method", ["EDT", "Event-Driven Training"], {("method", "edt")})
    >>> sorted(m.keys), m.amb
    ([('k', 'method', 'eventdriventraining')], 'EDT')
    >>> sorted(mention_identity("method", ["EDT"], {("method", "edt")}).keys)
    [('k', 'method', 'bare', 'edt')]
    """
    lex = lex or load()
    longs = [f for f in forms if _is_long(f)]
    keys, amb = set(), None
    for f in forms:
        k = entity_key(f)
        if not k:
            continue
        entry = lex.lookup(f)
        if (kind, k) in ambiguous and not _is_long(f):
            if longs:
                amb = f
                continue  # linked through its expansion instead
            keys.add(("k", kind, "bare", k))
        else:
            keys.add(("k", kind, k))
        if entry is not None and entry.kind == kind:
            keys.add(("g", kind, entry.canonical))
    canonical = None
    for f in forms:
        e = lex.lookup(f)
        if e is not None and e.kind == kind and not ((kind, entity_key(f)) in ambiguous and amb is not None):
            canonical = e.canonical
            break
    return Identity(keys, amb, canonical, longs[0] if longs else None)


def new_summary() -> dict:
    """An empty entity summary (:func:`add_mention`, :func:`choose`): per name and per ambiguous
    acronym form ``[count, first place]``, the first gazetteer name ``(place, name)``, per
    expansion its count."""
    return {"names": {}, "entry": None, "amb": {}, "longs": {}}


def add_mention(summary: dict, order, name: str, ident: Identity) -> dict:
    """*summary* (in place, returned) with the mention *name* at place *order* whose identity is
    *ident*."""
    for field, value in (("names", name), ("amb", ident.amb)):
        if value is None:
            continue
        seen = summary[field].get(value)
        if seen is None:
            summary[field][value] = [1, order]
        else:
            seen[0] += 1
            seen[1] = min(seen[1], order)
    if ident.canonical and (summary["entry"] is None or order < summary["entry"][0]):
        summary["entry"] = (order, ident.canonical)
    if ident.long:
        summary["longs"][ident.long] = summary["longs"].get(ident.long, 0) + 1
    return summary


def choose(summary: dict) -> tuple[str, str]:
    """An entity's ``(display name, key)`` from its *summary*: the gazetteer's canonical name,
    else the most frequent name (ties: the first seen); an ambiguous acronym with no gazetteer
    name is named by its most frequent form and keyed with its most frequent expansion.

    >>> s = new_summary()
    >>> for i, name in enumerate(["Llama2", "LLaMA-2", "Llama2"]):
    ...     _ = add_mention(s, i, name, Identity(set(), None, None, None))
    >>> choose(s)
    ('Llama2', 'llama2')
    """
    names = summary["names"]
    if summary["entry"] is not None:
        display = summary["entry"][1]
    else:
        display = min(names, key=lambda n: (-names[n][0], names[n][1]))
    key = entity_key(display)
    amb = summary["amb"]
    if amb and summary["entry"] is None:
        acr = min(amb, key=lambda f: (-amb[f][0], amb[f][1]))
        longs = summary["longs"]
        long = max(longs, key=lambda s: (longs[s], s))
        display, key = acr, entity_key(f"{acr} {long}")
    return display, key


def rename(ent: dict, display: str, key: str) -> None:
    """Give the entity *ent* its entity's *display* name and *key* (in place); the written name
    stays among the aliases."""
    if ent["name"] != display:
        aliases = list(ent.get("aliases") or [])
        if ent["name"] not in aliases:
            aliases.insert(0, ent["name"])
        ent["aliases"] = [a for a in aliases if a != display]
        ent["name"] = display
    ent["key"] = key or entity_key(ent["name"]) or "unnamed"


def mention_forms(ent: dict) -> list[str]:
    """A mention's forms as resolution reads them: its name, then its other aliases sorted."""
    return [ent["name"]] + sorted({a for a in ent.get("aliases") or () if a != ent["name"]})


def _mentions(results: list[dict]) -> list[tuple[str, dict, list[str]]]:
    """``(kind, entity, forms)`` of every mention, in a canonical order (by offset, then name;
    aliases sorted), so that where "first seen" breaks a tie the answer does not depend on the
    order the extractor listed mentions in: re-resolving a graph's own edges (kg add) sees the
    same input."""
    ents = []
    for r in results:
        for field, kind in KINDS:
            for ent in sorted(r.get(field) or (), key=lambda e: (e.get("start", 0), e["name"])):
                ents.append((kind, ent, mention_forms(ent)))
    return ents


def resolve(results: list[dict], ambiguous=None) -> list[dict]:
    """Give every entity of every paper a canonical ``key`` and display ``name`` (in place).

    Rules: spellings with the same :func:`kg.model.entity_key` are one entity ("Llama 2",
    "Llama2", "LLaMA-2"); spellings listed together in the gazetteer are one entity; an alias
    learned in one paper ("Efficient Diffusion Transformer (EDT)") joins the bare "EDT" of other
    papers; but when papers expand one acronym differently, each expansion is its own entity (key
    built from acronym + expansion) and bare uses keep the acronym's own key. The written name
    stays among the aliases when the display name changes. Returns ``results``. *ambiguous*
    (anything answering ``(kind, acronym key) in ambiguous``) gives the acronyms with several
    expansions when *results* are only part of the papers (``kg add``, :mod:`kg.touched`);
    by default they are found in *results*.

    >>> rs = [{"id": 1, "methods": [{"name": "EDT", "aliases": ["Efficient Diffusion Transformer"]},
    ...                              {"name": "LLaMA-2", "aliases": []}], "benchmarks": []},
    ...       {"id": 2, "methods": [{"name": "EDT", "aliases": []}, {"name": "Llama2", "aliases": []}],
    ...        "benchmarks": []},
    ...       {"id": 3, "methods": [{"name": "EDT", "aliases": ["Event-Driven Training"]}], "benchmarks": []}]
    >>> _ = resolve(rs)
    >>> [e["key"] for r in rs for e in r["methods"]]
    ['edtefficientdiffusiontransformer', 'llama2', 'edt', 'llama2', 'edteventdriventraining']
    >>> rs[1]["methods"][1]["name"], rs[1]["methods"][1]["aliases"]
    ('Llama 2', ['Llama2'])
    """
    lex = load()
    ents = _mentions(results)
    if ambiguous is None:
        defs: dict[tuple, set] = defaultdict(set)  # acronym -> expansions, across papers
        for kind, _, forms in ents:
            for k, long in expansions(kind, forms, lex):
                defs[k].add(long)
        ambiguous = {k for k, v in defs.items() if len(v) > 1}

    uf = UnionFind()  # components are listed by their first entity, so the root chosen does not matter
    idents = []
    for i, (kind, _, forms) in enumerate(ents):
        ident = mention_identity(kind, forms, ambiguous, lex)
        idents.append(ident)
        uf[("e", i)]
        for k in ident.keys:
            uf.union(("e", i), k)
    comps: dict = defaultdict(list)
    for i in range(len(ents)):
        comps[uf[("e", i)]].append(i)
    for members in comps.values():
        summary = new_summary()
        for i in members:
            add_mention(summary, i, ents[i][1]["name"], idents[i])
        display, key = choose(summary)
        for i in members:
            rename(ents[i][1], display, key)
    return results
