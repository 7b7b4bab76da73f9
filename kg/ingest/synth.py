"""Synthetic *publications* and *daily papers* listings made from corpus papers, with the
expected parse, for testing the readers on listings they have never seen.

usage: python -m kg.ingest.synth [--n 300] [--seed 0] [--all] [--short P] [CORPUS]
  prints the round-trip accuracy of both readers on held-out corpus papers (``--all``: on
  every corpus paper, including those the token counts were made from).

The generators reproduce the damage seen in the scraped listings: authors and abstracts
dropped at random, the "… (see more)" / "… (voir plus)" marker inserted inside a word,
between words or after a space, some abstracts without marker, "Subscribe" glued to the
first title in the dense daily form.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from kg.model import collapse_ws

MARKERS = ("… (see more)", "… (voir plus)", "... (see more)")


def expected(paper: dict, source: str, authors: bool, abstract: bool) -> dict:
    """The record a reader should return for ``paper`` as listed (authors/abstract kept or not)."""
    return {
        "title": collapse_ws(paper["title"]),
        "authors": [collapse_ws(a) for a in paper.get("authors") or []] if authors else [],
        "abstract": collapse_ws(paper["abstract"]) if abstract and paper.get("abstract") else None,
        "source": source,
    }


def insert_marker(abstract: str, rng: random.Random) -> str:
    """The abstract with a marker at a random place between characters 80 and 200.

    >>> from kg.ingest.names import remove_marker
    >>> a = "We consider the solvable neural scaling model with three parameters " * 4
    >>> remove_marker(insert_marker(a, random.Random(1))) == collapse_ws(a)
    True
    """
    if len(abstract) < 120:
        return abstract
    k = rng.randrange(80, min(200, len(abstract) - 10))
    return abstract[:k] + rng.choice(MARKERS) + abstract[k:]


def first_sentences(abstract: str, k: int) -> str:
    """The first ``k`` sentences of an abstract (a short abstract, as some listings show).

    >>> first_sentences("We do x. It works (see Fig. 1). Done.", 1)
    'We do x.'
    """
    parts = re.split(r"(?<=[a-z0-9)\]%]\.)\s+(?=[A-Z(])", collapse_ws(abstract))
    return " ".join(parts[:k])


def make_publications(papers: list[dict], rng: random.Random, source: str = "pubs.txt",
                      p_no_authors: float = 0.3, p_no_abstract: float = 0.3,
                      p_short: float = 0.0) -> tuple[str, list[dict]]:
    """A *publications* listing of ``papers`` and the expected records (``p_short``: share of
    abstracts cut to their first one or two sentences, without marker)."""
    lines, gold = ["Publications", ""], []
    for p in papers:
        with_authors = rng.random() >= p_no_authors
        with_abstract = rng.random() >= p_no_abstract and bool(p.get("abstract"))
        lines.append(collapse_ws(p["title"]))
        if with_authors:
            lines.extend(collapse_ws(a) for a in p.get("authors") or [])
        if with_abstract and p_short and rng.random() < p_short:
            p = dict(p, abstract=first_sentences(p["abstract"], rng.choice((1, 2))))
            lines.append(p["abstract"])
        elif with_abstract:
            abstract = collapse_ws(p["abstract"])
            lines.append(insert_marker(abstract, rng) if rng.random() < 0.9 else abstract)
        gold.append(expected(p, source, with_authors, with_abstract))
    return "\n".join(lines) + "\n", gold


def make_daily(papers: list[dict], rng: random.Random, source: str = "daily.txt",
               p_no_abstract: float = 0.2, dense: bool | None = None, p_short: float = 0.0) -> tuple[str, list[dict]]:
    """A *daily papers* listing of ``papers`` (blank-line separated with header, or dense with
    "Subscribe" glued to the first title) and the expected records (``p_short`` as for
    :func:`make_publications`)."""
    dense = rng.random() < 0.5 if dense is None else dense
    body, gold = [], []
    for p in papers:
        with_abstract = rng.random() >= p_no_abstract and bool(p.get("abstract"))
        body.append(collapse_ws(p["title"]))
        if with_abstract and p_short and rng.random() < p_short:
            p = dict(p, abstract=first_sentences(p["abstract"], rng.choice((1, 2))))
        if with_abstract:
            body.append(collapse_ws(p["abstract"]))
        gold.append(expected(p, source, False, with_abstract))
    if dense:
        header = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
        text = "\n".join(header + ["Subscribe" + body[0]] + body[1:]) + "\n"
    else:
        month = rng.choice(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
        header = ["new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community",
                  f"{month} {rng.randint(1, 28)}"]
        text = "\n\n".join(header + body) + "\n"
    return text, gold


def compare(records: list, gold: list[dict]) -> list[str]:
    """Differences between parsed records (Record or dict) and expected ones; [] when exact.

    Records are aligned by title (so one spurious or missing record costs one difference, not
    a shift of all that follow); each aligned pair with other authors or abstract costs one.

    >>> compare([{"title": "A", "authors": [], "abstract": None, "source": "f"}],
    ...         [expected({"title": "A", "authors": ["X Y"]}, "f", True, False)])
    ["'A': authors: got [], expected ['X Y']"]
    """
    import difflib

    got = [r if isinstance(r, dict) else r.to_dict() for r in records]
    matcher = difflib.SequenceMatcher(None, [g["title"] for g in got], [e["title"] for e in gold], autojunk=False)
    diffs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for g, e in zip(got[i1:i2], gold[j1:j2]):
                for key in ("authors", "abstract", "source"):
                    if g.get(key) != e[key]:
                        diffs.append(f"{e['title'][:60]!r}: {key}: got {str(g.get(key))[:80]}, expected {str(e[key])[:80]}")
                        break
        else:
            diffs.extend(f"spurious record {g['title'][:60]!r}" for g in got[i1:i2])
            diffs.extend(f"missing record {e['title'][:60]!r}" for e in gold[j1:j2])
    return diffs


def main(argv: list[str] | None = None) -> int:
    """Print round-trip accuracy of the text readers on synthetic listings."""
    from kg.ingest.make_data import DEFAULT_CORPUS, is_heldout, load_corpus
    from kg.ingest.text import read_daily, read_publications

    ap = argparse.ArgumentParser(description="round-trip synthetic listings")
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--n", type=int, default=300, help="papers per listing")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--all", action="store_true", help="use all papers, not only held-out ones")
    ap.add_argument("--short", type=float, default=0.0,
                    help="share of abstracts cut to one or two sentences without marker")
    args = ap.parse_args(argv)
    papers = [p for p in load_corpus(Path(args.corpus)) if args.all or is_heldout(p["title"])]
    rng = random.Random(args.seed)
    rng.shuffle(papers)
    for name, make, read in (("publications", make_publications, read_publications), ("daily", make_daily, read_daily)):
        wrong = total = 0
        for start in range(0, len(papers), args.n):
            text, gold = make(papers[start:start + args.n], rng, p_short=args.short)
            diffs = compare(read(text, gold[0]["source"], []), gold)
            for d in diffs:
                print(f"  {name}: {d}", file=sys.stderr)
            wrong += len(diffs)
            total += len(gold)
        print(f"{name}: {total - wrong}/{total} papers exact ({1 - wrong / max(total, 1):.4f}); "
              f"{wrong} differences (wrong, missing or spurious records)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
