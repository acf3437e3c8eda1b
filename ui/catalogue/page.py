"""The Danh mục thủ tục section (administrators only): the procedures at the version in force today, filtered by
field, those the province still has to set marked; Ctrl+I imports a catalogue file (its dry-run report first),
Ctrl+E (or Enter on a row) enters the fee and time limit the province set, with its decision."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import records
from counter.catalogue import editing
from counter.changes import Changes
from counter.context import AppContext
from ui.admin.settings_form import ERROR_STYLE
from ui.catalogue.dialogs import ImportDialog, RulesDialog
from ui.catalogue.table_model import CODE, FEE, FIELD, MARK, NAME, SOURCE, TIME, VERSION, CatalogueTableModel
from ui.signals import Announcer

IMPORT_KEY, EDIT_KEY = "Ctrl+I", "Ctrl+E"
ALL_FIELDS = "Tất cả lĩnh vực"
CHOOSE_ROW = "Hãy chọn một thủ tục trong danh sách."


class CataloguePage(QWidget):
    changed = Signal(Changes)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.field = QComboBox()
        self.only_needed = QCheckBox("Chỉ thủ tục cần &nhập")
        self.count = QLabel()
        self.model = CatalogueTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.import_button = QPushButton(f"Nhập danh mục… ({IMPORT_KEY})")
        self.edit_button = QPushButton(f"Lệ phí, thời hạn… ({EDIT_KEY})")
        self.message = QLabel()
        self.announcer = Announcer(self.changed)
        self.choose_file = self._choose_file  # tests replace it
        self.dialog: ImportDialog | RulesDialog | None = None  # the one open last
        self._lay_out()
        self._connect()
        self.reload()

    def _lay_out(self) -> None:
        title = QLabel("Danh mục thủ tục")
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.field.setMinimumWidth(240)
        label = QLabel("&Lĩnh vực:")
        label.setBuddy(self.field)
        filters = QHBoxLayout()
        filters.addWidget(label)
        filters.addWidget(self.field)
        filters.addWidget(self.only_needed)
        filters.addStretch(1)
        filters.addWidget(self.count)
        v = self.view
        v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        v.setWordWrap(False)
        v.verticalHeader().hide()
        header = v.horizontalHeader()
        for column, width in ((MARK, 112), (CODE, 86), (FIELD, 100), (TIME, 142), (FEE, 170), (VERSION, 128),
                              (SOURCE, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            v.setColumnWidth(column, width)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(v, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.field.currentIndexChanged.connect(self.refill)
        self.only_needed.toggled.connect(self.refill)
        self.import_button.clicked.connect(self.import_file)
        self.edit_button.clicked.connect(self.edit_selected)
        self.view.activated.connect(lambda index: self.edit_selected())
        for key, slot in ((IMPORT_KEY, self.import_file), (EDIT_KEY, self.edit_selected)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # Data ---------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """The fields again (keeping the chosen one) and the rows."""
        chosen = self.field.currentData() or ""
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItem(ALL_FIELDS, "")
        for name in editing.catalogue_fields(self.ctx):
            self.field.addItem(name, name)
        self.field.setCurrentIndex(max(0, self.field.findData(chosen)))
        self.field.blockSignals(False)
        self.refill()

    @Slot()
    def refill(self) -> None:
        rows = editing.catalogue_list(self.ctx, self.field.currentData() or "")
        needed = sum(1 for p in rows if editing.needs_province(p))
        if self.only_needed.isChecked():
            rows = [p for p in rows if editing.needs_province(p)]
        current = self.selected()
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} thủ tục, {needed} cần nhập lệ phí hoặc thời hạn theo văn bản của tỉnh")
        codes = [p.code for p in rows]
        if rows:
            self.view.selectRow(codes.index(current.code) if current and current.code in codes else 0)

    def selected(self) -> records.Procedure | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.procedure(rows[0].row()) if rows else None

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        if changes.catalogue and not self.announcer.announcing:
            self.reload()

    # Actions ------------------------------------------------------------------------------

    def _choose_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp danh mục thủ tục", "", "Danh mục (*.json);;Mọi tệp (*)")
        return Path(name) if name else None

    @Slot()
    def import_file(self) -> None:
        path = self.choose_file()
        if path is None:
            return
        self.dialog = self.import_dialog(path)
        if self.dialog is not None:
            self.dialog.open()

    def import_dialog(self, path: Path) -> ImportDialog | None:
        """The dry-run report of `path` in its dialog, ready to apply; None (the reason shown) if it cannot be read."""
        dialog = ImportDialog(self.ctx, path, self)
        if not dialog.preview():
            self._say(dialog.message.text(), error=True)
            dialog.deleteLater()
            return None
        dialog.accepted.connect(lambda: self._imported(dialog))
        return dialog

    def _imported(self, dialog: ImportDialog) -> None:
        assert dialog.applied is not None
        self._say(editing.report_lines(dialog.applied, dry_run=False)[0].capitalize(), error=False)
        self.reload()
        self.announcer.announce(dialog.changes)

    @Slot()
    def edit_selected(self) -> None:
        self.dialog = self.rules_dialog()
        if self.dialog is not None:
            self.dialog.open()

    def rules_dialog(self) -> RulesDialog | None:
        procedure = self.selected()
        if procedure is None:
            self._say(CHOOSE_ROW, error=True)
            return None
        dialog = RulesDialog(self.ctx, procedure, self)
        dialog.accepted.connect(lambda: self._ruled(dialog))
        return dialog

    def _ruled(self, dialog: RulesDialog) -> None:
        p = dialog.result_procedure
        assert p is not None
        self._say(f"Đã lưu {p.code}: lệ phí {editing.fee_text(p.fee_rule)}, thời hạn {editing.time_text(p.time_rule)}"
                  f" (phiên bản {p.version} từ {p.effective_from:%d/%m/%Y}).", error=False)
        self.reload()
        self.announcer.announce(dialog.changes)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
