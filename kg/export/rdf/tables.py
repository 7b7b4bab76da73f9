"""The vocabulary terms and tables of the RDF export, as :mod:`~.terms` values: which node type
becomes which classes, which attribute which predicate (the table is in ``docs/rdf.md``). The
writer (:mod:`~.mapping`) and the reader (:mod:`~.reader`) share them.

>>> NODE_ATTRS["author"][:2] == (("label", LABEL), ("name", NAME))
True
"""
from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from ...model import AUTHOR, BENCHMARK, METHOD, OPTIONAL_FIELDS, PAPER, PROPOSES, USES
from ..vocab import DCAT, DCTERMS, KG, PROV, RDF, RDFS, SDO, VOID
from .terms import IRI, Term, literal

# --------------------------------------------------------------------------- vocabulary terms
TYPE, ID, LABEL = IRI(RDF.type), IRI(DCTERMS.identifier), IRI(RDFS.label)
ARTICLE, PERSON, DATASET = IRI(SDO.ScholarlyArticle), IRI(SDO.Person), IRI(SDO.Dataset)
NAME, ABSTRACT, DATE, URL = IRI(SDO.name), IRI(SDO.abstract), IRI(SDO.datePublished), IRI(SDO.url)
AUTHOR_OF, ALT_NAME, VERSION = IRI(SDO.author), IRI(SDO.alternateName), IRI(SDO.softwareVersion)
DERIVED, ATTRIBUTED, AGENT = IRI(PROV.wasDerivedFrom), IRI(PROV.wasAttributedTo), IRI(PROV.SoftwareAgent)
R_SUBJECT, R_PREDICATE, R_OBJECT = IRI(RDF.subject), IRI(RDF.predicate), IRI(RDF.object)
SAME_AS, IDENTIFIER, PART_OF = IRI(SDO.sameAs), IRI(SDO.identifier), IRI(SDO.isPartOf)
DEFINED_TERM, TERM_SET, IN_TERM_SET = IRI(SDO.DefinedTerm), IRI(SDO.DefinedTermSet), IRI(SDO.inDefinedTermSet)
SERIES = IRI(SDO.CreativeWorkSeries)
V_DATASET, V_ENTITIES, V_CLASS, V_PARTITION = (IRI(VOID.Dataset), IRI(VOID.entities), IRI(VOID["class"]),
                                               IRI(VOID.classPartition))
D_DATASET, CREATED, CONFORMS = IRI(DCAT.Dataset), IRI(DCTERMS.created), IRI(DCTERMS.conformsTo)
LICENSE = IRI(DCTERMS.license)
#: The project ontology's terms as IRIs: ``K.Mention``, ``K.authorship``, ...
K = SimpleNamespace(**{name: IRI(KG[name]) for name in KG.__annotations__})
#: Every vocabulary term the export writes (the writers give them prefixed names).
VOCABULARY = (TYPE, ID, LABEL, ARTICLE, PERSON, DATASET, NAME, ABSTRACT, DATE, URL, AUTHOR_OF,
              ALT_NAME, VERSION, DERIVED, ATTRIBUTED, AGENT, R_SUBJECT, R_PREDICATE, R_OBJECT,
              SAME_AS, IDENTIFIER, PART_OF, DEFINED_TERM, TERM_SET, IN_TERM_SET, SERIES, V_DATASET,
              V_ENTITIES, V_CLASS, V_PARTITION, D_DATASET, CREATED, CONFORMS, *vars(K).values())

# --------------------------------------------------------------------------- the tables
ROLE_PRED = {PROPOSES: K.proposes, USES: K.uses}
PRED_ROLE = {v: k for k, v in ROLE_PRED.items()}
TYPE_CLASSES = {PAPER: (ARTICLE,), AUTHOR: (PERSON,), METHOD: (K.Method, DEFINED_TERM),
                BENCHMARK: (K.Benchmark, DATASET)}
#: class -> node type, for reading (``kg:Node``: a node of another type, in ``kg:nodeType``)
CLASS_TYPE = {ARTICLE: PAPER, PERSON: AUTHOR, K.Method: METHOD, K.Benchmark: BENCHMARK, K.Node: None}
_ENTITY_ATTRS = (("label", LABEL), ("name", NAME), ("key", K.key))
#: node attribute -> predicate, per node type (order = order of the triples)
NODE_ATTRS = {PAPER: (("label", LABEL), ("title", NAME), ("abstract", ABSTRACT), ("year", DATE),
                      ("venue", PART_OF), ("url", URL), ("doi", K.doi), ("arxiv", K.arxiv),
                      ("openalex", K.openalex), ("s2", K.s2), ("pmid", K.pmid)),
              AUTHOR: (*_ENTITY_ATTRS, ("orcid", K.orcid), ("openalex", K.openalex), ("s2", K.s2)),
              METHOD: _ENTITY_ATTRS, BENCHMARK: _ENTITY_ATTRS,
              None: (("label", LABEL),)}
PAPER_DEFAULTS = ("abstract", *OPTIONAL_FIELDS)  # keys every paper has (None when unknown)
MENTION_ATTRS = (("surface", K.surface), ("evidence", K.evidence), ("start", K.start),
                 ("end", K.end), ("confidence", K.confidence))
GRAPH_ATTRS = (("format", K.format), ("kg_version", K.kgVersion), ("extractor_version", K.extractorVersion))
MENTION_KEYS = frozenset(["type", "aliases", *dict(MENTION_ATTRS)])
HANDLED = {t: frozenset(["type", *dict(attrs)] + (["authors", "sources"] if t == PAPER else [])
                         + (["aliases"] if t in (METHOD, BENCHMARK) else []))
            for t, attrs in NODE_ATTRS.items()}
TYPE_PAIRS = {t: [(TYPE, c) for c in cs] for t, cs in [*TYPE_CLASSES.items(), (None, (K.Node,))]}
AUTHORSHIP = (TYPE, K.Authorship)
POSITIONS = [(K.position, literal(i + 1)) for i in range(999)]  # 1-based; the pairs of most entries
#: identifier attribute -> the prefix of its ``schema:identifier`` value (``doi:10.1/x``)
ID_SCHEMES = ("doi", "arxiv", "openalex", "s2", "pmid", "orcid")
ID_KEYS = {PAPER: ("doi", "arxiv", "openalex", "s2", "pmid"), AUTHOR: ("orcid", "openalex", "s2")}
EDGES_KEY = "__kg_edges__"  # graph-level extra: edges of types the vocabulary has no term for

Pair = tuple[IRI, Term]
Block = tuple[IRI, list[Pair], tuple[IRI, ...]]  # subject, [(predicate, object)], named graphs


def to_json(v: Any) -> str:
    """The JSON of a ``kg:extraAttributes`` value (sorted keys, compact, UTF-8 kept).

    >>> to_json({"b": [1, "é"], "a": None})
    '{"a":null,"b":[1,"é"]}'
    """
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
