"""The Mẫu 02 and Mẫu 03 dialogs, filled and confirmed as the clerk would (never exec())."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from counter.records import GuidanceItem
from tests.ui.keys import type_text
from ui.reception.dialogs import MISSING_PROBLEM, MISSING_REASON, GuidanceDialog, RefusalDialog


def test_guidance_is_prefilled_with_the_missing_papers(qtbot):
    dialog = GuidanceDialog(["Giấy chứng sinh", "Tờ khai"])
    qtbot.addWidget(dialog)
    assert dialog.items() == [GuidanceItem("Giấy chứng sinh", MISSING_PROBLEM),
                              GuidanceItem("Tờ khai", MISSING_PROBLEM)]
    assert dialog.reason() == MISSING_REASON
    dialog.table.setItem(1, 1, QTableWidgetItem("Chưa ký, ghi rõ họ tên"))
    row = dialog.add_row("Văn bản ủy quyền", "Phải có chứng thực")
    assert row == 2 and dialog.items()[1:] == [GuidanceItem("Tờ khai", "Chưa ký, ghi rõ họ tên"),
                                               GuidanceItem("Văn bản ủy quyền", "Phải có chứng thực")]
    with qtbot.waitActive(dialog):
        dialog.show()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_guidance_needs_a_paper_and_a_reason(qtbot):
    dialog = GuidanceDialog([])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.items() == [] and dialog.reason() == ""
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and "ít nhất một giấy tờ" in dialog.message.plain_text()
    dialog.table.setItem(0, 0, QTableWidgetItem("Sổ hộ khẩu"))
    dialog.accept()
    assert "lý do" in dialog.message.plain_text() and dialog.isVisible()
    type_text(dialog.reason_edit, "Giấy tờ đã hết hạn")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.reason() == "Giấy tờ đã hết hạn"


def test_refusal_needs_a_reason(qtbot):
    dialog = RefusalDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.isVisible() and "lý do" in dialog.message.plain_text()
    type_text(dialog.reason_edit, "Không thuộc thẩm quyền của UBND xã")
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    assert dialog.reason() == "Không thuộc thẩm quyền của UBND xã"


def test_the_cursor_goes_to_the_field_the_refusal_names(qtbot):
    guidance = GuidanceDialog([])
    qtbot.addWidget(guidance)
    with qtbot.waitActive(guidance):
        guidance.show()
    guidance.reason_edit.setFocus()
    guidance.accept()
    assert guidance.focusWidget() is guidance.table  # no paper listed
    guidance.table.setItem(0, 0, QTableWidgetItem("Sổ hộ khẩu"))
    guidance.table.setFocus()
    guidance.accept()
    assert guidance.focusWidget() is guidance.reason_edit  # no reason
    refusal = RefusalDialog()
    qtbot.addWidget(refusal)
    with qtbot.waitActive(refusal):
        refusal.show()
    refusal.message.setFocus()
    refusal.accept()
    assert refusal.isVisible() and refusal.focusWidget() is refusal.reason_edit


def test_the_dialogs_ask_the_domains_rule(qtbot, monkeypatch):
    """A reworded domain check keeps its field: the dialog shows its words and follows its field."""
    from counter.dossiers import reception
    from counter.errors import Field, ValidationError

    def reworded(items):
        raise ValidationError("Cần ít nhất hai giấy tờ cho thủ tục này.", Field.REASON)
    monkeypatch.setattr(reception, "guidance_items", reworded)
    dialog = GuidanceDialog(["Tờ khai"])
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    dialog.table.setFocus()
    dialog.accept()
    assert dialog.isVisible() and dialog.message.plain_text() == "Cần ít nhất hai giấy tờ cho thủ tục này."
    assert dialog.focusWidget() is dialog.reason_edit
