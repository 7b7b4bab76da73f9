"""Asking a SPARQL endpoint: the SPARQL 1.1 protocol over HTTP (stdlib :mod:`urllib`, a POST of
``application/x-www-form-urlencoded`` ``query=…``, answers in ``application/sparql-results+json``)
or a local pyoxigraph store folder (``oxigraph load --location DIR`` made it), opened read-only
and queried over the union of its default and named graphs (so an N-Quads load works too).

Every query gets the prefixes of the export's vocabulary (:data:`PREFIXES`); an answer is a list
of rows, each a dict from variable name to :class:`Value` (lexical form or IRI, and datatype);
unbound variables are left out of the row.
"""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..model import KGError
from ..vocabulary import DCTERMS_NS, KG_NS, RDF_NS, RDFS_NS, SCHEMA_NS

__all__ = ["PREFIXES", "Endpoint", "Value", "iri", "literal", "values"]

PREFIXES = (f"PREFIX schema: <{SCHEMA_NS}>\nPREFIX dcterms: <{DCTERMS_NS}>\nPREFIX kg: <{KG_NS}>\n"
            f"PREFIX rdf: <{RDF_NS}>\nPREFIX rdfs: <{RDFS_NS}>\n")
TIMEOUT = 300  # seconds per query


class Value(NamedTuple):
    """One bound value of a result row: the IRI or lexical form, and the literal's datatype."""

    value: str
    datatype: str | None = None
    is_iri: bool = False


def iri(value: str) -> str:
    """*value* as a SPARQL IRI term.

    >>> iri("https://example.org/kg/author/ann")
    '<https://example.org/kg/author/ann>'
    """
    if any(c in value for c in '<>"{}|^`\\ \n'):
        raise KGError(f"not an IRI the store can be asked about: {value!r}")
    return f"<{value}>"


def literal(text: str) -> str:
    """*text* as a SPARQL string literal.

    >>> print(literal('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r")) + '"'


def values(var: str, iris: Iterable[str]) -> str:
    """A ``VALUES ?var { <…> … }`` block."""
    return f"VALUES ?{var} {{ {' '.join(map(iri, iris))} }}"


class Endpoint:
    """A SPARQL endpoint URL (``http(s)://…/query``, ``…/sparql``; protocol parameters such as
    ``?default-graph-uri=IRI`` may be part of it) or a pyoxigraph store folder.

    >>> Endpoint("ftp://x")
    Traceback (most recent call last):
    ...
    kg.model.KGError: --endpoint 'ftp://x': give a SPARQL endpoint http(s) URL or a pyoxigraph store folder
    """

    def __init__(self, location: str):
        self.location = str(location)
        self._store = None
        if not self.location.startswith(("http://", "https://")) and not Path(self.location).is_dir():
            raise KGError(f"--endpoint {self.location!r}: give a SPARQL endpoint http(s) URL "
                          "or a pyoxigraph store folder")
        self.queries = 0  # how many queries were sent (for the benchmarks)

    def select(self, query: str) -> list[dict[str, Value]]:
        """The rows of the SELECT *query* (the prefixes are added)."""
        self.queries += 1
        text = PREFIXES + query
        if self.location.startswith(("http://", "https://")):
            return self._http(text)
        return self._local(text)

    def _http(self, text: str) -> list[dict[str, Value]]:
        # parameters in the URL (``?default-graph-uri=…``) go into the form with the query
        url = urllib.parse.urlsplit(self.location)
        form = urllib.parse.parse_qsl(url.query) + [("query", text)]
        req = urllib.request.Request(urllib.parse.urlunsplit(url._replace(query="")),
                                     data=urllib.parse.urlencode(form).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
                data = json.load(r)
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise KGError(f"SPARQL endpoint {self.location}: HTTP {exc.code}"
                          + (f": {body[0][:200]}" if body else "")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise KGError(f"cannot reach the SPARQL endpoint {self.location}: {reason}") from None
        except ValueError:
            raise KGError(f"SPARQL endpoint {self.location}: the answer is not SPARQL JSON results") from None
        try:
            return [{k: Value(v["value"], v.get("datatype"), v.get("type") == "uri") for k, v in b.items()}
                    for b in data["results"]["bindings"]]
        except (KeyError, TypeError, AttributeError):
            raise KGError(f"SPARQL endpoint {self.location}: the answer is not SPARQL JSON results") from None

    def _local(self, text: str) -> list[dict[str, Value]]:
        import pyoxigraph

        if self._store is None:
            try:
                self._store = pyoxigraph.Store.read_only(os.fspath(self.location))
            except OSError as exc:
                raise KGError(f"--endpoint {self.location}: not a pyoxigraph store ({exc})") from None
        try:  # the union of the default and named graphs: a graph.nt or an N-Quads load alike
            res = self._store.query(text, use_default_graph_as_union=True)
        except (SyntaxError, OSError) as exc:
            raise KGError(f"--endpoint {self.location}: the store failed a query: {exc}") from None
        names = [v.value for v in res.variables]
        out = []
        for sol in res:
            row = {}
            for name in names:
                t = sol[name]
                if t is None:
                    continue
                if isinstance(t, pyoxigraph.NamedNode):
                    row[name] = Value(t.value, None, True)
                elif isinstance(t, pyoxigraph.Literal):
                    dt = t.datatype.value
                    row[name] = Value(t.value, None if dt.endswith("#string") else dt)
                else:
                    row[name] = Value(str(t))
            out.append(row)
        return out
