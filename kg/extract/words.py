"""The rule components' word lists (``data/rule-words.toml``), loaded once; regex fragments from them."""
from __future__ import annotations

import functools
from pathlib import Path

import tomllib

WORDS = Path(__file__).with_name("data") / "rule-words.toml"


@functools.lru_cache(maxsize=1)
def _all() -> dict[str, dict[str, list[str]]]:
    with WORDS.open("rb") as fh:
        return tomllib.load(fh)


def words(section: str, name: str) -> list[str]:
    """One list of ``data/rule-words.toml`` (``[section] name``), in file order.

    >>> words("cues", "propose_subjects")[:2]
    ['we', 'paper']
    """
    return list(_all()[section][name])


def alt(section: str, name: str) -> str:
    """The list as regex alternatives, in file order ("a|b|c"; group it where it is used).

    >>> alt("coined", "processors")
    'GPU|TPU|CPU|NPU'
    """
    return "|".join(_all()[section][name])


def either_case(section: str, name: str) -> str:
    """The list as alternatives with either case of each entry's first letter ("[Ww]e|[Pp]aper").

    >>> either_case("cues", "propose_subjects").split("|")[:2]
    ['[Ww]e', '[Pp]aper']
    """
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in _all()[section][name])
