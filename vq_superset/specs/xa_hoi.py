"""Dashboard "Xã hội": each target's tile and a chosen target's progress, the area's table below."""

from __future__ import annotations

from vq_superset.specs._area import area_dashboard

DASHBOARD = area_dashboard(
    "xa_hoi",
    "Xã hội",
    uuid="780672e4-84dd-52ed-b832-d869b968395a",
    tiles_uuid="6ef6ee34-f8d8-4756-93fa-3c335edfe75f",
    progress_uuid="344114c3-9ba5-59ee-a7d5-9cf5a2280085",
    projection_uuid="6ec8d795-5faf-5bde-9ce2-3371ccca320c",
)
