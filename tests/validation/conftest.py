"""Every validation test here also proves the masks agree with GX on its rows."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.validation import context
from tests.validation.agreement import differences


@pytest.fixture(autouse=True)
def masks_agree_with_gx(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each suite run in these tests is judged by both engines before the test sees it."""
    run = context.run_checkpoint

    def both(name: str, frame: Any, run_name: str) -> list[Any]:
        assert differences(name, frame) == []
        return run(name, frame, run_name)

    monkeypatch.setattr(context, "run_checkpoint", both)
