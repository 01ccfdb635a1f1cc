"""Write a validation run to GX's validation results store without GX's serialisation passes.

Why: ``ValidationResultsStore.serialize`` turns an ``ExpectationSuiteValidationResult`` into
JSON through ``to_json_dict`` and then a second marshmallow dump of that dict, deep-copying
the whole run five times over and converting every value of every result again in each
pass: about a third of the CPU of validating an office file. Everything in that JSON is
either per suite (each expectation's configuration, the same in every run) or small, except
the results themselves, which the masks already build from plain Python values.

So each expectation's configuration is serialised once, by GX's own code, and reused while
it is unchanged; each run's own values (success, ``result``, ``meta``, ``exception_info``)
go through GX's ``convert_to_json_serializable`` once, which is what every pass of GX's
does to them. The text written is ``json.dumps(..., indent=2, sort_keys=True)`` of the same
document, the store's own format, under the store's own key. Anything this module does not
recognise (a cloud store, a result with rendered content, a run with an id) is written by
GX's ``store_validation_results`` as before. ``tests/ingest/test_recording.py`` proves the
stored documents equal GX's own, byte for byte apart from the run's time.
"""

from __future__ import annotations

import json
from typing import Any

EXPECTED_RESULT_KEYS = frozenset({"success", "expectation_config", "result", "meta", "exception_info"})
CACHE_LIMIT = 5000  # configurations kept (the committed suites hold a few hundred in all)

_configs: dict[tuple[Any, ...], dict[str, Any]] = {}


def store_run(store: Any, key: Any, suite_result: Any, suite_id: Any) -> None:
    """Store ``suite_result`` under ``key`` as ``store.store_validation_results`` would."""
    from great_expectations.data_context.store.validation_results_store import ValidationResultsStore

    document = None
    plain_store = (
        type(store) is ValidationResultsStore
        and not store.cloud_mode
        and type(store).serialize is ValidationResultsStore.serialize
        and isinstance(key, store.key_class)  # any other key: GX's own call refuses it, with its error
    )
    if plain_store:
        document = run_document(suite_result)
    if document is None:
        store.store_validation_results(
            suite_validation_result=suite_result,
            suite_validation_result_identifier=key,
            expectation_suite_identifier=suite_id,
        )
        return
    # GX's public store API only: the key's path and the backend's set, as Store.set uses them
    store.store_backend.set(store.key_to_tuple(key), json.dumps(document, indent=2, sort_keys=True))


def gx_document(suite_result: Any) -> dict[str, Any]:
    """The JSON document GX's own validation results store writes for ``suite_result``."""
    from great_expectations.core.expectation_validation_result import expectationSuiteValidationResultSchema

    return json.loads(expectationSuiteValidationResultSchema.dumps(suite_result.to_json_dict()))


def run_document(suite_result: Any) -> dict[str, Any] | None:
    """GX's stored document of ``suite_result``, or None when it holds what this module does not know."""
    from great_expectations.util import convert_to_json_serializable

    if getattr(suite_result, "id", None) is not None:
        return None
    results = []
    for evr in suite_result.results:
        one = _result_document(evr, convert_to_json_serializable)
        if one is None:
            return None
        results.append(one)
    return {
        "id": None,
        "meta": convert_to_json_serializable(suite_result.meta),
        "results": results,
        "statistics": convert_to_json_serializable(suite_result.statistics),
        "success": _boolean(suite_result.success),
        "suite_name": str(suite_result.suite_name),
        "suite_parameters": convert_to_json_serializable(suite_result.suite_parameters),
    }


def _boolean(value: Any) -> bool | None:
    """What marshmallow's ``fields.Bool`` writes for ``value``."""
    return None if value is None else bool(value)


def _result_document(evr: Any, convert: Any) -> dict[str, Any] | None:
    if getattr(evr, "rendered_content", None) is not None:
        return None
    config_document = _config_document(evr.expectation_config)
    if config_document is None:
        return None
    return {
        "exception_info": convert(evr.exception_info),
        "expectation_config": config_document,
        "meta": convert(evr.meta),
        "result": convert(evr.result),
        "success": _boolean(evr.success),
    }


def _config_document(config: Any) -> dict[str, Any] | None:
    """The stored ``expectation_config`` of a result, made by GX once per configuration."""
    if config is None or config.expectation_context is not None or config.rendered_content is not None:
        return None
    key = (
        config.type,
        repr(config.kwargs),
        repr(config.meta),
        repr(config.notes),
        repr(config.description),
        repr(config.severity),
        repr(config.id),
    )
    cached = _configs.get(key)
    if cached is None:
        cached = _config_by_gx(config)
        if cached is None:
            return None
        if len(_configs) >= CACHE_LIMIT:
            _configs.clear()
        _configs[key] = cached
    return cached


def _config_by_gx(config: Any) -> dict[str, Any] | None:
    """Serialise a one-result run holding ``config`` with GX's own code and keep its configuration."""
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

    probe = ExpectationSuiteValidationResult(
        success=True,
        results=[ExpectationValidationResult(success=True, expectation_config=config, result={})],
        suite_name="probe",
    )
    (stored,) = gx_document(probe)["results"]
    if set(stored) != EXPECTED_RESULT_KEYS:
        return None
    return stored["expectation_config"]
