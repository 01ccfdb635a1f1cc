"""The results as a Markdown table (for people) and JSON (for comparing runs)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

# The goals of issue #18, judged on every rendering.
GOAL_PLAIN = 1.0  # an office's file, every check included, at least as fast as plain pandas + to_sql
GOAL_BIG_ROWS_S = {"csv": 50_000.0, "xlsx": 30_000.0}  # the 100,000-row files, end to end
GOAL_COPY = 25.0  # the big csv's time over raw COPY's
GOAL_FRESH_S = 20.0  # drop -> mart, median
GOAL_FRESH_P95_S = 30.0
GOAL_API_P95_MS = 200.0  # the chart data API at the largest history measured


def _verdict(ok: bool) -> str:
    return "met" if ok else "not met"


def _f(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def _rate(rows: int, seconds: float | None) -> str:
    return _f(rows / seconds, 0) if seconds and not math.isnan(seconds) else "—"


def _real_path_s(entry: dict[str, Any]) -> float:
    """A file's end-to-end time: ``ingest_file``'s where it was timed whole, else its stages' sum."""
    real = entry.get("real", {}).get("median_s")
    return real if real is not None else entry["stages"]["total"]


def slowest_stage(ingestion: dict[str, Any], key: str) -> tuple[str, float]:
    """The stage with the largest share of one file's time, and that share."""
    stages = ingestion["results"][key]["stages"]
    name = max(("parse", "validate", "load"), key=lambda k: stages[k])
    return name, stages[name] / stages["total"]


