"""Classes of non-entities seen reported as names on unseen corpus abstracts (kg-extract 0.4).

Every sentence here is invented; each test pins one class and checks a real name next to it survives.
"""
from __future__ import annotations

import pytest

from kg.extract import Extractor

_EX = Extractor()


def _all(title: str, abstract: str) -> set[str]:
    res = _EX.extract({"id": "t", "title": title, "abstract": abstract})
    return {e["name"] for k in ("methods", "benchmarks") for e in res[k]}


def test_latex_residue_without_backslashes_is_not_a_name():
    got = _all("Fast samplers", "We propose QuickNet, which gives a 4times speed-up and 256times 256 images, "
               "needs tilde O(d^3varepsilon^{-2}) samples and maps F:R^drightarrowR.")
    assert "QuickNet" in got
    assert not {"4times", "256times", "3varepsilon", "drightarrowR"} & got


def test_arithmetic_and_dimension_pieces_are_not_names():
    got = _all("Shuffling", "We propose ShufNet with error O(n^{1/(3k+2)}) and (5-3k-1/d) log n terms, "
               "lifting 2D-3D features; it uses the 1F1B schedule.")
    assert "ShufNet" in got
    assert not {"3k+2", "5-3k-1", "2D-3D"} & got


@pytest.mark.xfail(strict=True, reason="the retrained model (candidate boundaries) puts '1F1B' at P(entity) "
                                       "0.488 (0.528 before); see docs/extraction.md")
def test_digit_letter_schedule_name_is_kept():
    got = _all("Shuffling", "We propose ShufNet with error O(n^{1/(3k+2)}) and (5-3k-1/d) log n terms, "
               "lifting 2D-3D features; it uses the 1F1B schedule.")
    assert "1F1B" in got


def test_bracketed_citation_keys_and_venue_years_are_not_names():
    got = _all("Graph covers", "We propose CoverNet, extending the partition of [Bar94, KLM19] and a result "
               "at FOCS'21 by two authors [QRS22]. We evaluate on THUMOS'14.")
    assert "CoverNet" in got and "THUMOS'14" in got
    assert not {"Bar94", "KLM19", "FOCS'21", "QRS22"} & got


def test_hardware_before_gpu_is_not_a_name():
    got = _all("Cheap tuning", "We propose TinyTune and fine-tune on one RTX4090-24GB GPU, using about a "
               "thousand NVIDIA B200 GPU hours on Q7000 TPUs.")
    assert "TinyTune" in got
    assert not {"RTX4090-24GB", "B200", "Q7000"} & got


def test_generic_spellings_and_number_formats_are_not_names():
    got = _all("Quantised models", "We propose QuantX, beating the state-of-the-art (SoTA) and prior SoTA "
               "baselines under INT4 and bfloat16 weights, without NaN values or OoD failures.")
    assert "QuantX" in got
    assert not {"SoTA", "INT4", "bfloat16", "NaN", "OoD", "state-of-the-art"} & got


def test_sentence_glued_without_space_keeps_the_name():
    got = _all("Zero-shot tuning", "We study the robustness of CLIP.Typically, fine-tuning hurts it. "
               "We propose NovaTune.Our method keeps the zero-shot accuracy.")
    assert "CLIP" in got and "NovaTune" in got
    assert not {"CLIP.Typically", "NovaTune.Our"} & got


def test_function_notation_is_not_an_abbreviation():
    got = _all("Switching costs", "We propose SwitchBand; the minimax regret is Theta(T) under full feedback "
               "and Omega(K) otherwise, where T is the horizon.")
    assert "SwitchBand" in got
    assert not {"T", "K", "Theta", "Omega"} & got
