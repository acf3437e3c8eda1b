"""The procedure's checklist of papers: handed over or not, in which form, how many, how many pages.

Keys: Space ticks/unticks the current paper, typing a number or F2 edits a cell, Insert adds a paper
that is not on the list, Delete removes such a paper, Enter moves on to the next field.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QMenu,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from counter.dossiers import reception
from counter.records import ComponentInput, Procedure
from ui.reception.enter_moves import is_plain_enter
from ui.scans.dialogs import dropped_files

FORMS = ("bản chính", "bản sao", "bản photo")
HANDED, NAME, FORM, QUANTITY, PAGES = range(5)
HEADERS = ("Nộp", "Tên giấy tờ", "Hình thức", "Số lượng", "Số trang")
OPTIONAL_MARK = " (không bắt buộc)"
OTHER_PAPER = "Giấy tờ khác (sửa tên)"
MISSING_BACKGROUND = QColor("#fde8e8")


@dataclass(frozen=True)
class Row:
    name: str
    form: str = "bản chính"
    quantity: int = 1
    pages: int = 0
    handed_over: bool = True
    optional: bool = False
    code: str = ""
    added: bool = False  # typed in by the clerk, not on the procedure's list


class ComponentsTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self.procedure: Procedure | None = None
        self._missing: frozenset[int] | None = None  # rows of required papers not handed over (None: to compute)
        self.per_page = False  # the fee counts pages: the pages column matters
        self.reuse_notes: dict[int, str] = {}  # row → "Có bản số hóa từ hồ sơ …, dùng lại" (ui.scans.reception_reuse)
        self.scan_notes: dict[int, str] = {}  # row → "📎 2 tệp …" queued for after receipt (ui.scans.pending)

    def set_procedure(self, procedure: Procedure | None) -> None:
        """The checklist of `procedure`: required papers ticked, optional ones not."""
        self.beginResetModel()
        self.reuse_notes = {}
        self.procedure, self._missing = procedure, None
        self.rows = [] if procedure is None else [
            Row(name=c.name, form=c.form if c.form in FORMS else FORMS[0], handed_over=not c.optional,
                optional=c.optional, code=c.code)
            for c in procedure.components
        ]
        self.per_page = bool(procedure and procedure.fee_rule.formula.startswith("per_page"))
        self.endResetModel()

    def components(self) -> tuple[ComponentInput, ...]:
        return tuple(ComponentInput(name=r.name, form=r.form, quantity=r.quantity, pages=r.pages,
                                    handed_over=r.handed_over, code=r.code) for r in self.rows)

    def set_reuse_notes(self, notes: dict[int, str]) -> None:
        self.reuse_notes = dict(notes)
        if self.rows:
            self.dataChanged.emit(self.index(0, NAME), self.index(len(self.rows) - 1, NAME))

    def set_scan_notes(self, notes: dict[int, str]) -> None:
        self.scan_notes = dict(notes)
        if self.rows:
            self.dataChanged.emit(self.index(0, NAME), self.index(len(self.rows) - 1, NAME))

    def _notes(self, row: int) -> str:
        reuse, scan = self.reuse_notes.get(row), self.scan_notes.get(row)
        if scan:  # a new scan of the paper wins over the earlier one (ui.scans.reception_reuse)
            return f"\n{scan}"
        return f"\n↻ {reuse}" if reuse else ""

    def missing_rows(self) -> frozenset[int]:
        """The rows of the required papers F9 would refuse as missing: the domain's rule, asked early."""
        if self._missing is None:
            procedure = self.procedure
            specs = reception.missing_papers(procedure, self.components()) if procedure else []
            self._missing = frozenset(procedure.components.index(s) for s in specs) if procedure else frozenset()
        return self._missing

    def add_row(self) -> int:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append(Row(name=OTHER_PAPER, added=True))
        self._missing = None
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> bool:
        if not (0 <= row < len(self.rows)) or not self.rows[row].added:
            return False  # the procedure's own papers stay: untick them instead
        before = self.missing_rows()
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self._missing = None
        self.endRemoveRows()
        self._repaint_missing(before)
        return True

    def toggle(self, row: int) -> None:
        self.set_row(row, handed_over=not self.rows[row].handed_over)

    def set_row(self, row: int, **changes) -> None:
        before = self.missing_rows()
        self.rows[row] = replace(self.rows[row], **changes)
        self._missing = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        self._repaint_missing(before, row)

    def _repaint_missing(self, before: frozenset[int], changed: int | None = None) -> None:
        """A paper added under a required one's name marks that one as handed over, on another row."""
        others = before.symmetric_difference(self.missing_rows()) - {changed}
        if others:
            self.dataChanged.emit(self.index(min(others), 0), self.index(max(others), len(HEADERS) - 1),
                                  [Qt.ItemDataRole.BackgroundRole])

    # Qt model interface -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column, row = index.column(), self.rows[index.row()]
        if column == HANDED:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if column in (FORM, QUANTITY, PAGES) or (column == NAME and row.added):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == HANDED:
            return Qt.CheckState.Checked if row.handed_over else Qt.CheckState.Unchecked
        notes = self._notes(index.row()) if column == NAME else ""
        if notes and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return f"{self._value(row, column, False)}{notes}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._value(row, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.BackgroundRole and index.row() in self.missing_rows():
            return QBrush(MISSING_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and column == NAME and row.optional:
            return QBrush(QColor("#555"))
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME:
            return row.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (QUANTITY, PAGES):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _value(self, row: Row, column: int, editing: bool):
        if column == NAME:
            return row.name if editing or not row.optional else row.name + OPTIONAL_MARK
        if column == FORM:
            return row.form
        if column == QUANTITY:
            return row.quantity
        if column == PAGES:
            return row.pages if editing or row.pages else ("?" if self._needs_pages(row) else "")
        return None

    def _needs_pages(self, row: Row) -> bool:
        return self.per_page and row.form == "bản sao" and row.handed_over

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        column, row = index.column(), index.row()
        if role == Qt.ItemDataRole.CheckStateRole and column == HANDED:
            self.set_row(row, handed_over=Qt.CheckState(value) == Qt.CheckState.Checked)
            return True
        if role != Qt.ItemDataRole.EditRole:
            return False
        changes = {NAME: lambda v: {"name": str(v).strip()}, FORM: lambda v: {"form": str(v)},
                   QUANTITY: lambda v: {"quantity": max(1, int(v))}, PAGES: lambda v: {"pages": max(0, int(v))}}
        if column not in changes:
            return False
        self.set_row(row, **changes[column](value))
        return True


class _FormDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(FORMS)
        return combo

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QComboBox, model, index: QModelIndex) -> None:
        model.setData(index, editor.currentText())


