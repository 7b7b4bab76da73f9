"""``kg_entities``: the 0.4 rules: context cues, method/benchmark and role, per-paper merging into groups."""
from __future__ import annotations

import bisect
import re

from networkx.utils import UnionFind
from spacy.language import Language
from spacy.tokens import Doc

from kg.model import entity_key

from .coined import base_name
from .cues import (  # the rule stage's cues and candidate passes
    _ACROSTIC, _APPOS, _BENCH_AFTER, _BENCH_BEFORE, _BENCH_SHAPE, _BENCH_WORDS, _BLOCK, _EVAL_ON, _EVAL_SENT,
    _LIST_SEP, _NAME_CUE, _NAME_CUE_WORDS, _NAMED, _OUR, _TC_HINT, _acronym_algorithms, _acronym_only, _acrostic,
    _complete_lists, _generic_long, _named_phrases, _proposal_verbs, _proposed_title_case, _title_case_phrases,
    distinctive, head_kind,
)
from .doc import Mention, doc_text
from .lexicon import BENCHMARK, METHOD, load


class _Paper:
    """What the rule stage knows of one paper while it decides (shared by the steps below)."""

    def __init__(self, doc: Doc):
        self.text = doc_text(doc)
        self.lex = load()
        self.title_end = doc._.kg_title_end
        self.sents = doc._.kg_sents or [(0, len(self.text))]
        self.sstarts = [s for s, _ in self.sents]
        self.mentions: list[Mention] = list(doc._.kg_mentions or ())
        self.abbrevs = doc._.kg_abbrevs
        self.links: list[tuple[Mention, Mention]] = []  # (short form, long form) of each abbreviation pair
        self.generic_short: set[str] = set()  # short forms of topic long forms ("policy gradient (PG)")
        self.strong_generic: set[str] = set()  # short forms of problems / properties
        self.cues: dict[int, set] = {}  # mention index -> its context cues
        self.list_kind: dict[int, str] = {}  # mention index -> kind shared by its coordination list
        self.proposed_defs: set[str] = set()  # short forms of pairs proposed by their own cues

    def sentence(self, m: Mention) -> tuple[int, int]:
        return self.sents[m.sent] if m.sent >= 0 else (0, len(self.text))


def entities(doc: Doc) -> list[dict]:
    """Turn the mentions and abbreviation pairs of ``doc`` into entity dicts (see module docs)."""
    p = _Paper(doc)
    pvs = _candidate_passes(p)
    if not p.mentions and not p.abbrevs:
        return []
    _join_versioned_names(p)
    _link_abbreviations(p)
    p.mentions.sort(key=lambda m: (m.start, -m.end))
    for m in p.mentions:
        m.sent = bisect.bisect_right(p.sstarts, m.start) - 1
    _mention_cues(p, pvs)
    p.proposed_defs = _proposed_definitions(p)
    _coordination_lists(p)
    # benchmark lists: "four benchmarks, including SAMM, CASME II, SMIC, and CASME3"
    _complete_lists(p.text, p.sents, p.mentions, p.cues, p.list_kind, p.lex)
    out = [_entity(p, idx) for idx in _groups(p)]
    out.sort(key=lambda e: e.pop("_first"))
    return out


def _candidate_passes(p: _Paper) -> list[tuple[int, int]]:
    """The rule stage's own candidate passes (added to ``p.mentions``); returns the proposal verbs."""
    text, title_end, mentions, lex = p.text, p.title_end, p.mentions, p.lex
    # every _NAME_CUE match holds one of these words: skip its scan when none is in the text
    if any(w in text for w in _NAME_CUE_WORDS) and _NAME_CUE.search(text, title_end):
        _named_phrases(text, title_end, mentions, lex)
    if _TC_HINT.search(text, title_end):
        _title_case_phrases(text, title_end, mentions, lex)
    if " algorithm" in text or " scheme" in text:
        _acronym_algorithms(text, title_end, mentions, lex)
    pvs = _proposal_verbs(text, title_end)  # proposal verbs, once
    _proposed_title_case(text, title_end, pvs, mentions, p.abbrevs or (), lex)
    return pvs


def _join_versioned_names(p: _Paper) -> None:
    """A versioned listed model glued to another listed model is one name, the second its head ("GPT-3 Codex")."""
    text, mentions = p.text, p.mentions
    for k in range(len(mentions) - 1, 0, -1):
        a, b = mentions[k - 1], mentions[k]
        if b.start == a.end + 1 and text[a.end] == " " and a.entry is not None and b.entry is not None and \
                a.entry.kind == METHOD and b.entry.kind == METHOD and a.entry is not b.entry and \
                a.start >= p.title_end and re.search(r"\d", a.text):
            b.start, b.text = a.start, text[a.start:b.end]
            del mentions[k - 1]


