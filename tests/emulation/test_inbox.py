"""Phòng Nội vụ's records through the inbox on a real warehouse: loaded with lineage, each
refusal of issue 20 named in Vietnamese, nothing else lost, supersession and duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import settings
from ingest import pipeline
from tests.emulation.records import CLUSTERS, SHEETS, drop, write_workbook

pytestmark = pytest.mark.usefixtures("fresh_warehouse")


@pytest.fixture(scope="module")
def workbook_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The hand-made workbook, written once: dropping it twice drops the very same bytes."""
    return write_workbook(tmp_path_factory.mktemp("noivu") / "thi-dua-2022.xlsx").read_bytes()


def drop_bytes(name: str, data: bytes, age: float = 60) -> Path:
    path = settings.paths().inbox / "noivu" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return drop(path, age)


@pytest.fixture(scope="module")
def loaded(fresh_warehouse: Path, workbook_bytes: bytes):
    """The workbook dropped and processed once, whichever test asks first."""
    path = drop_bytes("thi-dua-2022.xlsx", workbook_bytes, age=120)
    [outcome] = pipeline.process_inbox(["noivu"])
    return path, outcome


def rows(admin_conn, sql: str, *args) -> list[tuple]:
    with admin_conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def test_the_workbook_loads_every_good_row_and_refuses_each_bad_one(loaded, admin_conn) -> None:
    path, outcome = loaded
    assert (outcome.status, outcome.rows_loaded, outcome.rows_rejected) == ("loaded_with_warnings", 15, 7)
    assert not path.exists()
    assert rows(
        admin_conn,
        "select cluster_code, unit_code, is_head, source_row from raw.emulation_cluster_members"
        " where file_id = %s order by source_row",
        outcome.file_id,
    ) == [
        ("CUM1", "tckh", True, 2),
        ("CUM1", "nnptnt", False, 3),
        ("CUM1", "yte", False, 4),
        ("CUM2", "AN_SON", True, 5),
        ("CUM2", "BINH_PHUC", False, 6),
    ]
    assert rows(
        admin_conn,
        "select unit_code, target_code, criterion from raw.emulation_registrations where file_id = %s"
        " order by source_row",
        outcome.file_id,
    ) == [
        ("tckh", "KT05", None),
        ("tckh", "KT01", None),
        ("yte", "MT04", None),
        ("yte", None, "Tiêm chủng đầy đủ cho trẻ em"),
        ("AN_SON", "KT07", None),
    ]
    assert rows(
        admin_conn,
        "select proposal_id, occasion, nominee_kind, unit_code, person_name, evidence_targets"
        " from raw.emulation_proposals where file_id = %s order by source_row",
        outcome.file_id,
    ) == [
        ("DN-01", "so_ket", "tap_the", "tckh", None, "KT05"),
        ("DN-02", "so_ket", "ca_nhan", "yte", "Hoàng Thị Mai", "MT04"),
        ("DN-03", "so_ket", "tap_the", "tckh", None, "KT01"),
    ]
    assert rows(
        admin_conn,
        "select proposal_id, outcome, new_award_form from raw.emulation_decisions where file_id = %s"
        " order by source_row",
        outcome.file_id,
    ) == [("DN-01", "da_duyet", None), ("DN-02", "doi_hinh_thuc", "Giấy khen của Hội đồng TĐKT")]
    assert rows(
        admin_conn,
        "select record_kind, plan_year, rows_loaded from raw.emulation_batches where file_id = %s order by 1",
        outcome.file_id,
    ) == [("cluster", 2022, 5), ("decision", 2022, 2), ("proposal", 2022, 3), ("registration", 2022, 5)]
    problems = rows(
        admin_conn,
        "select sheet_name, source_row, severity, rule, message_vi from audit.ingest_problems where file_id = %s"
        " order by sheet_name, source_row",
        outcome.file_id,
    )
    assert [(s, r, sev, rule) for s, r, sev, rule, _ in problems] == [
        ("Cụm thi đua", 7, "rejected", "emulation_unknown_unit"),
        ("Cụm thi đua", 8, "rejected", "emulation_unit_in_two_clusters"),
        ("Cụm thi đua", 9, "rejected", "emulation_unit_in_two_clusters"),
        ("Quyết định", 4, "rejected", "emulation_unknown_proposal"),
        ("Đăng ký thi đua", 7, "rejected", "emulation_unknown_target"),
        ("Đề nghị khen thưởng", 5, "rejected", "emulation_unknown_unit"),
        ("Đề nghị khen thưởng", 6, "rejected", "emulation_unknown_target"),
    ]
    messages = {(s, r): m for s, r, _, _, m in problems}
    assert messages[("Cụm thi đua", 8)] == (
        "Dòng 8 (trang «Cụm thi đua»): xã Điềm He được ghi vào nhiều cụm thi đua trong năm 2022 (CUM1, CUM2); mỗi đơn "
        "vị chỉ thuộc một cụm trong một năm. Các dòng này chưa được nhận: hãy giữ đơn vị ở đúng một cụm rồi gửi lại."
    )
    assert messages[("Quyết định", 4)] == (
        "Dòng 4 (trang «Quyết định»): quyết định cho đề nghị «DN-99» nhưng không có đề nghị nào mang mã này trong "
        "năm 2022; hãy gửi đề nghị trước (hoặc cùng tệp) hoặc sửa lại mã đề nghị."
    )
    assert messages[("Đề nghị khen thưởng", 6)] == (
        "Dòng 6 (trang «Đề nghị khen thưởng»): đề nghị «DN-05» nêu chỉ tiêu «KT99» không có trong kế hoạch năm "
        "2022; hãy ghi mã chỉ tiêu của kế hoạch (ví dụ KT03, XH04), cách nhau bằng dấu phẩy."
    )
    assert messages[("Đề nghị khen thưởng", 5)].startswith(
        "Dòng 5 (trang «Đề nghị khen thưởng»): đơn vị «Phòng Không Có» không có trong danh mục đơn vị của huyện"
    )
    report = Path(outcome.report_path)
    assert report.exists() and report.name.endswith(".bao-cao-loi.xlsx")
    runs = rows(
        admin_conn, "select suite_name from audit.validation_runs where file_id = %s order by 1", outcome.file_id
    )
    assert runs == [
        ("emulation_cluster",),
        ("emulation_decision",),
        ("emulation_proposal",),
        ("emulation_registration",),
    ]


