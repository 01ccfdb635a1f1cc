"""The production docker-compose file, checked as far as possible without a Docker engine."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ingest import settings

ROOT = settings.REPO_ROOT
COMPOSE = ROOT / "docker-compose.yml"
REQUIRED = {
    "postgres",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "superset",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_every_required_service_is_there(compose: dict) -> None:
    assert set(compose["services"]) >= REQUIRED


def test_images_are_built_from_files_that_exist(compose: dict) -> None:
    for name, service in compose["services"].items():
        assert "image" in service or "build" in service, name
        if "build" in service:
            dockerfile = ROOT / service["build"].get("context", ".") / service["build"]["dockerfile"]
            assert dockerfile.exists(), f"{name}: {dockerfile}"
            for source in re.findall(r"^COPY (\S+)", dockerfile.read_text(), flags=re.MULTILINE):
                assert (ROOT / source).exists(), f"{dockerfile.name} copies {source}, which does not exist"


def test_commands_point_to_modules_that_exist(compose: dict) -> None:
    for name, service in compose["services"].items():
        command = " ".join(service.get("command", []))
        for module in re.findall(r"python -m ([\w.]+)", command):
            path = ROOT / module.replace(".", "/")
            assert path.with_suffix(".py").exists() or (path / "__main__.py").exists(), f"{name}: {module}"
        if "--project-dir" in command:
            assert (ROOT / command.split("--project-dir ")[1].split()[0] / "dbt_project.yml").exists()


def test_published_ports_do_not_clash(compose: dict) -> None:
    published = [p.split(":")[0] for s in compose["services"].values() for p in s.get("ports", [])]
    assert len(published) == len(set(published))


def test_inbox_is_a_volume_the_file_share_can_map(compose: dict) -> None:
    volumes = compose["services"]["airflow-scheduler"]["volumes"]
    assert any(v.startswith("${INBOX_SHARE") and v.endswith(":/var/lib/vanquan/inbox") for v in volumes)


def test_secrets_come_from_env_file() -> None:
    text = COMPOSE.read_text()
    assert "demo-" not in text
    example = (ROOT / ".env.example").read_text()
    for name in set(re.findall(r"\$\{(\w+)", text)):
        assert f"{name}=" in example, f"{name} is missing from .env.example"
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_docker_compose_config_passes_where_the_plugin_exists(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("the docker compose plugin is not installed here")
    env_file = tmp_path / ".env"
    names = re.findall(r"^(\w+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE)
    env_file.write_text("".join(f"{n}=x\n" for n in names))
    result = subprocess.run(
        [docker, "compose", "--env-file", str(env_file), "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
