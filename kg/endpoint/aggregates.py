"""The questions over every paper that a SPARQL store answers with aggregates (``GROUP BY`` /
``COUNT(DISTINCT …)``): the most used methods or benchmarks, authors by degree, and what
co-occurs with a method or benchmark. The store counts; the rows are then named and ordered
exactly as :mod:`kg.query` orders them (ties broken the same way: by count, then by the name
case-folded, then by node id), so the answers are the in-memory ones.
"""
from __future__ import annotations

import math
import re

from ..model import AUTHOR, PROPOSES, USES
from ..query.centrality import MEASURES
from ..query.concepts import ENTITY_TYPES, ROLES
from ..query.exceptions import BadArgument
from .client import Endpoint, iri, values
from .graph import _INT_TYPES, CLASSES, Reader, _chunks, resolve

__all__ = ["central", "cooccurring", "top_entities"]

_ROLE_PATH = {None: "kg:proposes|kg:uses", PROPOSES: "kg:proposes", USES: "kg:uses"}
_NAMES = "OPTIONAL { ?e schema:name ?nm } OPTIONAL { ?e rdfs:label ?lb }"
_NAME_VARS = "?e ?eid (SAMPLE(?nm) AS ?name) (SAMPLE(?lb) AS ?label)"


def _name(r: dict) -> str:
    """:func:`kg.query._format.node_name` of a row: its name, else its label, else its id."""
    return next((r[k].value for k in ("name", "label") if k in r and r[k].value), r["eid"].value)


def _ranked(rows: list[dict], count: str, top: int | None) -> list[dict]:
    """``{name, id, papers}`` rows, most *count* first, then by name case-folded, then id."""
    out = [{"name": _name(r), "id": r["eid"].value, "papers": int(r[count].value)} for r in rows]
    out.sort(key=lambda x: (-x["papers"], x["name"].casefold(), x["id"]))
    return out[:top] if top else out


def _group_key(v) -> object:
    if v.datatype in _INT_TYPES and re.fullmatch(r"-?[0-9]+", v.value):
        return int(v.value)
    return v.value


def top_entities(ep: Endpoint, kind: str = "method", top: int | None = 10, by: str | None = None,
                 role: str | None = None):
    """:func:`kg.query.top_entities` over SPARQL: same arguments (but the store), same answer."""
    if kind not in ENTITY_TYPES:
        raise BadArgument("kind", kind, ENTITY_TYPES)
    if by not in (None, "year", "venue"):
        raise BadArgument("by", by, ("year", "venue"))
    if role not in (None, *ROLES):
        raise BadArgument("role", role, ROLES)
    group = {None: "", "year": "?p schema:datePublished ?g .",
             "venue": "?p schema:isPartOf ?v . ?v schema:name ?g ."}[by]
    rows = ep.select(f"""SELECT {_NAME_VARS} ?g (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?e a {CLASSES[kind]} ; dcterms:identifier ?eid . ?p {_ROLE_PATH[role]} ?e . {group} {_NAMES}
}} GROUP BY ?e ?eid ?g""")
    if by is None:
        return _ranked(rows, "n", top)
    groups: dict[object, list[dict]] = {}
    for r in rows:
        if "g" in r and r["g"].value != "":
            groups.setdefault(_group_key(r["g"]), []).append(r)
    return {str(g): _ranked(groups[g], "n", top) for g in sorted(groups, key=lambda g: (str(type(g)), g))}


def _degrees(ep: Endpoint, authors: list[str] | None = None) -> list[dict]:
    """The ``central`` rows of every author (or of the author IRIs *authors*), unordered: the
    names, and apart (no OPTIONAL, which stores evaluate over every pair first) the counts."""
    scope = values("e", authors) if authors is not None else ""
    names = ep.select(f"SELECT {_NAME_VARS} WHERE {{ {scope} ?e a {CLASSES[AUTHOR]} ; "
                      f"dcterms:identifier ?eid . {_NAMES} }} GROUP BY ?e ?eid")
    counts = {r["e"].value: (int(r["deg"].value) - 1, int(r["np"].value)) for r in ep.select(
        f"SELECT ?e (COUNT(DISTINCT ?b) AS ?deg) (COUNT(DISTINCT ?p) AS ?np) WHERE {{ {scope} "
        "?p schema:author ?e, ?b } GROUP BY ?e")}  # ?b includes ?e itself
    out = []
    for r in names:
        deg, n_papers = counts.get(r["e"].value, (0, 0))
        out.append({"name": _name(r), "id": r["eid"].value, "score": deg, "coauthors": deg, "papers": n_papers})
    return out


