"""The errors of :mod:`kg.query`: all are :class:`kg.model.KGError`, so the ``kg`` command prints
one line and exits with code 2 (never a traceback).

* :class:`NameNotFound`: no node has that name (``.suggestions``: the closest node ids);
* :class:`AmbiguousName`: several nodes have it (``.candidates``: their ids);
* :class:`BadArgument`: a parameter value a query cannot take (``.parameter`` names the
  function's parameter, so that a caller such as the CLI can name its own option instead).

>>> from kg.query import toy_graph, papers
>>> papers(toy_graph(), "EDT", role="cites")
Traceback (most recent call last):
...
kg.query.BadArgument: role='cites': choose 'proposes' or 'uses'
>>> try:
...     papers(toy_graph(), "EDT", role="cites")
... except BadArgument as e:
...     print(e.parameter, e.value, e.choices, "|", e.describe("--role"))
role cites ('proposes', 'uses') | --role 'cites': choose 'proposes' or 'uses'
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import KGError, ParameterError

__all__ = ["KGError", "NameNotFound", "AmbiguousName", "BadArgument"]


class NameNotFound(KGError):
    """No node matches a name; ``.suggestions`` holds the closest node ids (may be empty)."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        super().__init__(message)


class AmbiguousName(KGError):
    """Several nodes match a name; ``.candidates`` holds their node ids."""

    def __init__(self, message: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(message)


class BadArgument(ParameterError):
    """A parameter value a query cannot take: ``.parameter`` (the function's parameter name),
    ``.value``, ``.choices`` (the allowed values, when there is a fixed set) and ``.expected``
    (what is wanted, in words). The message names the parameter (``role='cites': …``);
    :meth:`describe` says the same under another name (a command-line option)."""

    def __init__(self, parameter: str, value: Any, choices: Sequence = (), expected: str = ""):
        self.parameter, self.value, self.choices = parameter, value, tuple(choices)
        if not expected:
            quoted = [repr(c) for c in self.choices]
            expected = "choose " + (quoted[0] if len(quoted) == 1 else
                                    ", ".join(quoted[:-1]) + " or " + quoted[-1])
        self.expected = expected
        super().__init__("{%s}={value}: {expected}" % parameter, parameter, value=repr(value), expected=expected)

    def __reduce__(self):
        return BadArgument, (self.parameter, self.value, self.choices, self.expected)

    def describe(self, name: str) -> str:
        """The message with *name* (e.g. ``"--role"``) in place of ``parameter=``."""
        return f"{name} {self.value!r}: {self.expected}"


for _cls in (NameNotFound, AmbiguousName, BadArgument):
    _cls.__module__ = "kg.query"  # shown (and pickled) under the public path
