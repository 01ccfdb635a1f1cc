"""Carry what a person changed in Superset's UI back into the specs, then regenerate the YAML.

    .venv-superset/bin/python -m vq_superset.export --write     # make superset-export WRITE=1

``export --write`` exports the live Superset into a temporary folder and runs this module on it
inside the checkout (``--root``, by default this one): it compares each exported chart and
dashboard with what its spec renders and, for every field the spec states as a literal, edits
that literal in the spec's source in place (found through the syntax tree by the asset's UUID,
which the spec holds; the rest of the file keeps its bytes), then runs ``vq_superset.generate``
so ``git diff`` shows the change in the spec and in ``superset/assets/`` together, for review.

Written back: a chart's name and description, its metrics' labels, and the scalar viz params a
spec may state (``ascending``, ``horizontal``, ``search``, ``row_limit``, ``colour_scheme``);
a dashboard's title. Everything else that differs is listed as "edit by hand" with the exact
field and Superset's value, and the exit status is 1: a changed SQL or column list, a chart new
in the UI, a value a builder computes or a shared constant holds (editing it would change other
charts too), an Explore control the specs do not state. The saved query context is not compared:
Superset's UI rebuilds it on save and the renderer rebuilds it from the form data. Writing twice
changes nothing the second time (a literal already holding Superset's value is left alone).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import settings
from vq_superset import bundle, generate, render, specs
from vq_superset.model import Chart, Dashboard

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
SPECS_DIR = Path(specs.__file__).resolve().parent

Path_ = tuple[str | int, ...]


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


MISSING: Any = _Missing()


def _text(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _optional_text(value: Any) -> Any:
    return _text(value) or None


@dataclass(frozen=True)
class Binding:
    """A field of Superset's document (``*`` for any list index) and the spec field it renders from."""

    asset: Path_
    spec: Path_
    decode: Callable[[Any], Any] = _text


CHART_BINDINGS = (
    Binding(("slice_name",), ("name",)),
    Binding(("description",), ("description",), _optional_text),
    Binding(("params", "metrics", "*", "label"), ("params", "metrics", "*", "label")),
    Binding(("params", "metric", "label"), ("params", "metric", "label")),
    Binding(("params", "x_axis_sort_asc"), ("params", "ascending")),
    Binding(("params", "orientation"), ("params", "horizontal"), lambda v: v == "horizontal"),
    Binding(("params", "include_search"), ("params", "search")),
    Binding(("params", "row_limit"), ("params", "row_limit")),
    Binding(("params", "linear_color_scheme"), ("params", "colour_scheme")),
    Binding(("params", "color_scheme"), ("params", "colour_scheme")),
)
DASHBOARD_BINDINGS = (Binding(("dashboard_title",), ("title",)),)
# never written back, whatever binds them: a query is reviewed with the marts it reads
BY_HAND_ONLY = {
    "sqlExpression": "a changed SQL: review it against the marts and edit the spec by hand",
    "sql": "a changed SQL: review it against the marts and edit vq_superset/datasets.py by hand",
}


@dataclass(frozen=True)
class Edit:
    """Set the spec field ``field`` of the asset with ``uuid`` to ``value``."""

    asset: str
    uuid: str
    field: Path_
    value: Any


@dataclass(frozen=True)
class ByHand:
    """A difference this tool does not write: where, Superset's value, and why."""

    asset: str
    field: str
    value: Any
    reason: str

    def __str__(self) -> str:
        return f"{self.asset} {self.field} = {_shown(self.value)}: {self.reason}"


def _shown(value: Any) -> str:
    return repr(value) if value is MISSING else json.dumps(value, ensure_ascii=False)


def dotted(path: Path_) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(the whole asset)"


