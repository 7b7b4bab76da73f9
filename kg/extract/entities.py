"""The last pipeline component: context cues, method/benchmark and role, merging into entities."""
from __future__ import annotations

import bisect
import re

from networkx.utils import UnionFind
from spacy.language import Language
from spacy.tokens import Doc

from kg.model import entity_key

from .coined import base_name
from .doc import Mention, doc_text
from .lexicon import BENCHMARK, METHOD, TC_LEAD, TC_PHRASE, load, tc_key

# --- context cues (applied to the text right before / after a mention) ------------------------
_PROPOSE = re.compile(
    r"\b(?:[Ww]e|[Pp]aper|[Ww]ork|[Ss]tudy|[Aa]rticle|[Hh]ere)\s*,?\s+(?:(?:also|further|then|first|here|newly|"
    r"thus|therefore|now|hence|instead)\s+)?(?:propose|introduce|present|develop|design|devise|construct|"
    r"contribute|release|curate|create|collect|formulate|establish|put forward|offer|build|"
    r"call|name|dub|term|coin)\w*"
)
# every _PROPOSE match starts at one of these words: find them by substring search (C speed) and try the
# regex only there, instead of at every character
_PROPOSE_SUBJECTS = ("we", "We", "paper", "Paper", "work", "Work", "study", "Study", "article", "Article",
                     "here", "Here")


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


_BLOCK = re.compile(
    r"\b(?:using|use|uses|based|with|via|from|of|than|over|outperform\w*|such as|like|into|to|for|by|upon|"
    r"extend\w*|leverag\w*|on|compared|against|unlike|beyond|instead|inspired|adapt\w*|combin\w*|"
    r"integrat\w*|within|in|that|which|where|when|while|whose)\b|[;:]"
)
_NAMED = re.compile(
    r"(?:\b(?:called|named|dubbed|termed|coined|namely|denoted|abbreviated)(?:\s+(?:as|by|it|them))?|"
    r"\b(?:we|We)\s+(?:call|name|dub|term|coin|refer to)(?:\s+(?:it|this|them|our \w+|the \w+))?(?:\s+as)?)"
    r"\s*[:,]?\s*[\"'“]?$"
)
_OUR = re.compile(r"\b[Oo]ur\s+(?:(?:proposed|new|novel|method|model|approach|framework|algorithm|system|"
                  r"benchmark|dataset|technique|architecture|agent|pipeline|tool|suite),?\s+){0,3}$")
_APPOS = re.compile(
    r"^\s*(?:\([^)]{1,80}\)\s*)?,?\s*(?:is\s+|which\s+is\s+|-{1,2}\s*|:\s*|—\s*)?(?:a|an)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:novel|new|simple|general|unified|scalable|efficient|first|principled|lightweight|effective|"
    r"large-scale|challenging|comprehensive|versatile|flexible|practical|robust|generic|modular|plug-and-play|"
    r"family|suite)\b"
)
_BENCH_AFTER = re.compile(
    r"^(?:\s*\)|\s+\(\w+\))?\s+(?:data\s?sets?|benchmarks?|suites?|corpus|corpora|environments?|simulators?|"
    r"leaderboards?|testbeds?|challenge|games?|tasks?|domains?|splits?|test\s?sets?|datasets)\b"
)
_BENCH_BEFORE = re.compile(
    r"\b(?:data\s?sets?|benchmarks?|environments?|suites?|simulators?|corpora|test\s?beds?)\s*(?:,|:|\()?\s*"
    r"(?:such as|including|like|namely|e\.g\.,?|i\.e\.,?|of|from)?\s*(?:the\s+)?$"
)
_EVAL_ON = re.compile(
    r"\b(?:on|across|in|using|from|of)\s+(?:the\s+|several\s+|\w+\s+)?(?:challenging\s+|popular\s+|standard\s+|"
    r"widely[- ]used\s+|large-scale\s+|public\s+|real-world\s+|benchmark\s+)*$"
)
_EVAL_SENT = re.compile(r"(?i)experiment|evaluat|benchmark|dataset|state-of-the-art|outperform|"
                        r"accuracy|results|performance|tested|achiev")
