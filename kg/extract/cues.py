"""Context cues and the candidate passes of the rule stage (used by :mod:`kg.extract.entities`):
proposal verbs, naming cues ("called X"), head nouns that decide a kind, coordinated lists,
named phrases, title-case names, acronym + algorithm. Each is one regex pass over the text.
"""
from __future__ import annotations

import re

from .doc import Mention
from .lexicon import BENCHMARK, METHOD, TC_LEAD, TC_PHRASE, tc_key
from .words import alt, either_case, words

# --- context cues (applied to the text right before / after a mention) ------------------------
_PROPOSE = re.compile(
    rf"\b(?:{either_case('cues', 'propose_subjects')})\s*,?\s+(?:(?:{alt('cues', 'propose_adverbs')})\s+)?"
    rf"(?:{alt('cues', 'propose_verbs')})\w*"
)
# every _PROPOSE match starts at one of these words: find them by substring search (C speed) and try the
# regex only there, instead of at every character
_PROPOSE_SUBJECTS = tuple(x for w in words("cues", "propose_subjects") for x in (w, w[0].upper() + w[1:]))


def _proposal_verbs(text: str, pos: int) -> list[tuple[int, int]]:
    """Spans of ``_PROPOSE.finditer(text, pos)`` (same non-overlapping left-to-right matches), found faster.

    >>> t = "T\\nHere we propose X. In this paper, we further introduce Y; the network we built."
    >>> _proposal_verbs(t, 1) == [(m.start(), m.end()) for m in _PROPOSE.finditer(t, 1)]
    True
    """
    hits = []
    find = text.find
    for w in _PROPOSE_SUBJECTS:
        i = find(w, pos)
        while i >= 0:
            hits.append(i)
            i = find(w, i + 1)
    if not hits:
        return []
    hits.sort()
    out, end, match = [], pos, _PROPOSE.match
    for p in hits:
        if p < end:
            continue
        m = match(text, p)
        if m:
            out.append((p, m.end()))
            end = m.end()
    return out


_BLOCK = re.compile(rf"\b(?:{alt('cues', 'proposal_blockers')})\b|[;:]")
_NAMED = re.compile(
    rf"(?:\b(?:{alt('cues', 'naming_participles')})(?:\s+(?:as|by|it|them))?|"
    rf"\b(?:we|We)\s+(?:{alt('cues', 'naming_verbs')})(?:\s+(?:it|this|them|our \w+|the \w+))?(?:\s+as)?)"
    r"\s*[:,]?\s*[\"'“]?$"
)
_OUR = re.compile(rf"\b[Oo]ur\s+(?:(?:{alt('cues', 'our_words')}),?\s+){{0,3}}$")
_APPOS = re.compile(
    r"^\s*(?:\([^)]{1,80}\)\s*)?,?\s*(?:is\s+|which\s+is\s+|-{1,2}\s*|:\s*|—\s*)?(?:a|an)\s+(?:[\w-]+\s+){0,4}?"
    rf"(?:{alt('cues', 'appositive_adjectives')})\b"
)
_BENCH_AFTER = re.compile(rf"^(?:\s*\)|\s+\(\w+\))?\s+(?:{alt('cues', 'bench_nouns_after')})\b")
_BENCH_BEFORE = re.compile(
    rf"\b(?:{alt('cues', 'bench_nouns_before')})\s*(?:,|:|\()?\s*"
    r"(?:such as|including|like|namely|e\.g\.,?|i\.e\.,?|of|from)?\s*(?:the\s+)?$"
)
_EVAL_ON = re.compile(
    r"\b(?:on|across|in|using|from|of)\s+(?:the\s+|several\s+|\w+\s+)?(?:"
    + "|".join(w + r"\s+" for w in words("cues", "eval_modifiers")) + ")*$"
)
_EVAL_SENT = re.compile("(?i)" + alt("cues", "eval_sentence_stems"))
_BENCH_SHAPE = re.compile(r"(?:[Bb]ench|QA$|Arena|Gym$|World$|-?\d+[kK]$|Eval$|-Hard$|Suite$)")
_BENCH_WORDS = re.compile("(?i)" + alt("cues", "bench_stems"))
_LIST_SEP = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and|or|/|,?\s*as well as)\s*$")
_TASK_HEAD = re.compile(f"(?i)(?:{alt('cues', 'task_heads')})$")
_ACROSTIC = re.compile(r"\b[a-z]+[A-Z][a-z]*[A-Z]?[a-z]*\b|\b[a-z]+[A-Z]\b")


