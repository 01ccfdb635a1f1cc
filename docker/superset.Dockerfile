# Superset 6.1 in its own environment (it pins SQLAlchemy 1.4 and pandas 2.1).
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PATH=/opt/superset-venv/bin:$PATH PYTHONPATH=/opt/vanquan \
    SUPERSET_CONFIG_PATH=/opt/vanquan/superset/superset_config.py PLATFORM_HOME=/var/lib/vanquan
RUN pip install --no-cache-dir uv==0.13.9 && uv venv /opt/superset-venv
COPY superset/requirements.lock /tmp/requirements.lock
RUN uv pip install --python /opt/superset-venv/bin/python -r /tmp/requirements.lock
WORKDIR /opt/vanquan
COPY core core
COPY vq_superset vq_superset
COPY superset superset
# The Vietnamese interface: compile the project's catalogues into the installed Superset and FAB,
# and patch its built front end for what no catalogue reaches (superset/translations/bundle_patch)
RUN /opt/superset-venv/bin/python superset/translations/install.py
# access.py reads the offices from the catalog (roles and row-level security per office)
COPY dbt/seeds/catalog dbt/seeds/catalog
RUN useradd --create-home --uid 50001 superset && mkdir -p /var/lib/vanquan && chown -R superset /var/lib/vanquan
USER superset
