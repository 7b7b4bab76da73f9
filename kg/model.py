"""The data model shared by every stage: records, node/edge types, identity keys.

This is the only module every stage may import. It holds no I/O and no NLP.

Graph model (a :class:`networkx.DiGraph`)
-----------------------------------------
Nodes carry ``type`` (one of :data:`NODE_TYPES`) and a human ``label``:

========== ============================== ==================================================
type       id                             attributes
========== ============================== ==================================================
paper      ``paper:<title-slug>``         title, abstract, authors (ordered names), sources
                                          (file names), year, venue, url, doi, arxiv; when
                                          known: openalex, s2, pmid, author_ids
author     ``author:<name-key-slug>``     name (first spelling seen), key; when known: orcid,
                                          openalex, s2, aliases, possibly_several,
                                          coauthor_groups

method     ``method:<entity-key>``        name, aliases
benchmark  ``benchmark:<entity-key>``     name, aliases
========== ============================== ==================================================

Identifier attributes (set only when known, so graphs without them are unchanged):

* paper ``doi`` (lower case, no ``https://doi.org/`` / ``doi:`` prefix, no trailing dot),
  ``arxiv`` (no version: ``2401.01234``, ``hep-th/9901001``), ``openalex`` (``W2741809807``),
  ``s2`` (Semantic Scholar paperId), ``pmid``; ``author_ids``: one dict per entry of
  ``authors`` (same order) with the ids the listing gave for that author (may be empty);
* author ``orcid`` (``0000-0002-5577-3516``), ``openalex`` (``A5048491430``), ``s2``
  (authorId); ``aliases``: other spellings merged into the node (the same identifier, or an
  accent-only variant with a shared co-author);
  ``possibly_several`` (True) with ``coauthor_groups`` (n ≥ 2): the name's papers fall into n
  groups that share no co-author, so it may stand for several people.

As IRIs (for a later RDF export, see :func:`identifier_iris`): ``https://doi.org/<doi>``,
``https://arxiv.org/abs/<arxiv>``, ``https://openalex.org/<W…|A…>``,
``https://www.semanticscholar.org/paper/<s2>`` and ``…/author/<s2>``,
``https://pubmed.ncbi.nlm.nih.gov/<pmid>``, ``https://orcid.org/<orcid>``.

Edges point from the paper outwards and carry ``type``:

* ``author``  paper → author, with ``position`` (0-based author order);
* ``proposes`` / ``uses``  paper → method|benchmark, with ``evidence`` (sentence),
  ``start``/``end`` (character offsets of the mention in the title+abstract text),
  ``confidence`` and ``surface`` (the form written in this paper); an edge standing for several
  mentions of one entity in the paper ("Neural Radiance Field, or NeRF") also lists each of
  them as found in ``mentions`` (dicts of the same keys), so that re-resolving the graph
  (``kg add``) sees what a build from scratch sees. In memory, an ``evidence`` that is the
  paper's text at ``start:end`` (:func:`mention_text`) is held as :data:`AT_OFFSETS` (the
  sentence is not copied); :func:`with_evidence` gives the attributes with the sentence, and
  every file (graph.json, graph.sqlite, RDF, HTML) is written with it.
* Authorship edges with equal attributes share one read-only dict
  (:class:`kg.persist.SharedAttrs`): copy the graph to change them.

Co-authorship is not stored: it is derived from shared papers (see :mod:`kg.query`).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

PAPER, AUTHOR, METHOD, BENCHMARK = "paper", "author", "method", "benchmark"
NODE_TYPES = (PAPER, AUTHOR, METHOD, BENCHMARK)
AUTHORED, PROPOSES, USES = "author", "proposes", "uses"
EDGE_TYPES = (AUTHORED, PROPOSES, USES)
OPTIONAL_FIELDS = ("year", "venue", "url", "doi", "arxiv")
#: Paper identifiers beyond ``doi``/``arxiv``: node attributes only when set.
EXTRA_PAPER_IDS = ("openalex", "s2", "pmid")
PAPER_IDS = ("doi", "arxiv", *EXTRA_PAPER_IDS)
#: Author identifiers (keys of the ``author_ids`` dicts and author node attributes).
AUTHOR_IDS = ("orcid", "openalex", "s2")
_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"[\W_]+")


def skipped_records(problems: list[str]) -> list[str]:
    """The problems that dropped a record: by the readers' convention a problem line that
    drops its record ends with "skipped"; the others say what was repaired or ignored.

    >>> skipped_records(["a.csv:3: record without a title; skipped", "a.csv:5: bad year; year ignored"])
    ['a.csv:3: record without a title; skipped']
    """
    return [p for p in problems if p.endswith("skipped")]


class KGError(Exception):
    """A user-facing error: printed as one line, exit code 2, never a traceback."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message, self.path, self.line = message, path, line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message



