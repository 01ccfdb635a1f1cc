"""The import graph flows one way: DAGs and commands -> the jobs -> the shared core.

Read from the code itself (every ``import`` and ``from ... import``, lazy ones inside
functions included, since a lazy import is still a dependency): which top-level package
may import which, no cycles between modules, no ``_private`` name taken from another
module, and ``core.settings`` as the only reader of the environment. docs/architecture.md
draws the same layers.

A known breach that its owner has not removed yet is listed below with the reason; the
test fails when one is fixed and still listed, so the lists only shrink.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top-level package -> the other packages it may import. Anything not listed may import
# nothing of the platform. Nothing may import dags; only bench may import runtime.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "ingest": {"core"},
    "transform": {"core", "ingest"},  # ingest.validation: the Great Expectations machinery
    "reporting": {"core"},
    "warehouse": {"core"},
    "sampledata": {"core", "ingest"},  # writes files the way offices do (ingest.templates)
    "standins": {"core", "sampledata"},
    "vq_superset": {"core"},
    "superset": {"core", "vq_superset"},  # the config and translation scripts Superset runs
    "airflow_plugins": {"core", "ingest"},
    "dags": {"core", "ingest", "transform", "reporting", "warehouse", "vq_superset"},
    "runtime": {"core", "ingest", "transform", "reporting", "warehouse", "sampledata", "standins", "vq_superset"},
    "bench": {
        "core",
        "ingest",
        "transform",
        "reporting",
        "warehouse",
        "sampledata",
        "standins",
        "vq_superset",
        "runtime",
    },
}
PACKAGES = tuple(ALLOWED)
# Harnesses that set variables for the code they measure may read them back to restore them.
ENVIRONMENT_HARNESSES = ("bench",)
ENVIRONMENT_READER = "core.settings"

# Known breaches, each (importer, imported) -> why it is still there.
KNOWN_LAYER_BREACHES: dict[tuple[str, str], str] = {}
KNOWN_CYCLES: dict[frozenset[str], str] = {}
KNOWN_PRIVATE_IMPORTS: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every platform module (tests, fixtures and generated files left out)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _resolve(name: str) -> str | None:
    """The platform module ``name`` refers to (the longest known prefix), if any."""
    if name == "common" or name.startswith("common."):
        name = "dags." + name  # DAG files import their shared package from the dags folder
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules():
            return candidate
        parts.pop()
    return None


@cache
def _tree(module: str) -> ast.Module:
    return ast.parse(modules()[module].read_text(encoding="utf-8"))


@cache
def imports() -> dict[str, set[str]]:
    """Module -> the platform modules it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for module in modules():
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.Import):
                targets = [_resolve(alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [_resolve(f"{node.module}.{a.name}") or _resolve(node.module) for a in node.names]
            else:
                continue
            graph[module].update(t for t in targets if t and t != module)
    return graph


def _package(module: str) -> str:
    return module.split(".")[0]


def layer_breaches() -> set[tuple[str, str]]:
    return {
        (module, target)
        for module, targets in imports().items()
        for target in targets
        if _package(target) != _package(module) and _package(target) not in ALLOWED[_package(module)]
    }


def cycles() -> set[frozenset[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    graph = imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.add(frozenset(group))

    for module in sorted(modules()):
        if module not in index:
            visit(module)
    return found


def private_imports() -> set[tuple[str, str]]:
    """(importer, module._name) for every private name one module takes from another."""
    found = set()
    for module in modules():
        aliases: dict[str, str] = {}
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                source = _resolve(node.module)
                for alias in node.names:
                    target = _resolve(f"{node.module}.{alias.name}")
                    if target and target == f"{source}.{alias.name}":
                        aliases[alias.asname or alias.name] = target  # a module imported by name
                    elif source and source != module and alias.name.startswith("_"):
                        found.add((module, f"{source}.{alias.name}"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    target = _resolve(alias.name)
                    if target and alias.asname:
                        aliases[alias.asname] = target
        for node in ast.walk(_tree(module)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and aliases[node.value.id] != module
            ):
                found.add((module, f"{aliases[node.value.id]}.{node.attr}"))
    return found


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _reads_environment(node: ast.AST) -> bool:
    """``os.getenv``, ``os.environ.get`` (or ``.copy``, ``.items``...), ``os.environ[...]`` as a
    value, ``dict(os.environ)``, ``{**os.environ}``. Setting a variable for a child process
    (``os.environ[...] =``, ``.setdefault``, ``.update``, ``.pop``) is not a read."""
    if isinstance(node, ast.Attribute):
        if node.attr == "getenv" and isinstance(node.value, ast.Name) and node.value.id == "os":
            return True
        return _is_os_environ(node.value) and node.attr not in {"setdefault", "update", "pop"}
    if isinstance(node, ast.Subscript):
        return _is_os_environ(node.value) and isinstance(node.ctx, ast.Load)
    if isinstance(node, ast.Call):
        return any(_is_os_environ(arg) for arg in node.args)
    if isinstance(node, ast.Dict):
        return any(key is None and _is_os_environ(value) for key, value in zip(node.keys, node.values, strict=True))
    return False


def environment_reads() -> set[tuple[str, int]]:
    """(module, line) of every read of the environment outside core.settings."""
    return {
        (module, node.lineno)
        for module in modules()
        if module != ENVIRONMENT_READER and _package(module) not in ENVIRONMENT_HARNESSES
        for node in ast.walk(_tree(module))
        if _reads_environment(node)
    }


def test_the_graph_is_read() -> None:
    """The walk sees the platform: core is imported by every layer that may import it."""
    assert {"core.settings", "core.catalog", "core.vocabulary", "transform.dbt_runner"} <= set(modules())
    importers = {_package(m) for m, targets in imports().items() if any(_package(t) == "core" for t in targets)}
    assert importers >= {"ingest", "transform", "reporting", "warehouse", "runtime", "dags", "vq_superset"}


def test_core_imports_nothing_of_the_platform() -> None:
    assert {(m, t) for m, t in layer_breaches() if _package(m) == "core"} == set()
    assert all(_package(t) == "core" for m, targets in imports().items() if _package(m) == "core" for t in targets)


def test_each_layer_imports_only_the_layers_below_it() -> None:
    assert layer_breaches() == set(KNOWN_LAYER_BREACHES)


def test_no_module_imports_a_dag_and_only_benchmarks_import_runtime() -> None:
    users = {(m, t) for m, targets in imports().items() for t in targets}
    assert {(m, t) for m, t in users if _package(t) == "dags" and _package(m) != "dags"} == set()
    assert {_package(m) for m, t in users if _package(t) == "runtime"} <= {"runtime", "bench"}


def test_no_import_cycles() -> None:
    assert cycles() == set(KNOWN_CYCLES)


def test_no_private_name_is_imported_from_another_module() -> None:
    assert private_imports() == set(KNOWN_PRIVATE_IMPORTS)


def test_core_settings_is_the_only_reader_of_the_environment() -> None:
    assert environment_reads() == set()


def test_the_environment_check_sees_reads_and_not_writes() -> None:
    source = (
        "import os\n"
        "a = os.environ.get('A')\n"
        "b = os.getenv('B')\n"
        "c = os.environ['C']\n"
        "d = dict(os.environ)\n"
        "e = {**os.environ}\n"
        "os.environ['F'] = '1'\n"
        "os.environ.setdefault('G', '1')\n"
        "os.environ.pop('H', None)\n"
    )
    lines = sorted({node.lineno for node in ast.walk(ast.parse(source)) if _reads_environment(node)})
    assert lines == [2, 3, 4, 5, 6]
    assert _resolve("common.defaults") == "dags.common.defaults"
    assert _resolve("core.settings.paths") == "core.settings"
