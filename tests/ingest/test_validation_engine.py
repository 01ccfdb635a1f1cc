"""What the masks do when the suite and the frame disagree: an engineer's error, never a verdict."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ingest.validation import context


def test_a_frame_without_a_column_the_suite_names_is_an_engine_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path))
    frame = pd.DataFrame({"indicator_code": ["population"]})
    with pytest.raises(context.ValidationEngineError, match="names a column the frame lacks: 'admin_unit_code'"):
        context.run_checkpoint("submission_bhxh", frame, run_name="missing-column")
    assert not list((tmp_path / "gx").rglob("*.json"))  # nothing recorded
