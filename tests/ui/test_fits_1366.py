"""Every screen at a counter PC's 1366×768 with long Vietnamese content (the catalogue's longest procedure name,
a 60-character applicant name, a code of workstation 9): no label's text wider than the label unless it elides,
no placeholder cut, no table whose columns need a horizontal scrollbar at their default widths.

The screenshots go to a temporary folder, or to SCREENSHOTS_1366 when it is set
(`SCREENSHOTS_1366=docs/screenshots/1366 pytest tests/ui/test_fits_1366.py`): look at each.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QWidget

from counter.catalogue import procedures
from counter.dossiers import reception
from counter.records import ApplicantInput, ComponentInput, DossierDraft
from counter.sync import settings

LONG_NAME = "Tôn Nữ Huyền Trang Nguyễn Phước Bảo Châu Hoàng Thị Ngọc Diệp An"[:60]
WIDTH, HEIGHT = 1366, 768
SLACK = 1  # a pixel of rounding


def longest_procedure(ctx):
    return max(procedures.list_procedures(ctx), key=lambda p: len(p.name))


@pytest.fixture
def long_ctx(ctx, clerk):
    settings.set_value(ctx, "workstation", "9")
    procedure = longest_procedure(ctx)
    applicant = ApplicantInput(id_number="038090012345", full_name=LONG_NAME, phone="0912345678",
                               address="Thôn Đông Hưng Thịnh, Xã Quảng Hùng, Thành phố Sầm Sơn, Tỉnh Thanh Hóa")
    papers = tuple(ComponentInput(c.name, c.form, pages=3, code=c.code) for c in procedure.components if not c.optional)
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code=procedure.code, applicant=applicant,
                                                             components=papers,
                                                             summary="Hồ sơ thử với tên dài nhất danh mục"))
    ctx.long_dossier = dossier
    return ctx


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    out = os.environ.get("SCREENSHOTS_1366")
    path = Path(out) if out else tmp_path_factory.mktemp("shots-1366")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _visible(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.isVisible() and widget.width() > 0


def label_overflows(top: QWidget) -> list[str]:
    """Plain one-line labels whose text is wider than their room (an eliding label's text is shorter: it fits)."""
    found = []
    for label in top.findChildren(QLabel):
        text = label.text()
        if not text or not _visible(label, top) or label.wordWrap() or "\n" in text or GuiQt.mightBeRichText(text):
            continue
        if label.buddy() is not None:  # "&Từ ngày:": the & underlines the next letter, it takes no room
            text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        room = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0)
        need = label.fontMetrics().horizontalAdvance(text)
        if need > room + SLACK:
            found.append(f"label “{text}” needs {need}px, has {room}px ({label.objectName() or type(label.parent())})")
    return found


def placeholder_overflows(top: QWidget) -> list[str]:
    """Empty boxes whose hint is cut."""
    found = []
    for edit in top.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if not hint or edit.text() or not _visible(edit, top) or edit.isReadOnly():
            continue
        margins = edit.textMargins()
        room = edit.contentsRect().width() - margins.left() - margins.right() - 8  # the frame's inner padding
        need = edit.fontMetrics().horizontalAdvance(hint)
        if need > room + SLACK:
            found.append(f"placeholder “{hint}” needs {need}px, has {room}px")
    return found


def table_overflows(top: QWidget) -> list[str]:
    """Tables and lists whose visible columns need a horizontal scrollbar at their default widths."""
    found = []
    for view in top.findChildren(QAbstractItemView):
        if not _visible(view, top) or view.model() is None:
            continue
        bar = view.horizontalScrollBar()
        if bar.maximum() > 0:
            headers = [str(view.model().headerData(c, Qt.Orientation.Horizontal)) for c in
                       range(view.model().columnCount())]
            found.append(f"{type(view).__name__} {view.objectName()} {headers} scrolls by {bar.maximum()}px")
    return found


def seams(top: QWidget) -> list[str]:
    QApplication.processEvents()
    return label_overflows(top) + placeholder_overflows(top) + table_overflows(top)


def open_window(qtbot, ctx, user):
    from ui.app import create_main_window

    window = create_main_window(ctx, user)
    qtbot.addWidget(window)
    window.resize(WIDTH, HEIGHT)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.board_page.loaded)
    return window


def settle(qtbot, window) -> None:
    qtbot.wait(60)
    QApplication.processEvents()


def check_screen(qtbot, window, name: str, shots: Path) -> list[str]:
    settle(qtbot, window)
    window.grab().save(str(shots / f"{name}.png"))
    return [f"{name}: {s}" for s in seams(window)]


def test_every_screen_fits_1366_by_768_with_long_content(qtbot, long_ctx, shots):
    from counter.office.users import authenticate

    ctx = long_ctx
    admin = authenticate(ctx, "admin", "admin123")
    window = open_window(qtbot, ctx, admin)
    assert window.size().width() == WIDTH
    found: list[str] = []
    for section in window.sections():
        window.show_section(section)
        found += check_screen(qtbot, window, f"1366-{section}", shots)
    # the receive page filled with the long content
    window.show_section("receive")
    page = window.receive_page
    page.picker.pick(longest_procedure(ctx))
    page.applicant.name_edit.setText(LONG_NAME)
    found += check_screen(qtbot, window, "1366-receive-filled", shots)
    # the dossier page of workstation 9's dossier, opened as a scan opens it
    code = ctx.long_dossier.code
    assert code.split("-")[-1].startswith("9")  # workstation 9's block
    window.show_section("board")
    window.on_scanned(code)  # as a scan opens it
    qtbot.waitUntil(lambda: window.current_section() == "dossier" and window.detail_page.detail is not None)
    assert window.detail_page.header.time_badge.text() == "Hạn hôm nay, 17:00"  # a same-day procedure
    found += check_screen(qtbot, window, "1366-dossier", shots)
    assert not found, "\n".join(found)


def test_the_backups_box_on_quan_tri_leaves_the_settings_most_of_the_screen(qtbot, long_ctx):
    from counter.office.users import authenticate

    window = open_window(qtbot, long_ctx, authenticate(long_ctx, "admin", "admin123"))
    window.grab()  # lays out the hidden pages at a few pixels wide: a wrapped label claimed its height there
    window.show_section("admin")
    settle(qtbot, window)
    page, box, message = window.admin.page, window.backup.panel, window.backup.panel.outcome
    assert message.isVisible() and message.height() <= 2 * message.fontMetrics().lineSpacing() + 20  # one line
    assert box.height() <= box.sizeHint().height() + SLACK and page.scroll.height() > box.height()


def test_at_the_windows_narrowest_a_dossier_opened_by_scan_still_shows_its_whole_code(qtbot, long_ctx, shots):
    """1024×640, the main window's minimum: the code is never cut; the badges wrap instead."""
    from counter.office.users import authenticate

    window = open_window(qtbot, long_ctx, authenticate(long_ctx, "admin", "admin123"))
    window.resize(1024, 640)
    window.on_scanned(long_ctx.long_dossier.code)
    qtbot.waitUntil(lambda: window.current_section() == "dossier" and window.detail_page.detail is not None)
    settle(qtbot, window)
    window.grab().save(str(shots / "1024-dossier.png"))
    header = window.detail_page.header
    assert header.code_label.width() >= header.code_label.sizeHint().width()
    assert not label_overflows(header)
    badge = header.time_badge
    assert badge.height() >= badge.heightForWidth(badge.width()) - SLACK  # wrapped, not cut
