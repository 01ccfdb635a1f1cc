"""``python -m bench [--quick|--full]``: run every benchmark and write the results."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench import dashboard, env, files, freshness, growth, ingestion, memory, report
from core import settings

log = logging.getLogger("bench")


@dataclass(frozen=True)
class Mode:
    name: str
    runs: int
    big_rows: int
    scales: tuple[int, ...]
    growth_runs: int
    requests: int
    freshness: bool
    superset: bool


QUICK = Mode("quick", 3, 20_000, (1, 10), 2, 20, False, True)
FULL = Mode("full", 5, 100_000, (1, 10, 100, 1000), 3, 50, True, True)


def run(mode: Mode) -> dict[str, object]:
    """Measure everything in a fresh state folder of its own."""
    started = time.monotonic()
    with env.fresh_warehouse() as home:
        work = home / "bench-work"
        data: dict[str, object] = {"mode": mode.name}
        data["machine"] = env.machine(env.server_version())
        big = files.write_xlsx(work / "memory-big.xlsx", mode.big_rows, "memory")
        mem = [memory.measure(big)]
        log.info("ingestion")
        data["ingestion"] = ingestion.measure(work, mode.big_rows, mode.runs)
        mem.append(memory.measure(big))
        log.info("growth")
        superset = dashboard.superset_running if mode.superset else None
        data["growth"] = growth.measure(work, list(mode.scales), mode.growth_runs, mode.requests, superset)
        mem.append(memory.measure(big))
        data["memory"] = mem
        if mode.freshness:
            log.info("freshness")
            data["freshness"] = freshness.measure(work, mode.runs)
        else:
            data["freshness"] = {
                "note": "Skipped in quick mode (starting Airflow takes minutes here):"
                " run `make bench BENCH_ARGS=--full`."
            }
    data["elapsed_s"] = time.monotonic() - started
    data["finished_at"] = datetime.now().astimezone().isoformat(timespec="seconds")
    data["chart_sql"] = {name: dashboard.chart_sql(chart) for name, chart in dashboard.CHARTS.items()}
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="3 runs, small sizes (default)")
    group.add_argument("--full", action="store_true", help="5 runs, 100,000-row file, history up to 1000x, freshness")
    parser.add_argument("--out", type=Path, help="results folder (default: $PLATFORM_HOME/bench)")
    parser.add_argument("--render", type=Path, metavar="JSON", help="only rewrite the table of an earlier results.json")
    args = parser.parse_args(argv)
    if args.render:
        print(report.markdown(json.loads(args.render.read_text(encoding="utf-8"))))
        return 0
    logging.basicConfig(level=logging.INFO, format="[bench %(asctime)s] %(message)s", datefmt="%H:%M:%S")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    out = args.out or settings.paths().home / "bench"  # read before the run moves PLATFORM_HOME
    data = run(FULL if args.full else QUICK)
    md, js = report.write(out, data)
    print(md.read_text(encoding="utf-8"))
    print(f"written: {md} and {js}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
