"""Dashboard "Môi trường": each target's tile and a chosen target's progress, the area's table below."""

from __future__ import annotations

from vq_superset.specs._area import area_dashboard

DASHBOARD = area_dashboard(
    "moi_truong",
    "Môi trường",
    uuid="a27fac67-d90d-5d45-88da-c17bf167cf82",
    tiles_uuid="f3bbb36d-f37f-4da9-8f6a-b5b29dd4f498",
    progress_uuid="c3c34948-bf82-53ef-b0f4-46e92fdb2e7b",
    projection_uuid="b534c19b-c48a-58a0-a3ad-1e994e9abf35",
)