def distinctive(s: str) -> bool:
    """Is the spelling itself a name, even in a title-cased line (digits, inner capitals, "C-AdvUL")?

    >>> distinctive("GPT-4"), distinctive("ResNet"), distinctive("Mix-Up"), distinctive("P-Mixup")
    (True, True, False, True)
    """
    if any(c.isdigit() for c in s):
        return True
    for part in re.split(r"[\s\-]+", s):
        up = sum(1 for c in part if c.isupper())
        if up >= 2 or (len(part) == 1 and part.isupper()) or (part[:1].islower() and up):
            return True
    return False


def _acrostic(text: str, span: tuple[int, int]) -> bool:
    """A sentence that spells an acronym with capitals inside words ("lEaRning ofF-policy")."""
    return len(_ACROSTIC.findall(text, span[0], span[1])) >= 3


def _acronym_only(s: str) -> bool:
    return s.isalpha() and s.isupper() and len(s) <= 5


_ITEM = (r"(?:[A-Z0-9][\w'\-.]*[\w']|[A-Z])(?:[ -](?:[A-Z0-9][\w'\-.]*\w|[A-Z]))*"
         r"(?:\s*\([^()\n]{1,40}\))?")
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)"
_LIST = re.compile(rf"(?<![\w\-.]){_ITEM}(?:{_SEP}{_ITEM})+")
_ITEM_RE = re.compile(_ITEM)
_ITEM_STOP = re.compile(rf"^(?:{alt('cues', 'list_item_stops')})\b")


def _complete_lists(text, sents, mentions, ms_cues, list_kind, lex) -> None:
    """Coordinated capitalised names around a benchmark become benchmarks ("on A, B II and C").

    A list counts when it is cued ("benchmarks, including ...", "... datasets") or when at least
    half of its items are already known benchmarks; every item not yet found becomes a mention.
    """
    bench_sents = {}
    for i, m in enumerate(mentions):
        if m.sent >= 0 and (list_kind.get(i) == BENCHMARK or "bench" in ms_cues[i]
                            or (m.entry is not None and m.entry.kind == BENCHMARK)):
            bench_sents.setdefault(m.sent, []).append(i)
    for si, idx in bench_sents.items():
        s0, s1 = sents[si]
        for lm in _LIST.finditer(text, s0, s1):
            items = []
            pos = lm.start()
            for it in _ITEM_RE.finditer(text, lm.start(), lm.end()):
                if it.start() < pos:
                    continue
                items.append(it)
                pos = it.end()
            inside = [i for i in range(len(mentions))
                      if lm.start() <= mentions[i].start and mentions[i].end <= lm.end()]
            known = sum(1 for i in inside if i in idx and ("bench" in ms_cues[i] or list_kind.get(i) == BENCHMARK
                                                           or mentions[i].entry is not None))
            if not any(i in idx for i in inside):
                continue
            if any(mentions[i].entry is not None and mentions[i].entry.kind == METHOD for i in inside):
                continue
            cued = _BENCH_BEFORE.search(text[max(s0, lm.start() - 40):lm.start()]) or \
                _BENCH_AFTER.match(text[lm.end():min(s1, lm.end() + 40)])
            if not cued and 2 * known < len(items):
                continue
            for it in items:
                w = re.sub(r"\s*\([^()]*\)$", "", it.group())
                st, en = it.start(), it.start() + len(w)
                if _ITEM_STOP.match(w) or lex.is_generic(w) or st in (s for s, _ in sents) or \
                        not any(c.isalpha() for c in w):
                    continue
                hit = [i for i in inside if mentions[i].start < en and st < mentions[i].end]
                for i in hit:
                    list_kind[i] = BENCHMARK
                    m = mentions[i]
                    if len(hit) == 1 and m.start == st and m.end < en and m.entry is None:
                        m.end, m.text = en, w  # "CASME" -> "CASME II", "NVIDIA" -> "NVIDIA Dynamic Hand Gesture"
                if not hit and (" " in w or not re.fullmatch(r"[A-Z][a-z]+", w) or lex.lookup(w)):
                    nm = Mention(st, en, w, "list", lex.lookup(w))
                    nm.sent = si
                    mentions.append(nm)
                    ms_cues[len(mentions) - 1] = {"bench"}
                    list_kind[len(mentions) - 1] = BENCHMARK