def _order(row: dict) -> tuple:
    return -row["score"], row["name"].casefold(), row["id"]


def central(ep: Endpoint, measure: str = "degree", top: int = 10, sample: int | None = None,
            seed: int = 0) -> list[dict]:
    """:func:`kg.query.central` over SPARQL for ``degree`` (distinct co-authors; every author,
    ties by name then id; *sample* and *seed* are for the other measures). PageRank and
    betweenness need the whole co-author graph in memory: :class:`~kg.query.BadArgument`.

    With *top*, the store first sums per author the co-authors of each paper (an upper bound
    of the degree: one cheap aggregate), and the exact degree is counted only for the authors
    whose bound can still reach the *top*-th degree (the co-author pairs of every author are
    the expensive join)."""
    if measure not in MEASURES:
        raise BadArgument("measure", measure, MEASURES)
    if measure != "degree":
        raise BadArgument("measure", measure, ("degree",),
                          f"measure={measure!r} needs the whole co-author graph in memory: a SPARQL "
                          "store answers 'degree' only")
    if not top:
        return sorted(_degrees(ep), key=_order)
    bounds = [(r["e"].value, int(r["ub"].value)) for r in ep.select("""SELECT ?e (SUM(?k) AS ?ub) WHERE {
  ?p schema:author ?e . { SELECT ?p ((COUNT(DISTINCT ?x) - 1) AS ?k) WHERE { ?p schema:author ?x } GROUP BY ?p }
} GROUP BY ?e ORDER BY DESC(?ub) ?e""")]
    exact: list[dict] = []
    done = 0
    while done < len(bounds):
        batch = bounds[done:done + max(top, 200)]
        done += len(batch)
        exact += _degrees(ep, [e for e, _ in batch])
        exact.sort(key=_order)
        if len(exact) >= top and (done == len(bounds) or bounds[done][1] < exact[top - 1]["score"]):
            break
    if len(exact) < top or exact[top - 1]["score"] <= 0:  # authors of no paper may rank too
        return sorted(_degrees(ep), key=_order)[:top]
    return exact[:top]


def cooccurring(ep: Endpoint, name: str, top: int | None = None) -> list[dict]:
    """:func:`kg.query.cooccurring` over SPARQL: same rows (``count``, ``lift``, ``pmi``)."""
    reader = Reader.of(ep)
    e = resolve(reader, name, ENTITY_TYPES)
    kind = reader.nodes[e]["type"]
    rows = ep.select(f"""SELECT {_NAME_VARS} (COUNT(DISTINCT ?p) AS ?c) WHERE {{
  ?p kg:proposes|kg:uses {iri(e)}, ?e . FILTER(?e != {iri(e)}) ?e a {CLASSES[kind]} ; dcterms:identifier ?eid . {_NAMES}
}} GROUP BY ?e ?eid""")
    n_total = int(ep.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:ScholarlyArticle }")[0]["n"].value)
    n_of: dict[str, int] = {}
    for chunk in _chunks([e, *(r["e"].value for r in rows)]):
        for r in ep.select(f"SELECT ?e (COUNT(DISTINCT ?q) AS ?n) WHERE {{ {values('e', chunk)} "
                           "?q kg:proposes|kg:uses ?e } GROUP BY ?e"):
            n_of[r["e"].value] = int(r["n"].value)
    out = []
    for r in rows:
        c = int(r["c"].value)
        lift = c * n_total / (n_of[e] * n_of[r["e"].value])
        out.append({"name": _name(r), "id": r["eid"].value, "count": c, "lift": round(lift, 4),
                    "pmi": round(math.log2(lift), 4)})
    out.sort(key=lambda x: (-x["count"], -x["lift"], x["name"].casefold(), x["id"]))
    return out[:top] if top else out