class ParameterError(KGError, ValueError):
    """A bad value of one or more parameters of a library function. The message is a
    *template* naming each parameter as ``{name}`` (filled with the parameter's own name, plus
    any *values*); :meth:`renamed` gives the same error naming a command line's options
    instead, so library code names its parameters and the CLI its flags.

    >>> e = ParameterError("{radius} needs {focus}", "radius", "focus")
    >>> str(e), str(e.renamed({"radius": "--radius", "focus": "--focus"}))
    ('radius needs focus', '--radius needs --focus')
    """

    #: parameter names a subclass's templates may use (when none are given)
    params: tuple[str, ...] = ()

    def __init__(self, template: str, *params: str, **values: Any):
        self.template, self.values = template, values
        self.params = params or type(self).params
        super().__init__(self._text({}))

    def _text(self, names: dict[str, str]) -> str:
        return self.template.format(**{p: names.get(p, p) for p in self.params}, **self.values)

    def renamed(self, names: dict[str, str]) -> KGError:
        """The same error naming parameter *p* as ``names[p]`` (others keep their name)."""
        return KGError(self._text(names))

    for_options = renamed

    def __reduce__(self):  # pickle the template and values, not the filled-in message
        return _rebuild_parameter_error, (type(self), self.template, self.params, self.values)


def _rebuild_parameter_error(cls, template, params, values):
    return cls(template, *params, **values)


@dataclass
class Record:
    """One paper as listed in one source file (before identity resolution)."""

    title: str
    authors: list[str] = field(default_factory=list)
    abstract: str | None = None
    source: str = ""
    year: int | None = None
    venue: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    line: int | None = None  # line (1-based) in the source where the record starts
    openalex: str | None = None
    s2: str | None = None
    pmid: str | None = None
    #: per author (same order as ``authors``) the ids given for them: orcid, openalex, s2
    author_ids: list[dict[str, str]] = field(default_factory=list)
    #: the listing's full identity (:func:`kg.ingest.reader.source_identity`: its path relative
    #: to the working directory, ``/``-separated); ``source`` stays the file name
    source_path: str = ""

    @property
    def source_key(self) -> str:
        """What the graph keys the record's listing by: ``source_path``, else ``source``.

        >>> Record("T", source="a.jsonl").source_key, Record("T", source="a.jsonl", source_path="x/a.jsonl").source_key
        ('a.jsonl', 'x/a.jsonl')
        """
        return self.source_path or self.source

    def to_dict(self) -> dict[str, Any]:
        """The ``kg parse`` JSON form: the four core keys (``source`` the file name) plus the
        optional fields and identifiers set; ``author_ids`` (aligned with ``authors``) only when
        some author has one; ``source_path`` (the listing's full identity) last, when set.

        >>> Record("T", ["A B"], source="f", s2="abc", author_ids=[{"orcid": "0000-0002-5577-3516"}]).to_dict()
        {'title': 'T', 'authors': ['A B'], 'abstract': None, 'source': 'f', 's2': 'abc', 'author_ids': [{'orcid': '0000-0002-5577-3516'}]}
        """
        d = asdict(self)
        out = {k: d[k] for k in ("title", "authors", "abstract", "source")}
        out.update({k: d[k] for k in (*OPTIONAL_FIELDS, *EXTRA_PAPER_IDS) if d[k] not in (None, "")})
        if any(self.author_ids):
            out["author_ids"] = self.aligned_author_ids()
        if self.source_path:
            out["source_path"] = self.source_path
        return out

    def aligned_author_ids(self) -> list[dict[str, str]]:
        """``author_ids`` padded or cut to the length of ``authors``.

        >>> Record("T", ["A", "B"], author_ids=[{"s2": "1"}]).aligned_author_ids()
        [{'s2': '1'}, {}]
        """
        ids = [dict(x) for x in self.author_ids[: len(self.authors)]]
        return ids + [{} for _ in range(len(self.authors) - len(ids))]


