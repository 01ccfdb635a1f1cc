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


def suite_meta(name: str) -> dict[str, Any]:
    """The ``meta`` of a committed suite (plausibility parameters, unit scopes...)."""
    return dict(get_context().suites.get(name).meta or {})


def expectation_meta(name: str) -> dict[str, dict[str, Any]]:
    """Meta of each expectation of a suite, by its ``key``."""
    suite = get_context().suites.get(name)
    return {e.meta["key"]: dict(e.meta) for e in suite.expectations if e.meta and "key" in e.meta}


def run_checkpoint(name: str, frame: Any, run_name: str) -> list[Any]:
    """Run checkpoint ``name`` on ``frame``; return the expectation results (stored for data docs)."""
    from great_expectations.core.run_identifier import RunIdentifier

    checkpoint = _checkpoint(tuple(sorted(runtime_dirs().items())), name)
    result = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_name[:200]))
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