_METHOD_HEADS = alt("cues", "method_heads")
_BENCH_HEADS = alt("cues", "bench_heads")
_NONE_HEADS = alt("cues", "none_heads")
_HEAD = re.compile(rf"\b(?:({_METHOD_HEADS})|({_BENCH_HEADS})|({_NONE_HEADS}))\b", re.I)
_APPOS_HEAD = re.compile(r"^\s*(?:\([^)]{1,80}\)\s*)?(?:,|:|-{1,2}|—)\s*(?:which\s+is\s+|is\s+)?(?:a|an)\s+"
                         r"(?:[\w-]+\s+){0,5}?(?=(?:" + _METHOD_HEADS + "|" + _BENCH_HEADS + "|" + _NONE_HEADS + r")\b)",
                         re.I)


_NAMING = rf"(?:{alt('cues', 'naming_phrases')})(?:\s+(?:as|by))?"
_HEAD_GAP = re.compile(r"\s*(?:,|-{1,2}|—)?\s*(?:" + _NAMING + r")?[\s:,\"'“‘`]*|"
                       r"\s+(?:to|for|that|which|with|in)\b[^,.;:()]{1,60}?,?\s+" + _NAMING + r"[\s:,\"'“‘`]*")


_NAMED_HEAD = re.compile(rf"(?i)\b(?:{alt('cues', 'named_long_heads')})$")
_LONG_NONE = re.compile(rf"(?i)\b(?:{_NONE_HEADS}|{alt('cues', 'long_none_heads')})$")


def _generic_long(long: str, sent_initial: bool, lex, generic_short: set) -> str | None:
    """Is an acronym's long form a topic rather than a name? ``"none"`` for problems, properties,
    services ("Mixed Integer Linear Programming", "Temporal Covariate Shifts"), ``"topic"`` for
    lower-case or task phrases ("constrained RL", "Semi-Supervised Domain Adaptation"), else None.

    >>> from kg.extract.lexicon import load
    >>> [_generic_long(x, True, load(), set()) for x in ("Policy gradient", "Large discrete action spaces",
    ...                                                  "Direct Preference Optimization")]
    ['topic', 'none', None]
    """
    if _LONG_NONE.search(long):
        return "none"
    words = re.findall(r"[^\s\-/]+", long)
    if sent_initial and words and not _NAMED_HEAD.search(long):
        words[0] = words[0].lower()
    if all(w == w.lower() or lex.is_generic(w) or w in generic_short for w in words):
        return "topic"
    if _TASK_HEAD.search(long):
        return "topic"
    return None


