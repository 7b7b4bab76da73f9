"""The document side shared by all components: ``doc._`` extensions, the doc text, :class:`Mention`.

The pipeline runs on ``spacy.blank("en")``; components pass their findings on in ``doc._``
extensions (character offsets into ``doc_text(doc)``); the title is the first line, its end
offset ``doc._.kg_title_end``.
"""
from __future__ import annotations

from spacy.tokens import Doc
from spacy.util import registry

for _name in ("kg_sents", "kg_mentions", "kg_abbrevs", "kg_entities", "kg_gaz_rejected"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("kg_title_end"):
    Doc.set_extension("kg_title_end", getter=lambda d: (doc_text(d).find("\n") + 1 or len(doc_text(d)) + 1) - 1)


def doc_text(doc: Doc) -> str:
    """The text of ``doc``, kept by :class:`TextTokenizer` (``Doc.text`` rebuilds it each call).

    >>> import spacy; doc_text(spacy.blank("en")("a b"))
    'a b'
    """
    t = doc.user_data.get("kg_text")
    if t is None:
        t = doc.user_data["kg_text"] = doc.text
    return t


class TextTokenizer:
    """The pipeline's tokenizer: a doc that keeps the text (spans are character offsets into it).

    No component reads tokens: the doc is one token holding the whole text, which costs ~1/20 of
    spaCy's rule tokenizer. The rule tokenizer is kept as ``rule_tokenizer``: the gazetteer matches its
    patterns on the rule tokenizer's tokens of the text (:mod:`kg.extract.textmatch`).

    >>> import spacy; nlp = spacy.blank("en"); tok = TextTokenizer(nlp.tokenizer)
    >>> doc = tok("We propose EDT."); doc_text(doc), len(doc), len(tok.rule_tokenizer("We propose EDT."))
    ('We propose EDT.', 1, 4)
    """

    def __init__(self, rules):
        self.rule_tokenizer = rules
        self.vocab = rules.vocab

    def __call__(self, text: str) -> Doc:
        doc = Doc(self.vocab, words=[text], spaces=[False]) if text else Doc(self.vocab)
        doc.user_data["kg_text"] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


class Mention:
    """One occurrence of a candidate name in the text."""

    __slots__ = ("start", "end", "text", "source", "entry", "sent", "variant", "kind", "raw_end")

    def __init__(self, start, end, text, source, entry=None, variant=False, kind=None):
        self.start, self.end, self.text, self.source, self.entry = start, end, text, source, entry
        self.sent = None
        self.variant = variant  # a sub-benchmark of ``entry`` ("permuted MNIST", "LSUN-church")
        self.raw_end = end
        self.kind = kind  # kind implied by the phrase itself ("X dataset"), if any

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Mention({self.text!r}, {self.start}, {self.source})"



def _upper(s: str) -> int:
    return sum(1 for c in s if c.isupper())


@registry.tokenizers("kg.TextTokenizer.v1")
def make_tokenizer():
    """:class:`TextTokenizer` over spaCy's default rule tokenizer (named in ``default.cfg``)."""
    base = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def create(nlp):
        return TextTokenizer(base(nlp))

    return create
