"""RDF terms as values: :class:`IRI` (the IRI itself, no angle brackets) and :class:`Literal`
(lexical form and datatype), the IRIs of graph nodes, and the conversion of Python values to
literals and back. Their syntax (N-Triples, Turtle, JSON-LD) is the writers' business
(:mod:`kg.export.rdf.writers`).

>>> node_iri("paper:attention-is-all-you-need")
IRI('https://example.org/kg/paper/attention-is-all-you-need')
>>> literal(2024), literal(0.5), literal("Ann")
(Literal('2024', XSD_INTEGER), Literal('0.5', XSD_DOUBLE), Literal('Ann'))
>>> python_value(literal(True).lexical, XSD_BOOLEAN)
True
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Union
from urllib.parse import quote

from ..vocab import DEFAULT_BASE, PREFIXES, XSD
from .errors import ParameterError


class IRI(str):
    """An IRI, as the string it is (``IRI("http://x.org/a")``; N-Triples writes ``<http://x.org/a>``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


class BlankNode(str):
    """A blank node, as its label with the ``_:`` prefix (the export writes none; others may)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"BlankNode({str.__repr__(self)})"


XSD_NS = str(XSD)
XSD_STRING, XSD_INTEGER, XSD_DOUBLE = IRI(XSD.string), IRI(XSD.integer), IRI(XSD.double)
XSD_BOOLEAN, XSD_YEAR, XSD_ANYURI = IRI(XSD.boolean), IRI(XSD.gYear), IRI(XSD.anyURI)
XSD_DECIMAL = IRI(XSD.decimal)
_DT_NAMES = {XSD_INTEGER: "XSD_INTEGER", XSD_DOUBLE: "XSD_DOUBLE", XSD_BOOLEAN: "XSD_BOOLEAN",
             XSD_YEAR: "XSD_YEAR", XSD_ANYURI: "XSD_ANYURI", XSD_DECIMAL: "XSD_DECIMAL"}


@dataclass(slots=True, unsafe_hash=True)
class Literal:
    """A literal: its lexical form and its datatype (``None``: a plain ``xsd:string``). A value:
    hashable, never changed once made (not frozen only because that makes it 3x slower to make).

    >>> Literal("2024", XSD_YEAR) == Literal("2024", IRI("http://www.w3.org/2001/XMLSchema#gYear"))
    True
    """

    lexical: str
    datatype: IRI | None = None

    def __repr__(self) -> str:
        if self.datatype is None:
            return f"Literal({self.lexical!r})"
        return f"Literal({self.lexical!r}, {_DT_NAMES.get(self.datatype, repr(self.datatype))})"


Term = Union[IRI, BlankNode, Literal]

_INTS = [Literal(str(i), XSD_INTEGER) for i in range(1000)]  # positions, offsets: shared values
_TRUE, _FALSE = Literal("true", XSD_BOOLEAN), Literal("false", XSD_BOOLEAN)


def literal(v: Any) -> Literal | None:
    """The literal of a Python scalar (str, bool, int, float); None if *v* has no literal form.

    >>> literal(float("-inf")), literal(None)
    (Literal('-INF', XSD_DOUBLE), None)
    """
    if isinstance(v, str):
        return Literal(v)
    if isinstance(v, bool):
        return _TRUE if v else _FALSE
    if isinstance(v, int):
        return _INTS[v] if 0 <= v < 1000 else Literal(str(v), XSD_INTEGER)
    if isinstance(v, float):
        lex = "NaN" if math.isnan(v) else ("INF" if v > 0 else "-INF") if math.isinf(v) else repr(v)
        return Literal(lex, XSD_DOUBLE)
    return None


def confidence_literal(v: Any) -> Literal | None:
    """A confidence (a float from 0 to 1) as an ``xsd:decimal`` in canonical form (no exponent,
    no superfluous zeros, at least one digit after the point); other values as :func:`literal`.

    >>> confidence_literal(0.85), confidence_literal(1.0), confidence_literal(1e-05)
    (Literal('0.85', XSD_DECIMAL), Literal('1.0', XSD_DECIMAL), Literal('0.00001', XSD_DECIMAL))
    """
    if type(v) is float and 0.0 <= v <= 1.0:
        lex = format(Decimal(repr(v)), "f")
        if "." in lex:
            lex = lex.rstrip("0")
            lex = lex + "0" if lex.endswith(".") else lex
        else:
            lex += ".0"
        return Literal(lex, XSD_DECIMAL)
    return literal(v)


def safe_iri(s: str) -> bool:
    """Whether *s* is an ``http(s)`` IRI that every store accepts (no spaces, quotes, angle
    brackets, bad percent escapes): such URLs are written as IRIs, others (``javascript:``,
    ``ftp:``, malformed) as plain literals.

    >>> safe_iri("https://arxiv.org/abs/1706.03762"), safe_iri("javascript:alert(1)"), safe_iri("http://x/a b")
    (True, False, False)
    """
    return bool(_HTTP.match(s)) and not _BAD_IRI_CHARS.search(s) and not _BAD_PERCENT.search(s)


def attribute_literal(key: str, v: Any) -> Literal | None:
    """:func:`literal`, but a ``year`` (0..9999) is an ``xsd:gYear``.

    >>> attribute_literal("year", 998)
    Literal('0998', XSD_YEAR)
    """
    if key == "year" and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 9999:
        return Literal(f"{v:04d}", XSD_YEAR)
    return literal(v)


def python_value(lexical: str, datatype: str | None) -> Any:
    """The Python value a literal was written from (:func:`literal`): numbers and booleans by
    their datatype, anything else (or an unreadable number) its lexical form.

    >>> python_value("0998", XSD_YEAR), python_value("1e-05", XSD_DOUBLE), python_value("x", XSD_INTEGER)
    (998, 1e-05, 'x')
    """
    dt = datatype or XSD_STRING
    try:
        if dt in (XSD_INTEGER, XSD_YEAR) or dt.endswith(("#int", "#long", "#nonNegativeInteger")):
            return int(lexical)
        if dt in (XSD_DOUBLE, XSD_NS + "decimal", XSD_NS + "float"):
            return float(lexical)
    except ValueError:
        return lexical
    if dt == XSD_BOOLEAN:
        return lexical in ("true", "1")
    return lexical


# --------------------------------------------------------------------------- IRIs of the data
_SAFE_SLUG = re.compile(r"[A-Za-z0-9._~-]*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HTTP = re.compile(r"https?://[^/?#]", re.IGNORECASE)


def check_base(base: str) -> str:
    """Check a base IRI for the data; return it, or raise a :class:`ParameterError` (a
    :class:`~kg.model.KGError`) naming the parameter ``base`` and saying what is wrong.

    >>> check_base("https://data.example.com/kg/")
    'https://data.example.com/kg/'
    >>> check_base("not an iri")
    Traceback (most recent call last):
    ...
    kg.model.ParameterError: invalid base 'not an iri': it must be an absolute IRI such as https://example.org/kg/
    """
    if not isinstance(base, str) or not _SCHEME.match(base) or _BAD_IRI_CHARS.search(base):
        raise ParameterError(f"invalid {{base}} {base!r}: it must be an absolute IRI such as "
                             f"{DEFAULT_BASE}", "base")
    if _BAD_PERCENT.search(base):
        raise ParameterError(f"invalid {{base}} {base!r}: '%' must start a percent escape such "
                             f"as %20", "base")
    scheme = base.split(":", 1)[0]
    if scheme.lower() in PREFIXES or base.startswith("_:"):
        raise ParameterError(f"invalid {{base}} {base!r}: its scheme clashes with the prefix "
                             f"{scheme!r} of the JSON-LD context", "base")
    if not base.endswith(("/", "#", ":")):
        raise ParameterError(f"invalid {{base}} {base!r}: it must end with '/', '#' or ':' "
                             f"(e.g. {base}/)", "base")
    return base


def node_path(node_id: Any) -> str:
    """The IRI of a graph node relative to the base: ``<type>/<percent-encoded slug>``.

    >>> node_path("author:kianté-brantley"), node_path("no colon")
    ('author/kiant%C3%A9-brantley', '_/no%20colon')
    """
    kind, sep, rest = str(node_id).partition(":")
    if sep and _SAFE_SLUG.fullmatch(rest) and _SAFE_SLUG.fullmatch(kind):
        return f"{kind}/{rest}"
    if not sep:
        return f"_/{quote(kind, safe='')}"
    return f"{quote(kind, safe='')}/{quote(rest, safe='')}"


def node_iri(node_id: Any, base: str = DEFAULT_BASE) -> IRI:
    """The IRI of a graph node: ``<base><type>/<percent-encoded slug>``.

    >>> node_iri("paper:4-3-phases-of-compute-optimal-neural-scaling-laws")
    IRI('https://example.org/kg/paper/4-3-phases-of-compute-optimal-neural-scaling-laws')
    >>> node_iri("author:kianté-brantley", "urn:x:")
    IRI('urn:x:author/kiant%C3%A9-brantley')
    """
    return IRI(base + node_path(node_id))


def named_iri(base: str, kind: str, name: str) -> IRI:
    """The IRI ``<base><kind>/<percent-encoded name>`` of a source listing or an extractor.

    >>> named_iri("urn:x:", "source", "b b.txt")
    IRI('urn:x:source/b%20b.txt')
    """
    return IRI(f"{base}{kind}/{quote(name, safe='')}")


__all__ = ["IRI", "BlankNode", "Literal", "Term", "literal", "attribute_literal", "python_value", "check_base",
           "node_iri", "node_path", "named_iri", "XSD_STRING", "XSD_INTEGER", "XSD_DOUBLE",
           "XSD_BOOLEAN", "XSD_YEAR", "XSD_ANYURI", "XSD_DECIMAL", "confidence_literal", "safe_iri"]
