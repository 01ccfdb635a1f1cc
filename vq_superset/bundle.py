"""File-level work on the asset bundle: fill in the warehouse URL, and normalise exports.

Pure functions over YAML files (stdlib + PyYAML), importable from either venv, so the
Superset side renders and exports while the tests and ``vq_superset.export`` compare.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

ASSETS_DIR = Path(__file__).resolve().parents[1] / "superset" / "assets"
DB_URL_PLACEHOLDER = "__WAREHOUSE_READER_URL__"
BUNDLE_ROOT = "vanquan_assets"

# Keys whose values depend on the Superset instance (ids, timestamps, owners), not on us.
VOLATILE_TOP = {"timestamp"}


def render(target: Path, reader_url: str, source: Path = ASSETS_DIR) -> Path:
    """Copy the bundle under ``target/<root>`` with the reader role's URL in the database file."""
    root = target / BUNDLE_ROOT
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(source, root)
    for path in (root / "databases").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(DB_URL_PLACEHOLDER, reader_url), encoding="utf-8")
    return root


def load_tree(root: Path) -> dict[str, dict[str, Any]]:
    """``{uuid or 'metadata': document}`` of a bundle folder; keyed by UUID, not file name,
    because Superset names exported files after titles and ids."""
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(root.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = path.relative_to(root).parts[0]
        key = "metadata" if kind == "metadata.yaml" else f"{kind}/{doc['uuid']}"
        docs[key] = doc
    return docs


def _chart_refs(position: dict[str, Any]) -> dict[int, str]:
    return {
        node["meta"]["chartId"]: node["meta"]["uuid"]
        for node in position.values()
        if isinstance(node, dict) and node.get("type") == "CHART" and "chartId" in node.get("meta", {})
    }


def _normalise_dashboard(doc: dict[str, Any]) -> dict[str, Any]:
    refs = _chart_refs(doc.get("position", {}))
    for node in doc.get("position", {}).values():
        if isinstance(node, dict) and node.get("type") == "CHART":
            node["meta"].pop("chartId", None)
    meta = doc.get("metadata", {})
    for key in ("positions", "shared_label_colors", "map_label_colors", "color_scheme_domain"):
        meta.pop(key, None)
    for f in meta.get("native_filter_configuration", []):
        scope = f.get("scope", {})
        scope["excluded"] = sorted(refs.get(i, str(i)) for i in scope.get("excluded", []))
        f.pop("chartsInScope", None)
        f.pop("tabsInScope", None)
        for target in f.get("targets", []):
            target.pop("datasetId", None)
    meta.get("global_chart_configuration", {}).pop("chartsInScope", None)
    return doc


def _normalise_chart(doc: dict[str, Any]) -> dict[str, Any]:
    doc["params"].pop("datasource", None)
    doc["params"].pop("slice_id", None)
    if doc.get("query_context"):
        context = json.loads(doc["query_context"])
        context.pop("datasource", None)
        context.get("form_data", {}).pop("datasource", None)
        context.get("form_data", {}).pop("slice_id", None)
        for query in context.get("queries", []):
            query.pop("datasource", None)
        doc["query_context"] = context
    return doc


def normalise(docs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Drop what differs between two Superset instances holding the same assets."""
    out: dict[str, dict[str, Any]] = {}
    for key, doc in docs.items():
        doc = json.loads(json.dumps(doc))
        for volatile in VOLATILE_TOP:
            doc.pop(volatile, None)
        if key.startswith("databases/"):
            doc["sqlalchemy_uri"] = DB_URL_PLACEHOLDER
        elif key.startswith("datasets/"):
            doc["columns"] = sorted(doc.get("columns") or [], key=lambda c: c["column_name"])
            doc["metrics"] = sorted(doc.get("metrics") or [], key=lambda m: m["metric_name"])
        elif key.startswith("charts/"):
            doc = _normalise_chart(doc)
        elif key.startswith("dashboards/"):
            doc = _normalise_dashboard(doc)
        out[key] = doc
    return out


def differences(expected: dict[str, Any], actual: dict[str, Any], path: str = "") -> list[str]:
    """Human-readable list of where two normalised documents differ (empty when equal)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in actual:
                found.append(f"{where}: missing from export")
            elif key not in expected:
                found.append(f"{where}: only in export ({actual[key]!r:.80})")
            else:
                found.extend(differences(expected[key], actual[key], where))
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        found = []
        for n, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found.extend(differences(e, a, f"{path}[{n}]"))
        return found
    return [] if expected == actual else [f"{path}: committed {expected!r:.80} != exported {actual!r:.80}"]
