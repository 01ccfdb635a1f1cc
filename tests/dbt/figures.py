"""A small hand-made set of loaded files and figures, and how to insert it as vq_loader.

The expected mart values in test_dbt_build.py are computed by hand from these rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import psycopg2

from core import settings

ICT = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class Figure:
    indicator: str
    unit: str
    period: str
    value: str
    value_type: str = "actual"


def period_bounds(period: str) -> tuple[str, date, date]:
    """Grain, first and last day of '2022', '2022-Q1' or '2022-05'."""
    year = int(period[:4])
    if len(period) == 4:
        return "year", date(year, 1, 1), date(year, 12, 31)
    if period[5] == "Q":
        quarter = int(period[6])
        first, last_month = date(year, 3 * quarter - 2, 1), 3 * quarter
    else:
        first = date(year, int(period[5:7]), 1)
        last_month = first.month
    following = date(year + (last_month == 12), last_month % 12 + 1, 1)
    return ("quarter" if period[5] == "Q" else "month"), first, following - timedelta(days=1)


def load_file(
    office: str,
    name: str,
    received: datetime,
    figures: list[Figure],
    status: str = "loaded",
    error_vi: str | None = None,
) -> int:
    """Record one file in audit.ingest_files and load its figures, as the loader role does."""
    sha = hashlib.sha256(f"{office}/{name}/{received.isoformat()}".encode()).hexdigest()
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    with conn, conn.cursor() as cur:
        cur.execute(
            """insert into audit.ingest_files (source_kind, source_name, office_code, original_name, sha256,
                   received_at, finished_at, status, rows_read, rows_loaded, error_count, message_vi)
               values ('file', 'inbox', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) returning file_id""",
            (
                office,
                name,
                sha,
                received,
                received,
                status,
                len(figures),
                len(figures) if status == "loaded" else 0,
                1 if error_vi else 0,
                error_vi,
            ),
        )
        file_id = cur.fetchone()[0]
        if error_vi:
            cur.execute(
                """insert into audit.ingest_problems (file_id, severity, rule, message_vi, message_en)
                   values (%s, 'error', 'unknown_header', %s, 'unknown header')""",
                (file_id, error_vi),
            )
        for row, figure in enumerate(figures, start=2):
            grain, first, last = period_bounds(figure.period)
            cur.execute(
                """insert into raw.submitted_figures (file_id, source_kind, source_name, source_sha256,
                       office_code, indicator_code, admin_unit_code, period_code, period_grain, period_start,
                       period_end, value, value_type, sheet_name, source_row, received_at)
                   values (%s, 'file', 'inbox', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'Sheet1', %s, %s)""",
                (
                    file_id,
                    sha,
                    office,
                    figure.indicator,
                    figure.unit,
                    figure.period,
                    grain,
                    first,
                    last,
                    Decimal(figure.value),
                    figure.value_type,
                    row,
                    received,
                ),
            )
    conn.close()
    return file_id


def at(day: str) -> datetime:
    """A reception time: 09:00 in Vietnam on the given ISO day."""
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=ICT)


def load_baseline_and_first_quarter() -> None:
    """The 2021 baselines and the first half of 2022, with one estimate to be superseded."""
    load_file(
        "tckh",
        "tckh_2021.xlsx",
        at("2022-01-15"),
        [Figure("gross_output_value", "VAN_QUAN", f"2021-Q{q}", "100") for q in range(1, 5)],
    )
    load_file(
        "tckh",
        "tckh_2022q1_uoc.xlsx",
        at("2022-04-05"),
        [
            Figure("gross_output_value", "VAN_QUAN", "2022-Q1", "120", "estimate"),
        ],
    )
    load_file(
        "vhtt",
        "vhtt_2022_01.xlsx",
        at("2022-02-10"),
        [
            Figure("tourist_visits", "VAN_QUAN", "2022-01", "400"),
        ],
    )
    load_file(
        "vhtt", "vhtt_loi.xlsx", at("2022-03-22"), [], status="quarantined", error_vi="Không nhận ra cột 'giá trị'"
    )
    load_file(
        "vhtt",
        "vhtt_2022_02_03.xlsx",
        at("2022-03-25"),
        [
            Figure("tourist_visits", "VAN_QUAN", "2022-02", "500"),
            Figure("tourist_visits", "VAN_QUAN", "2022-03", "350"),
            Figure("tourist_visits", "VAN_QUAN", "2022-Q1", "2000"),
        ],
    )
    load_file(
        "bhxh",
        "bhxh_2022_06.xlsx",
        at("2022-07-15"),
        [
            Figure("people_health_insured", "AN_SON", "2022-06", "90"),
            Figure("population", "AN_SON", "2022-06", "100"),
            Figure("people_health_insured", "BINH_PHUC", "2022-06", "990"),
            Figure("population", "BINH_PHUC", "2022-06", "1000"),
        ],
    )
    load_file(
        "kiemlam",
        "kiemlam_2022q1.xlsx",
        at("2022-04-12"),
        [
            Figure("forest_cover_rate", "VAN_QUAN", "2022-Q1", "61"),
            Figure("new_forest_area", "AN_SON", "2022-Q1", "100"),
            Figure("new_forest_area", "TRI_LE", "2022-Q1", "50"),
        ],
    )
    load_file(
        "congan",
        "congan.xlsx",
        at("2022-04-08"),
        [
            *(Figure("traffic_accidents", "VAN_QUAN", f"2021-0{m}", "20") for m in (1, 2, 3)),
            Figure("traffic_accidents", "VAN_QUAN", "2022-01", "19"),
            Figure("traffic_accidents", "VAN_QUAN", "2022-02", "19"),
            Figure("traffic_accidents", "VAN_QUAN", "2022-03", "18"),
            # no deaths in the same months of either year (a zero baseline, rule 4)
            *(Figure("traffic_deaths", "VAN_QUAN", f"{y}-0{m}", "0") for y in (2021, 2022) for m in (1, 2, 3)),
            # criminal offences: 2021 known only as one yearly figure (rule 3, pro rata)
            Figure("criminal_offences", "VAN_QUAN", "2021", "120"),
            *(Figure("criminal_offences", "VAN_QUAN", f"2022-0{m}", "9") for m in (1, 2, 3)),
        ],
    )
    load_file(
        "tckh",
        "tckh_thu_ngan_sach_uoc.xlsx",
        at("2022-04-05"),
        [
            # monthly estimates of revenue, to be superseded by the official Q1 total
            Figure("budget_revenue", "VAN_QUAN", "2022-01", "1400", "estimate"),
            Figure("budget_revenue", "VAN_QUAN", "2022-02", "1500", "estimate"),
            Figure("budget_revenue", "VAN_QUAN", "2022-03", "1600", "estimate"),
        ],
    )
    # a correction of income per head, submitted on 15 April (the original, of 10 April,
    # is loaded only later: see load_actual_first_quarter_output)
    load_file(
        "tckh",
        "tckh_thu_nhap_sua.xlsx",
        at("2022-04-15"),
        [Figure("income_per_capita", "VAN_QUAN", "2022-Q1", "8.1")],
    )
    load_file(
        "ldtbxh",
        "ldtbxh.xlsx",
        at("2022-04-18"),
        [
            Figure("households_poor", "AN_SON", "2021-Q4", "30"),
            Figure("households_total", "AN_SON", "2021-Q4", "100"),
            Figure("households_poor", "BINH_PHUC", "2021-Q4", "10"),
            Figure("households_total", "BINH_PHUC", "2021-Q4", "100"),
            Figure("households_poor", "AN_SON", "2022-Q1", "25"),
            Figure("households_total", "AN_SON", "2022-Q1", "100"),
            Figure("households_poor", "BINH_PHUC", "2022-Q1", "9"),
            Figure("households_total", "BINH_PHUC", "2022-Q1", "100"),
        ],
    )
    load_file(
        "nnptnt",
        "nnptnt.xlsx",
        at("2022-04-20"),
        [
            Figure("policy_assessment_nq08", "VAN_QUAN", "2022-Q1", "1"),
        ],
    )
    load_file(
        "gddt",
        "gddt.xlsx",
        at("2022-04-19"),
        [
            Figure("schools_national_standard", "VAN_QUAN", "2021-Q4", "20"),
            Figure("schools_national_standard", "VAN_QUAN", "2022-Q1", "21"),
        ],
    )


def load_actual_first_quarter_output() -> None:
    """The actual gross output and revenue of Q1 2022, superseding the estimates; and a
    retried original of income per head, submitted before its correction but loaded after."""
    load_file(
        "tckh",
        "tckh_2022q1.xlsx",
        at("2022-04-25"),
        [
            Figure("gross_output_value", "VAN_QUAN", "2022-Q1", "108.7"),
            Figure("budget_revenue", "VAN_QUAN", "2022-Q1", "4200"),
        ],
    )
    load_file(
        "tckh",
        "tckh_thu_nhap.xlsx",
        at("2022-04-10"),
        [Figure("income_per_capita", "VAN_QUAN", "2022-Q1", "8.0")],
    )
