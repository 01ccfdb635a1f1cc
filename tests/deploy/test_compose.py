"""The production docker-compose file, checked as far as possible without a Docker engine."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from core import settings

ROOT = settings.REPO_ROOT
COMPOSE = ROOT / "docker-compose.yml"
REQUIRED = {
    "postgres",
    "warehouse-init",
    "airflow-init",
    "superset-init",
    "proxy",
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


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_only_the_one_shot_init_sees_the_superuser_url(compose: dict) -> None:
    holders = []
    for name, service in compose["services"].items():
        env = _env(service)
        text = yaml.safe_dump({"env": env, "command": service.get("command")})
        if "WAREHOUSE_URL" in env or "postgresql://postgres:" in text or "WAREHOUSE_ADMIN_PASSWORD" in text:
            holders.append(name)
    # postgres itself is given its superuser password to create it; only warehouse-init connects with it
    assert sorted(holders) == ["postgres", "warehouse-init"]
    assert "WAREHOUSE_URL" not in _env(compose["services"]["postgres"])
    init = compose["services"]["warehouse-init"]
    assert init["restart"] == "no"
    assert init["command"] == ["python", "-m", "warehouse.bootstrap"]
    for name in ("airflow-scheduler", "airflow-apiserver", "superset", "superset-init", "airflow-init"):
        env = _env(compose["services"][name])
        assert env["WAREHOUSE_HOST"] == "postgres", name
        assert env["PLATFORM_MODE"] == "production", name


def test_every_published_port_is_on_loopback_and_the_proxy_is_the_way_in(compose: dict) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            text = str(port)
            if name == "proxy":
                assert text.startswith("${PROXY_BIND:-127.0.0.1}:"), text
            else:
                assert text.startswith("127.0.0.1:"), f"{name}: {text}"
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert {p.rsplit(":", 1)[1] for p in proxy["ports"]} == {"443", "8443"}
    assert any(v.startswith("${TLS_CERT_DIR") and v.endswith(":/certs:ro") for v in proxy["volumes"])
    caddyfile = (ROOT / "docker" / "Caddyfile").read_text()
    assert "tls /certs/tls.crt /certs/tls.key" in caddyfile
    assert "reverse_proxy superset:8088" in caddyfile and "reverse_proxy airflow-apiserver:8080" in caddyfile
    assert any(v.startswith("./docker/Caddyfile:") for v in proxy["volumes"])


def test_airflow_uses_fab_with_a_fernet_key_and_users_from_code(compose: dict) -> None:
    for name in (
        "airflow-init",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
    ):
        env = _env(compose["services"][name])
        assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("fab_auth_manager.FabAuthManager"), name
        assert env["AIRFLOW__CORE__FERNET_KEY"] == "${AIRFLOW_FERNET_KEY:?set in .env}", name
        assert env["AIRFLOW_ADMIN_PASSWORD"] == "${AIRFLOW_ADMIN_PASSWORD:?set in .env}", name
        assert "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS" not in env
        assert env["DBT_EXECUTABLE"] and env["DBT_MANIFEST_PATH"].endswith("manifest.json")
    command = " ".join(compose["services"]["airflow-init"]["command"])
    assert "python -m runtime.airflow_users" in command and "python -m runtime dbt-parse" in command
    # The image installs exactly uv.lock, and the lock holds the FAB provider the services name.
    assert "uv sync --frozen" in (ROOT / "docker" / "airflow.Dockerfile").read_text()
    assert 'name = "apache-airflow-providers-fab"' in (ROOT / "uv.lock").read_text()


def test_superset_is_initialised_by_compose_with_its_secrets(compose: dict) -> None:
    init = compose["services"]["superset-init"]
    service = "python -m vq_superset.service"
    assert init["command"] == ["bash", "-c", f"{service} init && {service} import"]
    assert compose["services"]["superset"]["depends_on"]["superset-init"]["condition"] == (
        "service_completed_successfully"
    )
    for name in ("superset", "superset-init"):
        env = _env(compose["services"][name])
        for key in ("SUPERSET_SECRET_KEY", "GUEST_TOKEN_JWT_SECRET", "SUPERSET_ADMIN_PASSWORD"):
            assert env[key] == f"${{{key}:?set in .env}}", (name, key)
        assert env["SUPERSET_BEHIND_TLS_PROXY"] == "True"


def test_published_ports_do_not_clash(compose: dict) -> None:
    published = [p.rsplit(":", 2)[-2] for s in compose["services"].values() for p in s.get("ports", [])]
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
