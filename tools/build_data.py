"""Rebuild the curated gazetteer files in ``kg/extract/data/`` from the shared reference lists.

Run from the repository root (needs ``../shared/data``)::

    python tools/build_data.py [SHARED_DIR]

Inputs (never shipped as such):

* ``pwc-methods.tsv`` (Papers with Code, CC BY-SA 4.0) -> ``data/methods-pwc.tsv``
* ``datasets-seed.tsv`` (SciREX / NLP-TDMS, Apache-2.0) -> ``data/benchmarks-seed.tsv``
* the unlabelled corpus (airas-papers-db, MIT) is only *counted*: it decides which entries are
  ordinary words (written in lower case in running text) and which acronyms are generic
  (defined from lower-case topic phrases in many papers) -> ``data/generic-acronyms-mined.txt``.

The dev gold is not read here.
"""
from __future__ import annotations

import collections
import csv
import gzip
import json
import re
import sys
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher

from kg.extract.lexicon import DATA, TC_LEAD, TC_PHRASE, tc_key  # noqa: F401  (the runtime definitions)

_SUFFIX_CUT = re.compile(r"\s{2,}|\s+-\s+|\s+\(|\s+/\s+")


def _corpus_texts(shared: Path) -> list[str]:
    path = shared / "data" / "corpus" / "conference-papers-2022-2024.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [f"{r.get('title') or ''}\n{r.get('abstract') or ''}" for r in rows]


def _surface_counts(nlp, names: list[str], texts: list[str]) -> dict[str, collections.Counter]:
    """Case-insensitive corpus occurrences of each name, split by written surface."""
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for i, name in enumerate(names):
        matcher.add(str(i), [nlp.make_doc(name)])
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for doc in nlp.pipe(texts, batch_size=256):
        for mid, s, e in matcher(doc):
            counts[names[int(nlp.vocab.strings[mid])]][doc[s:e].text] += 1
    return counts


def _is_ordinary(name: str, surfaces: collections.Counter) -> bool:
    """True when running text writes the name mostly in lower case (a common word/phrase)."""
    if any(c.isdigit() for c in name) or name == name.lower():
        return False
    total = sum(surfaces.values())
    lower = sum(n for s, n in surfaces.items() if s == s.lower())
    return total >= 3 and lower > 0.34 * total


def _mine_generic_acronyms(texts: list[str]) -> list[str]:
    """Acronyms that many papers define from an all-lower-case phrase, e.g. 'graph neural networks (GNNs)'."""
    pat = re.compile(r"([A-Za-z][A-Za-z\- ]{3,80}?) \(([A-Z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*)\)")
    lower, upper = collections.Counter(), collections.Counter()
    for text in texts:
        seen = set()
        for m in pat.finditer(text):
            long, short = m.group(1).strip(), m.group(2)
            words = long.split()[-6:]
            initials = "".join(w[0] for w in words).lower()
            if short.lower().rstrip("s")[:1] not in initials:
                continue
            if (short, long.islower()) in seen:
                continue
            seen.add((short, long.islower()))
            if " ".join(words[-len(short.rstrip("s")):]).islower():
                lower[short] += 1
            else:
                upper[short] += 1
    return sorted(a for a, n in lower.items() if n >= 3 and n >= 2 * upper[a])


# Title-case noun phrases ending in an architecture/algorithm head noun ("Touch-Line Transformer");
# shared with kg.extract.entities, which finds them at run time.
def _mine_generic_phrases(texts: list[str]) -> list[str]:
    """Title-case method-head phrases that running text also writes with a lower-case head in at
    least 2 places and at least a quarter as often as in title case ("Graph Neural Networks" vs
    "graph neural networks"): topics, not names."""
    abstracts = [t.partition("\n")[2] for t in texts]
    title_case = collections.Counter()
    for a in abstracts:
        for m in TC_PHRASE.finditer(a):
            p = TC_LEAD.sub("", m.group(1))
            if " " in p:
                title_case[tc_key(p)] += 1
    lower = collections.Counter()
    big = "\n".join(abstracts)
    for key in title_case:
        words = key.split()
        # the same words with a lower-case head noun (other words in any case)
        pat = r"(?<![\w-])" + r"\s+".join(f"(?i:{re.escape(w)})" for w in words[:-1]) + \
            r"\s+" + re.escape(words[-1]) + r"s?(?![\w-])"
        lower[key] = len(re.findall(pat, big))
    return sorted(k for k, n in title_case.items() if lower[k] >= 2 and 4 * lower[k] >= n)


