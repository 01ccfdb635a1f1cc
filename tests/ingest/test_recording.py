"""A run is stored as GX's own store would store it: the same JSON text, byte for byte.

``ingest.validation.recording`` writes the validation results store's documents without
GX's serialisation passes. Here every run is written twice under its key: first by GX's
``store_validation_results`` (the reference, what ``_record`` called before), then by
``recording``, and the two texts must be equal. The run is the same object both times, so
nothing differs by nature, not even its time.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from bench import files as bench_files
from core import catalog as catalog_mod
from core import settings
from ingest.emulation.readers import parse_file as parse_emulation
from ingest.parse import parse_file
from ingest.validate import validate_submission
from ingest.validation import context, recording
from ingest.validation.emulation_suites import validate_kind
from sampledata.generate import generate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "files"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path / "home"))


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Each run recorded as (suite, GX's text, recording's text), both under the run's own key."""
    runs: list[tuple[str, str, str]] = []
    store_run = recording.store_run

    def both(store: Any, key: Any, suite_result: Any, suite_id: Any) -> None:
        path = store.key_to_tuple(key)
        store.store_validation_results(
            suite_validation_result=suite_result,
            suite_validation_result_identifier=key,
            expectation_suite_identifier=suite_id,
        )
        reference = store._store_backend.get(path)
        store._store_backend.remove_key(path)
        assert recording.run_document(suite_result) is not None  # recording writes it, not GX's fallback
        store_run(store, key, suite_result, suite_id)
        runs.append((suite_result.suite_name, reference, store._store_backend.get(path)))

    monkeypatch.setattr(recording, "store_run", both)
    return runs


def _assert_same(runs: list[tuple[str, str, str]]) -> None:
    for suite_name, reference, ours in runs:
        assert ours == reference, suite_name


def test_the_fixture_corpus_and_a_file_with_repeated_keys_are_stored_as_gx_stores_them(
    tmp_path: Path, stored: list[tuple[str, str, str]]
) -> None:
    for path in sorted(p for p in FIXTURES.iterdir() if p.suffix != ".py"):
        rows = parse_file(path, "nnptnt").rows
        if rows:
            validate_submission(rows, "nnptnt", source_label=path.name)
    repeats = bench_files.write_csv(tmp_path / "repeats.csv", 3000, "repeats")
    outcome = validate_submission(
        parse_file(repeats, bench_files.OFFICE).rows, bench_files.OFFICE, source_label=repeats.name
    )
    assert len([p for p in outcome.problems if p.rule == "duplicate_key"]) == 2 * (3000 - 2312)
    assert len(stored) == 25
    _assert_same(stored)
    failing = [json.loads(ours) for _, _, ours in stored if not json.loads(ours)["success"]]
    assert failing  # the comparison covered failed runs with their unexpected rows
    unexpected = max(len(r["result"].get("unexpected_index_list", [])) for d in failing for r in d["results"])
    assert unexpected == 2 * (3000 - 2312)


def test_sample_offices_and_the_emulation_records_are_stored_as_gx_stores_them(
    tmp_path: Path, stored: list[tuple[str, str, str]]
) -> None:
    result = generate(tmp_path / "inbox", until="2022-03")
    offices: dict[str, Path] = {}
    for path in sorted(result.files):
        offices.setdefault(path.parent.name, path)
    offices.pop("noivu", None)
    for office, path in sorted(offices.items()):
        validate_submission(parse_file(path, office).rows, office, source_label=path.name)
    cat = catalog_mod.default()
    kinds = 0
    for path in sorted((tmp_path / "inbox" / "noivu").iterdir()):
        parsed = parse_emulation(path, cat)
        for kind in parsed.kinds:
            validate_kind(kind, parsed.of(kind), cat, set(), path.name)
            kinds += 1
    assert len(offices) == 11 and kinds == 2
    assert len(stored) == 13
    _assert_same(stored)


