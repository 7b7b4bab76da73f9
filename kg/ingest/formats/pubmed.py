"""PubMed E-utilities efetch XML (``https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi?db=pubmed&id=…&retmode=xml``),
a ``PubmedArticleSet``; also PubMed's "Save → PubMed XML" download.

Per ``PubmedArticle``: ``PMID``, ``ArticleTitle``, ``AbstractText`` (labelled sections joined
as "LABEL: text"), ``AuthorList/Author`` (ForeName LastName, or CollectiveName; an ORCID
``Identifier``), ``Journal/Title`` → venue, ``PubDate`` → year, DOI from ``ArticleIdList`` or
``ELocationID``.

>>> x = ('<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>T.</ArticleTitle>'
...      '<AuthorList><Author><LastName>Lee</LastName><ForeName>Ann</ForeName></Author></AuthorList></Article>'
...      '</MedlineCitation></PubmedArticle></PubmedArticleSet>')
>>> [(r.pmid, r.title, r.authors) for r in read(x, "f", "f", [], [])]
[('1', 'T.', ['Ann Lee'])]
"""
from __future__ import annotations

from kg.model import KGError, Record, collapse_ws
from kg.ingest.formats import child_text, children, local, new_record, parse_xml, where


def _abstract(article) -> str | None:
    parts = []
    for ab in children(article, "Abstract"):
        for t in children(ab, "AbstractText"):
            text = collapse_ws("".join(t.itertext()))
            if text:
                parts.append(f"{t.get('Label')}: {text}" if t.get("Label") else text)
    return " ".join(parts) or None


def _authors(article) -> list[tuple[str, dict]]:
    out = []
    for group in children(article, "AuthorList"):
        for a in children(group, "Author"):
            name = child_text(a, "CollectiveName") or " ".join(
                x for x in (child_text(a, "ForeName") or child_text(a, "Initials"), child_text(a, "LastName")) if x)
            orcid = next((collapse_ws(i.text or "") for i in children(a, "Identifier")
                          if (i.get("Source") or "").upper() == "ORCID"), None)
            out.append((name, {"orcid": orcid}))
    return out


def _year(article) -> str | None:
    for journal in children(article, "Journal"):
        for issue in children(journal, "JournalIssue"):
            for date in children(issue, "PubDate"):
                return child_text(date, "Year") or child_text(date, "MedlineDate")
    return None


def _doi(article, pubmed_data) -> str | None:
    if pubmed_data is not None:
        for ids in children(pubmed_data, "ArticleIdList"):
            for i in children(ids, "ArticleId"):
                if i.get("IdType") == "doi":
                    return i.text
    for e in children(article, "ELocationID"):
        if e.get("EIdType") == "doi":
            return e.text
    return None


def read(text: str, source: str, path: str, problems: list[str], notes: list[str]) -> list[Record]:
    """Records of a PubMed efetch XML file (see the module docstring)."""
    root = parse_xml(text, path)
    if local(root.tag) != "PubmedArticleSet":
        raise KGError(f"not a PubMed article set (root element <{local(root.tag)}>)", path)
    records: list[Record] = []
    for n, item in enumerate(root, 1):
        if local(item.tag) != "PubmedArticle":
            problems.append(f"{where(source, n)}: <{local(item.tag)}> is not a journal article; skipped")
            continue
        citation = next(iter(children(item, "MedlineCitation")), None)
        article = next(iter(children(citation, "Article")), None) if citation is not None else None
        if article is None:
            problems.append(f"{where(source, n)}: PubmedArticle without MedlineCitation/Article; skipped")
            continue
        pubmed_data = next(iter(children(item, "PubmedData")), None)
        journal = next(iter(children(article, "Journal")), None)
        pmid = child_text(citation, "PMID")
        rec = new_record(source, n, None, problems, title=child_text(article, "ArticleTitle"),
                         authors=_authors(article), abstract=_abstract(article), year=_year(article),
                         venue=child_text(journal, "Title") if journal is not None else None,
                         url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None,
                         doi=_doi(article, pubmed_data), pmid=pmid)
        if rec:
            records.append(rec)
    return records