# ---------------------------------------------------------------- what differs
def leaves(before: Any, after: Any, path: Path_ = ()) -> list[tuple[Path_, Any, Any]]:
    """Every (path, spec value, Superset value) where two documents differ, at the deepest level."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in [*before, *(k for k in after if k not in before)]:
            found += leaves(before.get(key, MISSING), after.get(key, MISSING), (*path, key))
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [leaf for n, (b, a) in enumerate(zip(before, after, strict=True)) for leaf in leaves(b, a, (*path, n))]
    return [] if before == after else [(path, before, after)]


DERIVED_KEYS = frozenset({"optionName", "sliceName"})


def _compared(doc: dict[str, Any]) -> dict[str, Any]:
    """A normalised document without what neither side states on its own: the saved query
    context (Superset's UI rebuilds it on save, the renderer from the form data), the metric
    ids the renderer derives, and the chart names a dashboard's layout repeats (Superset shows
    the chart's own name; ``sliceNameOverride`` is the layout's own and stays compared)."""
    doc = {k: v for k, v in doc.items() if k != "query_context"}
    if doc.get("description") == "":
        doc["description"] = None  # Superset's UI saves a cleared description as ""
    return json.loads(json.dumps(doc), object_hook=lambda d: {k: v for k, v in d.items() if k not in DERIVED_KEYS})


def _matches(pattern: Path_, path: Path_) -> dict[str, int] | None:
    if len(pattern) != len(path):
        return None
    index: dict[str, int] = {}
    for want, got in zip(pattern, path, strict=True):
        if want == "*" and isinstance(got, int):
            index["*"] = got
        elif want != got:
            return None
    return index


def _bound(bindings: Iterable[Binding], path: Path_, value: Any) -> tuple[Path_, Any] | None:
    for binding in bindings:
        index = _matches(binding.asset, path)
        if index is not None:
            field = tuple(index.get("*", 0) if step == "*" else step for step in binding.spec)
            return field, binding.decode(value)
    return None


def with_value(obj: Any, path: Path_, value: Any) -> Any:
    """``obj`` (spec dataclasses, mappings, tuples) with the field at ``path`` set to ``value``."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if dataclasses.is_dataclass(obj) and isinstance(step, str):
        return dataclasses.replace(obj, **{step: with_value(getattr(obj, step), rest, value)})
    if isinstance(obj, Mapping):
        return {**obj, step: with_value(obj.get(step, MISSING), rest, value)}
    if isinstance(obj, tuple) and isinstance(step, int):
        return (*obj[:step], with_value(obj[step], rest, value), *obj[step + 1 :])
    raise KeyError(dotted(path))


def _normalised(key: str, doc: dict[str, Any]) -> dict[str, Any]:
    return _compared(bundle.normalise({key: doc})[key])


def _proposals(
    key: str, spec_doc: dict[str, Any], exported: dict[str, Any], bindings: Iterable[Binding]
) -> tuple[list[tuple[Path_, Path_, Any]], list[tuple[Path_, Any]]]:
    """(asset path, spec field, value) of each bound difference, and the unbound ones."""
    bound, unbound = [], []
    for path, _, value in leaves(spec_doc, exported):
        target = _bound(bindings, path, value)
        if target is None:
            unbound.append((path, value))
        else:
            bound.append((path, *target))
    return bound, unbound