_IRI = {
    PAPER: (("doi", "https://doi.org/"), ("arxiv", "https://arxiv.org/abs/"), ("openalex", "https://openalex.org/"),
            ("s2", "https://www.semanticscholar.org/paper/"), ("pmid", "https://pubmed.ncbi.nlm.nih.gov/")),
    AUTHOR: (("orcid", "https://orcid.org/"), ("openalex", "https://openalex.org/"),
             ("s2", "https://www.semanticscholar.org/author/")),
}


def identifier_iris(attrs: dict[str, Any]) -> list[str]:
    """The identifier IRIs of a paper or author node (its attribute dict), in a fixed order:
    what an exporter links with ``schema:sameAs``.

    >>> identifier_iris({"type": "paper", "doi": "10.7717/peerj.4375", "openalex": "W2741809807"})
    ['https://doi.org/10.7717/peerj.4375', 'https://openalex.org/W2741809807']
    >>> identifier_iris({"type": "author", "orcid": "0000-0003-1613-5981"}), identifier_iris({"type": "method"})
    (['https://orcid.org/0000-0003-1613-5981'], [])
    """
    return [base + str(attrs[k]) for k, base in _IRI.get(attrs.get("type"), ()) if attrs.get(k)]


def collapse_ws(text: str) -> str:
    """Collapse runs of whitespace to one space and strip.

    >>> collapse_ws("  a \\n b\\t c ")
    'a b c'
    """
    return " ".join(text.split())


def title_key(title: str) -> str:
    """The identity key of a title: Unicode-folded, case-folded, punctuation-free.

    >>> title_key("EDT: An Efficient  Diffusion-Transformer") == title_key("edt an efficient diffusion transformer")
    True
    """
    t = title
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    return " ".join(_WORD.findall(t.casefold()))


