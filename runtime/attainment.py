"""Print where every target stands, from the marts, as the leadership's reader role sees it."""

from __future__ import annotations

import unicodedata

import psycopg2

from core import settings

QUERY = """
select a.target_code, t.name_vi, a.as_of_period, a.target_value, a.actual_value,
       a.attainment_ratio, a.status_vi
from marts.fct_target_attainment as a
join marts.dim_target as t on t.plan_year = a.plan_year and t.target_code = a.target_code
where a.plan_year = %s
  and a.as_of_period = (select max(as_of_period) from marts.fct_target_attainment where plan_year = %s)
order by t.sort_order
"""


def _fit(text: str, width: int) -> str:
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(value) -> str:
    if value is None:
        return "—"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")  # Vietnamese: 17.600,5


def rows(plan_year: int = 2022) -> list[tuple]:
    with psycopg2.connect(**settings.role_dsn("reader")) as conn, conn.cursor() as cur:
        cur.execute(QUERY, (plan_year, plan_year))
        result = cur.fetchall()
    conn.close()
    return result


def table(plan_year: int = 2022) -> str:
    data = rows(plan_year)
    if not data:
        return f"Chưa có số liệu đánh giá cho năm {plan_year}."
    lines = [
        f"Mức độ đạt chỉ tiêu năm {plan_year}, tính đến tháng {data[0][2]}",
        f"{'Mã':<6} {'Chỉ tiêu':<48} {'Kế hoạch':>10} {'Thực hiện':>12} {'Tỷ lệ':>7}  Trạng thái",
    ]
    for code, name, _period, target, actual, ratio, status in data:
        ratio_text = "—" if ratio is None else f"{float(ratio) * 100:.1f}%".replace(".", ",")
        lines.append(
            f"{code:<6} {_fit(name, 48):<48} {_number(target):>10} {_number(actual):>12} {ratio_text:>7}  {status}"
        )
    return "\n".join(lines)
