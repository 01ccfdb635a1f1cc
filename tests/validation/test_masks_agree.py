"""The masks and GX's own engine agree on the whole fixture corpus (see ``agreement.py``).

The other modules of this folder compare both engines on their hand-made passing and
failing rows and on the marts (``conftest.py``); this one adds every file of the fixture
corpus, a file whose keys repeat, a half year of the sample offices' files and Phòng Nội
vụ's emulation records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import files as bench_files
from core import catalog as catalog_mod
from core import settings
from ingest.emulation.readers import parse_file as parse_emulation
from ingest.parse import parse_file
from ingest.validate import validate_submission
from ingest.validation import context, masks
from ingest.validation.emulation_suites import validate_kind
from sampledata.generate import generate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "files"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path))


def test_every_fixture_file_is_judged_alike() -> None:
    judged = 0
    for path in sorted(p for p in FIXTURES.iterdir() if p.suffix != ".py"):
        rows = parse_file(path, "nnptnt").rows
        if rows:
            validate_submission(rows, "nnptnt", source_label=path.name)
            judged += 1
    assert judged == 24  # the corpus's 30 files less the six no reader can open


def test_repeated_keys_are_named_alike(tmp_path: Path) -> None:
    path = bench_files.write_csv(tmp_path / "repeats.csv", 3000, "repeats")
    outcome = validate_submission(parse_file(path, bench_files.OFFICE).rows, bench_files.OFFICE, source_label="x")
    assert len([p for p in outcome.problems if p.rule == "duplicate_key"]) == 2 * (3000 - 2312)


def test_a_half_year_of_every_office_and_the_emulation_records_are_judged_alike(tmp_path: Path) -> None:
    cat = catalog_mod.default()
    result = generate(tmp_path / "inbox", until="2022-06", cat=cat)
    largest: dict[str, Path] = {}
    for path in result.files:
        office = path.parent.name
        if office not in largest or path.stat().st_size > largest[office].stat().st_size:
            largest[office] = path
    for office, path in sorted(largest.items()):
        validate_submission(parse_file(path, office).rows, office, source_label=path.name)
    emulation = sorted((tmp_path / "inbox" / "noivu").iterdir())
    for path in emulation:
        parsed = parse_emulation(path, cat)
        for kind in parsed.kinds:
            validate_kind(kind, parsed.of(kind), cat, set(), path.name)
    assert len(largest) == 11 and emulation


def test_every_committed_suite_is_one_the_masks_can_judge() -> None:
    names = sorted(p.stem for p in settings.EXPECTATIONS_DIR.joinpath("checkpoints").glob("*.json"))
    assert len(names) == 16
    for name in names:
        for expectation in context.suite(name).expectations:
            config = expectation.configuration
            assert config.type in masks.KINDS, (name, config.type)
