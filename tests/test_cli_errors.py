"""User mistakes on commands whose own test files belong to other stages: one line, exit 2."""
from __future__ import annotations

from kg.cli import main


def test_extract_empty_file_is_an_error(tmp_path, capsys):
    empty = tmp_path / "papers.jsonl"
    empty.write_bytes(b"")
    assert main(["extract", str(empty)]) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and cap.err.strip() == f"kg: error: {empty}: empty file"


def test_validate_empty_file_is_an_error(tmp_path, capsys):
    """An empty export does not 'conform' vacuously: it is a broken file."""
    empty = tmp_path / "graph.nt"
    empty.write_bytes(b"")
    assert main(["validate", str(empty)]) == 2
    assert capsys.readouterr().err.strip() == f"kg: error: {empty}: empty file"
