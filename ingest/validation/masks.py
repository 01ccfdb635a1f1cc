"""Judge a frame against a committed Great Expectations suite with vectorised pandas masks.

Why: GX 1.x evaluates every expectation through its metric graph (one ``DataFrame.query``
per row condition, configurations rebuilt over and over), about 0.45 s of fixed work per
office file whatever its size: more than reading and loading the file. The suites stay the
one statement of what a valid submission is: this module reads them and holds no rule of
its own, only what each of the expectation types the suites use means on a pandas frame.
Its results are GX's own result objects, recorded in GX's validation results store like a
checkpoint run's (Data Docs and ``audit.validation_results`` are unchanged), and
``tests/validation/test_masks_agree.py`` proves they equal GX's, field by field, on the
whole fixture corpus. A suite that uses a type this module does not know fails loudly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

PARTIAL = 20  # GX's partial_unexpected_count in the COMPLETE result format
MAX_VALUES = 200  # GX lists at most this many unexpected values (never fewer indices)


SINGLE_COLUMN = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_be_between",
    }
)
PAIRS = frozenset({"expect_column_pair_values_to_be_equal", "expect_column_pair_values_a_to_be_greater_than_b"})
DISTINCT = frozenset({"expect_column_distinct_values_to_contain_set", "expect_column_distinct_values_to_equal_set"})
KINDS = (
    SINGLE_COLUMN
    | PAIRS
    | DISTINCT
    | {
        "expect_column_to_exist",
        "expect_column_values_to_be_of_type",
        "expect_compound_columns_to_be_unique",
    }
)


class UnsupportedExpectation(RuntimeError):
    """A suite uses an expectation type (or option) the masks do not implement."""


@dataclass(frozen=True)
class Judged:
    """One expectation's verdict and its GX-shaped ``result`` (counts, values, row indices)."""

    success: bool
    result: dict[str, Any]


def condition_mask(frame: pd.DataFrame, condition: dict[str, Any] | None) -> pd.Series:
    """The rows a serialised GX row condition keeps (``==`` and ``IN`` never keep a null)."""
    if condition is None:
        return pd.Series(True, index=frame.index)
    kind = condition.get("type", "comparison")
    if kind == "and":
        mask = pd.Series(True, index=frame.index)
        for part in condition["conditions"]:
            mask &= condition_mask(frame, part)
        return mask
    if kind != "comparison":
        raise UnsupportedExpectation(f"row condition of type {kind!r}")
    column = frame[condition["column"]["name"]]
    operator, parameter = condition["operator"], condition["parameter"]
    if operator == "IN":
        return column.isin(list(parameter)).fillna(False).astype(bool)
    if operator == "==":
        return column.eq(parameter).fillna(False).astype(bool)
    if operator == "!=":
        return column.ne(parameter).fillna(True).astype(bool)
    raise UnsupportedExpectation(f"row condition operator {operator!r}")


