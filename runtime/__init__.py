"""Run the platform on one machine: environments, services (Airflow, Superset), the demo.

Owns the environment each component starts with (``env``), starting and stopping Airflow,
Superset, the Celery cluster and the stand-ins, the demo and ``python -m runtime`` (the
Makefile's commands).

May import: the jobs (``ingest``, ``transform``, ``reporting``, ``warehouse``, ``vq_superset``,
``sampledata``, ``standins``) and ``core``; never ``dags``. Only ``bench`` imports it.
See docs/architecture.md.
"""
