"""A :class:`spacy.matcher.PhraseMatcher` (``attr="LOWER"``) run on plain text: same matches, same order.

The pipeline works on character offsets, so it does not need a tokenized ``Doc``; only the
gazetteer's phrase matching depends on spaCy's token boundaries. spaCy's rule tokenizer splits the
text at white space and tokenizes every piece on its own, so the tokens of a text are the tokens of
its pieces: :class:`PieceTokens` tokenizes each distinct piece once (cached, bounded) and
:class:`TextPhraseMatcher` walks the same trie of lower-case token hashes as the PhraseMatcher, over
those tokens. Matches come out as the PhraseMatcher gives them: by start token, then by end, the
keys of one pattern in the PhraseMatcher's own order (read from it once, at build time).
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, chain

from spacy.attrs import IDX, LENGTH, LOWER
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.vocab import create_vocab

_SPACE = 8532415787641010193  # the lower-case hash of a " " token (checked when a matcher is built)
_TERMINAL = -1  # trie key of the ids whose pattern ends at that node


def detached(tokenizer: Tokenizer, nlp) -> Tokenizer:
    """The same tokenizer rules over a vocabulary of their own: a memory zone of the pipeline's
    vocabulary frees the lexemes made in it, which the tokenizer's cache would still point to."""
    return Tokenizer(create_vocab(nlp.lang, nlp.Defaults), rules=tokenizer.rules,
                     prefix_search=tokenizer.prefix_search, suffix_search=tokenizer.suffix_search,
                     infix_finditer=tokenizer.infix_finditer, token_match=tokenizer.token_match,
                     url_match=tokenizer.url_match, faster_heuristics=tokenizer.faster_heuristics)


class PieceTokens:
    """spaCy's tokens of each piece of ``text.split(" ")``: lower-case hashes and offsets, cached.

    A piece with no white space in it tokenizes the same alone as inside a text (spaCy tokenizes
    between white space independently); an empty piece (two spaces in a row, a leading or trailing
    space) stands for one space of a white-space token (spaCy makes one token of a run of spaces: the
    matcher spells such a pattern token as one " " per space); a piece holding other white space
    ("a\\nB") is tokenized alone, its white-space tokens stop matches as in the doc.

    >>> import spacy; pt = PieceTokens(spacy.blank("en").tokenizer)
    >>> pt.tokens("(LoRA),  GSM8K")[0] == ["(LoRA),", "", "GSM8K"], pt.spans("(LoRA),")
    (True, (0, 1, 1, 5, 5, 6, 6, 7))
    """

    def __init__(self, tokenizer, max_pieces: int = 50_000):
        self.tokenizer = tokenizer
        self.max_pieces = max_pieces  # the cache is emptied when it would grow past this
        self._reset()

    def _reset(self) -> None:
        self._hashes: dict[str, tuple] = {"": (_SPACE,)}
        self._spans: dict[str, tuple] = {"": (0, 0)}

    def _fill(self, missing: list[str]) -> None:
        """Tokenize and cache ``missing`` pieces: one tokenizer call for all that hold no white space."""
        spaced = [p for p in missing if any(c.isspace() for c in p)]
        plain = [p for p in missing if p not in spaced] if spaced else missing
        # joined by "\n": a white-space token, which no special case of the tokenizer spans
        for group in ([plain] if plain else []) + [[p] for p in spaced]:
            rows = self.tokenizer("\n".join(group)).to_array([IDX, LENGTH, LOWER]).tolist()
            k, pos, n = 0, 0, len(rows)
            for piece in group:
                end = pos + len(piece)
                hs, spans = [], []
                while k < n and rows[k][0] < end:
                    start, length, h = rows[k]
                    hs.append(h)
                    spans += (start - pos, start - pos + length)
                    k += 1
                self._hashes[piece] = tuple(hs)
                self._spans[piece] = tuple(spans)
                while k < n and rows[k][0] == end:  # the separator
                    k += 1
                pos = end + 1

    def tokens(self, text: str) -> tuple[list[str], list[tuple]]:
        """The pieces of ``text.split(" ")`` and, per piece, its tokens' lower-case hashes."""
        pieces = text.split(" ")
        got = list(map(self._hashes.get, pieces))
        if None in got:
            missing = list(dict.fromkeys(p for p, h in zip(pieces, got) if h is None))
            if len(self._hashes) + len(missing) > self.max_pieces:
                self._reset()  # emptied before filling, so every piece of this text is cached below
                missing = [p for p in dict.fromkeys(pieces) if p not in self._hashes]
            self._fill(missing)
            got = list(map(self._hashes.__getitem__, pieces))
        return pieces, got

    def spans(self, piece: str) -> tuple:
        """Start and end of each token of a cached piece, in the piece, flat: ``(s0, e0, s1, e1, ...)``."""
        return self._spans[piece]