def head_kind(before: str, after: str) -> str | None:
    """What the text calls a name: ``"method"``, ``"benchmark"``, ``"none"`` (a task, metric, property)
    or ``None``, from the nearest head noun before it ("a dataset named X") or an appositive after it.

    >>> head_kind("we propose a model called ", ""), head_kind("a novel task called ", "")
    ('method', 'none')
    >>> head_kind("we propose ", ", a new benchmark for agents"), head_kind("we propose ", " to solve it")
    ('benchmark', None)
    """
    a = _APPOS_HEAD.match(after)
    if a:
        m = _HEAD.match(after, a.end())
        if m and m.group(3):
            return None  # "X, a constrained optimization problem that ...": too weak to drop X
    else:
        m = None
        for m in _HEAD.finditer(before[-70:]):
            pass
        if m is not None and not _HEAD_GAP.fullmatch(before[-70:][m.end():]):
            m = None
    if m is None:
        return None
    return METHOD if m.group(1) else BENCHMARK if m.group(2) else "none"


_NAME_CUE = re.compile(
    rf"(?:\b(?:{alt('cues', 'name_cue_participles')})(?:\s+as)?|"
    rf"\b[Ww]e\s+(?:{alt('cues', 'name_cue_verbs')})\s+(?:it|them|(?:this|our|the)\s+\w+|this)(?:\s+as)?)"
    r"\s*[:,]?\s*[\"'“‘`]*(?=[A-Za-z])"
)
_NAME_CUE_WORDS = tuple(words("cues", "name_cue_verbs"))
_PHRASE_STOP = set(words("cues", "phrase_stops"))
_NAME_END = re.compile(r"[,.;:()\n\"”’]|'(?!s\b)|\s-\s|\s--")


def _named_phrases(text: str, title_end: int, mentions: list, lex) -> None:
    """Multi-word lower/title-case names after a naming cue: "a new algorithm, coined repelling random
    walks", "we dub our method as Learning to Retain while Acquiring" (added to ``mentions``)."""
    taken = [(m.start, m.end) for m in mentions]
    for c in _NAME_CUE.finditer(text, title_end):
        st = c.end()
        if any(s <= st < e for s, e in taken):
            continue
        e = _NAME_END.search(text, st, st + 70)
        chunk = text[st:e.start() if e else min(len(text), st + 70)]
        words = chunk.split()[:7]
        title_case = all(w[:1].isupper() or w.lower() in _PHRASE_STOP for w in words)
        keep = []
        for k, w in enumerate(words):
            if w.lower() in _PHRASE_STOP and not (title_case and 0 < k < len(words) - 1 and keep):
                break
            keep.append(w)
        while keep and keep[-1].lower() in _PHRASE_STOP:
            keep.pop()
        if not keep or len(keep) > 5 or (len(keep) == 1 and not re.search(r"[-\d]|[a-z][A-Z]|^[A-Z]", keep[0])):
            continue
        if keep[0].lower() in {"a", "an", "the", "this", "our", "these", "those", "such"}:
            continue
        name = " ".join(keep)
        end = st + len(name)
        if text[st:end] != name or lex.is_generic(name):
            continue
        if name[:1].islower() and not (" " not in name and re.search(r"[-\d]", name) or re.search(r"[a-z][A-Z]", name)) and \
                head_kind(text[max(0, st - 70):st], text[end:end + 60]) not in (METHOD, BENCHMARK):
            continue  # "a new sensor called event camera", "challenges, namely sparse supervision signals"
        mentions.append(Mention(st, end, name, "named", lex.lookup(name)))
        taken.append((st, end))
    mentions.sort(key=lambda m: (m.start, -m.end))


_TC_HINT = re.compile(f" (?:{alt('cues', 'title_case_hints')})")


def _title_case_phrases(text: str, title_end: int, mentions: list, lex) -> None:
    """Title-case names with an architecture/algorithm head in the abstract ("Touch-Line Transformer",
    "Erased Stable Diffusion"), unless the corpus writes the phrase as a topic ("Graph Neural Networks")."""
    new = []
    for m in TC_PHRASE.finditer(text, title_end):
        lead = TC_LEAD.match(m.group(1))
        st = m.start() + (lead.end() if lead else 0)
        phrase = text[st:m.end()]
        if " " not in phrase or tc_key(phrase) in lex.generic_phrases or lex.is_generic(phrase.split()[0]):
            continue
        hit = [x for x in mentions if x.start < m.end() and st < x.end]
        if hit:
            x = hit[0]
            if len(hit) == 1 and x.source == "gaz" and x.end == m.end() and x.start > st and \
                    x.entry.kind == METHOD:
                mentions.remove(x)  # "Erased Stable Diffusion": a named variant of a listed method
            else:
                continue
        new.append(Mention(st, m.end(), phrase, "tc", lex.lookup(phrase)))
    if new:
        mentions.extend(new)
        mentions.sort(key=lambda x: (x.start, -x.end))