def test_the_same_bytes_again_are_a_duplicate_and_a_later_file_replaces_its_kind(
    loaded, admin_conn, workbook_bytes: bytes
) -> None:
    inbox = settings.paths().inbox / "noivu"
    drop_bytes("thi-dua-2022.xlsx", workbook_bytes)
    [again] = pipeline.process_inbox(["noivu"])
    assert again.status == "duplicate"
    clusters_only = {"Cụm thi đua": [CLUSTERS[0], *CLUSTERS[1:3]]}
    drop(write_workbook(inbox / "cum-2022-sua.xlsx", clusters_only), age=30)
    [later] = pipeline.process_inbox(["noivu"])
    assert (later.status, later.rows_loaded) == ("loaded", 2)
    latest = rows(
        admin_conn,
        "select distinct on (record_kind, plan_year) record_kind, file_id from raw.emulation_batches"
        " order by record_kind, plan_year, received_at desc, file_id desc",
    )
    first = loaded[1].file_id
    assert dict(latest) == {"cluster": later.file_id, "decision": first, "proposal": first, "registration": first}


def test_a_file_with_only_refused_rows_is_quarantined(platform_home: Path, admin_conn) -> None:
    bad = {"Quyết định": [SHEETS["Quyết định"][0], SHEETS["Quyết định"][3]]}
    drop(write_workbook(settings.paths().inbox / "noivu" / "quyet-dinh-sai.xlsx", bad))
    [outcome] = pipeline.process_inbox(["noivu"])
    assert (outcome.status, outcome.rows_loaded) == ("quarantined", 0)
    assert "/quarantine/noivu/" in outcome.stored_path


def test_a_symlink_in_noivu_is_quarantined_and_never_opened(platform_home: Path, admin_conn, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.xlsx"
    target.write_bytes(b"not read")
    link = settings.paths().inbox / "noivu" / "loi-tat.xlsx"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    outcome = pipeline.ingest_file(link, "noivu", relative_path="loi-tat.xlsx")
    assert outcome.status == "quarantined"
    assert not link.exists() and target.read_bytes() == b"not read"
