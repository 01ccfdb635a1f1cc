"""The Great Expectations project as files: every suite with its validation definition and
checkpoint, written under ``expectations/`` (``python -m ingest.validate --write-suites``).

It lists every suite of the platform: the offices' submissions and Phòng Nội vụ's records
(``ingest.validation``) and the transform's mart suite. Kept apart from the builders so that
no suite module has to import the list that names it.
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


def all_suites(cat: catalog_mod.Catalog) -> list[tuple[dict[str, Any], str]]:
    """Every suite of the platform with the data asset it runs on."""
    from transform.mart_suite import mart_suite  # the one suite that is not ingestion's

    suites = [(submission_suite(cat, o.code), "submission_rows") for o in cat.offices.values() if o.submits]
    suites.append((mart_suite(cat), "mart_attainment"))
    suites.extend(emulation_suites(cat))  # Phòng Nội vụ's records, one suite per kind
    return suites


def render_files(cat: catalog_mod.Catalog) -> dict[str, str]:
    """Relative path (under expectations/) -> file text, for every generated file."""
    files: dict[str, str] = {}
    for suite, asset in all_suites(cat):
        definition = _validation_definition(suite, asset)
        files[f"expectations/{suite['name']}.json"] = _dump(suite)
        files[f"validation_definitions/{suite['name']}.json"] = _dump(definition)
        files[f"checkpoints/{suite['name']}.json"] = _dump(_checkpoint(definition))
    return files


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_suites(folder: Path = EXPECTATIONS_DIR, cat: catalog_mod.Catalog | None = None) -> list[Path]:
    """Regenerate the committed suite files from the catalog; remove stale generated ones."""
    files = render_files(cat or catalog_mod.default())
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
