"""Export the live Superset's assets and show how they differ from the specs: a reviewable diff.

    .venv-superset/bin/python -m vq_superset.export        # make superset-export

A chart or dashboard changed in Superset's UI shows up as a unified diff of its normalised
YAML (ids, timestamps and owners left out), headed by the spec module to edit. Carry the change
into that spec, run ``python -m vq_superset.generate`` and the diff is empty again. Exit status:
0 when Superset holds exactly the specs, 1 when something differs (like ``diff``).
Runs in Superset's venv: the export goes through Superset's own command, in an app context.
"""

from __future__ import annotations

import contextlib
import difflib
import sys
import tempfile
from pathlib import Path
from typing import Any

from vq_superset import bundle, generate


def _key(rel: str, doc: dict[str, Any]) -> str:
    kind = rel.split("/")[0]
    return "metadata" if kind == "metadata.yaml" else f"{kind}/{doc['uuid']}"


def spec_docs() -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """(normalised documents keyed like ``bundle.load_tree``, key → "path (spec module)")."""
    docs: dict[str, dict[str, Any]] = {}
    where: dict[str, str] = {}
    for rel, (doc, source) in generate.bundle().items():
        key = _key(rel, doc)
        docs[key] = doc
        where[key] = f"{rel} (spec: {source})"
    return bundle.normalise(docs), where


def _lines(doc: dict[str, Any] | None) -> list[str]:
    return [] if doc is None else generate.dump(doc).splitlines(keepends=True)


def diff(exported: dict[str, dict[str, Any]]) -> str:
    """Unified diff, spec → Superset, of every asset that differs; empty when none does."""
    specs, where = spec_docs()
    exported = bundle.normalise(exported)
    out: list[str] = []
    for key in sorted(set(specs) | set(exported)):
        if key == "metadata":
            continue
        before, after = specs.get(key), exported.get(key)
        if before == after:
            continue
        label = where.get(key, f"{key} (only in Superset: no spec yet)")
        out.extend(difflib.unified_diff(_lines(before), _lines(after), f"spec {label}", f"superset {key}"))
    return "".join(out)


def export_and_diff() -> str:
    """Export through Superset (app context) into a temporary folder and diff it against the specs."""
    from vq_superset import service

    with tempfile.TemporaryDirectory(prefix="vq-export-") as tmp:
        # Superset prints its configuration banner on stdout: keep stdout for the diff alone
        with contextlib.redirect_stdout(sys.stderr):
            service.export_assets(Path(tmp))
        return diff(bundle.load_tree(Path(tmp)))


def main() -> None:
    text = export_and_diff()
    if text:
        sys.stdout.write(text)
        sys.exit(1)
    print("Superset holds exactly the specs.")


if __name__ == "__main__":
    main()
