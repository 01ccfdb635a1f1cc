"""Writing what Superset's UI changed back into the specs (vq_superset.writeback), without a
Superset: the syntax-tree edit on a small spec text, the plan over an export, and the command
on a copy of the package (the round trip through a live Superset is in test_dashboards.py)."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from vq_superset import export, generate, specs, writeback
from vq_superset.model import Chart, Metric
from vq_superset.writeback import ByHand, Edit, NotWritable

SPEC = '''\
"""A small spec."""

BARS = Chart(
    key="bars",
    uuid="11111111-2222-3333-4444-555555555555",
    name="Số báo cáo",  # what leaders read first
    dataset=REPORTS,
    viz="echarts_timeseries_bar",
    params={
        "x_axis": "office_name",
        "metrics": (Metric("COUNT(*)", "Số báo cáo"),),
        "horizontal": True,
    },
    description=nfc(NOTE),
)

RANKED = ranked("ranked", "66666666-7777-8888-9999-000000000000", "Xếp hạng các xã")
TILES = tiles("kinh_te", "77777777-8888-9999-0000-111111111111")
'''
BARS = "11111111-2222-3333-4444-555555555555"
RANKED = "66666666-7777-8888-9999-000000000000"
TILES = "77777777-8888-9999-0000-111111111111"


def ranked(key: str, uuid: str, name: str) -> None:
    """A builder that takes the chart's name."""


def tiles(area: str, uuid: str) -> None:
    """A builder that computes the chart's name."""


NAMESPACE = {"Chart": Chart, "Metric": Metric, "ranked": ranked, "tiles": tiles}


def written(uuid: str, field: tuple, value: object, source: str = SPEC) -> str:
    edit = writeback.locate(source, NAMESPACE, uuid, field, value)
    assert edit is not None
    return writeback.apply(source, [edit])


def test_a_literal_is_edited_in_place_and_nothing_else_changes() -> None:
    assert written(BARS, ("name",), "Báo cáo đã nộp") == SPEC.replace(
        'name="Số báo cáo",  # what', 'name="Báo cáo đã nộp",  # what'
    )
    assert written(BARS, ("params", "metrics", 0, "label"), "Báo cáo") == SPEC.replace(
        'Metric("COUNT(*)", "Số báo cáo")', 'Metric("COUNT(*)", "Báo cáo")'
    )
    assert written(BARS, ("params", "horizontal"), False) == SPEC.replace('"horizontal": True', '"horizontal": False')
    # a builder's parameter, passed positionally
    assert written(RANKED, ("name",), 'Các xã "tốt"') == SPEC.replace('"Xếp hạng các xã"', '"Các xã \\"tốt\\""')


def test_a_value_the_spec_does_not_state_yet_is_added_on_its_own_line() -> None:
    assert written(BARS, ("params", "row_limit"), 500) == SPEC.replace(
        '        "horizontal": True,\n    },', '        "horizontal": True,\n        "row_limit": 500,\n    },'
    )


def test_computed_values_are_refused_with_the_reason() -> None:
    with pytest.raises(NotWritable, match=r"computed by `nfc\(NOTE\)`"):
        writeback.locate(SPEC, NAMESPACE, BARS, ("description",), "Khác")
    with pytest.raises(NotWritable, match=r"`tiles\(\.\.\.\)` computes it \(it has no parameter 'name'\)"):
        writeback.locate(SPEC, NAMESPACE, TILES, ("name",), "Khác")
    with pytest.raises(NotWritable, match=r"`ranked\(\.\.\.\)` computes it \(it has no parameter 'params'\)"):
        writeback.locate(SPEC, NAMESPACE, RANKED, ("params", "ascending"), False)


def test_writing_twice_changes_nothing_the_second_time() -> None:
    once = written(BARS, ("name",), "Báo cáo đã nộp")
    assert writeback.locate(once, NAMESPACE, BARS, ("name",), "Báo cáo đã nộp") is None
    added = written(BARS, ("params", "row_limit"), 500)
    assert writeback.locate(added, NAMESPACE, BARS, ("params", "row_limit"), 500) is None


def _chart(key: str) -> Chart:
    return next(c for c, _ in generate.charts_of(specs.discover()).values() if c.key == key)


def test_plan_writes_names_and_lists_a_changed_sql_by_hand() -> None:
    exported = copy.deepcopy(export.spec_docs()[0])
    targets, bars = _chart("overview_targets"), _chart("emulation_cluster_bars")
    exported[f"charts/{targets.uuid}"]["slice_name"] = "Bảng tổng hợp (sửa)"
    exported[f"charts/{bars.uuid}"]["params"]["metrics"][0]["sqlExpression"] = "SUM(total_score)"
    exported["charts/00000000-0000-0000-0000-000000000001"] = {"slice_name": "Biểu đồ mới", "viz_type": "table"}
    edits, by_hand = writeback.plan(exported)
    spec = "vq_superset/specs/tong_quan_bang_so_lieu.py"
    assert edits == [Edit(f"charts/overview_targets ({spec})", targets.uuid, ("name",), "Bảng tổng hợp (sửa)")]
    assert by_hand == [
        ByHand(
            "charts/emulation_cluster_bars (vq_superset/specs/thi_dua.py)",
            "params.metrics[0].sqlExpression",
            "SUM(total_score)",
            "a changed SQL: review it against the marts and edit the spec by hand",
        ),
        ByHand(
            "charts/00000000-0000-0000-0000-000000000001 «Biểu đồ mới» (table)",
            "(the whole chart)",
            writeback.MISSING,
            "new in the UI: add a Chart with this uuid to a spec",
        ),
    ]


def test_the_command_writes_a_copy_of_the_package_and_regenerates_its_yaml(tmp_path: Path) -> None:
    checkout, folder = tmp_path / "checkout", tmp_path / "export"
    shutil.copytree(REPO / "vq_superset", checkout / "vq_superset", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "superset" / "assets", checkout / "superset" / "assets")
    for rel, text in generate.texts().items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text.replace("slice_name: Bảng tổng hợp 27 chỉ tiêu", "slice_name: Bảng mới"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout), str(REPO)])}

    def run() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "vq_superset.writeback", str(folder)]
        return subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)

    first = run()
    assert first.returncode == 0, first.stdout + first.stderr
    spec = "vq_superset/specs/tong_quan_bang_so_lieu.py"
    assert (checkout / spec).read_text(encoding="utf-8") == (REPO / spec).read_text(encoding="utf-8").replace(
        'name="Bảng tổng hợp 27 chỉ tiêu"', 'name="Bảng mới"'
    )
    chart = yaml.safe_load((checkout / "superset/assets/charts/overview_targets.yaml").read_text(encoding="utf-8"))
    assert chart["slice_name"] == "Bảng mới"
    second = run()
    assert (second.returncode, second.stdout) == (0, "Superset holds exactly the specs: nothing to write back.\n")
