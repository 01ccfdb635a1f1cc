"""Great Expectations Data Docs: a static site of the suites and of every stored run."""

from __future__ import annotations

from pathlib import Path

from core import settings
from ingest.validation import context


def build_data_docs() -> Path:
    """(Re)build the site under ``settings.paths().data_docs``; return its ``index.html``."""
    site = settings.paths().data_docs
    site.mkdir(parents=True, exist_ok=True)
    context.get_context().build_data_docs(site_names=["local_site"])
    return site / "index.html"
