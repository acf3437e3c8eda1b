"""The end-of-day sync report PDF: what was sent, confirmed, refused and still waiting, in Vietnamese."""

from counter.office.profile import get_office
from counter.sync.batch import Issue, SyncReport
from counter.sync.conflicts import StatusChange
from printing.sync_report import build_sync_report
from tests.conftest import at
from tests.printing.pdf import page_texts

CODE = "000.00.06.H56-260213-0001"


def report(**kw) -> SyncReport:
    values = {"started_at": at("2026-02-13 17:00"), "finished_at": at("2026-02-13 17:02"), "agency_id": "000.00.06.H56",
              "sent_dossiers": 12, "sent_steps": 57, "failed": (), "waiting": (), "applied": (), "conflicts": (),
              "sent_today": 12, "confirmed": 12, "unconfirmed": (), "checked": True}
    return SyncReport(**{**values, **kw})


def text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def test_a_complete_batch(ctx):
    pdf = text(build_sync_report(report(), get_office(ctx)))
    assert "BÁO CÁO ĐỒNG BỘ HỒ SƠ VỚI HỆ THỐNG TỈNH" in pdf
    assert "17:00:00 ngày 13/02/2026" in pdf and "12 hồ sơ, 57 bước xử lý" in pdf
    assert "xác nhận (hồ sơ gửi trong ngày): 12/12" in pdf and "mọi hồ sơ đã được đồng bộ" in pdf


def test_failures_waiting_conflicts_and_province_updates_are_listed(ctx):
    refused = Issue(CODE, "dossier", "Hệ thống tỉnh từ chối: Dữ liệu không hợp lệ: MaTTHC: thủ tục không có")
    waiting = Issue("000.00.06.H56-260213-0002", "step", "Không kết nối được hệ thống tỉnh (ConnectError).")
    pdf = text(build_sync_report(report(
        failed=(refused,), waiting=(waiting,), confirmed=11, unconfirmed=("000.00.06.H56-260213-0003",),
        applied=(StatusChange("000.00.06.H56-260213-0004", 4, 9),),
        conflicts=(StatusChange("000.00.06.H56-260213-0005", 5, 10),), stopped_by="Hệ thống tỉnh đang lỗi (HTTP 500)."),
        get_office(ctx)))
    assert "MaTTHC" in pdf and "Bước xử lý" in pdf and "ConnectError" in pdf
    assert "Tỉnh chưa xác nhận: 000.00.06.H56-260213-0003" in pdf and "11/12" in pdf
    assert "Đang xử lý" in pdf and "Đã xử lý xong" in pdf and "Đã trả kết quả" in pdf
    assert "Xung đột phát hiện trong lượt này" in pdf and "HTTP 500" in pdf
    assert "còn hồ sơ chưa đồng bộ" in pdf


def test_unchecked_confirmation_says_so(ctx):
    pdf = text(build_sync_report(report(checked=False, confirmed=0), get_office(ctx)))
    assert "chưa tra cứu (12 hồ sơ gửi trong ngày)" in pdf
