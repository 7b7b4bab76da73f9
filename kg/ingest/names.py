"""Tell author-name lines from title lines, and abstract lines from both, by evidence.

Three kinds of evidence are combined into one score per line (:func:`name_score`, > 0 means
"an author name"):

* **shape**: a name has 1–8 whitespace tokens and no colon, question/exclamation mark, digit
  or other title punctuation; every word is capitalised except name particles (van, de, von,
  …); initials ("P", "P.") are name-like; in a line of mixed case, lower-case words,
  all-capital acronyms ("EDT") and inner capitals ("WorkArena") are title-like (a line all in
  lower case or all in capitals is judged by its vocabulary alone);
* **vocabulary**: for each token, the log-ratio of its frequency in author names and
  (capitalised) in titles of a conference corpus (``data/name_title_tokens.tsv``, made by
  :mod:`kg.ingest.make_data`);
* **length**: the log-ratio of the share of names and of titles with that many words
  (``data/name_title_lengths.tsv``), particles not counted, clipped to [-4, 3] because the
  token evidence of rare names is weak: most names have two or three words, most titles more.

:func:`is_abstract` recognises an abstract line by its prose shape (the "… (see more)"
marker, length, several sentences).
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "name_title_tokens.tsv"
LENGTHS_FILE = DATA_FILE.with_name("name_title_lengths.tsv")
PROSE_FILE = DATA_FILE.with_name("abstract_title_tokens.tsv")

#: Lower-case words that may occur inside a personal name.
PARTICLES = frozenset(
    "van von de der den del della delle dei di da das dos do du la le les ten ter zu zur af av "
    "bin binti bint ibn al el y e mac st".split()
)
MARKER_RE = re.compile(r"(?:…|\.\.\.)[ \u00a0]?\((?:see more|voir plus)\)")
_TITLE_CHARS = re.compile(r"[:?!;\d@#$%&*=+<>/\\|\[\]{}~^]")
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_INITIAL_RE = re.compile(r"(?:[A-Z]\.){1,3}|[A-Z]\.?-[A-Z]\.?|[A-Z]")
_CAMEL_OK = re.compile(r"^(?:Mc|Mac|De|Di|Da|Du|Le|La|Van|Von|O['’]|D['’]|L['’])")
_SENTENCE_END = re.compile(r"[a-z0-9)\]%]\.\s+[A-Z(]")
_UNKNOWN_BONUS = 0.6  # ln(P(unseen | name token) / P(unseen | title word)) ~ ln(0.11 / 0.06) on held-out papers
_CLIP = 6.0


def tokens(text: str) -> list[str]:
    """The word tokens used for the vocabulary counts: NFKC, case-folded, split at hyphens.

    >>> tokens("Wei-Long Zheng")
    ['wei', 'long', 'zheng']
    >>> tokens("Compute-Optimal Neural Scaling Laws: 4+3 Phases")
    ['compute', 'optimal', 'neural', 'scaling', 'laws', 'phases']
    """
    return _TOKEN_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def capitalised_tokens(text: str) -> list[str]:
    """The tokens (as in :func:`tokens`) that are written with a leading capital.

    >>> capitalised_tokens("Learning in Games: In-Context self-Play")
    ['learning', 'games', 'in', 'context', 'play']
    """
    text = unicodedata.normalize("NFKC", text)
    return [t.casefold() for t in _TOKEN_RE.findall(text) if t[0].isupper()]


def lower_case_tokens(text: str) -> list[str]:
    """The tokens (as in :func:`tokens`) that are written all in lower case.

    >>> lower_case_tokens("We learn Deep nets, self-Play")
    ['learn', 'nets', 'self']
    """
    text = unicodedata.normalize("NFKC", text)
    return [t for t in _TOKEN_RE.findall(text) if t.islower()]


def _read_counts(path, totals: tuple[str, str]) -> tuple[dict[str, tuple[int, ...]], int, int]:
    """Token count rows ``token<TAB>n…`` of a data file, with the two totals named in its
    ``# a_total=N b_total=M`` header line (each at least 1)."""
    counts: dict[str, tuple[int, ...]] = {}
    header = re.compile(rf"{totals[0]}=(\d+) {totals[1]}=(\d+)")
    first = second = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                m = header.search(line)
                if m:
                    first, second = int(m[1]), int(m[2])
                continue
            tok, *nums = line.rstrip("\n").split("\t")
            counts[tok] = tuple(int(x) for x in nums)
    return counts, max(first, 1), max(second, 1)


