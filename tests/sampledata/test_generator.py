"""The synthetic demo inbox: deterministic, complete, realistic, and mixed in outcome."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core import catalog
from sampledata.__main__ import main
from sampledata.generate import generate
from sampledata.scale import generate_scale


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["--out", str(out), "--seed", "42"]) == 0
    return out


@pytest.fixture(scope="module")
def manifest(demo: Path) -> dict:
    return json.loads((demo / "manifest.json").read_text("utf-8"))


def read_rows(path: Path) -> list[list[str]]:
    """The file's cells as text, header row included (xlsx: the data sheet, not the guide's example)."""
    if path.suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))
    wb = load_workbook(path, read_only=True)
    return [
        ["" if v is None else str(v) for v in row]
        for ws in wb.worksheets
        if ws.title in ("Số liệu", "Báo cáo")
        for row in ws.iter_rows(values_only=True)
    ]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=7, until="2022-04")
    generate(tmp_path / "b", seed=7, until="2022-04")
    generate(tmp_path / "c", seed=8, until="2022-04")
    a, b, c = tree(tmp_path / "a"), tree(tmp_path / "b"), tree(tmp_path / "c")
    assert a == b
    assert a.keys() == c.keys()
    changed = [name for name in a if a[name] != c[name]]
    assert len(changed) > len(a) // 2
    mtimes = {p.name: p.stat().st_mtime for p in (tmp_path / "a").rglob("*_SYNTHETIC.*")}
    assert mtimes == {p.name: p.stat().st_mtime for p in (tmp_path / "b").rglob("*_SYNTHETIC.*")}


def test_default_run_layout_and_counts(demo: Path, manifest: dict) -> None:
    offices = sorted(code for code, o in catalog.default().offices.items() if o.submits)
    # Phòng Nội vụ's emulation records sit in their own folder, outside the figures' manifest.
    assert sorted(p.name for p in demo.iterdir()) == sorted([*offices, "noivu", "manifest.json"])
    assert len([p for p in (demo / "noivu").iterdir() if p.is_file()]) == 6
    files = sorted(p for p in demo.rglob("*") if p.is_file() and p.name != "manifest.json" and p.parent.name != "noivu")
    assert len(files) == manifest["file_count"] == 91
    assert manifest["files_by_purpose"] == {"baseline": 11, "correction": 2, "final": 3, "regular": 75}
    assert manifest["files_by_office"]["tckh"] == 14  # baseline, 12 months, closing actuals
    assert manifest["files_by_office"]["tnmt"] == 4  # baseline and Q1-Q3: Q4 never arrives
    assert {p.suffix for p in files} == {".xlsx", ".csv"}
    assert {e["layout"] for e in manifest["files"]} == {"template", "long"}
    assert {e["number_style"] for e in manifest["files"]} == {"numeric", "vi", "intl"}
    assert (demo / "tckh" / "tckh_2022-05_SYNTHETIC.xlsx").is_file()
    for path in files:
        assert "_SYNTHETIC." in path.name
        assert path.parent.name == path.name.split("_")[0]
        assert any("SYNTHETIC" in cell for row in read_rows(path) for cell in row), path.name


def test_every_indicator_of_every_office_in_both_years(demo: Path) -> None:
    cat = catalog.default()
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in demo.rglob("*_SYNTHETIC.*"):
        for row in read_rows(path):
            if row and row[0] in cat.indicators:
                seen[path.parent.name].add((row[0], row[2][-4:] if "/" in row[2] else row[2][:4]))
    for office in (c for c, o in cat.offices.items() if o.submits):
        for ind in cat.indicators_of(office):
            assert (ind.code, "2021") in seen[office], ind.code
            assert (ind.code, "2022") in seen[office], ind.code
        assert {code for code, _ in seen[office]} == {i.code for i in cat.indicators_of(office)}


def test_manifest_mixes_outcomes(manifest: dict) -> None:
    targets = manifest["targets"]
    assert len(targets) == 27
    year_end = {code: t["status"] for code, t in targets.items()}
    assert year_end["KT08"] == "vuot"  # tourists exceed
    assert year_end["KT05"] == "khong_dat"  # budget revenue behind all year
    assert year_end["XH06"] == "khong_dat"  # poverty reduction missed
    assert year_end["KT01"] == "dat"
    assert manifest["status_counts"] == {"dat": 17, "khong_dat": 6, "vuot": 4}
    september = {t["by_month"]["2022-09"]["status"] for t in targets.values()}
    assert {"dung_tien_do", "cham_tien_do", "dat", "vuot"} <= september
    assert targets["KT05"]["by_month"]["2022-09"]["status"] == "cham_tien_do"
    january = {t["by_month"]["2022-01"]["status"] for t in targets.values()}
    assert "thieu_so_lieu" in january  # quarterly figures not in yet


def test_realistic_magnitudes(manifest: dict) -> None:
    t = manifest["targets"]
    assert t["XH06"]["baseline_previous_year"] == "20.10"  # poverty rate 2021
    assert t["XH06"]["actual"] == "16.40"
    assert t["MT02"]["baseline_previous_year"] == "60.6"  # forest cover
    assert t["KT08"]["actual"] == "6850"
    assert Decimal(t["KT05"]["actual"]) == 17850


def test_estimates_are_replaced_and_a_correction_resubmitted(demo: Path, manifest: dict) -> None:
    files = manifest["files"]
    assert sum(e["estimates"] for e in files) > 0
    assert [e["path"] for e in files if e["purpose"] == "correction"] == [
        "congan/congan_2022-03_dieu-chinh_SYNTHETIC.xlsx",
        "ldtbxh/ldtbxh_2022-Q2_dieu-chinh_SYNTHETIC.xlsx",
    ]
    order = [e["path"] for e in files]
    assert order.index("congan/congan_2022-03_SYNTHETIC.xlsx") < order.index(
        "congan/congan_2022-03_dieu-chinh_SYNTHETIC.xlsx"
    )
    submitted = [e["submitted_at"] for e in files]
    assert submitted == sorted(submitted)
    fixed = [
        r for r in read_rows(demo / "congan" / "congan_2022-03_dieu-chinh_SYNTHETIC.xlsx") if r[0] == "traffic_injuries"
    ]
    first = [r for r in read_rows(demo / "congan" / "congan_2022-03_SYNTHETIC.xlsx") if r[0] == "traffic_injuries"]
    assert len(fixed) == 1 and len(first) == 1
    assert float(first[0][3]) == float(fixed[0][3]) + 3
    # The budget estimate of May is followed by its actual in the June file.
    may = [
        r
        for r in read_rows(demo / "tckh" / "tckh_2022-05_SYNTHETIC.xlsx")
        if r[:3] == ["budget_revenue", "Huyện Văn Quan", "2022-05"]
    ]
    june = [
        r
        for r in read_rows(demo / "tckh" / "tckh_2022-06_SYNTHETIC.xlsx")
        if r[:3] == ["budget_revenue", "Huyện Văn Quan", "2022-05"]
    ]
    assert [r[4] for r in may] == ["ước"]
    assert [r[4] for r in june] == ["chính thức"]


def test_until_stops_at_the_month(tmp_path: Path) -> None:
    result = generate(tmp_path, seed=42, until="2022-09")
    manifest = json.loads(result.manifest.read_text("utf-8"))
    periods = {p for e in manifest["files"] for p in e["periods"]}
    assert max(p for p in periods if p.startswith("2022-") and "Q" not in p) == "2022-09"
    assert max(p for p in periods if "Q" in p) == "2022-Q3"
    assert manifest["until"] == "2022-09"
    assert {t["as_of"] for t in manifest["targets"].values()} == {"2022-09"}
    assert not (tmp_path / "tckh" / "tckh_2022-10_SYNTHETIC.xlsx").exists()
    with pytest.raises(ValueError, match="YYYY-MM"):
        generate(tmp_path / "x", until="2023-01")


def test_scale_mode_writes_prefixed_csv(tmp_path: Path) -> None:
    summary = generate_scale(tmp_path, districts=2, years=2, seed=1)
    files = sorted(p.name for p in tmp_path.rglob("*.csv"))
    assert summary["years"] == [2022, 2023]
    assert summary["file_count"] == len(files) == 2 * 2 * 76
    assert {name[:5] for name in files} == {"d001_", "d002_"}
    assert "d002_bhxh_2023-12_SYNTHETIC.csv" in files


def test_every_demo_file_parses_to_its_rows(demo: Path, manifest: dict) -> None:
    parse = pytest.importorskip("ingest.parse")
    for entry in manifest["files"]:
        result = parse.parse_file(demo / entry["path"], entry["office_code"])
        assert [(p.severity, p.rule, p.message_en) for p in result.problems] == [], entry["path"]
        assert len(result.rows) == entry["rows"], entry["path"]
        assert sorted({r.period_code for r in result.rows}) == entry["periods"], entry["path"]
