"""Run the platform on one machine: environments, services (Airflow, Superset), the demo."""