class TextPhraseMatcher:
    """The matches of a ``PhraseMatcher(vocab, attr="LOWER")`` on the text alone.

    Built from the PhraseMatcher and the pattern docs added to it (``patterns``: key -> docs);
    ``tokenizer`` has the rules of the tokenizer that made them (use :func:`detached` in a pipeline
    run in memory zones). ``matcher(text)`` returns
    ``(key, start_char, end_char)`` in the PhraseMatcher's order.

    >>> import spacy; nlp = spacy.blank("en")
    >>> pm = PhraseMatcher(nlp.vocab, attr="LOWER"); pats = {1: [nlp("GSM8K")], 2: [nlp("Llama 2")]}
    >>> for k, docs in pats.items(): pm.add(str(k), docs)
    >>> tm = TextPhraseMatcher(pm, {nlp.vocab.strings[str(k)]: d for k, d in pats.items()}, nlp.tokenizer)
    >>> [(nlp.vocab.strings[k], s, e) for k, s, e in tm("on gsm8K with LLAMA 2.")]
    [('1', 3, 8), ('2', 14, 21)]
    """

    def __init__(self, matcher: PhraseMatcher, patterns: dict[int, list], tokenizer):
        if tokenizer("a  b")[1].lower != _SPACE:
            raise ValueError("tokenizer: a run of spaces is not a token")
        self.pieces = PieceTokens(tokenizer)
        self.trie: dict = {}
        for key, docs in patterns.items():
            for doc in docs:
                hashes = []
                for t in doc:
                    if t.is_space and t.text.strip(" "):
                        raise ValueError(f"pattern {doc.text!r}: holds white space other than spaces")
                    hashes += [_SPACE] * len(t.text) if t.is_space else [t.lower]
                if not hashes:
                    raise ValueError("patterns: an empty pattern")
                node = self.trie
                for h in hashes:
                    node = node.setdefault(h, {})
                ids = node.setdefault(_TERMINAL, [])
                if key not in ids:
                    ids.append(key)
                    if len(ids) > 1:
                        node[_TERMINAL] = self._matcher_order(matcher, doc, ids)

    @staticmethod
    def _matcher_order(matcher: PhraseMatcher, doc, ids: list[int]) -> list[int]:
        """The keys of one pattern in the order the PhraseMatcher reports them."""
        order = [k for k, s, e in matcher(doc) if s == 0 and e == len(doc) and k in ids]
        return order + [k for k in ids if k not in order]

    def __call__(self, text: str) -> list[tuple[int, int, int]]:
        pieces, hashes = self.pieces.tokens(text)
        flat = list(chain.from_iterable(hashes))
        trie = self.trie
        found = []  # (first token, last token, keys)
        n = len(flat)
        for i in [i for i, h in enumerate(flat) if h in trie]:
            node = trie[flat[i]]
            j = i + 1
            while True:
                ids = node.get(_TERMINAL)
                if ids:
                    found.append((i, j - 1, ids))
                if j == n:
                    break
                node = node.get(flat[j])
                if node is None:
                    break
                j += 1
        if not found:
            return []
        ends = list(accumulate(map(len, hashes)))  # tokens up to the end of each piece
        starts = list(accumulate([len(p) + 1 for p in pieces], initial=0))  # char start of each piece
        spans = self.pieces.spans

        def char(t: int, side: int) -> int:
            k = bisect_right(ends, t)
            return starts[k] + spans(pieces[k])[2 * (t - (ends[k - 1] if k else 0)) + side]

        out = []
        for i, last, ids in found:
            s, e = char(i, 0), char(last, 1)
            out.extend((k, s, e) for k in ids)
        return out
