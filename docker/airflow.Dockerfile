# Airflow 3 + dbt + Great Expectations + the platform's packages, installed from uv.lock.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    PLATFORM_HOME=/var/lib/vanquan PYTHONPATH=/opt/vanquan
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /opt/vanquan
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY ingest ingest
COPY warehouse warehouse
COPY runtime runtime
COPY reporting reporting
COPY dags dags
COPY dbt dbt
COPY expectations expectations
RUN useradd --create-home --uid 50000 airflow && mkdir -p /var/lib/vanquan && chown -R airflow /var/lib/vanquan
USER airflow