class _CountDelegate(QStyledItemDelegate):
    def __init__(self, minimum: int, maximum: int, parent: QObject | None = None):
        super().__init__(parent)
        self.minimum, self.maximum = minimum, maximum

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        spin = QSpinBox(parent)
        spin.setRange(self.minimum, self.maximum)
        return spin

    def setEditorData(self, editor: QSpinBox, index: QModelIndex) -> None:
        editor.setValue(int(index.data(Qt.ItemDataRole.EditRole) or 0))

    def setModelData(self, editor: QSpinBox, model, index: QModelIndex) -> None:
        editor.interpretText()
        model.setData(index, editor.value())


class ComponentsTable(QTableView):
    choose_requested = Signal(int)  # Ctrl+O or the context menu: pick scan files for this row
    arrange_requested = Signal(int)  # Ctrl+Shift+O: see the row's queued pages, change their order
    unqueue_requested = Signal(int)  # Ctrl+Delete: forget the row's queued files
    files_dropped = Signal(int, object)  # row, the dropped local files (list[Path])

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.components_model = ComponentsTableModel(self)
        self.setModel(self.components_model)
        self.setTabKeyNavigation(False)  # Tab leaves the table: it is one field of the form
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.verticalHeader().hide()
        self.setMinimumHeight(120)  # the header and about four papers, however tight the screen
        # A light selection: the tick and the text of the current paper stay readable.
        self.setStyleSheet("QTableView { selection-background-color: #d6e6f5; selection-color: black; }")
        self.setItemDelegateForColumn(FORM, _FormDelegate(self))
        self.setItemDelegateForColumn(QUANTITY, _CountDelegate(1, 999, self))
        self.setItemDelegateForColumn(PAGES, _CountDelegate(0, 9999, self))
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((HANDED, 52), (FORM, 112), (QUANTITY, 86), (PAGES, 86)):
            self.setColumnWidth(column, width)
        self.components_model.modelReset.connect(self._after_reset)
        self.components_model.rowsInserted.connect(lambda *_: self.resizeRowsToContents())

    def _after_reset(self) -> None:
        # "Số trang" stays whatever the procedure: a column that vanishes on picking one reads as a fault. Where the
        # fee counts pages, a certified copy without its count shows "?" (ComponentsTableModel.data).
        self.resizeRowsToContents()
        if self.components_model.rows:
            self.setCurrentIndex(self.components_model.index(0, HANDED))

    def keyPressEvent(self, event) -> None:
        row = self.currentIndex().row()
        if event.key() == Qt.Key.Key_Space and row >= 0:
            self.components_model.toggle(row)
        elif is_plain_enter(event) and self.state() != QAbstractItemView.State.EditingState:
            self.focusNextPrevChild(True)
        elif event.key() == Qt.Key.Key_Insert:
            added = self.components_model.add_row()
            self.setCurrentIndex(self.components_model.index(added, NAME))
            self.edit(self.currentIndex())
        elif event.key() == Qt.Key.Key_Delete and row >= 0 and self.components_model.remove_row(row):
            pass
        elif row >= 0 and (signal := self._scan_key(event)) is not None:
            signal.emit(row)
        else:
            super().keyPressEvent(event)

    def _scan_key(self, event):
        ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
        keys = {(Qt.Key.Key_O, ctrl): self.choose_requested, (Qt.Key.Key_O, ctrl | shift): self.arrange_requested,
                (Qt.Key.Key_Delete, ctrl): self.unqueue_requested}
        return keys.get((Qt.Key(event.key()), event.modifiers()))

    def contextMenuEvent(self, event) -> None:
        row = self.indexAt(event.pos()).row()
        if row < 0:
            return
        menu = QMenu(self)
        menu.addAction("Chọn tệp bản quét…  (Ctrl+O)", lambda: self.choose_requested.emit(row))
        if row in self.components_model.scan_notes:
            menu.addAction("Xem, sắp thứ tự trang…  (Ctrl+Shift+O)", lambda: self.arrange_requested.emit(row))
            menu.addAction("Bỏ các tệp đã chọn  (Ctrl+Delete)", lambda: self.unqueue_requested.emit(row))
        menu.exec(event.globalPos())
        menu.deleteLater()

    # Dropped scan files: queued for the row under the cursor (ui.scans.pending) --------------------

    def dragEnterEvent(self, event) -> None:
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        row = self.indexAt(event.position().toPoint()).row()
        if row >= 0 and dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        row, paths = self.indexAt(event.position().toPoint()).row(), dropped_files(event.mimeData())
        if row < 0 or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.setCurrentIndex(self.components_model.index(row, NAME))
        self.files_dropped.emit(row, paths)
