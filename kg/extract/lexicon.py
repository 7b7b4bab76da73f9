"""The curated name lists shipped in ``kg/extract/data/`` (see ``data/README.md``), loaded once."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import entity_key

from .words import alt

DATA = Path(__file__).with_name("data")
METHOD, BENCHMARK = "method", "benchmark"

_VERSION = re.compile(r"^(.*[A-Za-z])[ -]?(\d+(?:\.\d+)?)$")

# title-case architecture phrases ("Touch-Line Transformer"); the corpus-mined topic list uses the same key
TC_HEAD = f"(?:{alt('lexicon', 'title_case_heads')})"
TC_PHRASE = re.compile(r"(?<![\w-])((?:[A-Z][\w]*(?:-[A-Za-z]\w*)*\s+){1,3}" + TC_HEAD + r")\b")
TC_LEAD = re.compile(rf"^(?:(?:{alt('lexicon', 'title_case_leads')})\s+)+")


def tc_key(phrase: str) -> str:
    """Lower-case key of a title-case phrase, plural of the head dropped ("Graph Neural Networks" ->
    "graph neural network")."""
    low = phrase.lower()
    return low[:-1] if low.endswith("s") and not low.endswith("ss") else low



@dataclass
class Entry:
    """One gazetteer entity: its kind, preferred spelling and all listed spellings."""

    kind: str
    canonical: str
    spellings: list[str] = field(default_factory=list)
    origin: str = ""
    ordinary: bool = False  # an ordinary word: exact case only, never at a sentence start
    forms: list[str] = field(default_factory=list)  # spellings with their version variants (matched forms)


def _lines(name: str) -> list[str]:
    path = DATA / name
    return [ln.rstrip("\n") for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


def variants(form: str) -> list[str]:
    """Spelling variants of a versioned name ("Llama 2", "Llama-2", "Llama2").

    >>> variants("Llama 2")
    ['Llama 2', 'Llama-2', 'Llama2']
    >>> variants("LSUN Bedroom"), variants("Meta-World")
    (['LSUN Bedroom', 'LSUN-Bedroom'], ['Meta-World', 'Meta World'])
    >>> variants("BERT")
    ['BERT']
    """
    m = _VERSION.match(form)
    if not m or len(m.group(1)) < 2:
        if form.count(" ") == 1 and "-" not in form:
            return [form, form.replace(" ", "-")]
        if form.count("-") == 1 and " " not in form and form[0].isupper() and form.split("-")[1][:1].isupper():
            return [form, form.replace("-", " ")]
        return [form]
    base, num = m.group(1), m.group(2)
    out = [form]
    for v in (f"{base} {num}", f"{base}-{num}", f"{base}{num}"):
        if v not in out:
            out.append(v)
    return out


class Lexicon:
    """All entries plus look-ups by identity key; built once per process (see :func:`load`)."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.by_key: dict[str, Entry] = {}
        self.generic: set[str] = set()
        ordinary = set(_lines("ordinary-words.txt"))
        for fname, kind in (("methods-kg.txt", METHOD), ("benchmarks-kg.txt", BENCHMARK)):
            for line in _lines(fname):
                forms = [x.strip() for x in line.split("|") if x.strip()]
                self._add(Entry(kind, forms[0], forms, "kg", ordinary=forms[0] in ordinary))
        for line in _lines("methods-pwc.tsv"):
            name, _, full = line.partition("\t")
            forms = [name] + ([full.strip()] if full.strip() else [])
            self._add(Entry(METHOD, name, forms, "pwc"))
        for line in _lines("benchmarks-seed.tsv"):
            self._add(Entry(BENCHMARK, line.strip(), [line.strip()], "seed"))
        for fname in ("generic-terms.txt", "generic-acronyms-mined.txt"):
            self.generic.update(_lines(fname))
        self.generic_phrases = frozenset(_lines("generic-phrases-mined.txt"))
        self.topic_algorithms = frozenset(_lines("topic-algorithm-acronyms-mined.txt"))

    def _add(self, entry: Entry) -> None:
        for sp in entry.spellings:
            for v in variants(sp):
                if v not in entry.forms:
                    entry.forms.append(v)
        keys = [entity_key(f) for f in entry.spellings]
        if any(k in self.by_key for k in keys[:1]):
            return  # first list wins (kg lists are loaded first)
        if entry.origin != "kg" and entry.canonical in self.generic_seed():
            return
        self.entries.append(entry)
        for k in keys:
            if k and k not in self.by_key:
                self.by_key[k] = entry

    @staticmethod
    @functools.lru_cache(maxsize=1)
    def generic_seed() -> frozenset:
        """Generic terms that must never be taken from the third-party lists."""
        return frozenset(_lines("generic-terms.txt"))

    def lookup(self, surface: str) -> Entry | None:
        """The entry whose spelling has the same identity key as ``surface``, if any.

        >>> load().lookup("LLaMA-2").canonical
        'Llama 2'
        """
        return self.by_key.get(entity_key(surface))

    def is_generic(self, surface: str) -> bool:
        """True for topic/task/metric acronyms such as "LLMs" or "FID".

        >>> load().is_generic("LLMs"), load().is_generic("GVFExplorer")
        (True, False)
        """
        if surface in self.generic:
            return True
        return surface.endswith("s") and surface[:-1] in self.generic


@functools.lru_cache(maxsize=1)
def load() -> Lexicon:
    """The process-wide :class:`Lexicon` (cached).

    >>> load().lookup("MT-Bench").kind
    'benchmark'
    """
    return Lexicon()
