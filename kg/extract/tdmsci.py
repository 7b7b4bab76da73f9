"""Reader of the TDMSci token-per-line file (``token <TAB> char offset <TAB> BIO tag``; sentences
separated by blank lines; tags DATASET / TASK / METRIC), used offline by the trainer only.

:func:`read` gives each sentence as its text (tokens placed at their offsets, relative to the
sentence's first token, gaps filled with spaces) and its labelled spans ``(start, end, label)``.
"""
from __future__ import annotations

from pathlib import Path


class FormatError(ValueError):
    """A line that is not ``token, offset, tag`` (the message names ``file:line``)."""


def _spans(toks: list) -> tuple[str, list]:
    base = toks[0][1]
    parts, pos, spans, cur = [], 0, [], None
    for tok, off, tag in toks:
        s = max(off - base, pos)
        parts.append(" " * (s - pos) + tok)
        pos = s + len(tok)
        if cur is not None and not tag.startswith("I-"):
            spans.append(tuple(cur))
            cur = None
        if tag.startswith("B-") or (tag.startswith("I-") and cur is None):
            cur = [s, pos, tag[2:]]
        elif tag.startswith("I-"):
            cur[1] = pos
    if cur is not None:
        spans.append(tuple(cur))
    return "".join(parts), spans


def read(path: str | Path) -> list[tuple[str, list]]:
    """``[(sentence text, [(start, end, label), ...]), ...]`` of a TDMSci CoNLL file.

    >>> import tempfile, os
    >>> f = tempfile.NamedTemporaryFile("w", suffix=".conll", delete=False)
    >>> _ = f.write("Top\\t10\\tO\\nF1\\t14\\tB-METRIC\\non\\t17\\tO\\nPenn\\t20\\tB-DATASET\\n"
    ...             "Treebank\\t25\\tI-DATASET\\n\\n")
    >>> f.close(); read(f.name); os.unlink(f.name)
    [('Top F1 on Penn Treebank', [(4, 6, 'METRIC'), (10, 23, 'DATASET')])]
    """
    path = Path(path)
    out, toks = [], []
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines + [""], 1):
        if not line.strip():
            if toks:
                out.append(_spans(toks))
                toks = []
            continue
        parts = line.split("\t")
        if len(parts) < 3 or not parts[1].strip().isdigit() or not (
                parts[-1] == "O" or parts[-1][:2] in ("B-", "I-")):
            raise FormatError(f"{path}:{n}: expected 'token<TAB>offset<TAB>tag', got {line[:60]!r}")
        toks.append((parts[0], int(parts[1]), parts[-1]))
    return out
