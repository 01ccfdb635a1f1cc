"""The dbt task group of the transform DAG, rendered by astronomer-cosmos from a manifest.

The manifest is built ahead of time (``make`` runs ``dbt parse``), so rendering costs a JSON
read, not a ``dbt ls``.
"""

from __future__ import annotations

from pathlib import Path

from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import LoadMode, TestBehavior


def dbt_task_group(repo_root: Path) -> DbtTaskGroup:
    """The transform's dbt tasks; the dbt executable and the manifest come from the settings,
    so an image that installs dbt elsewhere (``DBT_EXECUTABLE``, ``DBT_MANIFEST_PATH``) works."""
    from core import settings

    project_dir = repo_root / "dbt"
    manifest = settings.dbt_manifest_path()
    return DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(dbt_project_path=project_dir, manifest_path=manifest),
        profile_config=ProfileConfig(
            profile_name="vanquan",
            target_name="warehouse",
            profiles_yml_filepath=project_dir / "profiles.yml",
        ),
        execution_config=ExecutionConfig(dbt_executable_path=settings.dbt_executable()),
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
