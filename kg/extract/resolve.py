"""Cross-paper identity of extracted entities (:func:`resolve`)."""
from __future__ import annotations

from collections import Counter, defaultdict

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


def resolve(results: list[dict]) -> list[dict]:
    """Give every entity of every paper a canonical ``key`` and display ``name`` (in place).

    Rules: spellings with the same :func:`kg.model.entity_key` are one entity ("Llama 2",
    "Llama2", "LLaMA-2"); spellings listed together in the gazetteer are one entity; an alias
    learned in one paper ("Efficient Diffusion Transformer (EDT)") joins the bare "EDT" of other
    papers; but when papers expand one acronym differently, each expansion is its own entity (key
    built from acronym + expansion) and bare uses keep the acronym's own key. The written name
    stays among the aliases when the display name changes. Returns ``results``.

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
    ents = []
    for r in results:
        for field, kind in KINDS:
            # a canonical order (by offset, then name; aliases sorted), so that where "first
            # seen" breaks a tie the answer does not depend on the order the extractor listed
            # mentions in: re-resolving a graph's own edges (kg add) sees the same input
            for ent in sorted(r.get(field) or (), key=lambda e: (e.get("start", 0), e["name"])):
                forms = [ent["name"]] + sorted({a for a in ent.get("aliases") or () if a != ent["name"]})
                ents.append((kind, ent, forms))

    # acronym -> expansions, across papers (and the gazetteer's own expansion)
    defs: dict[tuple, set] = defaultdict(set)
    ent_long: list[str | None] = []
    for kind, ent, forms in ents:
        longs = [f for f in forms if _is_long(f)]
        ent_long.append(longs[0] if longs else None)
        if not longs:
            continue
        for f in forms:
            if is_shortform(f) and not _is_long(f):
                defs[(kind, entity_key(f))].add(_long_key(longs[0]))
                entry = lex.lookup(f)
                if entry is not None and entry.kind == kind:
                    for sp in entry.spellings:
                        if _is_long(sp):
                            defs[(kind, entity_key(f))].add(_long_key(sp))
    ambiguous = {k for k, v in defs.items() if len(v) > 1}

    uf = UnionFind()  # components are listed by their first entity, so the root chosen does not matter
    find, union = uf.__getitem__, uf.union

    amb_of: dict[int, str] = {}
    for i, (kind, ent, forms) in enumerate(ents):
        node = ("e", i)
        find(node)
        has_long = ent_long[i] is not None
        for f in forms:
            k = entity_key(f)
            if not k:
                continue
            entry = lex.lookup(f)
            if (kind, k) in ambiguous and not _is_long(f):
                if has_long:
                    amb_of[i] = f
                    continue  # linked through its expansion instead
                union(node, ("k", kind, "bare", k))
            else:
                union(node, ("k", kind, k))
            if entry is not None and entry.kind == kind:
                union(node, ("g", kind, entry.canonical))

    comps: dict = defaultdict(list)
    for i in range(len(ents)):
        comps[find(("e", i))].append(i)
    for members in comps.values():
        kind = ents[members[0]][0]
        names = Counter(ents[i][1]["name"] for i in members)
        order = {}
        for i in members:
            order.setdefault(ents[i][1]["name"], i)
        entry = None
        for i in members:
            for f in ents[i][2]:
                e = lex.lookup(f)
                if e is not None and e.kind == kind and not ((kind, entity_key(f)) in ambiguous and i in amb_of):
                    entry = entry or e
        display = entry.canonical if entry is not None else max(names, key=lambda n: (names[n], -order[n]))
        key = entity_key(display)
        amb = [amb_of[i] for i in members if i in amb_of]
        if amb and entry is None:
            acr = Counter(amb).most_common(1)[0][0]
            longs = Counter(ent_long[i] for i in members if ent_long[i])
            long = max(longs, key=lambda s: (longs[s], s))
            display = acr
            key = entity_key(f"{acr} {long}")
        for i in members:
            ent = ents[i][1]
            if ent["name"] != display:
                aliases = list(ent.get("aliases") or [])
                if ent["name"] not in aliases:
                    aliases.insert(0, ent["name"])
                ent["aliases"] = [a for a in aliases if a != display]
                ent["name"] = display
            ent["key"] = key or entity_key(ent["name"]) or "unnamed"
    return results
