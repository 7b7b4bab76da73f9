"""Listing readers: turn listing files of any supported format into :class:`kg.model.Record` s.

>>> FORMATS
('publications', 'daily', 'jsonl', 'json', 'csv', 'bibtex', 'openalex', 's2', 'arxiv', 'oai', 'csl', 'ris', 'pubmed')

See :mod:`kg.ingest.reader` for detection and error rules, :mod:`kg.ingest.text` for the two
scraped text formats, :mod:`kg.ingest.structured` for JSON/CSV/BibTeX, :mod:`kg.ingest.formats` for the files of
bibliographic systems (OpenAlex, Semantic Scholar, arXiv, OAI-PMH, CSL-JSON, RIS, PubMed),
:mod:`kg.ingest.ids` for identifiers and author-name cleaning and
:mod:`kg.ingest.names` for the title/author/abstract line classifier.
"""
from kg.ingest.reader import FORMATS, Listing, detect_format, expand_paths, read_listing, read_listings

__all__ = ["FORMATS", "Listing", "detect_format", "expand_paths", "read_listing", "read_listings"]
