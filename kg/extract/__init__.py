"""Named methods and benchmarks from paper titles and abstracts (issue 4).

``Extractor().extract_many(papers)`` yields per paper ``{"id", "methods", "benchmarks"}``;
:func:`resolve` gives entities of all papers a shared identity key. See ``docs/extraction.md``.
"""
from .extractor import EXTRACTOR_VERSION, Extractor, extract
from .resolve import resolve

__all__ = ["EXTRACTOR_VERSION", "Extractor", "extract", "resolve"]