_BENCH_SHAPE = re.compile(r"(?:[Bb]ench|QA$|Arena|Gym$|World$|-?\d+[kK]$|Eval$|-Hard$|Suite$)")
_BENCH_WORDS = re.compile(r"(?i)data|bench|corpus|suite|environment|challenge|\bset\b|arena|gym")
_LIST_SEP = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and|or|/|,?\s*as well as)\s*$")
_TASK_HEAD = re.compile(
    r"(?i)(?:learning|adaptation|generalization|regression|classification|segmentation|detection|recognition|"
    r"answering|retrieval|translation|estimation|prediction|generation|reasoning|planning|understanding|"
    r"fine-tuning|tuning|problems?|tasks?|process(?:es)?|models|networks|systems|processing|vision|"
    r"decision processes|distillation)$"
)
_ACROSTIC = re.compile(r"\b[a-z]+[A-Z][a-z]*[A-Z]?[a-z]*\b|\b[a-z]+[A-Z]\b")
_LOWER_TOPIC = re.compile(
    r"(?:learning|regression|models?|networks?|processes|process|problems?|classification|segmentation|"
    r"generation|estimation|detection|recognition|inference|prediction|adaptation|generalization|"
    r"optimization|systems?|agents?|tasks?|methods?|algorithms?|distributions?|functions?|machines?|"
    r"search|analysis|sampling|answering|retrieval|translation|representations?|equations?|graphs?|"
    r"fields?|transformers?|encoders?|decoders?|autoencoders?|policies|policy|rate|ratio|error|loss)$"
)


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
_ITEM_STOP = re.compile(r"^(?:The|A|An|We|Our|In|On|For|This|These|It|Its|Both|All|And|Or|With|To)\b")


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


_METHOD_HEADS = (r"models?|methods?|algorithms?|frameworks?|approach(?:es)?|architectures?|networks?|techniques?|"
                 r"strateg(?:y|ies)|modules?|mechanisms?|procedures?|systems?|agents?|optimi[sz]ers?|estimators?|"
                 r"loss(?:es)?|objectives?|schemes?|pipelines?|paradigms?|regulari[sz]ers?|samplers?|layers?|"
                 r"operators?|blocks?|tricks?|variants?|versions?|extensions?|tools?|solvers?|attacks?|defen[cs]es?|"
                 r"policies|policy|learners?|encoders?|decoders?|transformers?|protocols?|heuristics?|recipes?")
_BENCH_HEADS = r"data\s?sets?|benchmarks?|corpus|corpora|suites?|environments?|simulators?|testbeds?|leaderboards?"
_NONE_HEADS = (r"tasks?|problems?|settings?|phenomen(?:on|a)|propert(?:y|ies)|metrics?|measures?|criteri(?:on|a)|"
               r"conditions?|notions?|concepts?|quantit(?:y|ies)|effects?|issues?|challenges?|bias|principles?|"
               r"hypothes[ie]s|assumptions?|regimes?|spaces?|coefficients?|dimensions?|index|rates?|gaps?|"
               r"theorems?|distances?|divergences?|scenarios?|paradox|capabilit(?:y|ies)|abilit(?:y|ies)|"
               r"families|family|class(?:es)?|language|game|attribute|statistics?|distributions?|shifts?")
_HEAD = re.compile(rf"\b(?:({_METHOD_HEADS})|({_BENCH_HEADS})|({_NONE_HEADS}))\b", re.I)
_APPOS_HEAD = re.compile(r"^\s*(?:\([^)]{1,80}\)\s*)?(?:,|:|-{1,2}|—)\s*(?:which\s+is\s+|is\s+)?(?:a|an)\s+"
                         r"(?:[\w-]+\s+){0,5}?(?=(?:" + _METHOD_HEADS + "|" + _BENCH_HEADS + "|" + _NONE_HEADS + r")\b)",
                         re.I)


_NAMING = r"(?:called|named|dubbed|termed|coined|namely|denoted|known as|referred to as|abbreviated)(?:\s+(?:as|by))?"
_HEAD_GAP = re.compile(r"\s*(?:,|-{1,2}|—)?\s*(?:" + _NAMING + r")?[\s:,\"'“‘`]*|"
                       r"\s+(?:to|for|that|which|with|in)\b[^,.;:()]{1,60}?,?\s+" + _NAMING + r"[\s:,\"'“‘`]*")