_ACRONYM_ALGO = re.compile(r"(?<![\w-])([A-Z]{2,5}) (?:algorithm|scheme)\b")


def _acronym_algorithms(text: str, title_end: int, mentions: list, lex) -> None:
    """Fixed-name algorithms written as acronym + "algorithm"/"scheme" ("the EM algorithm", "the JKO
    scheme"), unless the corpus writes the acronym with plural "algorithms" ("RL algorithms": a topic)."""
    for m in _ACRONYM_ALGO.finditer(text, title_end):
        acr = m.group(1)
        if acr in lex.topic_algorithms or len(re.findall(rf"\b{acr}\b", text)) > len(
                re.findall(rf"\b{acr} (?:algorithm|scheme)\b", text)):
            continue  # a topic, or a name also written alone (then the acronym is the name)
        hit = [x for x in mentions if x.start < m.end() and m.start() < x.end]
        if hit and not (len(hit) == 1 and hit[0].text == m.group(1)):
            continue
        for x in hit:
            mentions.remove(x)  # "JKO" -> "the JKO scheme"
        mentions.append(Mention(m.start(), m.end(), m.group(), "algo", lex.lookup(m.group(1))))
    mentions.sort(key=lambda x: (x.start, -x.end))


_PV_NAME = re.compile(r"\s+([A-Z][a-z]+(?:-[A-Za-z][a-z]*)*(?:\s+[A-Z][a-z]*(?:-[A-Za-z][a-z]*)*){0,3})(?=[\s,.;:])")
_PV_APPOS = re.compile(r"\s*(?:,|:|-{1,2}|—)\s*(?:a|an)\s")
_PV_STOP = re.compile(rf"^(?:{alt('cues', 'proposed_name_stops')})\b")


def _proposed_title_case(text: str, title_end: int, pvs: list, mentions: list, abbrevs, lex) -> None:
    """Title-case names right after a proposal verb ("we propose Action Matching, a method ...",
    "We propose Binder, a ... framework"): kept when the paper writes the name again in title case
    (title or abstract) and never in lower case, or an appositive "X, a/an ..." follows; a single word
    needs the appositive. Only runs at the proposal verbs, so costs nothing elsewhere."""
    if not pvs:
        return
    taken = [(m.start, m.end) for m in mentions] + [(a, b) for a, b, _, _ in abbrevs] + \
        [(c, d) for _, _, c, d in abbrevs]
    low = None
    for _, pe in pvs:
        m = _PV_NAME.match(text, pe)
        if not m:
            continue
        st, en = m.span(1)
        name = m.group(1)
        if _PV_STOP.match(name) or text.startswith(" (", en) or any(a < en and st < b for a, b in taken):
            continue
        if lex.is_generic(name) or lex.is_generic(name.split()[0]) or tc_key(name) in lex.generic_phrases:
            continue
        appos = _PV_APPOS.match(text, en)
        if " " not in name:
            if not appos or not re.search(r"[a-z]{2}", name):
                continue
        else:
            if low is None:
                low = text.lower()
            if text.count(name) < low.count(name.lower()):
                continue  # also written in lower case: a topic ("Bayesian optimization")
            if not appos and text.count(name) < 2:
                continue
        mentions.append(Mention(st, en, name, "pv", lex.lookup(name)))
        taken.append((st, en))
    mentions.sort(key=lambda x: (x.start, -x.end))


