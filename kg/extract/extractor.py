"""The :class:`Extractor`: runs the spaCy pipeline over papers and shapes the results."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Iterable, Iterator

from spacy import util
from spacy.language import Language

from . import abbrev, candidates, classifier, coined, entities, gazetteer, sentences  # noqa: F401 (factories)
from .text import MAX_CHARS, clean

EXTRACTOR_VERSION = "kg-extract 1.2 (rule candidates + logistic-regression classifier, TDMSci negatives, corpus-context kind score, weights data/model/)"
CONFIG = Path(__file__).with_name("default.cfg")


@functools.lru_cache(maxsize=2)
def build_nlp(with_classifier: bool = True) -> Language:
    """The extraction pipeline of ``default.cfg`` (built once per process).

    ``with_classifier=False`` computes the candidates' features but loads no weights (training).

    >>> build_nlp().pipe_names
    ['kg_sentences', 'kg_gazetteer', 'kg_coined', 'kg_abbrev', 'kg_entities', 'kg_candidates', 'kg_classifier']
    """
    overrides = {} if with_classifier else {"components.kg_classifier.weights": ""}
    config = util.load_config(CONFIG, overrides=overrides, interpolate=True)
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.max_length = MAX_CHARS + 10
    return nlp


def release() -> None:
    """Free what the extraction holds between calls: the pipeline (:func:`build_nlp`: weights,
    gazetteer, corpus statistics) and the per-string feature caches (up to 65,536 entries
    each). The next extraction loads them again (about a second). :func:`kg.parallel.run_extraction`
    calls it after a big in-process run, so a build's later stages (entity resolution, the
    exports) reuse that memory instead of growing past it.

    >>> _ = build_nlp(); release(); build_nlp.cache_info().currsize
    0
    """
    import gc

    from . import features, lexicon

    build_nlp.cache_clear()
    features.clear_caches()
    lexicon.load.cache_clear()
    gc.collect()


def paper_text(paper: dict[str, Any]) -> str:
    """The analysed text of a paper: ``title + "\\n" + (abstract or "")``.

    >>> paper_text({"title": "T", "abstract": None})
    'T\\n'
    """
    title = paper.get("title") or ""
    abstract = paper.get("abstract") or ""
    if not isinstance(title, str):
        title = str(title)
    if not isinstance(abstract, str):
        abstract = str(abstract)
    return title.replace("\n", " ") + "\n" + abstract


class Extractor:
    """Finds named methods and benchmarks in papers (title + abstract).

    >>> ex = Extractor()
    >>> r = next(ex.extract_many([{"id": 1, "title": "LoRA for RoBERTa",
    ...     "abstract": "We propose GVFExplorer, a novel method that fine-tunes RoBERTa with LoRA. We evaluate it on D4RL."}]))
    >>> [(e["name"], e["role"]) for e in r["methods"]], [e["name"] for e in r["benchmarks"]]
    ([('LoRA', 'uses'), ('RoBERTa', 'uses'), ('GVFExplorer', 'proposes')], ['D4RL'])
    """

    version = EXTRACTOR_VERSION

    def __init__(self) -> None:
        self.nlp = build_nlp()

    def extract_many(self, papers: Iterable[dict[str, Any]], batch_size: int = 64) -> Iterator[dict]:
        """Yield ``{"id", "methods", "benchmarks"}`` per paper, in input order (deterministic)."""
        batch: list[dict] = []
        for paper in papers:
            batch.append(paper)
            if len(batch) >= batch_size:
                yield from self._extract_batch(batch)
                batch = []
        if batch:
            yield from self._extract_batch(batch)

    def _extract_batch(self, batch: list[dict[str, Any]]) -> list[dict]:
        """One batch inside a spaCy memory zone: the strings its docs add to the vocabulary are freed
        afterwards (the results hold only Python values), so a long run does not grow the vocabulary."""
        with self.nlp.memory_zone():
            docs = self.nlp.pipe([clean(paper_text(p)[:MAX_CHARS]) for p in batch], batch_size=len(batch))
            return [self._result(paper, doc) for paper, doc in zip(batch, docs)]

    @staticmethod
    def _result(paper: dict[str, Any], doc) -> dict:
        original = paper_text(paper)
        res = {"id": paper.get("id"), "methods": [], "benchmarks": []}
        for ent in doc._.kg_entities or ():
            kind = ent.pop("kind")
            ent["evidence"] = original[ent["start"]:ent["end"]]
            res["methods" if kind == "method" else "benchmarks"].append(
                {k: ent[k] for k in ("name", "aliases", "role", "evidence", "start", "end", "confidence")})
        return res

    def extract(self, paper: dict[str, Any]) -> dict:
        """Extract one paper (see :meth:`extract_many`).

        >>> Extractor().extract({"id": "x", "title": "", "abstract": None})
        {'id': 'x', 'methods': [], 'benchmarks': []}
        """
        return next(self.extract_many([paper]))


def extract(papers: Iterable[dict[str, Any]], batch_size: int = 64) -> list[dict]:
    """Convenience: extract a list of papers with a shared :class:`Extractor`.

    >>> extract([{"id": 1, "title": "Fine-tuning GPT-4", "abstract": ""}])[0]["methods"][0]["name"]
    'GPT-4'
    """
    return list(Extractor().extract_many(papers, batch_size=batch_size))