def _columns(suite: Any) -> list[str]:
    """Every column a suite's expectations or row conditions name."""
    names: set[str] = set()

    def condition(c: dict[str, Any] | None) -> None:
        if c:
            for part in c.get("conditions", []):
                condition(part)
            if "column" in c:
                names.add(c["column"]["name"])

    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        names.update(kwargs.get(k) for k in ("column", "column_A", "column_B") if kwargs.get(k))
        names.update(kwargs.get("column_list") or [])
        condition(kwargs.get("row_condition"))
    return sorted(names)


def test_every_committed_suite_failing_on_numbers_and_gaps_is_stored_as_gx_stores_it(
    stored: list[tuple[str, str, str]],
) -> None:
    names = sorted(p.stem for p in settings.EXPECTATIONS_DIR.joinpath("checkpoints").glob("*.json"))
    assert len(names) == 16
    for name in names:
        columns = _columns(context.suite(name))
        frame = pd.DataFrame({c: [np.nan, 1.0, 1.0, -2.5] for c in columns})
        context.run_checkpoint(name, frame, run_name=f"recording:{name}")
    assert [s for s, _, _ in stored] == [context.suite(n).name for n in names]
    assert any(not json.loads(ours)["success"] for _, _, ours in stored)
    _assert_same(stored)


def test_values_gx_converts_are_converted_alike() -> None:
    """numpy scalars, NaN, tuples, numeric keys, times: one conversion equals GX's several."""
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

    config = context.suite("submission_bhxh").expectations[0].configuration
    result = {
        "element_count": np.int64(3),
        "unexpected_percent": np.float32(1 / 3),
        "missing_percent": float("nan"),
        "unexpected_list": [(np.int64(1), "Phường Tân Lập"), {"a": np.float64(2.5)}, None],
        "unexpected_index_list": [0, np.int64(7)],
        "by_row": {2: "Tháng 13/2022", 3: pd.Timestamp("2022-01-31")},
        "observed_value": np.bool_(True),
    }
    suite_result = ExpectationSuiteValidationResult(
        success=False,
        results=[ExpectationValidationResult(success=False, expectation_config=config, result=result)],
        suite_name="submission_bhxh",
        statistics={"success_percent": np.float64(0.0)},
        meta={"validation_time": dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC), "engine": "ingest.validation.masks"},
    )
    ours = recording.run_document(suite_result)
    assert ours == recording.gx_document(suite_result)
    assert json.dumps(ours, indent=2, sort_keys=True) == json.dumps(
        recording.gx_document(suite_result), indent=2, sort_keys=True
    )
    assert ours["results"][0]["result"]["by_row"] == {"2": "Tháng 13/2022", "3": "2022-01-31T00:00:00"}


def test_a_changed_configuration_is_serialised_anew() -> None:
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

    def document(meta_note: str) -> dict[str, Any]:
        config = context.suite("submission_bhxh").expectations[0].configuration
        config.meta = {**config.meta, "message_vi": meta_note}
        evr = ExpectationValidationResult(success=True, expectation_config=config, result={})
        doc = recording.run_document(ExpectationSuiteValidationResult(success=True, results=[evr], suite_name="s"))
        assert doc is not None
        return doc["results"][0]["expectation_config"]["meta"]

    assert document("Thiếu cột.")["message_vi"] == "Thiếu cột."
    assert document("Tệp thiếu cột.")["message_vi"] == "Tệp thiếu cột."


def test_a_key_of_another_kind_is_refused_by_gx_and_nothing_is_written() -> None:
    """recording writes only under the store's own kind of key; any other reaches GX's own check."""
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    store = context.get_context().validation_results_store
    wrong = ExpectationSuiteIdentifier(name="submission_bhxh")
    suite_result = ExpectationSuiteValidationResult(success=True, results=[], suite_name="submission_bhxh")
    before = store.list_keys()
    with pytest.raises(TypeError, match="key must be an instance of ValidationResultIdentifier"):
        recording.store_run(store, wrong, suite_result, wrong)
    assert store.list_keys() == before