def author_key(name: str) -> str:
    """The identity key of an author name.

    Rule: Unicode NFKC, case-folded, punctuation (full stops, hyphens, apostrophes, brackets)
    read as a space, whitespace collapsed. So "P. Vincent" = "P Vincent", "Yee-Whye Teh" =
    "Yee Whye Teh", "Marc'Aurelio" = "Marc’Aurelio": spellings that differ only in punctuation
    are one author. Spellings that differ in letters ("Kianté" / "Kiante", "Weilong" /
    "Wei-Long") stay apart: the text alone cannot tell them from different people.

    >>> author_key("P.  Vincent") == author_key("p vincent") == author_key("P-Vincent")
    True
    >>> author_key("Kianté Brantley") == author_key("Kiante Brantley")
    False

    A name with no letter or digit at all ("!!!", "🚀") keys as written (NFKC, spacing
    collapsed), so that two such names are two authors, not one empty key:

    >>> author_key("!!!"), author_key("🚀") != author_key("!!!")
    ('!!!', True)
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    n = " ".join(_NON_WORD.sub(" ", folded).split())
    return n or " ".join(folded.split())


def accent_key(name: str) -> str:
    """:func:`author_key` with accents removed: the key under which spellings that differ
    only by accents meet ("René Vidal" / "Rene Vidal", "Mądry" / "Madry"). :mod:`kg.graph`
    merges such spellings only when they also share a co-author.

    >>> accent_key("René  Vidal") == accent_key("Rene Vidal") == accent_key("RENE VIDAL")
    True
    """
    k = author_key(name)
    if k.isascii():
        return k
    return "".join(c for c in unicodedata.normalize("NFKD", k) if not unicodedata.combining(c))


def entity_key(name: str) -> str:
    """The identity key of a method or benchmark name: letters and digits only, case-folded.

    >>> entity_key("Llama 2") == entity_key("LLaMA-2") == entity_key("llama2")
    True
    """
    n = name
    if not n.isascii():
        n = "".join(c for c in unicodedata.normalize("NFKD", n) if not unicodedata.combining(c))
    return _NON_WORD.sub("", n.casefold())


def _slug(key: str, limit: int = 80) -> str:
    s = _NON_WORD.sub("-", key).strip("-")
    if len(s) > limit:
        s = s[: limit - 9].rstrip("-") + "-" + hashlib.sha1(key.encode()).hexdigest()[:8]
    return s or hashlib.sha1(key.encode()).hexdigest()[:8]


def paper_id(title: str) -> str:
    """Stable node id of a paper, from its title key.

    >>> paper_id("4+3 Phases of Compute-Optimal Neural Scaling Laws")
    'paper:4-3-phases-of-compute-optimal-neural-scaling-laws'
    """
    return f"{PAPER}:{_slug(title_key(title))}"


def author_id(name: str) -> str:
    """Stable node id of an author.

    >>> author_id("Xue Liu")
    'author:xue-liu'
    """
    return f"{AUTHOR}:{_slug(author_key(name))}"


def entity_id(kind: str, key: str) -> str:
    """Stable node id of a method or benchmark from its canonical key.

    >>> entity_id("method", entity_key("Llama 2"))
    'method:llama2'
    """
    if kind not in (METHOD, BENCHMARK):
        raise ValueError(f"not an entity kind: {kind!r}")
    return f"{kind}:{_slug(key)}"


# --------------------------------------------------------------------------- evidence as offsets
def mention_text(paper: dict[str, Any]) -> str:
    """The text a paper's mentions point into: ``title + "\\n" + abstract``, as the extractor
    analyses it (:func:`kg.extract.extractor.paper_text`); a mention's evidence is
    ``mention_text(paper)[start:end]``.

    >>> mention_text({"title": "A\\nB", "abstract": None})
    'A B\\n'
    """
    title, abstract = paper.get("title") or "", paper.get("abstract") or ""
    return (title if isinstance(title, str) else str(title)).replace("\n", " ") + "\n" + \
        (abstract if isinstance(abstract, str) else str(abstract))


class _AtOffsets:
    """The value of ``evidence`` in a graph that holds it as offsets (:data:`AT_OFFSETS`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "AT_OFFSETS"

    def __reduce__(self):
        return "AT_OFFSETS"


#: ``evidence`` of a mention whose sentence is the paper's text at ``start:end``: the sentence
#: is held once, in the title and abstract; :func:`with_evidence` puts it back for readers
AT_OFFSETS = _AtOffsets()


def with_evidence(paper: dict[str, Any], e: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    """The attributes *e* of a ``proposes``/``uses`` edge from *paper* (its node attributes) as
    written to files: with the ``evidence`` sentence, also in each of its ``mentions``. A graph
    holds the evidence as offsets (:data:`AT_OFFSETS`, see :func:`lean_mention`) when it is the
    paper's text at ``start:end``; then a copy with the sentence is returned, else *e* itself.

    >>> p = {"title": "T", "abstract": "We use Adam."}
    >>> e = {"type": "uses", "evidence": AT_OFFSETS, "start": 2, "end": 14}
    >>> with_evidence(p, e)
    {'type': 'uses', 'evidence': 'We use Adam.', 'start': 2, 'end': 14}
    """
    ms = e.get("mentions")
    if e.get("evidence") is not AT_OFFSETS and not (ms and any(m.get("evidence") is AT_OFFSETS for m in ms)):
        return e
    text = mention_text(paper) if text is None else text
    out = _put_evidence(e, text)
    if ms:
        out["mentions"] = [_put_evidence(m, text) for m in ms]
    return out


def _put_evidence(e: dict[str, Any], text: str) -> dict[str, Any]:
    if e.get("evidence") is not AT_OFFSETS:
        return dict(e)
    out = dict(e)
    out["evidence"] = text[e["start"]:e["end"]]
    return out


def lean_mention(e: dict[str, Any], text: str) -> None:
    """Set, in place, the ``evidence`` of the mention attributes *e* (and of its ``mentions``)
    to :data:`AT_OFFSETS` where it is ``text[start:end]`` (*text*: :func:`mention_text` of the
    paper): the sentence is then held once, in the abstract.

    >>> e = {"type": "uses", "evidence": "We use Adam.", "start": 2, "end": 14}
    >>> lean_mention(e, "T\\nWe use Adam."); e
    {'type': 'uses', 'evidence': AT_OFFSETS, 'start': 2, 'end': 14}
    """
    for m in (e, *(e.get("mentions") or ())):
        ev, a, b = m.get("evidence"), m.get("start"), m.get("end")
        if type(ev) is str and type(a) is int and type(b) is int and 0 <= a <= b and ev == text[a:b]:
            m["evidence"] = AT_OFFSETS
