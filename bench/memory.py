"""Peak memory of loading the big file, in a fresh process per measurement."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2

from bench import files
from core import settings


def history_size() -> tuple[int, int]:
    """Files and figures already in the warehouse."""
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select (select count(*) from audit.ingest_files), (select count(*) from raw.submitted_figures)"
            )
            n_files, n_rows = cur.fetchone()
            return int(n_files), int(n_rows)
    finally:
        conn.close()


def measure(path: Path) -> dict[str, object]:
    n_files, n_rows = history_size()
    path_var = os.pathsep.join(filter(None, [str(settings.REPO_ROOT), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=path_var)
    done = subprocess.run(
        [sys.executable, "-m", "bench.memprobe", str(path), files.OFFICE],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=settings.REPO_ROOT,
    )
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    return {"history_files": n_files, "history_rows": n_rows, **probe}
