"""The Great Expectations project as files: a suite with its validation definition and
checkpoint, written under ``expectations/``.

It lists ingestion's suites (the offices' submissions and Phòng Nội vụ's records) and writes
any list of suites it is given; the whole platform's list, with the transform's mart suite,
is ``transform.suites`` (``python -m transform.suites --write``), so ingest needs nothing of
the transform. Kept apart from the builders so that no suite module imports the list that
names it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core import catalog as catalog_mod
from core.settings import EXPECTATIONS_DIR
from ingest.validation.emulation_suites import emulation_suites
from ingest.validation.suites import ASSETS, BATCH_DEFINITION, DATASOURCE, stable_id, submission_suite


def _validation_definition(suite: dict[str, Any], asset: str) -> dict[str, Any]:
    asset_id, batch_id = ASSETS[asset]
    return {
        "data": {
            "asset": {"id": asset_id, "name": asset},
            "batch_definition": {"id": batch_id, "name": BATCH_DEFINITION},
            "datasource": dict(DATASOURCE),
        },
        "id": stable_id("validation_definition", suite["name"]),
        "name": suite["name"],
        "suite": {"id": suite["id"], "name": suite["name"]},
    }


def _checkpoint(validation_definition: dict[str, Any]) -> dict[str, Any]:
    return {
        "actions": [],
        "id": stable_id("checkpoint", validation_definition["name"]),
        "name": validation_definition["name"],
        "result_format": {"result_format": "COMPLETE"},
        "validation_definitions": [{"id": validation_definition["id"], "name": validation_definition["name"]}],
    }


def ingestion_suites(cat: catalog_mod.Catalog) -> list[tuple[dict[str, Any], str]]:
    """Ingestion's suites with the data asset each runs on."""
    suites = [(submission_suite(cat, o.code), "submission_rows") for o in cat.offices.values() if o.submits]
    suites.extend(emulation_suites(cat))  # Phòng Nội vụ's records, one suite per kind
    return suites


def render_files(suites: list[tuple[dict[str, Any], str]]) -> dict[str, str]:
    """Relative path (under expectations/) -> file text, for every generated file of ``suites``."""
    files: dict[str, str] = {}
    for suite, asset in suites:
        definition = _validation_definition(suite, asset)
        files[f"expectations/{suite['name']}.json"] = _dump(suite)
        files[f"validation_definitions/{suite['name']}.json"] = _dump(definition)
        files[f"checkpoints/{suite['name']}.json"] = _dump(_checkpoint(definition))
    return files


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def stale_files(suites: list[tuple[dict[str, Any], str]], folder: Path = EXPECTATIONS_DIR) -> list[str]:
    """Generated files whose committed text differs from what ``suites`` render to now."""
    return [rel for rel, text in render_files(suites).items() if _read(folder / rel) != text]


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def write_suites(suites: list[tuple[dict[str, Any], str]], folder: Path = EXPECTATIONS_DIR) -> list[Path]:
    """Write the files of ``suites`` (the platform's whole list); remove stale generated ones."""
    files = render_files(suites)
    written = []
    for sub in ("expectations", "validation_definitions", "checkpoints"):
        for stale in (folder / sub).glob("*.json"):
            if f"{sub}/{stale.name}" not in files:
                stale.unlink()
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
