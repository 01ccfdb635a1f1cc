"""Run a suite on a frame both ways, GX's own engine and the platform's masks, and compare.

The masks (``ingest.validation.masks``) replace GX's engine on every submission, so any
difference in a verdict, a count or a named row is a defect: the comparison is field by
field on each expectation's whole result.
"""

from __future__ import annotations

import json
from typing import Any

from ingest.validation import context, masks

SET_ORDERED = ("partial_unexpected_list", "partial_missing_list")


def _comparable(value: Any) -> Any:
    """A result as JSON would store it (tuples as lists, NaN as null), to compare exactly."""
    text = json.dumps(value, default=str, allow_nan=True)
    return json.loads(text, parse_constant=lambda c: None if c == "NaN" else c)


def differences(name: str, frame: Any) -> list[str]:
    """Every expectation of checkpoint ``name`` whose verdict or result differs between engines."""
    reference = context.run_checkpoint_with_gx(name, frame, run_name=f"agreement:{name}")
    ours = {r.expectation_config.id: r for r in masks.run_suite(context.suite(name), frame)}
    assert len(ours) == len(reference), (name, len(ours), len(reference))
    found = []
    for gx_result in reference:
        mine = ours[gx_result.expectation_config.id]
        expected, got = _comparable(gx_result.result), _comparable(mine.result)
        for key in SET_ORDERED:  # GX lists these in a set's order, which varies by process
            if isinstance(expected.get(key), list) and gx_result.expectation_config.type in masks.DISTINCT:
                expected[key] = sorted(expected[key], key=str)
        if gx_result.success != mine.success or expected != got:
            keys = sorted(k for k in set(expected) | set(got) if expected.get(k) != got.get(k))
            found.append(f"{name} {gx_result.expectation_config.type} {gx_result.expectation_config.kwargs}: {keys}")
    return found
