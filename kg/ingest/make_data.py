"""Regenerate ``kg/ingest/data/name_title_tokens.tsv`` from the paper corpus.

usage: python -m kg.ingest.make_data [CORPUS.jsonl.gz] [--out FILE] [--lengths-out FILE] [--prose-out FILE]

For every word token (case-folded, split at hyphens, see :func:`kg.ingest.names.tokens`) the
file counts how often it occurs in author names and in titles of the corpus papers; ``name_title_lengths.tsv`` counts names and titles by
number of words; ``abstract_title_tokens.tsv`` counts tokens in abstracts and in titles (the
evidence that a short line is abstract prose, and that a word unseen in names is an English word). One paper in
ten (chosen by a hash of its title, :func:`is_heldout`) is left out, so that the tests and
benchmarks can measure the title/author classifier on papers whose names and titles it has
never seen.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from kg.model import title_key

DATA = Path(__file__).resolve().parent / "data"
TOKENS_FILE = DATA / "name_title_tokens.tsv"
LENGTHS_FILE = DATA / "name_title_lengths.tsv"
PROSE_FILE = DATA / "abstract_title_tokens.tsv"
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared/data/corpus/conference-papers-2022-2024.jsonl.gz"


def is_heldout(title: str) -> bool:
    """True for the one paper in ten left out of the shipped token counts (stable hash of the title).

    >>> is_heldout("Conformal Inverse Optimization") in (True, False)
    True
    """
    return int(hashlib.sha1(title_key(title).encode()).hexdigest(), 16) % 10 == 0


def load_corpus(path: str | Path) -> list[dict]:
    """The corpus papers (``title``, ``authors``, ``abstract``, ...) of a JSON Lines file, gzipped or not."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def count_tokens(papers: list[dict]) -> tuple[Counter, Counter]:
    """Counts of tokens in author names and in titles.

    >>> n, t = count_tokens([{"title": "Learning to Learn", "authors": ["Wei-Long Zheng"]}])
    >>> n["wei"], t["learn"], t["to"]
    (1, 1, 0)
    """
    from kg.ingest.names import capitalised_tokens, tokens

    names, titles = Counter(), Counter()
    for p in papers:
        for a in p.get("authors") or []:
            names.update(tokens(a))
        titles.update(capitalised_tokens(p.get("title") or ""))
    return names, titles


def count_lengths(papers: list[dict]) -> tuple[Counter, Counter]:
    """Counts of names and of titles by their number of whitespace-separated words.

    >>> n, t = count_lengths([{"title": "Learning to Learn", "authors": ["Wei-Long Zheng"]}])
    >>> n[2], t[3]
    (1, 1)
    """
    names, titles = Counter(), Counter()
    for p in papers:
        names.update(len(a.split()) for a in p.get("authors") or [])
        titles[len((p.get("title") or "").split())] += 1
    return names, titles


def count_prose_tokens(papers: list[dict]) -> tuple[Counter, Counter, Counter]:
    """Counts of tokens (case-folded, see :func:`kg.ingest.names.tokens`) in abstracts, of
    tokens written in lower case in abstracts, and of tokens in titles (any case).

    >>> a, low, t = count_prose_tokens([{"title": "Learning to Learn", "abstract": "We learn. Learn"}])
    >>> a["learn"], low["learn"], low["we"], t["to"]
    (2, 1, 0, 1)
    """
    from kg.ingest.names import lower_case_tokens, tokens

    abstracts, lower, titles = Counter(), Counter(), Counter()
    for p in papers:
        text = p.get("abstract") or ""
        abstracts.update(tokens(text))
        lower.update(lower_case_tokens(text))
        titles.update(tokens(p.get("title") or ""))
    return abstracts, lower, titles


def write_prose_counts(abstracts: Counter, lower: Counter, titles: Counter, out: Path, min_count: int = 3) -> None:
    """Write the TSV ``token<TAB>abstract_count<TAB>lower_case_abstract_count<TAB>title_count``
    (tokens seen fewer than ``min_count`` times in all are left out; the totals in the header
    comment count every token)."""
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# token counts in abstracts (all, lower case) and titles; made by kg/ingest/make_data.py\n")
        fh.write(f"# abstract_total={sum(abstracts.values())} title_total={sum(titles.values())}\n")
        for tok in sorted(set(abstracts) | set(titles)):
            if abstracts[tok] + titles[tok] >= min_count:
                fh.write(f"{tok}\t{abstracts[tok]}\t{lower[tok]}\t{titles[tok]}\n")


def write_lengths(names: Counter, titles: Counter, out: Path) -> None:
    """Write the TSV ``words<TAB>names<TAB>titles`` for 1..max words."""
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# number of names and titles by word count; made by kg/ingest/make_data.py\n")
        for k in range(1, max(max(names), max(titles)) + 1):
            fh.write(f"{k}\t{names[k]}\t{titles[k]}\n")


def write_counts(names: Counter, titles: Counter, out: Path, n_papers: int) -> None:
    """Write the TSV: comment header with totals, then ``token<TAB>name_count<TAB>title_count``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# token counts in author names and titles; made by kg/ingest/make_data.py\n")
        fh.write(f"# papers={n_papers} name_total={sum(names.values())} title_total={sum(titles.values())}\n")
        for tok in sorted(set(names) | set(titles)):
            fh.write(f"{tok}\t{names[tok]}\t{titles[tok]}\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--out", default=str(TOKENS_FILE))
    ap.add_argument("--lengths-out", default=str(LENGTHS_FILE))
    ap.add_argument("--prose-out", default=str(PROSE_FILE))
    args = ap.parse_args(argv)
    papers = [p for p in load_corpus(args.corpus) if not is_heldout(p["title"])]
    names, titles = count_tokens(papers)
    write_counts(names, titles, Path(args.out), len(papers))
    write_lengths(*count_lengths(papers), Path(args.lengths_out))
    write_prose_counts(*count_prose_tokens(papers), Path(args.prose_out))
    print(f"{args.out}: {len(set(names) | set(titles))} tokens from {len(papers)} papers", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
