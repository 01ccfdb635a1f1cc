# Airflow 3 + dbt + Great Expectations + the platform's packages, all installed from uv.lock
# (the FAB auth manager provider included: production logins with users and roles from code).
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    PLATFORM_HOME=/var/lib/vanquan PYTHONPATH=/opt/vanquan \
    DBT_EXECUTABLE=/opt/venv/bin/dbt DBT_MANIFEST_PATH=/var/lib/vanquan/dbt/target/manifest.json
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /opt/vanquan
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY core core
COPY ingest ingest
COPY transform transform
COPY warehouse warehouse
COPY runtime runtime
COPY reporting reporting
COPY dags dags
COPY airflow_plugins airflow_plugins
COPY dbt dbt
COPY expectations expectations
COPY vq_superset vq_superset
RUN useradd --create-home --uid 50000 airflow && mkdir -p /var/lib/vanquan && chown -R airflow /var/lib/vanquan
USER airflow
