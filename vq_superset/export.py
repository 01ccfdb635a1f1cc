"""Export the live Superset's assets and show how they differ from the specs: a reviewable diff.

    .venv-superset/bin/python -m vq_superset.export                 # make superset-export
    .venv-superset/bin/python -m vq_superset.export --write         # make superset-export WRITE=1
    .venv-superset/bin/python -m vq_superset.export --write --root /path/to/a/checkout

A chart or dashboard changed in Superset's UI shows up as a unified diff of its normalised
YAML (ids, timestamps and owners left out), headed by the spec module to edit. Exit status:
0 when Superset holds exactly the specs, 1 when something differs (like ``diff``).

``--write`` carries the change into the specs instead (``vq_superset.writeback``): literals
edited in place, the YAML regenerated, so ``git diff`` shows both for review; what it cannot
write is listed as "edit by hand" with the field and Superset's value, and the exit status is
then 1. ``--root`` names the checkout to write into (default: the one this package is in).
Runs in Superset's venv: the export goes through Superset's own command, in an app context.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from core import settings
from vq_superset import bundle, generate

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


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


def _exported(tmp: Path) -> Path:
    """Export through Superset (app context) into ``tmp``."""
    from vq_superset import service

    # Superset prints its configuration banner on stdout: keep stdout for the diff alone
    with contextlib.redirect_stdout(sys.stderr):
        service.export_assets(tmp)
    return tmp


def export_and_diff() -> str:
    """Export into a temporary folder and diff it against the specs."""
    with tempfile.TemporaryDirectory(prefix="vq-export-") as tmp:
        return diff(bundle.load_tree(_exported(Path(tmp))))


def export_and_write(root: Path = PACKAGE_ROOT) -> int:
    """Export, then write back into the checkout at ``root`` with its own specs (a fresh
    interpreter there: ``vq_superset.writeback``); its exit status."""
    env = settings.environment()
    paths = [str(root), str(PACKAGE_ROOT), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(filter(None, paths)))
    with tempfile.TemporaryDirectory(prefix="vq-export-") as tmp:
        _exported(Path(tmp))
        sys.stdout.flush()
        command = [sys.executable, "-m", "vq_superset.writeback", tmp]
        return subprocess.run(command, cwd=root, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="carry Superset's changes into the specs")
    parser.add_argument("--root", type=Path, default=PACKAGE_ROOT, help="the checkout to write into")
    args = parser.parse_args(argv)
    if args.write:
        sys.exit(export_and_write(args.root.resolve()))
    text = export_and_diff()
    if text:
        sys.stdout.write(text)
        sys.exit(1)
    print("Superset holds exactly the specs.")


if __name__ == "__main__":
    main()
