"""The gazetteer's text matcher against spaCy's PhraseMatcher on tokenized docs: the same matches
(key, character span) in the same order, on real abstracts and on white-space edge cases; the
pipeline's one-token doc keeps the text; extraction leaves the vocabulary as it found it; the
candidate generators' regexes tried only where they can match give the same matches."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import spacy

from kg.extract import Extractor
from kg.extract.extractor import build_nlp
from kg.extract.textmatch import PieceTokens

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "conference-papers-2022-2024.jsonl.gz"

# white space the rule tokenizer treats specially: runs of spaces, newlines, tabs, no-break spaces,
# a pattern ("GSM8K" = "GSM8" + "K") written with a space inside, leading / trailing spaces
EDGES = [
    "", " ", "  ", " LoRA", "LoRA ", "LoRA  ", "  GSM8K  on  MNIST", "GSM8 K and gsm8k", "Llama  2 vs Llama\n2",
    "Llama\t2, Llama\xa02, Llama 2.", "(LoRA), [BERT]; GPT-4-based", "x\n\n y\n", "MT-Bench\nMT-Bench",
    "on the permuted MNIST and Split CIFAR-100 benchmarks",
]


def phrase_matcher_spans(gaz, tokenizer, text: str) -> list[tuple[int, int, int]]:
    doc = tokenizer(text)
    if not len(doc):
        return []
    return [(k, doc[s:e].start_char, doc[s:e].end_char) for k, s, e in gaz.matcher(doc)]


def seed_texts() -> list[str]:
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return out


@pytest.fixture(scope="module")
def gazetteer():
    nlp = build_nlp()
    return nlp.get_pipe("kg_gazetteer"), spacy.blank("en").tokenizer


def test_pipeline_doc_keeps_the_text():
    nlp = build_nlp()
    text = "GSM8K  results\nWe fine-tune Llama-2 with LoRA."
    doc = nlp(text)
    assert doc.text == text and len(doc) == 1
    assert [m.text for m in doc._.kg_mentions][:3] == ["GSM8K", "Llama-2", "LoRA"]


def test_same_matches_as_phrase_matcher_on_edge_cases(gazetteer):
    gaz, tok = gazetteer
    for text in EDGES:
        assert gaz.text_matcher(text) == phrase_matcher_spans(gaz, tok, text), repr(text)
    assert gaz.text_matcher("GSM8 K")  # the PhraseMatcher ignores the space between a pattern's tokens


def test_same_matches_as_phrase_matcher_on_seed_listings(gazetteer):
    gaz, tok = gazetteer
    texts = seed_texts()
    assert len(texts) > 50
    found = 0
    for text in texts:
        expected = phrase_matcher_spans(gaz, tok, text)
        assert gaz.text_matcher(text) == expected, text[:80]
        found += len(expected)
    assert found > 100


@pytest.mark.skipif(not CORPUS.is_file(), reason="needs ../shared/data/corpus (the unlabelled corpus)")
def test_same_matches_as_phrase_matcher_on_corpus_abstracts(gazetteer):
    gaz, tok = gazetteer
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(400), fh)]
    for r in rows:
        text = (r.get("title") or "") + "\n" + (r.get("abstract") or "")
        assert gaz.text_matcher(text) == phrase_matcher_spans(gaz, tok, text), r.get("title")


def test_piece_cache_reset_keeps_results(gazetteer):
    """A bounded cache emptied mid-stream (also when a text mixes cached and new pieces) gives the
    same tokens as an unbounded one."""
    _, tok = gazetteer
    texts = [t.replace(". ", ".  ") for t in seed_texts()[:40]] + EDGES  # empty pieces: double spaces
    small = PieceTokens(tok, max_pieces=300)
    full = PieceTokens(tok)
    biggest = 0
    for text in texts + texts[::-1]:
        assert small.tokens(text) == full.tokens(text)
        biggest = max(biggest, len(set(text.split(" "))) + 1)
        assert len(small._hashes) <= max(300, biggest)
        for piece in text.split(" "):
            assert small.spans(piece) == full.spans(piece)


def test_extraction_frees_the_strings_it_adds():
    ex = Extractor()
    before = len(ex.nlp.vocab.strings)
    papers = [{"id": i, "title": f"Zqxnet{i}: a title", "abstract": f"We propose Zqxnet{i}, tested on ImageNet."}
              for i in range(5)]
    names = [[e["name"] for e in r["methods"]] for r in ex.extract_many(papers, batch_size=2)]
    assert names == [[f"Zqxnet{i}"] for i in range(5)]
    assert len(ex.nlp.vocab.strings) == before


def test_candidate_regexes_tried_only_where_they_can_match():
    """The head-noun generators run their regex only at the word starts before a head noun: the same
    matches as scanning every position, on the seed listings and on hand-made edge cases."""
    from kg.extract.candidates import (
        _BENCH_HEAD,
        _LOWER_HEAD,
        _bench_head_starts,
        _lower_head_starts,
    )
    from kg.extract.text import finditer_at

    texts = seed_texts() + ["the x.foo dataset", "ab-cd.foo dataset", "a  b benchmark", "It's+ two data sets",
                            " dataset", "a b\nmodels", "x-y z_w\tattention", "  deep  models", "é-ü search"]
    found = 0
    for pattern, starts in ((_LOWER_HEAD, _lower_head_starts), (_BENCH_HEAD, _bench_head_starts)):
        for t in texts:
            expected = [(m.span(), m.group(1)) for m in pattern.finditer(t)]
            assert [(m.span(), m.group(1)) for m in finditer_at(pattern, t, starts(t))] == expected, t[:80]
            found += len(expected)
    assert found > 100