def _mine_topic_algorithm_acronyms(texts: list[str]) -> list[str]:
    """Acronyms that the corpus writes with plural "algorithms"/"schemes" (>= 2 times and at least as
    often as the singular: "RL algorithms"): fields
    of algorithms, not one algorithm with a fixed name ("the EM algorithm")."""
    pat = re.compile(r"(?<![\w-])([A-Z]{2,5}) (?:algorithm|scheme)(s?)\b")
    plural, single = collections.Counter(), collections.Counter()
    for t in texts:
        for m in pat.finditer(t):
            (plural if m.group(2) else single)[m.group(1)] += 1
    return sorted(a for a, n in plural.items() if n >= 2 and n >= single[a])


def build(shared: Path) -> None:
    nlp = spacy.blank("en")
    texts = _corpus_texts(shared)

    pwc = []
    with open(shared / "data" / "pwc-methods.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            pwc.append((row["name"].strip(), row["full_name"].strip(), row["collections"]))
    seed = []
    with open(shared / "data" / "datasets-seed.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            base = _SUFFIX_CUT.split(row["name"].strip())[0].strip()
            if base.startswith("Atari 2600 "):
                base = "Atari 2600"
            if len(base) >= 2:
                seed.append(base)
    seed = sorted(set(seed))

    names = sorted({n for n, _, _ in pwc} | {f for _, f, _ in pwc} | set(seed))
    counts = _surface_counts(nlp, names, texts)

    with open(DATA / "methods-pwc.tsv", "w", encoding="utf-8") as out:
        out.write("# Derived from Papers with Code methods (CC BY-SA 4.0, https://paperswithcode.com);\n")
        out.write("# curated by kg.extract.build_data: ordinary words dropped. Columns: name, full_name, ordinary(0/1)\n")
        for name, full, _ in sorted(pwc):
            if len(name) < 2 or _is_ordinary(name, counts[name]):
                continue
            full_ok = full and full != name and not _is_ordinary(full, counts[full]) and " " in full
            out.write(f"{name}\t{full if full_ok else ''}\n")
    with open(DATA / "benchmarks-seed.tsv", "w", encoding="utf-8") as out:
        out.write("# Derived from SciREX and NLP-TDMS dataset names (Apache-2.0; allenai/SciREX,\n")
        out.write("# IBM/science-result-extractor); curated by kg.extract.build_data. Column: name\n")
        for name in seed:
            if _is_ordinary(name, counts[name]):
                continue
            out.write(f"{name}\n")
    own = []
    for fname in ("methods-kg.txt", "benchmarks-kg.txt"):
        for line in (DATA / fname).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                own += [x.strip() for x in line.split("|") if " " not in x.strip()]
    own_counts = _surface_counts(nlp, sorted(set(own)), texts)
    with open(DATA / "ordinary-words.txt", "w", encoding="utf-8") as out:
        out.write("# Names of the kg lists that running text mostly writes in lower case (ordinary words):\n")
        out.write("# matched only in exact case and not at a sentence start. Mined by kg.extract.build_data.\n")
        for name in sorted(set(own)):
            if _is_ordinary(name, own_counts[name]):
                out.write(name + "\n")
    with open(DATA / "generic-acronyms-mined.txt", "w", encoding="utf-8") as out:
        out.write("# Acronyms defined from lower-case topic phrases in >= 3 corpus papers (mined by\n")
        out.write("# kg.extract.build_data from the airas-papers-db corpus, MIT). One a line.\n")
        for a in _mine_generic_acronyms(texts):
            out.write(a + "\n")
    with open(DATA / "topic-algorithm-acronyms-mined.txt", "w", encoding="utf-8") as out:
        out.write("# Acronyms written with plural 'algorithms'/'schemes' (>= 2x, >= singular) in the corpus: topics.\n")
        out.write("# Mined by kg.extract.build_data from the airas-papers-db corpus (MIT). One a line.\n")
        for a in _mine_topic_algorithm_acronyms(texts):
            out.write(a + "\n")
    with open(DATA / "generic-phrases-mined.txt", "w", encoding="utf-8") as out:
        out.write("# Title-case phrases with an architecture/algorithm head that running text also writes with\n")
        out.write("# a lower-case head (topics: 'Graph Neural Networks'); mined by tools/build_data.py from\n")
        out.write("# the airas-papers-db corpus (MIT). Lower case, head singular. One a line.\n")
        for a in _mine_generic_phrases(texts):
            out.write(a + "\n")


if __name__ == "__main__":  # pragma: no cover
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared"
    build(root)
