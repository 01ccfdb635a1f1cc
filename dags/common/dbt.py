"""The dbt task group of the transform DAG, rendered by astronomer-cosmos from a manifest.

The manifest is built ahead of time (``make`` runs ``dbt parse``), so rendering costs a JSON
read, not a ``dbt ls``.
"""

from __future__ import annotations

from pathlib import Path

from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import LoadMode, TestBehavior


def dbt_task_group(repo_root: Path, platform_home: str) -> DbtTaskGroup:
    project_dir = repo_root / "dbt"
    manifest = Path(platform_home) / "dbt" / "target" / "manifest.json"
    return DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(dbt_project_path=project_dir, manifest_path=manifest),
        profile_config=ProfileConfig(
            profile_name="vanquan",
            target_name="warehouse",
            profiles_yml_filepath=project_dir / "profiles.yml",
        ),
        execution_config=ExecutionConfig(dbt_executable_path=str(repo_root / ".venv" / "bin" / "dbt")),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.BUILD,  # one `dbt build` per model: the model, then its tests
            # A relationships test needs both of its models built: run it after the later one.
            should_detach_multiple_parents_tests=True,
        ),
        # No per-model lineage Assets: the DAG publishes one marts Asset when the checks pass.
        operator_args={"install_deps": False, "pool": "warehouse", "emit_datasets": False},
        default_args={"retries": 1},
    )
