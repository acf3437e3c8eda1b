"""Qt's own strings (standard buttons, text field menus) in Vietnamese.

PySide6 ships no qtbase_vi.qm. A real catalogue is loaded when one is found (Qt's translations
folder or resources/translations); the few strings a counter clerk meets come from the table
below otherwise. Our own text is written in Vietnamese in the code.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QTranslator,
)

import resources

log = logging.getLogger(__name__)

_BUTTONS = {
    "OK": "Đồng ý", "Save": "Lưu", "Save All": "Lưu tất cả", "Open": "Mở", "Close": "Đóng", "Cancel": "Hủy",
    "&Yes": "&Có", "Yes to &All": "Có với &tất cả", "&No": "&Không", "N&o to All": "K&hông với tất cả",
    "Abort": "Hủy bỏ", "Retry": "Thử lại", "Ignore": "Bỏ qua", "Discard": "Không lưu", "Help": "Trợ giúp",
    "Apply": "Áp dụng", "Reset": "Đặt lại", "Restore Defaults": "Khôi phục mặc định",
}
_EDITING = {
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "&Sao chép", "&Paste": "&Dán",
    "Delete": "Xóa", "Select All": "Chọn tất cả", "Copy &Link Location": "Sao chép địa chỉ liên &kết",
}
TABLE: dict[str, dict[str, str]] = {
    "QPlatformTheme": _BUTTONS,
    "QDialogButtonBox": _BUTTONS,
    "QLineEdit": _EDITING,
    "QWidgetTextControl": _EDITING,
    "QMessageBox": {"Show Details...": "Xem chi tiết...", "Hide Details...": "Ẩn chi tiết...", "OK": "Đồng ý"},
}


class VietnameseQtTranslator(QTranslator):
    """Answers from TABLE; None lets Qt keep its English text."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return TABLE.get(context, {}).get(source)

    def isEmpty(self) -> bool:
        return False


def install_qt_translations(app: QCoreApplication) -> QTranslator:
    """Install Qt's Vietnamese catalogue, or the built-in table; return the translator installed."""
    for folder in (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), str(resources.path("translations"))):
        catalogue = QTranslator(app)
        if catalogue.load("qtbase_vi", folder):
            app.installTranslator(catalogue)
            log.info("Qt translations: qtbase_vi from %s", folder)
            return catalogue
    fallback = VietnameseQtTranslator(app)
    app.installTranslator(fallback)
    return fallback

