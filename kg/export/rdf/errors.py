"""The error of a bad argument to the RDF functions: :class:`kg.model.ParameterError`, shared
by every stage. It names the library's parameter, and a command line names its own option
instead (:meth:`~kg.model.ParameterError.for_options`).

>>> err = ParameterError("invalid {base} 'x': it must be an absolute IRI", "base")
>>> str(err)
"invalid base 'x': it must be an absolute IRI"
>>> str(err.for_options({"base": "--base"}))
"invalid --base 'x': it must be an absolute IRI"
"""
from __future__ import annotations

from ...model import ParameterError

__all__ = ["ParameterError"]