def _link_abbreviations(p: _Paper) -> None:
    """Abbreviation pairs: link short and long forms; names inside a long form belong to it."""
    text, lex, mentions = p.text, p.lex, p.mentions
    long_spans = []
    redefined = set()
    sstarts_set = set(p.sstarts)
    by_start = {m.start: m for m in mentions}
    for ss, se, ls, le in p.abbrevs or ():
        short, long = text[ss:se], text[ls:le]
        if lex.is_generic(short):
            continue
        sm = by_start.get(ss)
        if sm is None or sm.end != se:
            sm = Mention(ss, se, short, "abbrev", lex.lookup(short))
            mentions.append(sm)
            by_start[ss] = sm
        lm = Mention(ls, le, long, "long", lex.lookup(long))
        p.links.append((sm, lm))
        long_spans.append((ls, le))
        plural = short.endswith("s") and short[:-1].isupper()
        listed = sm.entry or (lex.lookup(short[:-1]) if plural else None)
        if listed is not None and lm.entry is None and any(" " in f for f in listed.spellings):
            redefined.update((short, short[:-1]) if sm.entry is None else (short,))
            sm.entry = None  # "Spiking Neural Networks (SNNs)" is not the listed SNN (Self-Normalizing)
        if sm.entry is None:
            g = _generic_long(long, ls in sstarts_set, lex, p.generic_short)
            forms = {short, short[:-1]} if plural else {short}
            if g == "none":
                p.strong_generic.update(forms)  # "Temporal Covariate Shifts (TCS)", "Mixed Integer Linear Programming"
            if g:
                p.generic_short.update(forms)  # "policy gradient (PG)", "Semi-Supervised Domain Adaptation (SSDA)"
    if p.links:
        long_spans += _long_forms_in_title(p, long_spans)
    if redefined:
        for m in mentions:
            if m.entry is not None and m.text in redefined:
                m.entry = None
    if long_spans:
        long_spans.sort()
        p.mentions = [m for m in mentions if not any(
            ls <= m.start and m.end <= le and (m.start, m.end) != (ls, le) for ls, le in long_spans)]
        p.mentions.extend(lm for _, lm in p.links)


def _long_forms_in_title(p: _Paper, long_spans: list) -> list[tuple[int, int]]:
    """The long forms written in the title, any case ("Cross-Modal CutMix" in the title of a paper that
    defines "cross-modal CutMix (CMC)"): names inside them belong to them, as in the definition."""
    low = p.text[:p.title_end].lower()
    seen = set(long_spans)
    out = []
    for _, lm in p.links:
        key = lm.text.lower()
        if " " not in key:
            continue
        i = low.find(key)
        while i >= 0:
            j = i + len(key)
            if (i, j) not in seen and (i == 0 or not low[i - 1].isalnum()) and (j == len(low) or not low[j].isalnum()):
                seen.add((i, j))
                out.append((i, j))
            i = low.find(key, j)
    return out


def _mention_cues(p: _Paper, pvs: list[tuple[int, int]]) -> None:
    """Per mention: proposal, title, benchmark and evaluated-on cues from the text around it (``p.cues``)."""
    text, title_end = p.text, p.title_end
    title_colon = text.find(":", 0, title_end)
    pv_starts, pv_ends = [a for a, _ in pvs], [b for _, b in pvs]
    for i, m in enumerate(p.mentions):
        s0, s1 = p.sentence(m)
        before = text[max(s0, m.start - 160):m.start]
        after = text[m.end:min(s1, m.end + 60)]
        cues = set()
        if m.start < title_end:
            if 0 <= title_colon and m.end <= title_colon and (title_colon - m.end) < 3 and m.start < 40:
                cues.add("propose")
            elif m.entry is None and distinctive(m.text) and m.source != "long":
                cues.add("title")
        elif _NAMED.search(before[-50:]) or (m.entry is None and _OUR.search(before[-60:])):
            cues.add("propose")
        else:
            k = bisect.bisect_right(pv_ends, m.start) - 1
            if k >= 0 and pv_starts[k] >= max(s0, m.start - 160):
                between = text[pv_ends[k]:m.start]
                if len(between) <= 110 and not _BLOCK.search(between):
                    cues.add("propose")
            if "propose" not in cues and m.entry is None and m.start - s0 <= 12 and _APPOS.match(after):
                cues.add("propose")
        if "propose" in cues or m.source == "named":
            m.kind = head_kind(before, after)
        if _BENCH_AFTER.match(after) or _BENCH_BEFORE.search(before[-40:]):
            cues.add("bench")
        elif m.entry is None and _EVAL_ON.search(before[-40:]) and _EVAL_SENT.search(text, s0, s1):
            cues.add("evalon")
        if _BENCH_SHAPE.search(m.text):
            cues.add("benchshape")
        p.cues[i] = cues


