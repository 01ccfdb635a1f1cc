"""Dashboard "Thi đua": the reference emulation ranking of communes and offices."""

from __future__ import annotations

import csv

from core.settings import CATALOG_DIR
from vq_superset.datasets import RANKING
from vq_superset.model import Chart, Dashboard, Where, nfc
from vq_superset.specs._common import year_month


def ranking_method_vi(entity_type: str) -> str:
    """The ranking's method in Vietnamese, from the seed dbt also reads (marts column method_vi)."""
    with (CATALOG_DIR / "ranking_method.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["entity_type"] == entity_type]
    rows.sort(key=lambda r: (-float(r["weight"]), r["component"]))
    parts = [f"{r['name_vi']} (trọng số {round(100 * float(r['weight']))}%): {r['description_vi']}" for r in rows]
    return nfc(
        "Quyết định 10/PĐ-UBND không quy định công thức xếp hạng; đây là cách tính tham khảo của nền tảng. "
        + " ".join(parts)
    )


COMMUNES = Chart(
    key="emulation_communes",
    uuid="63978646-dbae-5b16-8368-0d66dd9d9ef3",
    name="Xếp hạng thi đua các xã, thị trấn (tham khảo)",
    dataset=RANKING,
    viz="table",
    # communes have no reporting score: their figures are sent by the offices
    params={
        "columns": ("rank_vi", "entity_name", "targets_carried", "targets_on_track", "attainment_score", "total_score"),
        "order": (("rank", True),),
    },
    where=(Where("entity_type", "xa"),),
    description=ranking_method_vi("xa"),
)

OFFICES = Chart(
    key="emulation_offices",
    uuid="a1741f36-0c48-593d-9abc-57e1e967927c",
    name="Xếp hạng thi đua các phòng, ban (tham khảo)",
    dataset=RANKING,
    viz="table",
    params={
        "columns": (
            "rank_vi",
            "entity_name",
            "targets_carried",
            "targets_on_track",
            "attainment_score",
            "reporting_score",
            "total_score",
        ),
        "order": (("rank", True),),
    },
    where=(Where("entity_type", "phong"),),
    description=ranking_method_vi("phong"),
)

DASHBOARD = Dashboard(
    key="thi_dua",
    uuid="bdf6295d-74da-574e-894d-32f6ca125f41",
    title="Thi đua",
    rows=((COMMUNES, OFFICES),),
    filters=year_month(RANKING),
)
