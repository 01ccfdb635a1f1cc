"""Superset for the Văn Quan platform: the REST client, the dashboards as code, the service.

Importable from both environments (the main ``.venv`` and Superset's ``.venv-superset``): the
name is not ``superset``, so it never shadows Superset itself. It owns
``client`` (the one REST client), ``model``/``datasets``/``specs``/``render``/``generate``
(the asset bundle as code), ``bundle`` (render and normalise YAML files), ``export`` (Superset
→ reviewable diff against the specs; ``--write``, i.e. ``make superset-export WRITE=1``, carries
a UI change back into the specs' literals and the YAML through ``writeback``, listing what must be
edited by hand), and, run inside Superset's venv only, ``service``,
``access`` and ``assets_io``. It may import ``core``; nothing of the platform imports it but
``runtime``, the dashboards DAG, the benchmark and the tests. ``superset/`` keeps only the
Superset configuration, the translations and the generated YAML.
"""
