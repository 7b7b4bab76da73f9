"""``kg_sentences``: sentence spans by a character regex (``doc._.kg_sents``)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .doc import doc_text
from .text import sentences


@Language.factory("kg_sentences", assigns=["doc._.kg_sents"])
def make_sentences(nlp: Language, name: str):
    """Sentence boundaries by a character regex (no per-token Python work).

    >>> import spacy; nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_sentences")
    >>> len(nlp("Title\\nWe propose EDT. It works.")._.kg_sents)
    3
    """

    def kg_sentences(doc: Doc) -> Doc:
        doc._.kg_sents = sentences(doc_text(doc))
        return doc

    return kg_sentences