def plan(
    exported: dict[str, dict[str, Any]], dashboards: tuple[Dashboard, ...] | None = None
) -> tuple[list[Edit], list[ByHand]]:
    """What to write into the specs and what is left to a person, for a normalised export.

    A bound difference becomes an edit only if rendering the spec with it makes that field
    equal Superset's (a binding the chart's renderer ignores stays by hand)."""
    dashboards = specs.discover() if dashboards is None else dashboards
    charts = generate.charts_of(dashboards)
    ids = generate.local_ids(charts)
    edits: list[Edit] = []
    by_hand: list[ByHand] = []
    edited_charts: dict[str, Chart] = {}

    def settle(
        key: str, label: str, uuid: str, obj: Any, doc_of: Callable[[Any], dict[str, Any]], bindings: Iterable[Binding]
    ) -> Any:
        """Record the edits and the by-hand items of one asset; the asset as edited."""
        theirs = _compared(exported[key])
        bound, unbound = _proposals(key, _normalised(key, doc_of(obj)), theirs, bindings)
        candidate = obj
        for _, field, value in bound:
            try:
                candidate = with_value(candidate, field, value)
            except (KeyError, IndexError, TypeError):
                continue
        still = {path for path, _, _ in leaves(_normalised(key, doc_of(candidate)), theirs)}
        for path, field, value in bound:
            if path[-1] in BY_HAND_ONLY:
                by_hand.append(ByHand(label, dotted(path), value, BY_HAND_ONLY[str(path[-1])]))
            elif path in still:
                by_hand.append(ByHand(label, dotted(path), value, "the spec renders no field that sets this"))
            else:
                edits.append(Edit(label, uuid, field, value))
        for path, value in unbound:
            if path not in still:
                continue  # follows from a field written back (e.g. the layout repeating a chart's name)
            reason = BY_HAND_ONLY.get(str(path[-1]), "not a value the spec states as a literal")
            by_hand.append(ByHand(label, dotted(path), value, reason))
        return candidate

    for uuid, (chart, dashboard) in charts.items():
        key, label = f"charts/{uuid}", f"charts/{chart.key} ({generate.spec_module(dashboard)})"
        if key not in exported:
            by_hand.append(ByHand(label, "(the whole chart)", MISSING, "not in Superset: deleted in the UI?"))
            continue
        edited_charts[uuid] = settle(key, label, uuid, chart, render.chart_yaml, CHART_BINDINGS)

    def swap(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(edited_charts.get(getattr(i, "uuid", ""), i) for i in items)

    def dashboard_doc(dash: Dashboard) -> dict[str, Any]:
        """The dashboard as it renders with the charts' edits (its layout repeats their names)."""
        filters = tuple(
            dataclasses.replace(f, excluded=swap(f.excluded), applies_to=swap(f.applies_to)) for f in dash.filters
        )
        rows = tuple(swap(row) for row in dash.rows)
        return render.dashboard_yaml(dataclasses.replace(dash, rows=rows, filters=filters), ids)

    for dash in dashboards:
        key, label = f"dashboards/{dash.uuid}", f"dashboards/{dash.key} ({generate.spec_module(dash)})"
        if key not in exported:
            by_hand.append(ByHand(label, "(the whole dashboard)", MISSING, "not in Superset: deleted in the UI?"))
            continue
        settle(key, label, dash.uuid, dash, dashboard_doc, DASHBOARD_BINDINGS)

    from vq_superset.datasets import DATASETS

    known = {f"charts/{u}" for u in charts} | {f"dashboards/{d.uuid}" for d in dashboards}
    datasets = {f"datasets/{d.uuid}": render.dataset_yaml(d) for d in DATASETS}
    for key in sorted(set(exported) - known):
        doc = exported[key]
        if key.startswith("charts/"):
            name = doc.get("slice_name")
            by_hand.append(
                ByHand(
                    f"{key} «{name}» ({doc.get('viz_type')})",
                    "(the whole chart)",
                    MISSING,
                    "new in the UI: add a Chart with this uuid to a spec",
                )
            )
        elif key.startswith("dashboards/"):
            by_hand.append(
                ByHand(
                    f"{key} «{doc.get('dashboard_title')}»",
                    "(the whole dashboard)",
                    MISSING,
                    "new in the UI: add a spec module for it",
                )
            )
        elif key in datasets:
            for path, _, value in leaves(_normalised(key, datasets[key]), _compared(doc)):
                by_hand.append(
                    ByHand(
                        f"{key} ({doc.get('table_name')}, vq_superset/datasets.py)",
                        dotted(path),
                        value,
                        "datasets are written by hand",
                    )
                )
        elif key.startswith("datasets/"):
            by_hand.append(
                ByHand(
                    f"{key} ({doc.get('table_name')})",
                    "(the whole dataset)",
                    MISSING,
                    "new in the UI: add it to vq_superset/datasets.py",
                )
            )
    return edits, by_hand


# ---------------------------------------------------------------- the spec's source
class NotWritable(Exception):
    """The field is not a literal of the spec's source this tool may edit."""


@dataclass(frozen=True)
class TextEdit:
    """Replace source bytes ``start:end`` with ``text`` (UTF-8 offsets, as the syntax tree gives)."""

    start: int
    end: int
    text: str


def literal(value: Any) -> str:
    """Python source for a scalar (strings in double quotes, as the formatter writes them)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    raise NotWritable(f"{_shown(value)} is not a scalar")


def _offsets(source: bytes) -> list[int]:
    starts = [0]
    for n, byte in enumerate(source):
        if byte == 0x0A:
            starts.append(n + 1)
    return starts


def _start(node: ast.AST, lines: list[int]) -> int:
    return lines[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]


def _end(node: ast.AST, lines: list[int]) -> int:
    return lines[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]


def _call_with(tree: ast.AST, uuid: str) -> list[ast.Call]:
    """Calls that take ``uuid`` as a literal argument: where the asset is made."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            values = [*node.args, *(k.value for k in node.keywords)]
            if any(isinstance(v, ast.Constant) and v.value == uuid for v in values):
                found.append(node)
    return found


def _arguments(call: ast.Call, namespace: Mapping[str, Any]) -> tuple[str, dict[str, ast.expr], set[str]]:
    """(callee, parameter → argument node, every parameter) of a call, bound to its signature."""
    callee = ast.unparse(call.func)
    target: Any = namespace.get(callee) if isinstance(call.func, ast.Name) else None
    if target is None:
        raise NotWritable(f"`{callee}` is not a name of the spec module")
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise NotWritable(f"`{callee}(...)` unpacks its arguments")
    signature = inspect.signature(target)
    try:
        bound = signature.bind_partial(*call.args, **{k.arg: k.value for k in call.keywords if k.arg})
    except TypeError as err:
        raise NotWritable(f"`{callee}(...)` does not match its signature: {err}") from err
    return callee, dict(bound.arguments), set(signature.parameters)


def _append(container: ast.Call | ast.Dict, entry: str, source: bytes, lines: list[int]) -> TextEdit:
    """An entry added after the last one, on its own line if the container spans lines."""
    items: list[ast.AST] = (
        [*container.args, *container.keywords] if isinstance(container, ast.Call) else list(container.values)
    )
    if not items:
        after = _end(container.func, lines) if isinstance(container, ast.Call) else _start(container, lines)
        opening = source.index(b"(" if isinstance(container, ast.Call) else b"{", after) + 1
        return TextEdit(opening, opening, entry)
    last = max(items, key=lambda n: (n.end_lineno, n.end_col_offset))  # type: ignore[attr-defined]
    at = _end(last, lines)
    if last.lineno == container.lineno:  # type: ignore[attr-defined]
        return TextEdit(at, at, f", {entry}")
    first_of_line = lines[last.lineno - 1]  # type: ignore[attr-defined]
    line = source[first_of_line : source.index(b"\n", first_of_line)].decode("utf-8")
    indent = line[: len(line) - len(line.lstrip())]
    return TextEdit(at, at, f",\n{indent}{entry}")


def locate(source: str, namespace: Mapping[str, Any], uuid: str, field: Path_, value: Any) -> TextEdit | None:
    """The source edit that sets ``field`` of the asset made with ``uuid`` to ``value``; None when
    the literal already says so. Follows calls (bound to their signatures), dict keys and tuple
    items; never a name (a shared constant or a builder's local would change other assets)."""
    raw = source.encode("utf-8")
    lines = _offsets(raw)
    calls = _call_with(ast.parse(source), uuid)
    if len(calls) != 1:
        raise NotWritable(f"the uuid {uuid} is a literal argument of {len(calls)} calls here, not one")
    node: ast.AST = calls[0]
    text = literal(value)
    for n, step in enumerate(field):
        last = n == len(field) - 1
        if isinstance(node, ast.Call):
            callee, arguments, parameters = _arguments(node, namespace)
            if step not in parameters:
                raise NotWritable(f"`{callee}(...)` computes it (it has no parameter {step!r})")
            if step not in arguments:
                if not last:
                    raise NotWritable(f"`{callee}(...)` uses its default {step!r}")
                return _append(node, f"{step}={text}", raw, lines)
            node = arguments[str(step)]
        elif isinstance(node, ast.Dict):
            keys = [i for i, k in enumerate(node.keys) if isinstance(k, ast.Constant) and k.value == step]
            if not keys:
                if not last or any(k is None for k in node.keys):
                    raise NotWritable(f"{{...}} has no key {step!r}")
                return _append(node, f"{literal(step)}: {text}", raw, lines)
            node = node.values[keys[0]]
        elif isinstance(node, ast.Tuple | ast.List) and isinstance(step, int) and step < len(node.elts):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                raise NotWritable(f"`{ast.unparse(node)}` unpacks other items")
            node = node.elts[step]
        else:
            raise NotWritable(f"it comes from `{ast.unparse(node)}`, not a literal (edit that)")
    if not isinstance(node, ast.Constant):
        raise NotWritable(f"it is computed by `{ast.unparse(node)}`, not a literal")
    if type(node.value) is type(value) and node.value == value:
        return None
    return TextEdit(_start(node, lines), _end(node, lines), text)


def apply(source: str, edits: Iterable[TextEdit]) -> str:
    """The source with the edits made (from the last to the first, so offsets stay valid)."""
    raw = source.encode("utf-8")
    done: list[TextEdit] = []
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end), reverse=True):
        if done and edit.end > done[-1].start:
            raise ValueError("two write-backs edit the same text")
        raw = raw[: edit.start] + edit.text.encode("utf-8") + raw[edit.end :]
        done.append(edit)
    return raw.decode("utf-8")


