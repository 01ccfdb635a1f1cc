"""Dashboard "Kinh tế": each target's tile and a chosen target's progress, the area's table below."""

from __future__ import annotations

from vq_superset.specs._area import area_dashboard

DASHBOARD = area_dashboard(
    "kinh_te",
    "Kinh tế",
    uuid="f695c5f3-75cc-53e2-bb32-50c4116e31f0",
    tiles_uuid="0d540fc1-51cf-48d2-b9b0-b7f3f471d3b7",
    progress_uuid="ef7fb63c-8d12-5538-bfbb-7e6e41d1ffe0",
    projection_uuid="2c7b0ceb-ce16-5c58-80bc-478d328847fd",
)
