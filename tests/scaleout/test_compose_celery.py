"""docker-compose's ``celery`` profile, checked by parsing it (no Docker engine runs here)."""

from __future__ import annotations

import re

import pytest
import yaml

from core import settings

ROOT = settings.REPO_ROOT
COMPOSE = ROOT / "docker-compose.yml"
AIRFLOW_SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def default_of(value: str) -> str:
    """``${NAME:-default}`` -> ``default`` (what compose gives when NAME is not set)."""
    match = re.fullmatch(r"\$\{\w+:-([^}]*)\}", value)
    return match.group(1) if match else value


def test_the_local_executor_stays_the_default(compose: dict) -> None:
    for name in (*AIRFLOW_SERVICES, "airflow-worker"):
        executor = compose["services"][name]["environment"]["AIRFLOW__CORE__EXECUTOR"]
        assert executor == "${AIRFLOW_EXECUTOR:-LocalExecutor}", name
        assert default_of(executor) == "LocalExecutor"
    for name in ("postgres", *AIRFLOW_SERVICES, "superset"):
        assert "profiles" not in compose["services"][name], f"{name} must start without a profile"


def test_the_celery_profile_has_a_broker_workers_and_flower(compose: dict) -> None:
    services = compose["services"]
    celery = {name for name, service in services.items() if "celery" in service.get("profiles", [])}
    assert celery == {"redis", "airflow-worker", "airflow-flower"}
    assert services["redis"]["image"].startswith("redis:")  # the official image
    assert services["airflow-worker"]["command"] == ["airflow", "celery", "worker"]
    assert "airflow celery flower" in " ".join(services["airflow-flower"]["command"])
    assert services["airflow-flower"]["ports"] == ["127.0.0.1:5555:5555"]  # engineers reach it by SSH tunnel


def test_workers_can_be_scaled_and_run_the_same_image_and_environment(compose: dict) -> None:
    worker = compose["services"]["airflow-worker"]
    scheduler = compose["services"]["airflow-scheduler"]
    # --scale needs no fixed name and no published port.
    assert "container_name" not in worker and "ports" not in worker
    assert worker["image"] == scheduler["image"] and worker["build"] == scheduler["build"]
    assert worker["environment"] == scheduler["environment"]
    assert worker["volumes"] == scheduler["volumes"]  # the shared inbox and state folder
    assert any(v.startswith("${INBOX_SHARE") for v in worker["volumes"])
    assert set(worker["depends_on"]) == {"airflow-init", "redis"}
    assert "healthcheck" in worker


def test_broker_and_result_backend(compose: dict) -> None:
    env = compose["services"]["airflow-worker"]["environment"]
    assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://:${REDIS_PASSWORD:-}@redis:6379/0"
    backend = env["AIRFLOW__CELERY__RESULT_BACKEND"]
    assert backend.startswith("db+postgresql://vq_airflow:") and backend.endswith("@postgres:5432/airflow")
    assert env["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"] == "runtime.celery_config.CELERY_CONFIG"
    assert (ROOT / "runtime" / "celery_config.py").exists()
    metadata = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert metadata.split("@")[1] == backend.split("@")[1], "results live in the Airflow metadata database"
    assert env["AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER"] == "1"


def test_the_broker_and_flower_refuse_to_start_without_a_secret(compose: dict) -> None:
    services = compose["services"]
    redis = " ".join(services["redis"]["command"])
    assert "--requirepass" in redis and 'test -n "$$REDIS_PASSWORD"' in redis
    flower = " ".join(services["airflow-flower"]["command"])
    assert 'test -n "$$AIRFLOW__CELERY__FLOWER_BASIC_AUTH"' in flower
    assert services["airflow-worker"]["environment"]["AIRFLOW__CELERY__FLOWER_BASIC_AUTH"] == "${FLOWER_BASIC_AUTH:-}"


def test_the_warehouse_pool_is_set_at_start_up(compose: dict) -> None:
    """Whatever the number of workers, loads share the ``warehouse`` pool set by airflow-init."""
    from runtime import airflow_service

    init = " ".join(compose["services"]["airflow-init"]["command"])
    assert "python -m runtime.airflow_service" in init
    assert airflow_service.WAREHOUSE_POOL_SLOTS >= 1
    dag = (ROOT / "dags" / "inbox.py").read_text()
    assert re.search(r'@task\(pool="warehouse"', dag), "every file load takes a slot of the warehouse pool"
