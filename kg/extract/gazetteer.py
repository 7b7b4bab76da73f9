"""``kg_gazetteer``: the curated lists matched case-insensitively, then filtered by case."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .coined import _AFFIX, _HYPHEN_TAIL
from .doc import Mention, _upper, doc_text
from .lexicon import BENCHMARK, load
from .textmatch import TextPhraseMatcher, detached
from .words import either_case

_FIRST = re.compile(r"[^\s-]*")
# lower/capitalised modifiers that make a sub-benchmark of a listed benchmark (general knowledge)
_BENCH_MODIFIER = re.compile(rf"(?<![\w-])(?:{either_case('gazetteer', 'bench_modifiers')})[ -]$")



class Gazetteer:
    """Matches the curated lists case-insensitively, then keeps a match only if its case fits.

    An all-caps or mixed-case name must be written with at least as many capitals ("PAIR" is not
    "pair", "LoRA" is not "lora"); an ordinary-word name ("Transformer") only in exact case and
    not as a sentence's first word; nothing is matched as all lower case unless listed so.
    """

    def __init__(self, nlp: Language):
        self.lex = load()
        # the rule tokenizer (``kg.TextTokenizer.v1`` keeps it as ``rule_tokenizer``): patterns and text are
        # matched on its tokens, as a PhraseMatcher on a tokenized doc would
        tokenizer = getattr(nlp.tokenizer, "rule_tokenizer", nlp.tokenizer)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.entries = []
        patterns = {}
        seen = set()
        for i, entry in enumerate(self.lex.entries):
            forms = entry.forms
            # tokenise in the written case: suffix rules are case-sensitive ("GSM8K" -> "GSM8", "K")
            pats = []
            for f in forms:
                for p in (f, f.lower()):
                    if (p, entry.kind) not in seen and p not in pats:
                        pats.append(p)
            seen.update((p, entry.kind) for p in pats)
            if pats:
                key = str(len(self.entries))
                docs = list(tokenizer.pipe(pats))
                self.matcher.add(key, docs)
                patterns[nlp.vocab.strings[key]] = docs
                self.entries.append(entry)
        self._ids = {nlp.vocab.strings[str(i)]: e for i, e in enumerate(self.entries)}
        self.text_matcher = TextPhraseMatcher(self.matcher, patterns, detached(tokenizer, nlp))

    @staticmethod
    def accepts(entry, surface: str, sent_initial: bool) -> bool:
        """Does the written ``surface`` fit the case of one of the entry's spellings?"""
        for form in entry.forms:
            if surface == form:
                return not (entry.ordinary and sent_initial)
        if entry.ordinary:
            return False
        if surface.islower() and not any(f.islower() for f in entry.forms):
            return False
        nu = _upper(_FIRST.match(surface).group())
        return any(f.lower() == surface.lower() and nu >= _upper(_FIRST.match(f).group()) for f in entry.forms)

    def __call__(self, doc: Doc) -> Doc:
        u = doc._
        sent_starts = {s for s, _ in u.kg_sents or ()}
        out = u.kg_mentions
        if out is None:
            out = []
        best = {}
        rejected = []
        text = doc_text(doc)
        for mid, start, end in self.text_matcher(text):
            entry = self._ids[mid]
            if not self.accepts(entry, text[start:end], start in sent_starts):
                rejected.append((start, end, entry))
                continue
            if end < len(text) and text[end].isalnum() or start > 0 and text[start - 1].isalnum():
                continue  # part of a longer word
            if start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
                continue  # "Micron-BERT": a coined name of its own (kg_coined)
            raw_end = end
            if end < len(text) and text[end] == "-":
                x = _HYPHEN_TAIL.match(text, end)
                if x and not _AFFIX.fullmatch(x.group()):
                    end = x.end()
            variant = end != raw_end and entry.kind == BENCHMARK
            if entry.kind == BENCHMARK and start > 3:
                x = _BENCH_MODIFIER.search(text, max(0, start - 14), start)
                if x and (x.group()[:1].islower() or x.start() not in sent_starts):
                    start, variant = x.start(), True  # "permuted MNIST", "Split CIFAR-100"
            prev = best.get(start)
            if prev is None or (prev.end, prev.raw_end) < (end, raw_end):
                m = Mention(start, end, text[start:end], "gaz", entry, variant=variant)
                m.raw_end = raw_end
                best[start] = m
        # longest match wins among overlapping ones
        last_end = -1
        for start in sorted(best):
            m = best[start]
            if start >= last_end:
                out.append(m)
                last_end = m.end
            elif m.end > last_end and out and out[-1].start >= start:
                out[-1] = m
                last_end = m.end
        doc._.kg_mentions = out
        doc._.kg_gaz_rejected = rejected
        return doc


@Language.factory("kg_gazetteer", assigns=["doc._.kg_mentions", "doc._.kg_gaz_rejected"])
def make_gazetteer(nlp: Language, name: str):
    """Gazetteer matching of the curated method and benchmark lists.

    >>> import spacy; nlp = spacy.blank("en")
    >>> for c in ("kg_sentences", "kg_gazetteer"): _ = nlp.add_pipe(c)
    >>> [m.text for m in nlp("We fine-tune Llama-2 with LoRA on GSM8K, not lora.")._.kg_mentions]
    ['Llama-2', 'LoRA', 'GSM8K']
    """
    return Gazetteer(nlp)