def _ingestion(ing: dict[str, Any]) -> list[str]:
    res = ing["results"]
    lines = [
        f"### 1. Ingestion throughput (office `{ing['office']}`, median of {ing['runs']} runs)",
        "",
        "| file | rows | real path s | rows/s | parse s | validate s | load (COPY) s | plain pandas s | psql COPY s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, entry in res.items():
        st = entry["stages"]
        shown = _real_path_s(entry)
        label = "ingest_file" if entry.get("real", {}).get("median_s") is not None else "stages sum"
        lines.append(
            f"| {key} | {entry['rows']:,} | {_f(shown)} ({label}) | {_rate(entry['rows'], shown)} | {_f(st['parse'])}"
            f" | {_f(st['validate'])} | {_f(st['load'])} | {_f(entry.get('plain', {}).get('median_s'))}"
            f" | {_f(entry.get('copy', {}).get('median_s'), 3)} |"
        )
    lines.append("")
    xlsx, csv = res["valid_xlsx"], res["valid_csv"]
    speedup = xlsx["plain"]["median_s"] / _real_path_s(xlsx)
    speedup_c = csv["plain"]["median_s"] / _real_path_s(csv)
    lines.append(
        f"- valid ({xlsx['rows']:,} rows): speed-up of the real path over plain pandas (xlsx)"
        f" **{_f(speedup)}×** (goal ≥ {GOAL_PLAIN:.0f}×: {_verdict(speedup >= GOAL_PLAIN)}),"
        f" (csv) **{_f(speedup_c)}×**."
    )
    big_x, big_c = res["big_xlsx"], res["big_csv"]
    rate_x = big_x["rows"] / _real_path_s(big_x)
    rate_c = big_c["rows"] / _real_path_s(big_c)
    vs_copy = _real_path_s(big_c) / big_c["copy"]["median_s"]
    lines.append(
        f"- big ({big_x['rows']:,} rows): csv **{_f(rate_c, 0)} rows/s** (goal ≥ {GOAL_BIG_ROWS_S['csv']:,.0f}:"
        f" {_verdict(rate_c >= GOAL_BIG_ROWS_S['csv'])}), **{_f(vs_copy, 1)}×** raw COPY's time"
        f" (goal ≤ {GOAL_COPY:.0f}×: {_verdict(vs_copy <= GOAL_COPY)}); xlsx **{_f(rate_x, 0)} rows/s**"
        f" (goal ≥ {GOAL_BIG_ROWS_S['xlsx']:,.0f}: {_verdict(rate_x >= GOAL_BIG_ROWS_S['xlsx'])})."
    )
    for key in ("valid_xlsx", "valid_csv", "big_xlsx", "big_csv"):
        stage, share = slowest_stage(ing, key)
        lines.append(f"- Slowest stage on `{key}`: **{stage}** ({share:.0%} of the stages' time).")
    lines.append("")
    return lines


def _latency(d: dict[str, Any] | None, key: str) -> str:
    if not d:
        return "—"
    return f"{_f(d[key]['median_ms'], 1)} / {_f(d[key]['p95_ms'], 1)}"


def _growth(growth: list[dict[str, Any]]) -> list[str]:
    lines = [
        "### 3–4. Growth: dbt build and chart latency by history size",
        "",
        "Chart latency in ms, median / p95: **API** is Superset's chart data API with `force=true`"
        " (cache bypassed, the query runs); **SQL** is the chart's query alone on PostgreSQL.",
        "",
        "| history | rows added | full build s | incremental build s | API overview | API commune"
        " | SQL overview | SQL commune | SQL status counts |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for g in growth:
        api, sql = g.get("dashboard_api"), g["dashboard"]
        cells = [_latency(api, "overview"), _latency(api, "commune")]
        cells += [_latency(sql, k) for k in ("overview", "commune", "overview_status")]
        lines.append(
            f"| {g['scale']}× | {g['history_rows_added']:,} | {_f(g['full_build_s'])} | {_f(g['incremental_build_s'])}"
            f" | {' | '.join(cells)} |"
        )
        if g["dbt_errors"]:
            lines.append(f"|  | dbt failed {len(g['dbt_errors'])}× (see JSON) | | | | | | | |")
    measured = [g for g in growth if g.get("dashboard_api")]
    if measured:
        largest = max(measured, key=lambda g: g["scale"])
        worst = max(largest["dashboard_api"][k]["p95_ms"] for k in ("overview", "commune"))
        lines.append("")
        lines.append(
            f"- Chart data API p95 at {largest['scale']}×: at most **{_f(worst, 0)} ms**"
            f" (goal < {GOAL_API_P95_MS:.0f} ms: {_verdict(worst < GOAL_API_P95_MS)})."
        )
    lines.append("")
    return lines


def markdown(data: dict[str, Any]) -> str:
    m = data["machine"]
    lines = [
        f"## Benchmark results ({data['mode']} mode, {data['finished_at']})",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB memory, load average {m['load_average_1m']}"
        f" at the start, Python {m['python']}, PostgreSQL {m['postgresql']}, {m['os']}."
        f" Total run {_f(data['elapsed_s'], 0)} s.",
        "",
    ]
    lines += _ingestion(data["ingestion"])
    fresh = data.get("freshness")
    lines.append("### 2. Freshness (inbox drop → `marts.fct_target_attainment`)")
    lines.append("")
    if fresh and "median_s" in fresh:
        p95 = sorted(fresh["runs"])[math.ceil(0.95 * len(fresh["runs"])) - 1]  # nearest rank
        lines.append(
            f"Median **{_f(fresh['median_s'], 1)} s** over {len(fresh['runs'])} drops"
            f" (goal ≤ {GOAL_FRESH_S:.0f} s: {_verdict(fresh['median_s'] <= GOAL_FRESH_S)}), p95 {_f(p95, 1)} s"
            f" (goal ≤ {GOAL_FRESH_P95_S:.0f} s: {_verdict(p95 <= GOAL_FRESH_P95_S)});"
            f" first drop after start {_f(fresh['first_drop_s'], 1)} s,"
            f" Airflow start {_f(fresh['airflow_start_s'], 1)} s."
        )
    else:
        lines.append(fresh.get("note", "not measured") if fresh else "not measured")
    lines.append("")
    lines += _growth(data["growth"])
    lines.append("### 5. Peak memory of loading the big file (fresh process each)")
    lines.append("")
    lines.append("| files already loaded | figures already loaded | rows in file | peak RSS MB | validate s |")
    lines.append("| ---: | ---: | ---: | ---: | ---: |")
    for mem in data["memory"]:
        lines.append(
            f"| {mem['history_files']:,} | {mem['history_rows']:,} | {mem['rows']:,} | {_f(mem['peak_mb'], 0)}"
            f" | {_f(mem.get('validate_s'))} |"
        )
    lines.append("")
    return "\n".join(lines)


def write(folder: Path, data: dict[str, Any]) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    md, js = folder / "results.md", folder / "results.json"
    md.write_text(markdown(data) + "\n", encoding="utf-8")
    js.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return md, js
