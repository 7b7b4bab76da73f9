"""The error of a bad argument to the RDF functions: it names the library's parameter, and a
command line names its own option instead (:meth:`ParameterError.for_options`).

>>> err = ParameterError("invalid {base} 'x': it must be an absolute IRI", "base")
>>> str(err)
"invalid base 'x': it must be an absolute IRI"
>>> str(err.for_options({"base": "--base"}))
"invalid --base 'x': it must be an absolute IRI"
"""
from __future__ import annotations

from ...model import KGError


class ParameterError(KGError):
    """A :class:`~kg.model.KGError` about the value of one or more parameters.

    *template* names each parameter as ``{name}``; the message shows the parameter names, and
    :meth:`for_options` gives the same error with other names put in (a CLI's flags).
    """

    def __init__(self, template: str, *params: str):
        self.template, self.params = template, params
        super().__init__(template.format(**{p: p for p in params}))

    def for_options(self, options: dict[str, str]) -> KGError:
        """The same error naming ``options[param]`` for each parameter found in *options*."""
        return KGError(self.template.format(**{p: options.get(p, p) for p in self.params}))


__all__ = ["ParameterError"]