def _plain(value: Any) -> Any:
    """A cell as GX reports it (numpy scalars become Python ones, like its JSON results)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _map_result(
    frame: pd.DataFrame,
    domain: np.ndarray,
    bad: np.ndarray,
    values: Callable[[np.ndarray], list[Any]],
    *,
    missing: np.ndarray | None,
) -> Judged:
    """GX's COMPLETE result of a map expectation from boolean arrays over the whole frame.

    ``domain`` is the rows the row condition keeps; ``bad`` the unexpected ones among them;
    ``missing`` the rows not judged for a missing value (``None``: the kind counts none).
    """
    element_count = int(domain.sum())
    positions = np.flatnonzero(bad & domain)
    unexpected_count = len(positions)
    unexpected_list = values(positions[:MAX_VALUES])
    index_list = frame.index[positions].tolist()
    result: dict[str, Any] = {"element_count": element_count, "unexpected_count": unexpected_count}
    if missing is None:
        result["unexpected_percent"] = unexpected_count / element_count * 100 if element_count else None
    else:
        missing_count = int((missing & domain).sum())
        nonmissing = element_count - missing_count
        total = unexpected_count / element_count * 100 if element_count else None
        nonmissing_pct = unexpected_count / nonmissing * 100 if element_count and nonmissing else None
        result["unexpected_percent"] = nonmissing_pct
    result["partial_unexpected_list"] = unexpected_list[:PARTIAL]
    if missing is not None:
        result.update(
            missing_count=missing_count,
            missing_percent=missing_count / element_count * 100 if element_count else None,
            unexpected_percent_total=total,
            unexpected_percent_nonmissing=nonmissing_pct,
        )
    hashable = [tuple(v.values()) if isinstance(v, dict) else v for v in unexpected_list]
    counts = sorted(Counter(hashable).most_common(PARTIAL), key=lambda kv: (-kv[1], kv[0]))
    result["partial_unexpected_counts"] = [{"value": k, "count": n} for k, n in counts]
    result["partial_unexpected_index_list"] = index_list[:PARTIAL]
    result["unexpected_list"] = unexpected_list
    result["unexpected_index_list"] = index_list
    result["unexpected_index_query"] = f"df.filter(items={index_list}, axis=0)"
    return Judged(unexpected_count == 0, result)


def _column_values(frame: pd.DataFrame, column: str) -> Callable[[np.ndarray], list[Any]]:
    return lambda positions: [_plain(v) for v in frame[column].iloc[positions].tolist()]


def _single_column(frame: pd.DataFrame, domain: np.ndarray, kind: str, kwargs: dict[str, Any]) -> Judged:
    """not_null, null, in_set and between: a column's values on the rows the condition keeps."""
    column = kwargs["column"]
    series = frame[column]
    missing = series.isna().to_numpy()
    values = _column_values(frame, column)
    if kind == "expect_column_values_to_not_be_null":
        return _map_result(frame, domain, missing, values, missing=None)
    if kind == "expect_column_values_to_be_null":
        return _map_result(frame, domain, ~missing, values, missing=None)
    if kind == "expect_column_values_to_be_in_set":
        bad = ~series.isin(list(kwargs["value_set"])).to_numpy(dtype=bool)
    elif kind == "expect_column_values_to_be_between":
        if kwargs.get("strict_min") or kwargs.get("strict_max"):
            raise UnsupportedExpectation("strict bounds")
        present = series[~missing]  # an object column cannot compare its nulls
        outside = np.zeros(len(present), dtype=bool)
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None:
            outside |= (present < low).to_numpy(dtype=bool)
        if high is not None:
            outside |= (present > high).to_numpy(dtype=bool)
        bad = np.zeros(len(series), dtype=bool)
        bad[~missing] = outside
    else:  # pragma: no cover - the dispatcher only sends the four kinds above
        raise UnsupportedExpectation(kind)
    return _map_result(frame, domain, bad & ~missing, values, missing=missing)


def _pair(frame: pd.DataFrame, domain: np.ndarray, kind: str, kwargs: dict[str, Any]) -> Judged:
    """Two columns compared row by row; a row missing either value is not judged."""
    if kwargs.get("ignore_row_if", "both_values_are_missing") != "either_value_is_missing":
        raise UnsupportedExpectation(f"{kind} with ignore_row_if={kwargs.get('ignore_row_if')!r}")
    a, b = frame[kwargs["column_A"]], frame[kwargs["column_B"]]
    missing = (a.isna() | b.isna()).to_numpy()
    if kind == "expect_column_pair_values_to_be_equal":
        bad = a.ne(b)
    elif kwargs.get("or_equal"):
        bad = ~(a >= b)
    else:
        bad = ~(a > b)

    def values(positions: np.ndarray) -> list[Any]:
        pairs = zip(a.iloc[positions].tolist(), b.iloc[positions].tolist(), strict=True)
        return [(_plain(x), _plain(y)) for x, y in pairs]

    return _map_result(frame, domain, bad.to_numpy(dtype=bool) & ~missing, values, missing=missing)