_NAMED_HEAD = re.compile(r"(?i)\b(?:loss|algorithm|optimi[sz]er|estimator|sampler|transformer)$")
_LONG_NONE = re.compile(rf"(?i)\b(?:{_NONE_HEADS}|services?|interfaces?|programming|programs?|platforms?)$")


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
    r"(?:\b(?:called|named(?!\s+entit)|dubbed|termed|coined|namely)(?:\s+as)?|"
    r"\b[Ww]e\s+(?:call|name|dub|term|coin)\s+(?:it|them|(?:this|our|the)\s+\w+|this)(?:\s+as)?)"
    r"\s*[:,]?\s*[\"'“‘`]*(?=[A-Za-z])"
)
_NAME_CUE_WORDS = ("call", "name", "dub", "term", "coin")
_PHRASE_STOP = {"which", "that", "where", "to", "for", "with", "in", "on", "by", "is", "are", "was", "can", "and",
                "or", "as", "from", "via", "using", "based", "whose", "while", "when", "under", "of", "at", "into",
                "the", "a", "an", "this", "it", "its", "we", "our", "has", "have", "being", "after", "over"}
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


_TC_HINT = re.compile(r" (?:Trans|Net|Att|Opt|Alg|Mach|Crit|Auto|Sear|Samp|Esti|Diff|Lab|Dec|Desc|Flow)")


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
_PV_STOP = re.compile(r"^(?:The|A|An|This|These|Our|It|Its|Each|Both|Two|Three|Several|Such|In|On|For|To|With|Deep|"
                      r"Bayesian|Gaussian|Markov|Monte|Euclidean|Riemannian|Lagrangian|Hamiltonian|Boltzmann|"
                      r"Langevin|Wasserstein|Fourier|Laplace|Hessian|Newton|Pareto|Nash|Stackelberg)\b")


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


