r"""Decoding JSON input the one way every JSON-based reader does: a damaged or too deeply nested
value is one :class:`~kg.model.KGError` naming file and line, and lone UTF-16 surrogates
(``"\ud800"``, which no UTF-8 output can hold) are replaced by U+FFFD and reported.

>>> problems = []
>>> decode('{"title": "A \\ud800 b"}', "f.json", problems)
{'title': 'A \ufffd b'}
>>> problems
['f.json: lone surrogate \\ud800 in the text, replaced by U+FFFD']
>>> decode("[" * 5000, "deep.json", [])
Traceback (most recent call last):
kg.model.KGError: deep.json: JSON is nested too deeply
"""
from __future__ import annotations

import json
import re
from typing import Any

from kg.model import KGError

SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(text: str, path: str, problems: list[str], line: int | None = None,
           where: str | None = None) -> Any:
    """The JSON value of *text*: a whole file, or (with *line*) the line *line* of a JSON Lines
    file. A damaged or too deeply nested value is fatal; lone surrogates are replaced and
    reported in *problems* as *where* (default: the path, and the line when given).

    >>> decode('{"a": }', "f.jsonl", [], line=3)
    Traceback (most recent call last):
    kg.model.KGError: f.jsonl:3: JSON Lines line is not JSON (Expecting value)
    """
    what = "JSON Lines line" if line is not None else "JSON"
    try:
        value = json.loads(text)
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        if line is not None:
            raise KGError(f"{what} is not JSON ({reason})", path, line) from None
        raise KGError(f"not valid JSON ({reason})", path, getattr(exc, "lineno", None)) from None
    except RecursionError:
        raise KGError(f"{what} is nested too deeply", path, line) from None
    if SURROGATE_ESCAPE.search(text):
        where = where or (f"{path}:{line}" if line is not None else path)
        try:
            value = replace_surrogates(value, where, problems)
        except RecursionError:
            raise KGError(f"{what} is nested too deeply", path, line) from None
    return value


def replace_surrogates(value: Any, where: str, problems: list[str]) -> Any:
    r"""*value* (parsed JSON) with each lone UTF-16 surrogate (an escape such as ``\ud800``
    without its pair) replaced by U+FFFD, and reported.

    >>> problems = []
    >>> replace_surrogates({"title": "A \ud800 b", "n": [1]}, "f:1", problems), problems
    ({'title': 'A \ufffd b', 'n': [1]}, ['f:1: lone surrogate \\ud800 in the text, replaced by U+FFFD'])
    """
    found: list[str] = []

    def fix(v: Any) -> Any:
        if isinstance(v, str):
            if _LONE_SURROGATE.search(v):
                found.extend(_LONE_SURROGATE.findall(v))
                return _LONE_SURROGATE.sub("\ufffd", v)
            return v
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, dict):
            return {fix(k): fix(x) for k, x in v.items()}
        return v

    value = fix(value)
    if found:
        problems.append(f"{where}: lone surrogate {found[0].encode('unicode_escape').decode()} in the text, "
                        "replaced by U+FFFD")
    return value