def _coordination_lists(p: _Paper) -> None:
    """Coordination lists share kind evidence ("on A, B and C datasets", ``p.list_kind``), and a
    proposal covers the whole list ("we introduce three algorithms, namely, A, B, and C")."""
    mentions, cues = p.mentions, p.cues
    chains = []
    cur = [0]
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if a.sent == b.sent and b.start >= a.end and _LIST_SEP.match(p.text[a.end:b.start]):
            cur.append(i)
        else:
            chains.append(cur)
            cur = [i]
    chains.append(cur)
    for ch in chains:
        if len(ch) < 2:
            continue
        kinds = set()
        for i in ch:
            m = mentions[i]
            if m.entry is not None:
                kinds.add(m.entry.kind)
            if "bench" in cues[i]:
                kinds.add(BENCHMARK)
        if len(kinds) == 1:
            k = kinds.pop()
            for i in ch:
                p.list_kind[i] = k
        first = next((j for j, i in enumerate(ch) if "propose" in cues[i]), None)
        if first is not None and p.list_kind.get(ch[first]) != BENCHMARK:
            for i in ch[first + 1:]:
                if mentions[i].entry is None:
                    cues[i].add("propose")


def _groups(p: _Paper) -> list[list[int]]:
    """Mention indices grouped into entities: same key, same listed entry, or short/long form of a pair."""
    uf = UnionFind()  # groups are listed in mention order, so the root chosen does not matter
    for m in p.mentions:
        k = entity_key(m.text)
        uf[k]
        if m.entry is not None and not m.variant:
            uf.union(k, "\0" + m.entry.canonical)
    for sm, lm in p.links:
        uf.union(entity_key(sm.text), entity_key(lm.text))
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(p.mentions):
        groups.setdefault(uf[entity_key(m.text)], []).append(i)
    return list(groups.values())


def _entity(p: _Paper, idx: list[int]) -> dict:
    """One group of mentions as an entity dict: kind, name, aliases, role, evidence, confidence, verdict."""
    mentions, title_end = p.mentions, p.title_end
    ms = [mentions[i] for i in idx]
    cues = set().union(*(p.cues[i] for i in idx))
    entry = next((m.entry for m in ms if m.entry is not None), None)
    surfaces = [m.text for m in ms]
    shorts = {sm.text for sm, _ in p.links}
    defined = any(s in shorts for s in surfaces)
    lkinds = {p.list_kind[i] for i in idx if i in p.list_kind}
    proposes = "propose" in cues or "title" in cues
    if entry is not None:
        kind, drop, confidence = _listed_verdict(entry, ms, cues, surfaces, title_end)
    else:
        kind, drop, confidence = _unlisted_verdict(p, idx, cues, defined, lkinds, proposes)
    if proposes:
        confidence += 0.05
    if lkinds:
        confidence += 0.03
    # evidence: first proposing mention if proposed, else the first mention in the abstract
    ev = None
    if proposes:
        ev = next((mentions[i] for i in idx if p.cues[i] & {"propose", "title"}), None)
    if ev is None:
        ev = next((m for m in ms if m.start > title_end), ms[0])
    s0, s1 = p.sentence(ev)
    name, aliases = _name_and_aliases(surfaces, shorts, {lm.text for _, lm in p.links})
    return {
        "kind": kind,
        "name": name,
        "aliases": aliases,
        "role": "proposes" if proposes else "uses",
        "start": s0,
        "end": s1,
        "confidence": round(min(confidence, 0.98), 3),
        "_first": ms[0].start,
        "rule": drop or "keep",
        "cues": sorted(cues | {"list_" + k for k in lkinds} | ({"defined"} if defined else set())),
        "sources": sorted({m.source for m in ms}),
        "entry": entry,
        "spans": sorted({(m.start, m.end) for m in ms}),
    }


def _listed_verdict(entry, ms: list[Mention], cues: set, surfaces: list[str], title_end: int):
    """Kind, drop reason (or None) and base confidence of a group holding a gazetteer entry."""
    drop = None
    has_abstract = any(m.start > title_end for m in ms)
    if not has_abstract and (entry.ordinary or (" " in entry.canonical and not any(
            distinctive(s) for s in surfaces))):
        drop = "title_only_listed"
    kind = entry.kind
    if kind == METHOD and "bench" in cues:
        kind = BENCHMARK  # "the Alpaca dataset"
    return kind, drop, 0.75 if entry.ordinary else 0.9


