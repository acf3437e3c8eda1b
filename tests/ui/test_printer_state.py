"""What keeps a CUPS queue from printing, read from lpstat's output (the real queues: test_cups_print.py)."""

from ui.printing.preview import PrintJob, not_printed
from ui.printing.printer import queue_reasons

IDLE = """printer Quay-1 is idle.  enabled since Mon Dec  7 09:24:34 2026
\tForm mounted:
\tAlerts: none
\tLocation: Quầy 1
"""
ACCEPTING = "Quay-1 accepting requests since Mon Dec  7 09:24:34 2026\n"


def test_an_idle_queue_that_accepts_jobs_can_print():
    assert queue_reasons(IDLE, ACCEPTING) == []


def test_out_of_paper_jammed_or_offline_stop_the_print_but_a_warning_does_not():
    queue = IDLE.replace("Alerts: none", "Alerts: media-empty-error media-jam-error offline-report toner-low-warning")
    assert queue_reasons(queue, ACCEPTING) == ["hết giấy", "kẹt giấy"]
    assert queue_reasons(IDLE.replace("Alerts: none", "Alerts: media-needed"), ACCEPTING) == ["hết giấy"]
    assert queue_reasons(IDLE.replace("Alerts: none", "Alerts: media-empty-warning"), ACCEPTING) == []


def test_a_disabled_queue_is_paused_once_and_a_rejecting_one_says_so():
    disabled = IDLE.replace("is idle.  enabled", "disabled").replace("Alerts: none", "Alerts: paused")
    assert queue_reasons(disabled, ACCEPTING) == ["đang tạm dừng"]
    rejecting = "Quay-1 not accepting requests since Mon Dec  7 09:24:57 2026 -\n\tRejecting Jobs\n"
    assert queue_reasons(IDLE, rejecting) == ["đang từ chối mọi lệnh in"]


def test_what_the_clerk_reads_when_nothing_came_out():
    receipt = PrintJob(form="mau01", pdf=b"", title="", file_name="", dossier_code="H56-0001")
    assert not_printed(receipt, "Máy in “Q” hết giấy.") == (
        "Biên nhận (Mẫu 01) chưa được in: Máy in “Q” hết giấy. Hồ sơ H56-0001 đã được lưu, không cần tiếp nhận "
        "lại. In lại: Ctrl+P ngay tại đây, hoặc Ctrl+Shift+P trên trang hồ sơ.")
    guidance = PrintJob(form="mau02", pdf=b"", title="", file_name="", guidance_id=7)
    text = not_printed(guidance, "Máy in “Q” đang tạm dừng.")
    assert text.startswith("Phiếu yêu cầu bổ sung (Mẫu 02) chưa được in")
    assert "Ctrl+Shift+P" not in text and "In lại: Ctrl+P ngay tại đây." in text  # no dossier page to go to
