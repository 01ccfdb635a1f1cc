"""The committed suites are exactly what the catalog generates, and GX can load every one."""

from __future__ import annotations

from core import catalog
from ingest.validation import context
from transform.suites import all_suites, stale_suite_files


def test_committed_suites_match_the_catalog():
    assert stale_suite_files() == []


def test_every_suite_loads_in_gx_with_severity_and_messages(tmp_path, monkeypatch):
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path))
    ctx = context.get_context()
    for suite, _asset in all_suites(catalog.default()):
        loaded = ctx.suites.get(suite["name"])
        assert len(loaded.expectations) == len(suite["expectations"])
        for expectation in loaded.expectations:
            assert expectation.meta["severity"] in ("error", "rejected", "warning")
            assert expectation.meta["message_vi"]
        assert ctx.checkpoints.get(suite["name"]).validation_definitions[0].suite.name == suite["name"]