def entities(doc: Doc) -> list[dict]:
    """Turn the mentions and abbreviation pairs of ``doc`` into entity dicts (see module docs)."""
    text = doc_text(doc)
    lex = load()
    u = doc._
    title_end = u.kg_title_end
    sents = u.kg_sents or [(0, len(text))]
    sstarts = [s for s, _ in sents]
    mentions: list[Mention] = list(u.kg_mentions or ())
    abbrevs = u.kg_abbrevs
    # every _NAME_CUE match holds one of these words: skip its scan when none is in the text
    if any(w in text for w in _NAME_CUE_WORDS) and _NAME_CUE.search(text, title_end):
        _named_phrases(text, title_end, mentions, lex)
    if _TC_HINT.search(text, title_end):
        _title_case_phrases(text, title_end, mentions, lex)
    if " algorithm" in text or " scheme" in text:
        _acronym_algorithms(text, title_end, mentions, lex)
    pvs = _proposal_verbs(text, title_end)  # proposal verbs, once
    _proposed_title_case(text, title_end, pvs, mentions, abbrevs or (), lex)
    if not mentions and not abbrevs:
        return []
    # a versioned listed model glued to another listed model is one name, the second its head ("GPT-3 Codex")
    for k in range(len(mentions) - 1, 0, -1):
        a, b = mentions[k - 1], mentions[k]
        if b.start == a.end + 1 and text[a.end] == " " and a.entry is not None and b.entry is not None and \
                a.entry.kind == METHOD and b.entry.kind == METHOD and a.entry is not b.entry and a.start >= title_end and re.search(r"\d", a.text):
            b.start, b.text = a.start, text[a.start:b.end]
            del mentions[k - 1]

    # abbreviation pairs: link short and long forms; names inside a long form belong to it
    links: list[tuple[Mention, Mention]] = []
    long_spans = []
    generic_short, strong_generic, redefined = set(), set(), set()
    sstarts_set = set(sstarts)
    by_start = {m.start: m for m in mentions}
    for ss, se, ls, le in abbrevs or ():
        short, long = text[ss:se], text[ls:le]
        if lex.is_generic(short):
            continue
        sm = by_start.get(ss)
        if sm is None or sm.end != se:
            sm = Mention(ss, se, short, "abbrev", lex.lookup(short))
            mentions.append(sm)
            by_start[ss] = sm
        lm = Mention(ls, le, long, "long", lex.lookup(long))
        links.append((sm, lm))
        long_spans.append((ls, le))
        listed = sm.entry or (lex.lookup(short[:-1]) if short.endswith("s") and short[:-1].isupper() else None)
        if listed is not None and lm.entry is None and any(" " in f for f in listed.spellings):
            redefined.update((short, short[:-1]) if sm.entry is None else (short,))
            sm.entry = None  # "Spiking Neural Networks (SNNs)" is not the listed SNN (Self-Normalizing)
        if sm.entry is None:
            g = _generic_long(long, ls in sstarts_set, lex, generic_short)
            forms = {short, short[:-1]} if short.endswith("s") and short[:-1].isupper() else {short}
            if g == "none":
                strong_generic.update(forms)  # "Temporal Covariate Shifts (TCS)", "Mixed Integer Linear Programming"
            if g:
                generic_short.update(forms)  # "policy gradient (PG)", "Semi-Supervised Domain Adaptation (SSDA)"
    if links:
        # the long form written in the title, any case ("Cross-Modal CutMix" in the title of a paper that
        # defines "cross-modal CutMix (CMC)"): names inside it belong to it, as in the definition
        low = text[:title_end].lower()
        seen = {(ls, le) for ls, le in long_spans}
        for sm, lm in links:
            key = lm.text.lower()
            if " " not in key:
                continue
            i = low.find(key)
            while i >= 0:
                j = i + len(key)
                if (i, j) not in seen and (i == 0 or not low[i - 1].isalnum()) and (j == len(low) or not low[j].isalnum()):
                    seen.add((i, j))
                    long_spans.append((i, j))
                i = low.find(key, j)
    if redefined:
        for m in mentions:
            if m.entry is not None and m.text in redefined:
                m.entry = None
    if long_spans:
        long_spans.sort()
        kept = []
        for m in mentions:
            inside = any(ls <= m.start and m.end <= le and (m.start, m.end) != (ls, le) for ls, le in long_spans)
            if not inside:
                kept.append(m)
        mentions = kept
        mentions.extend(lm for _, lm in links)
    mentions.sort(key=lambda m: (m.start, -m.end))
    for m in mentions:
        m.sent = bisect.bisect_right(sstarts, m.start) - 1

    # ---- per-mention cues
    title_colon = text.find(":", 0, title_end)
    pv_starts, pv_ends = [a for a, _ in pvs], [b for _, b in pvs]
    ms_cues = {}
    for i, m in enumerate(mentions):
        s0, s1 = sents[m.sent] if m.sent >= 0 else (0, len(text))
        before = text[max(s0, m.start - 160):m.start]
        after = text[m.end:min(s1, m.end + 60)]
        in_title = m.start < title_end
        cues = set()
        if in_title:
            if 0 <= title_colon and m.end <= title_colon and (title_colon - m.end) < 3 and m.start < 40:
                cues.add("propose")
            elif m.entry is None and distinctive(m.text) and m.source != "long":
                cues.add("title")
        else:
            if _NAMED.search(before[-50:]):
                cues.add("propose")
            elif m.entry is None and _OUR.search(before[-60:]):
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
        ms_cues[i] = cues

    proposed = {id(mentions[i]) for i, c in ms_cues.items() if "propose" in c}
    proposed_defs = {sm.text for sm, lm in links if id(sm) in proposed or id(lm) in proposed}

    # ---- coordination lists share kind evidence: "on A, B and C datasets"
    chains = []
    cur = [0]
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if a.sent == b.sent and b.start >= a.end and _LIST_SEP.match(text[a.end:b.start]):
            cur.append(i)
        else:
            chains.append(cur)
            cur = [i]
    chains.append(cur)
    list_kind = {}
    for ch in chains:
        if len(ch) < 2:
            continue
        kinds = set()
        for i in ch:
            m = mentions[i]
            if m.entry is not None:
                kinds.add(m.entry.kind)
            if "bench" in ms_cues[i]:
                kinds.add(BENCHMARK)
        if len(kinds) == 1:
            k = kinds.pop()
            for i in ch:
                list_kind[i] = k
        # "we introduce three algorithms, namely, A, B, and C": the proposal covers the whole list
        first = next((j for j, i in enumerate(ch) if "propose" in ms_cues[i]), None)
        if first is not None and list_kind.get(ch[first]) != BENCHMARK:
            for i in ch[first + 1:]:
                if mentions[i].entry is None:
                    ms_cues[i].add("propose")

    # ---- benchmark lists: "four benchmarks, including SAMM, CASME II, SMIC, and CASME3"
    _complete_lists(text, sents, mentions, ms_cues, list_kind, lex)

    # ---- group mentions into entities
    uf = UnionFind()  # groups are listed in mention order, so the root chosen does not matter
    for m in mentions:
        k = entity_key(m.text)
        uf[k]
        if m.entry is not None and not m.variant:
            uf.union(k, "\0" + m.entry.canonical)
    for sm, lm in links:
        uf.union(entity_key(sm.text), entity_key(lm.text))
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(uf[entity_key(m.text)], []).append(i)
    shorts = {sm.text for sm, _ in links}
    longs = {lm.text for _, lm in links}

    out = []
    for root, idx in groups.items():
        ms = [mentions[i] for i in idx]
        cues = set().union(*(ms_cues[i] for i in idx))
        entry = next((m.entry for m in ms if m.entry is not None), None)
        real = [m for m in ms if m.source != "long"]
        drop = None
        if not real and not ("propose" in cues or entry is not None):
            drop = "long_only"
        surfaces = [m.text for m in ms]
        has_abstract = any(m.start > title_end for m in ms)
        defined = any(s in shorts for s in surfaces)
        lkinds = {list_kind[i] for i in idx if i in list_kind}
        proposes = "propose" in cues or "title" in cues
        confidence = 0.0
        if entry is not None:
            if not has_abstract and (entry.ordinary or (" " in entry.canonical and not any(
                    distinctive(s) for s in surfaces))):
                drop = drop or "title_only_listed"
            kind = entry.kind
            if kind == METHOD and "bench" in cues:
                kind = BENCHMARK  # "the Alpaca dataset"
            confidence = 0.75 if entry.ordinary else 0.9
        else:
            forms = [m.text for m in real] or surfaces
            if drop:
                pass
            elif all(lex.is_generic(s) or s in generic_short for s in forms) and not (
                    any(s in proposed_defs for s in forms) and not any(s in strong_generic for s in forms)):
                drop = "generic"
            elif any(s in generic_short for s in forms) and "propose" not in cues:
                drop = "generic_short"
            elif all(m.sent >= 0 and _acrostic(text, sents[m.sent]) for m in real) and all(
                    s[:1].islower() or _ACROSTIC.fullmatch(s) for s in forms):
                drop = "acrostic"
            elif not has_abstract and not any(distinctive(s) for s in forms):
                drop = "title_plain"
            elif real and all(_acronym_only(m.text) for m in real) and not (
                    defined or proposes or cues & {"bench", "benchshape"} or lkinds):
                drop = "bare_acronym"
            elif all(m.start in sstarts and re.fullmatch(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)+", m.text) for m in real) \
                    and not defined:
                drop = "sentence_initial_hyphenated"
            defined_as_method = defined and not any(
                _BENCH_WORDS.search(lm.text) for sm, lm in links if sm.text in forms)
            hk = next((mentions[i].kind for i in idx if mentions[i].kind and "propose" in ms_cues[i]), None)
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
        if proposes:
            confidence += 0.05
        if lkinds:
            confidence += 0.03
        # evidence: first proposing mention if proposed, else the first mention in the abstract
        ev = None
        if proposes:
            ev = next((mentions[i] for i in idx if ms_cues[i] & {"propose", "title"}), None)
        if ev is None:
            ev = next((m for m in ms if m.start > title_end), ms[0])
        s0, s1 = sents[ev.sent] if ev.sent >= 0 else (0, len(text))
        # name: the short form if defined, else the most frequent written form
        counts = {}
        for s in surfaces:
            counts[s] = counts.get(s, 0) + (3 if s in shorts else 0) + (0 if s in longs else 1)
        name = max(counts, key=lambda s: (counts[s], -surfaces.index(s)))
        aliases = []
        for s in surfaces + [base_name(s) for s in surfaces]:
            if s != name and s not in aliases and entity_key(s):
                aliases.append(s)
        out.append({
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
        })
    out.sort(key=lambda e: e.pop("_first"))
    return out


_OUT = ("kind", "name", "aliases", "role", "start", "end", "confidence")
if not Doc.has_extension("kg_groups"):
    Doc.set_extension("kg_groups", default=None)


@Language.factory("kg_entities")
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
