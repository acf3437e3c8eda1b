"""The dossier page: what it shows, which actions it offers in each state, and the time-left colours."""

import pytest
from PySide6.QtCore import Qt

from counter.dossiers import lifecycle
from counter.status import Status
from tests.conftest import at
from tests.counter.lifecycle_steps import AN, CERTIFIED_COPIES, UNIT, dossier_in, login, receive, walk
from tests.ui.dossier_steps import press_action
from ui.board.timeliness import COLOURS

CLERK_ACTIONS = {
    Status.RECEIVED: ["handover", "withdraw"],
    Status.IN_PROGRESS: ["handover", "request_supplement", "request_payment", "record_result", "withdraw"],
    Status.SUPPLEMENT: ["receive_supplement", "withdraw"],
    Status.AWAITING_PAYMENT: ["record_payment", "withdraw"],
    Status.RESULT_READY: ["request_payment", "return_result"],
    Status.RETURNED: ["rate_service"],
    Status.WITHDRAWN: [],
    Status.STOPPED: [],
    Status.REFUSED: [],
}


@pytest.fixture
def page(dossier_page):
    return dossier_page


@pytest.mark.parametrize("status", list(CLERK_ACTIONS))
def test_only_the_actions_legal_in_the_state_are_offered(page, ctx, status):
    dossier = dossier_in(ctx, status)
    page.load(dossier.code)
    assert page.offered() == [*CLERK_ACTIONS[status], "print_slip", "reprint"]
    assert page.header.status_badge.text() == status.label
    if not CLERK_ACTIONS[status]:
        assert page.panel.empty.isVisible()


def test_a_leader_is_also_offered_the_apology(page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")
    page.load(dossier.code)
    assert "apologise" in page.offered()
    assert "stop" in page.offered()  # Mẫu 05, signed by the head of the agency: not offered to a clerk


def test_a_key_whose_action_the_state_refuses_says_why(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)  # the clerk is no leader
    page.load(dossier.code)
    assert press_action(qtbot, page, "apologise") is None
    assert page.message.kind == "error"
    assert "Chỉ lãnh đạo mới được ký văn bản xin lỗi" in page.message.plain_text()
    assert press_action(qtbot, page, "return_result") is None
    assert "đang ở trạng thái “Đang xử lý”" in page.message.plain_text()


def test_the_page_shows_the_applicant_procedure_times_fees_and_history(page, ctx):
    dossier = receive(ctx, "2.000815", components=CERTIFIED_COPIES)
    lifecycle.handover(ctx, dossier.code, UNIT, "Giao bản chính kèm theo")
    page.load(dossier.code)
    assert page.header.code_label.text() == dossier.code
    applicant = page.applicant_box.values()
    assert "Nguyễn Văn An" in applicant["Họ tên:"] and applicant["Số định danh:"] == AN.id_number
    assert applicant["Điện thoại:"] == "0912345678"
    procedure = page.procedure_box.values()
    assert "Chứng thực bản sao" in procedure["Thủ tục:"] and "2.000815" in procedure["Thủ tục:"]
    assert "17:00 ngày 13/02/2026" in procedure["Hẹn trả:"] and procedure["Hồ sơ đang ở:"] == UNIT
    assert "10:00 ngày 13/02/2026" in procedure["Tiếp nhận:"] and "Nguyễn Thị Hoa" in procedure["Tiếp nhận:"]
    fee = page.fees_box.lines()[0]
    assert fee.startswith("Lệ phí chứng thực bản sao: <b>14.000 đ</b>") and "chưa nộp" in fee
    assert "còn nợ 14.000 đ" in page.fees_box.values()["Tổng cộng:"]
    assert page.components_box.table.rowCount() == 2
    assert page.components_box.scans.text() == "Bản số hóa (tệp đính kèm): chưa có."
    rows = page.timeline.row_texts()
    assert [r[1] for r in rows] == ["Tiếp nhận hồ sơ", "Chuyển xử lý"]
    assert rows[1][0] == "10:00  13/02/2026" and rows[1][3] == "Nguyễn Thị Hoa"
    assert rows[1][2] == f"Trung tâm Phục vụ hành chính công → {UNIT}\nGiao bản chính kèm theo"


def test_a_changed_appointment_shows_the_original_too(page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")
    lifecycle.apologise(ctx, dossier.code, "Chờ xác minh", at("2026-02-27 10:00"))
    page.load(dossier.code)
    due = page.procedure_box.values()["Hẹn trả:"]
    assert "10:00 ngày 27/02/2026" in due and "hẹn ban đầu: 10:00 ngày 25/02/2026" in due
    assert "Xin lỗi, hẹn lại:" in page.progress_box.values()


@pytest.mark.parametrize(("now", "state", "text"), [
    ("2026-02-13 10:00", "on_time", "Còn 3 ngày làm việc"),
    ("2026-02-24 13:30", "due_soon", "Còn 6 giờ 30 phút làm việc (sắp đến hạn)"),  # 3 h 30 + 3 h
    ("2026-02-25 07:30", "due_soon", "Hạn hôm nay, 10:00"),  # not "Còn 2 giờ…": the day itself (issue 21)
    ("2026-02-25 11:15", "overdue", "Quá hạn 1 giờ 15 phút làm việc"),
])
def test_time_left_is_coloured_on_time_due_soon_or_overdue(page, ctx, now, state, text):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)  # received Fri 13/02 10:00, due Wed 25/02 10:00 (Tết between)
    ctx.clock.at = at(now)
    page.load(dossier.code)
    badge = page.header.time_badge
    assert page.header.state == state and badge.text() == text and badge.isVisible()
    back, fore = COLOURS[state]
    assert back in badge.styleSheet() and fore in badge.styleSheet()


def test_no_clock_no_colour_while_waiting_for_a_supplement(page, ctx):
    dossier = dossier_in(ctx, Status.SUPPLEMENT)
    page.load(dossier.code)
    assert page.header.state == "" and page.header.time_badge.text() == "Tạm dừng: chờ công dân bổ sung"
    assert "đang chờ công dân nộp bổ sung" in page.progress_box.values()["Yêu cầu bổ sung:"]


def test_esc_goes_back(qtbot, page, ctx):
    page.load(dossier_in(ctx, Status.RECEIVED).code)
    with qtbot.waitSignal(page.back, timeout=1000):
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Escape)


def test_enter_on_the_focused_action_opens_its_dialog(qtbot, page, ctx):
    page.load(dossier_in(ctx, Status.RECEIVED).code)
    assert page.focusWidget() is page.panel.buttons["handover"]  # the usual next step
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Return)
    assert page.dialog is not None and page.dialog.action == "handover" and page.dialog.isVisible()
    page.dialog.reject()


def test_a_returned_and_rated_dossier_offers_only_the_control_slip(page, ctx):
    dossier = dossier_in(ctx, Status.RETURNED)
    lifecycle.rate_service(ctx, dossier.code, "very_satisfied")
    page.load(dossier.code)
    assert page.offered() == ["print_slip", "reprint"]
    values = page.progress_box.values()
    assert "RẤT HÀI LÒNG" in values["Đánh giá:"] and "chủ hồ sơ" in values["Đã trả:"]


def test_the_control_slip_prints_at_any_time(qtbot, page, ctx):
    dossier = walk(ctx, dossier_in(ctx, Status.RECEIVED).code, ["handover"])
    page.load(dossier.code)
    press_action(qtbot, page, "print_slip")
    assert [j.form for j in page.jobs] == ["mau06"] and page.jobs[0].dossier_code == dossier.code