def _spec_sources(directory: Path = SPECS_DIR) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.py")) if p.name != "__init__.py"}


def write(edits: list[Edit], directory: Path = SPECS_DIR) -> tuple[list[str], list[ByHand]]:
    """Make the edits in the spec sources; (what was written, what could not be)."""
    sources = _spec_sources(directory)
    changes: dict[Path, list[TextEdit]] = {}
    written: list[str] = []
    refused: list[ByHand] = []
    for edit in edits:
        homes = [p for p, text in sources.items() if edit.uuid in text]
        where = dotted(edit.field)
        if len(homes) != 1:
            refused.append(ByHand(edit.asset, where, edit.value, f"its uuid is in {len(homes)} spec files, not one"))
            continue
        path = homes[0]
        module = importlib.import_module(f"{specs.__name__}.{path.stem}")
        try:
            change = locate(sources[path], vars(module), edit.uuid, edit.field, edit.value)
        except NotWritable as why:
            refused.append(ByHand(edit.asset, where, edit.value, f"{why}; edit by hand"))
            continue
        if change is not None:
            changes.setdefault(path, []).append(change)
            line = sources[path].encode("utf-8")[: change.start].count(b"\n") + 1
            rel = path.relative_to(directory.parents[1])
            written.append(f"{rel}:{line} {edit.asset} {where} = {literal(edit.value)}")
    for path, text_edits in changes.items():
        path.write_text(apply(sources[path], text_edits), encoding="utf-8")
    return written, refused


def regenerate(root: Path = PACKAGE_ROOT) -> None:
    """``vq_superset.generate`` in a fresh interpreter: this one holds the specs as they were."""
    env = settings.environment()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    subprocess.run([sys.executable, "-m", "vq_superset.generate"], cwd=root, env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    """Write back the export in the folder given; 0 when nothing is left to edit by hand."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        raise SystemExit("usage: python -m vq_superset.writeback EXPORTED_FOLDER")
    exported = bundle.normalise(bundle.load_tree(Path(args[0])))
    edits, by_hand = plan(exported)
    written, refused = write(edits)
    by_hand += refused
    if written:
        print(f"Wrote back {len(written)} change(s) into the specs:")
        print("".join(f"  {line}\n" for line in written), end="")
        regenerate()
        print("Regenerated superset/assets/: review both with `git diff`.")
    if by_hand:
        print(f"Edit by hand ({len(by_hand)}): the specs cannot take these from Superset automatically:")
        print("".join(f"  {item}\n" for item in by_hand), end="")
        return 1
    if not written:
        print("Superset holds exactly the specs: nothing to write back.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
