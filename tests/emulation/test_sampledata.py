"""The sample year's emulation records: what `make samples` drops into noivu reads and
validates clean, and holds what issue 20 asks for."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from ingest.emulation import load, readers
from sampledata import emulation


def test_the_sample_year_files_read_and_validate_without_a_problem(tmp_path: Path) -> None:
    files = emulation.write_files(tmp_path, date(2022, 12, 31))
    assert [p.name for p in files] == [
        "noivu_2022-03_cum-va-dang-ky_SYNTHETIC.xlsx",
        "noivu_2022-07_de-nghi-so-ket_SYNTHETIC.xlsx",
        "noivu_2022-07_quyet-dinh-so-ket_SYNTHETIC.xlsx",
        "noivu_2022-09_de-nghi-va-quyet-dinh-dot-xuat_SYNTHETIC.xlsx",
        "noivu_2022-12_de-nghi-tong-ket_SYNTHETIC.xlsx",
        "noivu_2022-12_quyet-dinh-tong-ket_SYNTHETIC.xlsx",
    ]
    known: set[tuple[int, str]] = set()
    parsed = {}
    for path in files:
        result = readers.parse_file(path, isolated=False)
        known |= {(r.plan_year, r.values["proposal_id"]) for r in result.of("proposal")}
        outcomes = load.validate(result, known, path.name)
        assert result.problems == [] and [p for o in outcomes for p in o.problems] == [], path.name
        parsed[path.name] = result
    first = parsed["noivu_2022-03_cum-va-dang-ky_SYNTHETIC.xlsx"]
    assert Counter(r.values["cluster_code"] for r in first.of("cluster")) == {"CUM-KT": 5, "CUM-VX": 7, "CUM-XA": 17}
    year_end = parsed["noivu_2022-12_de-nghi-tong-ket_SYNTHETIC.xlsx"].of("proposal")
    assert len(year_end) == 12
    assert Counter(r.values["nominee_kind"] for r in year_end) == {"tap_the": 7, "ca_nhan": 5}
    assert Counter(r.values["occasion"] for r in year_end) == {"so_ket": 6, "tong_ket": 5, "dot_xuat": 1}
    decisions = parsed["noivu_2022-12_quyet-dinh-tong-ket_SYNTHETIC.xlsx"].of("decision")
    assert Counter(r.values["outcome"] for r in decisions) == {"da_duyet": 6, "khong_duyet": 1, "doi_hinh_thuc": 2}


def test_a_sample_cut_in_june_holds_only_the_march_file(tmp_path: Path) -> None:
    assert [p.name for p in emulation.write_files(tmp_path, date(2022, 6, 30))] == [
        "noivu_2022-03_cum-va-dang-ky_SYNTHETIC.xlsx"
    ]