@lru_cache(maxsize=1)
def _counts() -> tuple[dict[str, tuple[int, int]], int, int]:
    return _read_counts(DATA_FILE, ("name_total", "title_total"))


@lru_cache(maxsize=1)
def _prose_counts() -> tuple[dict[str, tuple[int, int, int]], int, int]:
    return _read_counts(PROSE_FILE, ("abstract_total", "title_total"))


@lru_cache(maxsize=1)
def _lengths() -> dict[int, float]:
    rows = []
    with open(LENGTHS_FILE, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#") and line.strip():
                k, n, t = map(int, line.split("\t"))
                rows.append((k, n, t))
    n_total = sum(r[1] for r in rows) or 1
    t_total = sum(r[2] for r in rows) or 1
    return {k: math.log((n + 0.5) / n_total) - math.log((t + 0.5) / t_total) for k, n, t in rows}


def length_evidence(n_words: int) -> float:
    """Log-ratio of the share of names and of titles that have ``n_words`` words (> 0: name-like).

    >>> length_evidence(2) > 0 > length_evidence(5)
    True
    """
    table = _lengths()
    return max(-4.0, min(3.0, table.get(n_words, min(table.values()))))


def token_evidence(token: str) -> float:
    """Log-ratio of a token's frequency in author names vs in titles (> 0: name-like).

    >>> token_evidence("timothy") > 2 > -2 > token_evidence("optimization")
    True
    """
    counts, n_total, t_total = _counts()
    n, t = counts.get(token, (0, 0))
    if n == 0 and t == 0:
        return _UNKNOWN_BONUS
    value = math.log((n + 0.5) / n_total) - math.log((t + 0.5) / t_total)
    return max(-_CLIP, min(_CLIP, value))


def _word_score(word: str, mixed_case: bool) -> float:
    core = word.strip("()[]\"'“”‘’,.")
    if not core:
        return 0.0
    if core.lower() in PARTICLES and core[0].islower():
        return 0.0
    if _INITIAL_RE.fullmatch(word.strip("(),")) or re.fullmatch(r"[a-z]\.?", word):
        return 0.0 if word == "A" else 2.0  # "A" is as often the article as an initial
    parts = tokens(core)
    score = sum(token_evidence(p) for p in parts)
    score = max(-_CLIP, min(_CLIP, score))
    letters = [c for c in core if c.isalpha()]
    if not mixed_case:
        return score  # "aqeel labash", "MIGUEL ANGEL": the case says nothing
    if core[0].islower():
        score -= 3.0
    elif len(letters) >= 2 and all(c.isupper() for c in letters) and not word.startswith("("):
        score -= 3.0  # acronym (EDT, LLM) in a mixed-case line
    elif re.search(r"[a-z][A-Z]", core) and not _CAMEL_OK.match(core):
        score -= 3.0  # inner capital (WorkArena, DreamRelation)
    return score


def name_score(line: str) -> float:
    """Evidence that a line is a personal name rather than a title: > 0 means name.

    >>> name_score("Timothy Chan") > 0 > name_score("Conformal Inverse Optimization")
    True
    >>> name_score("P Vincent") > 0 > name_score("When is Transfer Learning Possible?")
    True
    """
    line = line.strip()
    if not line or _TITLE_CHARS.search(line) or MARKER_RE.search(line):
        return -math.inf
    words = line.split()
    if len(words) > 8:
        return -math.inf
    n = sum(1 for w in words if w not in PARTICLES)  # "de la Cruz" is one surname
    content = [w for w in words if w not in PARTICLES and any(c.isalpha() for c in w)]
    mixed = not (all(w.islower() for w in content) or all(w.isupper() for w in content))
    return length_evidence(n) + sum(_word_score(w, mixed) for w in words)


def is_name(line: str) -> bool:
    """True when a listing line is better read as an author name than as a title.

    >>> [is_name(s) for s in ["My Phan", "Bellemare Marc-Emmanuel", "Kianté Brantley"]]
    [True, True, True]
    >>> is_name("Stochastic positional embeddings improve masked image modeling")
    False
    """
    return name_score(line) > 0


def is_abstract(line: str) -> bool:
    """True for a line of abstract prose (never for a title or a name).

    >>> is_abstract("We study X. We show that Y holds in all cases, which is new and surprising to many.")
    False
    >>> is_abstract("We consider the solvable model. We use t… (see more)his model to derive predictions.")
    True
    """
    line = line.strip()
    if MARKER_RE.search(line) or len(line) >= 250:
        return True
    sentences = len(_SENTENCE_END.findall(line))
    return (len(line) >= 120 and sentences >= 2) or len(line.split()) >= 40


_PROSE_END = re.compile(r"[^\W_]{2}[)\]]?\.[\"”’')\]]*$")  # "… in all cases." (not "J." or "al.")
_PROSE_THRESHOLD = 6.0


def _prose_token_evidence(token: str) -> float:
    counts, a_total, t_total = _prose_counts()
    a, _, t = counts.get(token, (0, 0, 0))
    if a == 0 and t == 0:
        return 0.0
    return max(-4.0, min(4.0, math.log((a + 0.5) / a_total) - math.log((t + 0.5) / t_total)))


def prose_score(line: str) -> float:
    """Evidence that a short line (no marker) is abstract prose rather than a title: > 0 means prose.

    Sums the log-ratio of each token's frequency in abstracts and in titles of the corpus
    (``data/abstract_title_tokens.tsv``, clipped to [-4, 4]); adds 6 for a sentence-final
    period (16 of 10,432 corpus titles end with one) or subtracts 4 without one; subtracts up to
    6 for title case (most words of four or more letters capitalised); a threshold of 6 is
    subtracted, so that on held-out papers no title (0 of 1,088) and ~93% of one-sentence
    abstract openings score above 0.

    >>> prose_score("We propose a simple method for learning sets.") > 0
    True
    >>> prose_score("Stochastic positional embeddings improve masked image modeling") < 0
    True
    >>> prose_score("Diffusion Models Beat GANs on Image Synthesis.") < 0
    True
    """
    line = line.strip()
    score = sum(_prose_token_evidence(t) for t in tokens(line))
    score += 6.0 if _PROSE_END.search(line) else -4.0
    words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    if words:
        capitalised = sum(w[0].isupper() for w in words) / len(words)
        score -= 12.0 * max(0.0, capitalised - 0.5)
    return score - _PROSE_THRESHOLD


def is_prose(line: str) -> bool:
    """True for an abstract line (:func:`is_abstract`) or a short line of prose that is not a name
    (:func:`prose_score`), such as a one-sentence abstract without marker. Only for a line that
    may be an abstract (after a title or an author), never to skip a line.

    >>> is_prose("We study sets of things and show that they are useful.")
    True
    >>> [is_prose(s) for s in ["When is Transfer Learning Possible?", "Martin Luther King Jr.", "A Title."]]
    [False, False, False]
    """
    if is_abstract(line):
        return True
    return len(line.split()) >= 3 and prose_score(line) > 0 and not is_name(line)


def remove_marker(text: str) -> str:
    """Delete the "… (see more)" / "… (voir plus)" marker (also with "...") and collapse spaces.

    >>> remove_marker("We use t… (see more)his model. In… (see more) turn")
    'We use this model. In turn'
    >>> remove_marker("are trained ... (voir plus)using a loss")
    'are trained using a loss'
    """
    return " ".join(MARKER_RE.sub("", text).split())