def _unlisted_verdict(p: _Paper, idx: list[int], cues: set, defined: bool, lkinds: set, proposes: bool):
    """Kind, drop reason (or None) and base confidence of a group no list knows."""
    ms = [p.mentions[i] for i in idx]
    real = [m for m in ms if m.source != "long"]
    forms = [m.text for m in real] or [m.text for m in ms]
    drop = None
    if not real and "propose" not in cues:
        drop = "long_only"
    else:
        drop = _unlisted_drop(p, ms, real, forms, cues, defined, lkinds, proposes)
    defined_as_method = defined and not any(
        _BENCH_WORDS.search(lm.text) for sm, lm in p.links if sm.text in forms)
    hk = next((p.mentions[i].kind for i in idx if p.mentions[i].kind and "propose" in p.cues[i]), None)
    if hk == "none":
        drop = drop or "head_none"  # "a novel task called X", "a complexity measure -- X"
    if hk is not None and hk != "none":
        kind = hk
    elif cues & {"bench", "benchshape"} or lkinds == {BENCHMARK} or (
            "evalon" in cues and not proposes and METHOD not in lkinds and not defined_as_method):
        kind = BENCHMARK
    else:
        kind = METHOD
    confidence = 0.8 if defined else (0.6 if all(_acronym_only(s) for s in forms) else 0.7)
    return kind, drop, confidence


def _unlisted_drop(p: _Paper, ms, real, forms, cues, defined, lkinds, proposes) -> str | None:
    """Why a group no list knows is not an entity (generic, acrostic, title-only, bare acronym, ...)."""
    text, sents = p.text, p.sents
    if all(p.lex.is_generic(s) or s in p.generic_short for s in forms) and not (
            any(s in p.proposed_defs for s in forms) and not any(s in p.strong_generic for s in forms)):
        return "generic"
    if any(s in p.generic_short for s in forms) and "propose" not in cues:
        return "generic_short"
    if all(m.sent >= 0 and _acrostic(text, sents[m.sent]) for m in real) and all(
            s[:1].islower() or _ACROSTIC.fullmatch(s) for s in forms):
        return "acrostic"
    if not any(m.start > p.title_end for m in ms) and not any(distinctive(s) for s in forms):
        return "title_plain"
    if real and all(_acronym_only(m.text) for m in real) and not (
            defined or proposes or cues & {"bench", "benchshape"} or lkinds):
        return "bare_acronym"
    if all(m.start in p.sstarts and _HYPHENATED.fullmatch(m.text) for m in real) and not defined:
        return "sentence_initial_hyphenated"
    return None


_HYPHENATED = re.compile(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)+")


def _proposed_definitions(p: _Paper) -> set[str]:
    """Short forms of abbreviation pairs whose short or long form has a proposal cue of its own."""
    proposed = {id(p.mentions[i]) for i, c in p.cues.items() if "propose" in c}
    return {sm.text for sm, lm in p.links if id(sm) in proposed or id(lm) in proposed}


def _name_and_aliases(surfaces: list[str], shorts: set, longs: set) -> tuple[str, list[str]]:
    """The name (the short form if defined, else the most frequent written form) and the other forms."""
    counts = {}
    for s in surfaces:
        counts[s] = counts.get(s, 0) + (3 if s in shorts else 0) + (0 if s in longs else 1)
    name = max(counts, key=lambda s: (counts[s], -surfaces.index(s)))
    aliases = []
    for s in surfaces + [base_name(s) for s in surfaces]:
        if s != name and s not in aliases and entity_key(s):
            aliases.append(s)
    return name, aliases


_OUT = ("kind", "name", "aliases", "role", "start", "end", "confidence")
if not Doc.has_extension("kg_groups"):
    Doc.set_extension("kg_groups", default=None)


@Language.factory("kg_entities", assigns=["doc._.kg_groups", "doc._.kg_entities"])
def make_entities(nlp: Language, name: str):
    """Context cues, method/benchmark classification, role, per-paper merging.

    >>> import spacy; from kg.extract.extractor import build_nlp
    >>> doc = build_nlp()("EDT\\nWe propose Efficient Diffusion Transformer (EDT) and test it on ImageNet.")
    >>> [(e["name"], e["kind"], e["role"]) for e in doc._.kg_entities]
    [('EDT', 'method', 'proposes'), ('ImageNet', 'benchmark', 'uses')]
    """

    def kg_entities(doc: Doc) -> Doc:
        groups = entities(doc)
        doc._.kg_groups = groups
        doc._.kg_entities = [{k: g[k] for k in _OUT} for g in groups if g["rule"] == "keep"]
        return doc

    return kg_entities