def _compound_unique(frame: pd.DataFrame, domain: np.ndarray, kwargs: dict[str, Any]) -> Judged:
    """Every row of a key that occurs twice or more is unexpected (``ignore_row_if`` rows skip)."""
    columns = list(kwargs["column_list"])
    keys = frame[columns]
    ignore = kwargs.get("ignore_row_if", "all_values_are_missing")
    if ignore == "all_values_are_missing":
        missing = keys.isna().all(axis=1).to_numpy()
    elif ignore == "any_value_is_missing":
        missing = keys.isna().any(axis=1).to_numpy()
    elif ignore == "never":
        missing = np.zeros(len(frame), dtype=bool)
    else:
        raise UnsupportedExpectation(f"compound uniqueness with ignore_row_if={ignore!r}")
    judged = domain & ~missing
    bad = np.zeros(len(frame), dtype=bool)
    bad[judged] = keys[judged].duplicated(keep=False).to_numpy()

    def values(positions: np.ndarray) -> list[Any]:
        tuples = keys.iloc[positions].itertuples(index=False)
        return [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in tuples]

    return _map_result(frame, domain, bad, values, missing=missing)


def _distinct(frame: pd.DataFrame, domain: np.ndarray, kind: str, kwargs: dict[str, Any]) -> Judged:
    """The column's set of values against the expected set (GX lists at most 20 of each side).

    GX lists them in a set's order, which varies between processes; they are sorted here.
    """
    present = {_plain(v) for v in frame[kwargs["column"]][domain].dropna().unique()}
    expected = set(kwargs["value_set"])
    missing = sorted(expected - present, key=str)
    result: dict[str, Any] = {"observed_value": None}
    if kind == "expect_column_distinct_values_to_equal_set":
        extra = sorted(present - expected, key=str)
        result.update(unexpected_count=len(extra), missing_count=len(missing))
        result.update(partial_unexpected_list=extra[:PARTIAL], partial_missing_list=missing[:PARTIAL])
        return Judged(not extra and not missing, result)
    result.update(missing_count=len(missing), partial_missing_list=missing[:PARTIAL])
    return Judged(not missing, result)


_NUMPY_TYPES = {"float64": np.float64, "int64": np.int64, "bool": np.bool_}


def _of_type(frame: pd.DataFrame, kwargs: dict[str, Any]) -> Judged:
    """A column's dtype (GX judges the dtype, not the values, unless the column holds objects)."""
    dtype = frame[kwargs["column"]].dtype
    expected = kwargs["type_"]
    if pd.api.types.is_object_dtype(dtype):
        raise UnsupportedExpectation(f"type check of an object column {kwargs['column']!r}")
    observed = dtype.type.__name__
    success = observed == expected or dtype.type is _NUMPY_TYPES.get(expected)
    return Judged(bool(success), {"observed_value": observed})


def judge(
    frame: pd.DataFrame, kind: str, kwargs: dict[str, Any], conditions: dict[str, np.ndarray] | None = None
) -> Judged:
    """One expectation of ``kind`` with its GX ``kwargs`` on ``frame``.

    ``conditions`` caches row-condition masks across the expectations of one run.
    """
    if kwargs.get("mostly", 1) != 1:
        raise UnsupportedExpectation(f"{kind} with mostly={kwargs['mostly']}")
    if kind == "expect_column_to_exist":
        return Judged(kwargs["column"] in frame.columns, {})
    if kind == "expect_column_values_to_be_of_type":
        return _of_type(frame, kwargs)
    condition = kwargs.get("row_condition")
    cache = conditions if conditions is not None else {}
    key = repr(condition)
    if key not in cache:
        cache[key] = condition_mask(frame, condition).to_numpy(dtype=bool)
    domain = cache[key]
    if kind in SINGLE_COLUMN:
        return _single_column(frame, domain, kind, kwargs)
    if kind in PAIRS:
        return _pair(frame, domain, kind, kwargs)
    if kind in DISTINCT:
        return _distinct(frame, domain, kind, kwargs)
    if kind == "expect_compound_columns_to_be_unique":
        return _compound_unique(frame, domain, kwargs)
    raise UnsupportedExpectation(kind)


def run_suite(suite: Any, frame: pd.DataFrame) -> list[Any]:
    """GX ``ExpectationValidationResult``s of every expectation of ``suite`` on ``frame``."""
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

    results = []
    conditions: dict[str, np.ndarray] = {}
    for expectation in suite.expectations:
        config = expectation.configuration
        kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
        verdict = judge(frame, config.type, kwargs, conditions)
        results.append(
            ExpectationValidationResult(
                success=verdict.success,
                expectation_config=config,
                result=verdict.result,
                exception_info={"raised_exception": False, "exception_traceback": None, "exception_message": None},
            )
        )
    return results
