"""Open the project's GX file data context and run its checkpoints on data frames.

The context's committed configuration lives in ``expectations/``; everything GX writes at
run time (validation results, data docs, config variables) goes under ``PLATFORM_HOME``,
whose folders are handed to GX as ``runtime_environment`` substitutions. Great
Expectations is imported here only, on first use, because it takes seconds to import.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Any

from core import settings

log = logging.getLogger(__name__)


class ValidationEngineError(RuntimeError):
    """Great Expectations itself failed (not the data): an engineer must look."""


def runtime_dirs() -> dict[str, str]:
    """Where GX keeps its run-time state for the current ``PLATFORM_HOME``."""
    data_docs = settings.paths().data_docs
    return {"GX_RUNTIME_DIR": str(data_docs.parent / "runtime"), "GX_DATA_DOCS_DIR": str(data_docs)}


def get_context() -> Any:
    """The file data context for the current ``PLATFORM_HOME`` (one per home and process)."""
    dirs = runtime_dirs()
    return _context(tuple(sorted(dirs.items())))


@cache
def _context(dirs: tuple[tuple[str, str], ...]) -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    runtime = dict(dirs)
    os.makedirs(runtime["GX_RUNTIME_DIR"], exist_ok=True)
    context = gx.get_context(mode="file", context_root_dir=str(settings.EXPECTATIONS_DIR), runtime_environment=runtime)
    log.info("GX context opened at %s (runtime %s)", settings.EXPECTATIONS_DIR, runtime["GX_RUNTIME_DIR"])
    return context


@cache
def _checkpoint(dirs: tuple[tuple[str, str], ...], name: str) -> Any:
    """A checkpoint read once per process: fetching it reads and validates its JSON files again."""
    return _context(dirs).checkpoints.get(name)


def checkpoint(name: str) -> Any:
    """Checkpoint ``name`` of the current ``PLATFORM_HOME``'s context, read once per process."""
    return _checkpoint(tuple(sorted(runtime_dirs().items())), name)


def suite(name: str) -> Any:
    """The committed suite of checkpoint ``name``, read once per process with its checkpoint."""
    return checkpoint(name).validation_definitions[0].suite


def suite_meta(name: str) -> dict[str, Any]:
    """The ``meta`` of a committed suite (plausibility parameters, unit scopes...)."""
    return dict(suite(name).meta or {})


def expectation_meta(name: str) -> dict[str, dict[str, Any]]:
    """Meta of each expectation of a suite, by its ``key``."""
    return {e.meta["key"]: dict(e.meta) for e in suite(name).expectations if e.meta and "key" in e.meta}


def run_checkpoint(name: str, frame: Any, run_name: str) -> list[Any]:
    """Judge ``frame`` by checkpoint ``name``'s suite; return the results, recorded in GX's store.

    The verdicts come from ``ingest.validation.masks`` (the suite's expectations as vectorised
    pandas masks, proven equal to GX's own on the fixture corpus); the recording is GX's:
    the same ``ExpectationSuiteValidationResult`` a checkpoint run stores, for Data Docs.
    """
    from ingest.validation import masks

    gx_checkpoint = checkpoint(name)
    definition = gx_checkpoint.validation_definitions[0]
    try:
        results = masks.run_suite(definition.suite, frame)
    except masks.UnsupportedExpectation as exc:
        raise ValidationEngineError(f"Suite {name} uses what the masks do not implement: {exc}") from exc
    except KeyError as exc:  # the frame lacks a column the suite names: a platform defect, not the data's
        raise ValidationEngineError(f"Suite {name} names a column the frame lacks: {exc}") from exc
    _record(gx_checkpoint, definition, frame, results, run_name)
    return results


def run_checkpoint_with_gx(name: str, frame: Any, run_name: str) -> list[Any]:
    """Run checkpoint ``name`` through GX's own engine (the reference the masks are tested against)."""
    from great_expectations.core.run_identifier import RunIdentifier

    result = checkpoint(name).run(batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_name[:200]))
    results: list[Any] = []
    for validation in result.run_results.values():
        results.extend(validation.results)
    for res in results:
        info = res.exception_info or {}
        raised = info.get("raised_exception") or any(
            isinstance(v, dict) and v.get("raised_exception") for v in info.values()
        )
        if raised:
            raise ValidationEngineError(f"Expectation {res.expectation_config.type} of {name} raised: {info}")
    return results


def _record(gx_checkpoint: Any, definition: Any, frame: Any, results: list[Any], run_name: str) -> None:
    """Store the run as GX's checkpoint would (same identifiers, meta and JSON), for Data Docs.

    ``recording`` writes the very document GX's store would, without its serialisation passes.
    """
    import datetime as dt

    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )
    from great_expectations.execution_engine.pandas_execution_engine import hash_pandas_dataframe
    from great_expectations.validator.validation_statistics import calc_validation_statistics

    from ingest.validation import recording

    now = dt.datetime.now(dt.UTC)
    run_id = RunIdentifier(run_name=run_name[:200], run_time=now)
    asset = definition.batch_definition.data_asset
    batch_id = f"{asset.datasource.name}-{asset.name}"
    stats = calc_validation_statistics(results)
    suite_result = ExpectationSuiteValidationResult(
        success=stats.success,
        results=results,
        suite_name=definition.suite.name,
        statistics={
            "evaluated_expectations": stats.evaluated_expectations,
            "successful_expectations": stats.successful_expectations,
            "unsuccessful_expectations": stats.unsuccessful_expectations,
            "success_percent": stats.success_percent,
        },
        meta={
            "great_expectations_version": gx.__version__,
            "engine": "ingest.validation.masks",
            "batch_spec": {"batch_data": "PandasDataFrame"},
            "batch_markers": {
                "ge_load_time": now.strftime("%Y%m%dT%H%M%S.%fZ"),
                "pandas_data_fingerprint": hash_pandas_dataframe(frame),
            },
            "active_batch_definition": {
                "batch_identifiers": {"dataframe": "<DATAFRAME>"},
                "data_asset_name": asset.name,
                "data_connector_name": "fluent",
                "datasource_name": asset.datasource.name,
            },
            "validation_id": definition.id,
            "checkpoint_id": gx_checkpoint.id,
            "run_id": run_id,
            "validation_time": now,
            "batch_parameters": {"dataframe": "<DATAFRAME>"},
        },
        batch_id=batch_id,
    )
    suite_id = ExpectationSuiteIdentifier(name=definition.suite.name)
    key = ValidationResultIdentifier(expectation_suite_identifier=suite_id, run_id=run_id, batch_identifier=batch_id)
    recording.store_run(get_context().validation_results_store, key, suite_result, suite_id)
