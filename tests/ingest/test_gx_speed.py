"""Building each expectation's configuration once per run changes no validation outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import files as bench_files
from ingest.parse import parse_file
from ingest.validate import validate_submission
from ingest.validation import submission

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "files"


def _both_ways(rows, office: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(submission, "CACHE_CONFIGURATIONS", False)
    plain = validate_submission(rows, office, source_label="plain")
    monkeypatch.setattr(submission, "CACHE_CONFIGURATIONS", True)
    cached = validate_submission(rows, office, source_label="cached")
    return plain, cached


def test_every_fixture_file_validates_alike_with_and_without_the_cache(
    platform_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = 0
    for path in sorted(p for p in FIXTURES.iterdir() if p.suffix != ".py"):
        rows = parse_file(path, "nnptnt").rows
        if not rows:
            continue
        plain, cached = _both_ways(rows, "nnptnt", monkeypatch)
        assert cached == plain, path.name
        assert len(cached.results) == len(plain.results) > 0
        checked += 1
    assert checked >= 15  # the corpus's readable files: most of its 30


def test_failing_rows_are_named_alike_with_and_without_the_cache(
    platform_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3,000 rows of one office: past its 2,312 distinct keys, so keys repeat and rows fail.
    path = bench_files.write_csv(tmp_path / "repeats.csv", 3000, "repeats")
    rows = parse_file(path, bench_files.OFFICE).rows
    plain, cached = _both_ways(rows, bench_files.OFFICE, monkeypatch)
    assert cached == plain
    duplicates = [p for p in cached.problems if p.rule == "duplicate_key"]
    assert len(duplicates) == 2 * (3000 - 2312)
    assert all(p.source_row is not None and p.sheet_name for p in duplicates)
