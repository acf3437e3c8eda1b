"""Trợ giúp → Giới thiệu: the version, the build date, where the database, the data and the log are, and the
licences of what the build bundles (counter.support)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from counter import APP_NAME, support
from counter.context import AppContext
from counter.version import label


class AboutDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Giới thiệu — {label()}")
        self.facts = support.about(ctx)
        title = QLabel(f"<b style='font-size:15pt'>{escape(label())}</b><br>"
                       "Tiếp nhận và trả kết quả hồ sơ thủ tục hành chính tại bộ phận một cửa cấp xã.")
        form = QFormLayout()
        for name, value in self.facts.lines():
            shown = QLabel(escape(value))
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(f"{name}:", shown)
        self.licences = QTextBrowser(self)
        self.licences.setOpenExternalLinks(True)
        rows = "".join(f"<tr><td>{escape(c.name)}</td><td>{escape(c.licence)}</td>"
                       f"<td><a href='{escape(c.url)}'>{escape(c.url)}</a></td></tr>" for c in support.BUNDLED)
        self.licences.setHtml(f"<p>{escape(APP_NAME)} dùng và đóng gói kèm các phần mềm sau, theo giấy phép của "
                              f"từng phần (Qt và PySide6 theo LGPL v3: có thể thay bằng bản khác cùng phiên bản "
                              f"trong thư mục cài đặt):</p><table cellspacing='4'>{rows}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng  (Esc)")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(QLabel("Giấy phép của các thành phần:"))
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)
        self.resize(820, 600)  # inside 1366×768

    def text(self) -> str:
        """Everything the box says, for tests and for copying into a message to support."""
        lines = [label(), *(f"{name}: {value}" for name, value in self.facts.lines())]
        return "\n".join(lines) + "\n" + self.licences.toPlainText()
