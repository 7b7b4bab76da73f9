"""Readers of the files bibliographic systems write, checked against the files' own content.

Expectations are computed from the raw files here (json.load, a plain ElementTree walk, a
line-by-line RIS split), independently of the readers in kg/ingest/formats.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from kg.ingest import detect_format, read_listing
from kg.model import KGError

from .conftest import SHARED, TEST_DATA, NEEDS_SHARED

FIXTURES = SHARED / "data" / "formats"
LOCAL = TEST_DATA / "formats"
DETECTED = {
    "openalex-work-W2741809807.json": "openalex", "s2-graph-author-with-papers.json": "s2",
    "s2-open-research-corpus.jsonl": "s2", "arxiv-api-atom-2016.xml": "arxiv",
    "arxiv-api-atom-2026.recorded.json": "arxiv", "arxiv-oai-arxivraw.xml": "oai",
    "zotero.csl.json": "csl", "better-bibtex.csl.json": "csl", "crossref.csl.json": "csl",
    "zotero.ris": "ris", "scopus.ris": "ris", "pubmed-efetch.xml": "pubmed",
}


def ws(s):
    return " ".join(s.split()) if isinstance(s, str) and s.strip() else None


def fixture(name):
    """The shared fixture, or its copy in tests/data/formats (bare clone), or skip."""
    if (FIXTURES / name).is_file():
        return FIXTURES / name
    if (LOCAL / name).is_file():
        return LOCAL / name
    pytest.skip(NEEDS_SHARED)


def doi(s):
    s = (s or "").strip().lower()
    for prefix in ("https://doi.org/", "http://dx.doi.org/", "http://doi.org/"):
        if s.startswith(prefix):
            s = s[len(prefix):]
    return s.rstrip(".") or None


def check(records, expected):
    """Compare records with expected dicts (title, authors, abstract and any id keys given)."""
    assert len(records) == len(expected)
    for rec, exp in zip(records, expected):
        got = {k: getattr(rec, k) for k in exp}
        assert got == exp, (rec.title, {k: (got[k], exp[k]) for k in exp if got[k] != exp[k]})


@pytest.mark.parametrize("name", sorted(DETECTED))
def test_detected_by_content(name):
    assert detect_format(fixture(name)) == DETECTED[name]


def test_openalex_work():
    path = fixture("openalex-work-W2741809807.json")
    w = json.loads(path.read_text(encoding="utf-8"))
    words = sorted((p, word) for word, ps in w["abstract_inverted_index"].items() for p in ps)
    listing = read_listing(path)
    check(listing.records, [{
        "title": w["display_name"], "authors": [a["author"]["display_name"] for a in w["authorships"]],
        "abstract": " ".join(word for _, word in words), "doi": doi(w["doi"]),
        "openalex": w["id"].rsplit("/", 1)[1], "pmid": w["ids"]["pmid"].rstrip("/").rsplit("/", 1)[1],
        "year": w["publication_year"],
    }])
    ids = listing.records[0].author_ids
    assert [i["orcid"] for i in ids] == [a["author"]["orcid"].rsplit("/", 1)[1] for a in w["authorships"]]
    assert [i["openalex"] for i in ids] == [a["author"]["id"].rsplit("/", 1)[1] for a in w["authorships"]]


def test_openalex_works_page_and_snapshot_lines(tmp_path):
    w = json.loads(fixture("openalex-work-W2741809807.json").read_text(encoding="utf-8"))
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"meta": {"count": 3, "page": 1, "per_page": 2}, "results": [w, w]}))
    listing = read_listing(page)
    assert listing.format == "openalex" and len(listing.records) == 2
    assert any("more pages exist" in n for n in listing.notes)
    lines = tmp_path / "works.jsonl"
    lines.write_text(json.dumps(w) + "\n" + json.dumps({**w, "id": "https://openalex.org/W1"}) + "\n")
    listing = read_listing(lines)
    assert listing.format == "openalex" and [r.openalex for r in listing.records] == ["W2741809807", "W1"]
    assert [r.line for r in listing.records] == [1, 2]


def s2_expected(p, fallback=None):
    ext = p.get("externalIds") or {}
    authors = p.get("authors")
    return {"title": ws(p["title"]), "authors": [a["name"] for a in authors] if authors is not None else fallback,
            "abstract": ws(p.get("abstract") or p.get("paperAbstract")), "s2": p.get("paperId") or p.get("id"),
            "doi": doi(ext.get("DOI") or p.get("doi"))}


def test_s2_author_with_papers():
    data = json.loads(fixture("s2-graph-author-with-papers.json").read_text(encoding="utf-8"))
    listing = read_listing(fixture("s2-graph-author-with-papers.json"))
    check(listing.records, [s2_expected(p) for p in data["papers"]])
    assert sum(1 for r in listing.records if r.abstract) == 34
    assert all({"s2": data["authorId"]} in r.author_ids for r in listing.records)


def test_s2_open_research_corpus():
    path = fixture("s2-open-research-corpus.jsonl")
    rows = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    listing = read_listing(path)
    check(listing.records, [s2_expected(p) for p in rows])
    assert sum(1 for r in listing.records if r.abstract) == 61
    assert [[i.get("s2") for i in r.author_ids] for r in listing.records] == \
        [[(a["ids"] or [None])[0] for a in p["authors"]] for p in rows]


def test_s2_batch_and_search_pages(tmp_path):
    papers = json.loads(fixture("s2-graph-author-with-papers.json").read_text(encoding="utf-8"))["papers"][:3]
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([papers[0], None, papers[1]]))
    listing = read_listing(batch)
    assert listing.format == "s2" and [r.s2 for r in listing.records] == [papers[0]["paperId"], papers[1]["paperId"]]
    assert listing.problems == ["batch.json: record 2: null entry (an id Semantic Scholar did not find); skipped"]
    search = tmp_path / "search.json"
    search.write_text(json.dumps({"total": 90, "offset": 0, "next": 3, "data": papers}))
    listing = read_listing(search)
    assert len(listing.records) == 3 and "more pages exist" in listing.notes[0]


NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


def atom_expected(xml_text, repair=False):
    fix = (lambda s: s.encode("latin-1").decode("utf-8")) if repair else (lambda s: s)
    out = []
    for e in ET.fromstring(xml_text).findall("a:entry", NS):
        ident = e.find("a:id", NS).text
        d = e.find("arxiv:doi", NS)
        out.append({"title": ws(fix(e.find("a:title", NS).text)),
                    "authors": [ws(fix(a.find("a:name", NS).text)) for a in e.findall("a:author", NS)],
                    "abstract": ws(fix(e.find("a:summary", NS).text)),
                    "arxiv": re.sub(r"v\d+$", "", ident.split("/abs/", 1)[1]),
                    "doi": doi(d.text) if d is not None else None})
    return out


def test_arxiv_atom_2016():
    path = fixture("arxiv-api-atom-2016.xml")
    listing = read_listing(path)
    check(listing.records, atom_expected(path.read_text(encoding="utf-8")))
    assert "cond-mat/0412498" in [r.arxiv for r in listing.records]  # old-style id, version stripped
    assert "more pages exist" in listing.notes[0]  # 31 results, 10 in the file


def test_arxiv_atom_recorded_response():
    path = fixture("arxiv-api-atom-2026.recorded.json")
    body = json.loads(path.read_text(encoding="utf-8"))["body"]
    listing = read_listing(path)
    check(listing.records, atom_expected(body, repair=True))
    assert "José Raúl Romero" in listing.records[1].authors


def test_oai_arxivraw_page():
    path = fixture("arxiv-oai-arxivraw.xml")
    ns = {"o": "http://www.openarchives.org/OAI/2.0/", "r": "http://arxiv.org/OAI/arXivRaw/"}
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    expected = []
    for raw in root.iter("{http://arxiv.org/OAI/arXivRaw/}arXivRaw"):
        names = re.split(r",\s*(?:and\s+)?|\s+and\s+", ws(raw.find("r:authors", ns).text))
        d = raw.find("r:doi", ns)
        expected.append({"title": ws(raw.find("r:title", ns).text), "authors": names,
                         "abstract": ws(raw.find("r:abstract", ns).text), "arxiv": raw.find("r:id", ns).text,
                         "doi": doi(d.text.split()[0]) if d is not None else None})
    listing = read_listing(path)
    check(listing.records, expected)
    token = root.find(".//o:resumptionToken", ns).text
    assert len(listing.notes) == 1 and token in listing.notes[0] and "more pages exist" in listing.notes[0]


def csl_expected(item):
    names = [a.get("literal") or " ".join(x for x in (a.get("given"), a.get("family")) if x)
             for a in item.get("author", [])]
    title = item["title"][0] if isinstance(item["title"], list) else item["title"]
    full = item.get("URL", "") if "doi.org/10." in item.get("URL", "") else None
    return {"title": ws(title), "authors": names, "abstract": ws(item.get("abstract")),
            "doi": doi(full if (item.get("DOI") or "10/").startswith("10/") and full else item.get("DOI"))}


@pytest.mark.parametrize("name", ["zotero.csl.json", "better-bibtex.csl.json", "crossref.csl.json"])
def test_csl_json(name):
    path = fixture(name)
    items = json.loads(path.read_text(encoding="utf-8"))
    listing = read_listing(path)
    check(listing.records, [csl_expected(i) for i in items])
    if name == "crossref.csl.json":
        orcids = [i.get("orcid") for i in listing.records[0].author_ids]
        assert orcids == [a["ORCID"].rsplit("/", 1)[1] if "ORCID" in a else None for a in items[0]["author"]]
        assert sum(1 for o in orcids if o) == 36


def ris_expected(text):
    out, cur = [], None
    for line in text.splitlines():
        m = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
        if not m:
            continue
        tag, value = m.groups()
        if tag == "TY":
            cur = {"TI": None, "AU": [], "AB": None, "DO": None}
        elif tag == "ER":
            out.append({"title": ws(cur["TI"]), "abstract": ws(cur["AB"]), "doi": doi(cur["DO"]),
                        "authors": [f"{a.split(', ', 1)[1]} {a.split(', ', 1)[0]}" for a in cur["AU"]]})
        elif tag == "AU":
            cur["AU"].append(value.strip())
        elif tag in ("TI", "AB", "DO") and cur[tag] is None:
            cur[tag] = value
    return out


@pytest.mark.parametrize("name", ["zotero.ris", "scopus.ris"])
def test_ris(name):
    path = fixture(name)
    listing = read_listing(path)
    expected = ris_expected(path.read_text(encoding="utf-8"))
    check(listing.records, expected)
    assert listing.problems == [] and len(listing.records) == {"zotero.ris": 100, "scopus.ris": 6}[name]


def test_pubmed_efetch():
    path = fixture("pubmed-efetch.xml")
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    expected = []
    for art in root.findall("PubmedArticle"):
        a = art.find("MedlineCitation/Article")
        ids = {i.get("IdType"): i.text for i in art.findall("PubmedData/ArticleIdList/ArticleId")}
        expected.append({
            "title": ws("".join(a.find("ArticleTitle").itertext())),
            "authors": [f"{x.findtext('ForeName')} {x.findtext('LastName')}" for x in a.findall("AuthorList/Author")],
            "abstract": ws(" ".join("".join(t.itertext()) for t in a.findall("Abstract/AbstractText"))),
            "pmid": art.findtext("MedlineCitation/PMID"), "doi": doi(ids.get("doi"))})
    check(read_listing(path).records, expected)


# ---------------------------------------------------------------- refusals and bad input

def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<PubmedArticleSet><PubmedArticle>&lol2;</PubmedArticle></PubmedArticleSet>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&xxe;</title></entry></feed>')


@pytest.mark.parametrize("name,text,message", [
    ("bomb.xml", BOMB, "XML declares entities"),
    ("xxe.xml", EXTERNAL, "XML declares entities"),
    ("cut.xml", '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>\n</entry>', "XML is damaged"),
    ("page.html", "<html><body><p>Papers</p></body></html>", "unknown format"),
    ("err.json", '{"url": "u", "status_code": 503, "body": "<feed xmlns=\\"http://www.w3.org/2005/Atom\\"/>"}',
     "HTTP 503"),
    ("oai.xml", '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="badResumptionToken">'
     'expired</error></OAI-PMH>', "OAI-PMH error badResumptionToken"),
    ("w.jsonl", '{"id": "https://openalex.org/W1", "title": "A"}\n{oops\n', "JSON Lines line is not JSON"),
])
def test_unreadable_files_are_one_line_exit_2(tmp_path, capsys, name, text, message):
    from kg.cli import main

    p = write(tmp_path, name, text)
    assert main(["parse", str(p)]) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and len(cap.err.strip().splitlines()) == 1
    assert cap.err.startswith(f"kg: error: {p}") and message in cap.err and "Traceback" not in cap.err


def test_bad_records_are_skipped_and_reported(tmp_path):
    ris = write(tmp_path, "x.ris", "TY  - JOUR\nTI  - Good\nAU  - Lee, Ann\nER  - \n\nTY  - JOUR\nAU  - Wu, Bo\n"
                "ER  - \n\nTY  - JOUR\nTI  - Unclosed\n")
    listing = read_listing(ris)
    assert [r.title for r in listing.records] == ["Good"]
    assert sorted(listing.problems) == ["x.ris:10: RIS record not closed by 'ER  -'; skipped",
                                        "x.ris:6: record without a title; skipped"]
    csl = write(tmp_path, "x.json", '[\n{"type": "book", "title": "A", "author": [{"family": "Lee"}]},\n'
                '{"type": "book", "author": [{"family": "Wu"}]},\n{"type": "book", "title": "C", "author": "Wu"}\n]')
    listing = read_listing(csl)
    assert [r.title for r in listing.records] == ["A"]
    assert listing.problems == ["x.json:3: record without a title; skipped",
                                "x.json:4: author is not a list of names; skipped"]


def test_text_listing_readers_refuse_other_formats(tmp_path):
    """zotero.ris used to be read as a 'daily' listing (2,555 junk papers), the OAI page as 112."""
    oai = write(tmp_path, "o.txt", fixture("arxiv-oai-arxivraw.xml").read_text(encoding="utf-8"))
    assert detect_format(oai) == "oai" and len(read_listing(oai).records) == 6
    if (FIXTURES / "zotero.ris").is_file():
        ris = write(tmp_path, "z.txt", (FIXTURES / "zotero.ris").read_text(encoding="utf-8"))
        assert detect_format(ris) == "ris" and len(read_listing(ris).records) == 100
    tagged = write(tmp_path, "m.txt", "TY  - JOUR\n".join(
        f"XX  - line {i}\nTI  - Title {i}\n" + "AB  - We study things and show results. " * 5 + "\n" for i in range(5)))
    with pytest.raises(KGError, match="unknown listing format"):
        read_listing(tagged)
    if (FIXTURES / "README.md").is_file():
        with pytest.raises(KGError, match="unknown listing format"):
            read_listing(FIXTURES / "README.md")


def test_format_override(tmp_path):
    p = write(tmp_path, "refs.txt", fixture("zotero.csl.json").read_text(encoding="utf-8"))
    assert read_listing(p, fmt="csl").format == "csl"
    with pytest.raises(KGError):
        read_listing(p, fmt="ris")  # not a RIS file: fatal, not silently empty


def test_cli_parse_prints_ids_and_notes():
    import subprocess
    import sys

    path = fixture("arxiv-oai-arxivraw.xml")
    res = subprocess.run([sys.executable, "-m", "kg", "parse", str(path)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(l) for l in res.stdout.splitlines()]
    assert rows[0]["arxiv"] == "0704.0471" and rows[0]["doi"] == "10.1103/physrevc.76.024606"
    assert "kg: note:" in res.stderr and "resumptionToken" in res.stderr


def test_bad_api_records_are_skipped_and_reported(tmp_path):
    page = write(tmp_path, "oa.json", json.dumps({"meta": {"count": 2}, "results": [
        {"id": "https://openalex.org/W1", "display_name": "A", "authorships": []}, "junk",
        {"id": "https://openalex.org/W2", "display_name": None, "authorships": []}]}))
    listing = read_listing(page)
    assert [r.openalex for r in listing.records] == ["W1"]
    assert listing.problems == ["oa.json: record 2: work is a str, not an object; skipped",
                                "oa.json: record 3: record without a title; skipped"]
    s2 = write(tmp_path, "s2.jsonl", '{"paperId": "a", "title": "A"}\n{"paperId": "b", "title": ""}\n')
    listing = read_listing(s2)
    assert [r.s2 for r in listing.records] == ["a"] and listing.problems == ["s2.jsonl:2: record without a title; skipped"]
    feed = write(tmp_path, "err.xml", '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#x'
                 '</id><title>Error</title><summary>incorrect id format for 1234</summary></entry>'
                 '<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>Fine</title></entry></feed>')
    listing = read_listing(feed)
    assert [r.arxiv for r in listing.records] == ["2401.00001"]
    assert listing.problems == ["err.xml: record 1: arXiv API error: incorrect id format for 1234; skipped"]


def test_cli_build_all_fixtures_with_seeds_and_warnings(tmp_path):
    import subprocess
    import sys

    from .conftest import SEEDS

    if not FIXTURES.is_dir():
        pytest.skip(NEEDS_SHARED)
    same = [write(tmp_path, f"{n}.jsonl", json.dumps({"title": "Attention", "authors": a, "abstract": ab}))
            for n, a, ab in [("a", ["Ann Lee"], "Vision."), ("b", ["Bo Wu"], "Psychology.")]]
    inputs = [str(p) for p in sorted(FIXTURES.iterdir()) if p.name != "README.md"]
    res = subprocess.run([sys.executable, "-m", "kg", "build", *inputs, str(SEEDS), *map(str, same),
                          str(LOCAL / "state-of-oa.ris"), "--out", str(tmp_path / "out"), "--no-extract",
                          "--only-json", "--json"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["papers"] > 700 and summary["skipped_records"] == 0
    assert "kg: warning: b.jsonl:1: 'Attention' has the title of" in res.stderr
    assert "more pages exist" in res.stderr
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    oa = [n for n in graph["nodes"] if n.get("doi") == "10.7717/peerj.4375"]
    assert len(oa) == 1 and [s.rsplit("/", 1)[-1] for s in oa[0]["sources"]] == ["openalex-work-W2741809807.json",
                                                                       "state-of-oa.ris"]
