"""The dossier's facts in boxes: the applicant, the procedure and its times, the papers, the fees, and
what happened after reception (supplements, result, return, rating, apology)."""

from __future__ import annotations

from html import escape, unescape

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter import records
from counter.clock import local
from counter.records import DossierDetail
from counter.text import format_vnd
from ui.reception.look import WrappedLabel

Rows = list[tuple[str, str]]  # (label, rich text value); an empty label: the value spans the box
NO_DEADLINE = "Không có ngày hẹn trả cụ thể theo quy định"
CAPTION_COLOUR = "#4a5560"


def when(moment) -> str:
    return f"{local(moment):%H:%M} ngày {local(moment):%d/%m/%Y}" if moment else "—"


class FactsBox(QGroupBox):
    """A titled box of label: value rows. Its labels are kept from one dossier to the next and only their texts
    change (making them anew cost more than reading the dossier). Rows left over are taken out of the form and kept,
    hidden, for a later row of their kind (the fees box goes from "Không thu" to a fee and its total and back from
    one dossier to the next: a row put back costs about half a row made anew and deleted).

    A value with no markup is shown as plain text: a rich text is parsed as HTML and laid out as a document each time
    it is set or its width asked, a cost paid in the first frame after a scan. Captions are coloured by palette: a
    style sheet would polish and paint each through the style sheet engine."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.form = QFormLayout(self)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(4)
        self.rows: list[tuple[QLabel | None, WrappedLabel]] = []  # (caption, or None for a spanning row; value)
        self._spare: dict[bool, list[tuple[QLabel | None, WrappedLabel]]] = {True: [], False: []}  # by captioned

    def set_rows(self, rows: Rows) -> None:
        for index, (label, value) in enumerate(rows):
            if index < len(self.rows) and (self.rows[index][0] is None) == (not label):
                caption, field = self.rows[index]
            else:  # a row of the other kind: the rows from here are made again
                self._drop_from(index)
                caption, field = self._add_row(bool(label))
            # Only what differs is set: each label set again is laid out and painted again.
            if caption is not None and caption.text() != label:
                caption.setText(label)
            _set_value(field, value)
        self._drop_from(len(rows))

    def _add_row(self, captioned: bool) -> tuple[QLabel | None, WrappedLabel]:
        spare = self._spare[captioned]
        if spare:  # a row taken out before, of this kind: put back
            caption, field = spare.pop()
            if caption is not None:
                self.form.addRow(caption, field)
                caption.show()
            else:
                self.form.addRow(field)
            field.show()
            self.rows.append((caption, field))
            return caption, field
        field = WrappedLabel()
        field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        caption = None
        if captioned:
            caption = QLabel()
            palette = caption.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(CAPTION_COLOUR))
            caption.setPalette(palette)
            self.form.addRow(caption, field)
        else:
            self.form.addRow(field)
        self.rows.append((caption, field))
        return caption, field

    def _drop_from(self, index: int) -> None:
        while self.form.rowCount() > index:
            self.form.takeRow(index)
        for caption, field in self.rows[index:]:
            for widget in (caption, field):
                if widget is not None:
                    widget.hide()
            self._spare[caption is not None].append((caption, field))
        del self.rows[index:]

    def values(self) -> dict[str, str]:
        """Label → shown text (for tests and screen readers): the rich text where the value has markup."""
        found = {}
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label and field:
                found[label.widget().text()] = field.widget().text()
        return found

    def lines(self) -> list[str]:
        """The rows that span the box (no caption)."""
        items = (self.form.itemAt(row, QFormLayout.ItemRole.SpanningRole) for row in range(self.form.rowCount()))
        return [item.widget().text() for item in items if item is not None]


def _set_value(field: QLabel, value: str) -> None:
    """A rich text value (escaped, with markup) shown as plain text when it has no markup: only what differs is
    set, as each label set again is laid out and painted again."""
    rich = "<" in value  # an escaped text has no "<" of its own
    text_format = Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText
    text = value if rich else unescape(value)
    if field.textFormat() != text_format:
        field.setTextFormat(text_format)
        field.setText(text)
    elif field.text() != text:
        field.setText(text)


def applicant_rows(d: records.Dossier) -> Rows:
    a = d.applicant
    rows = [("Họ tên:", f"<b>{escape(a.full_name)}</b>"), ("Số định danh:", escape(a.id_number) or "—"),
            ("Điện thoại:", escape(a.phone) or "—"), ("Địa chỉ:", escape(a.address) or "—")]
    return rows + ([("Thư điện tử:", escape(a.email))] if a.email else [])


def procedure_rows(d: records.Dossier) -> Rows:
    rows = [("Thủ tục:", f"<b>{escape(d.procedure_name)}</b> ({escape(d.procedure_code)})")]
    if d.summary:
        rows.append(("Nội dung:", escape(d.summary)))
    register = f" · Sổ {escape(d.register_book)} số {d.register_number}" if d.register_number else ""
    rows += [("Thời hạn:", escape(d.time_rule.describe())),
             ("Tiếp nhận:", f"{when(d.received_at)} · {escape(d.received_by) or '—'}{register}"),
             ("Hẹn trả:", _due_text(d)), ("Hồ sơ đang ở:", escape(d.unit) or "—")]
    return rows


def _due_text(d: records.Dossier) -> str:
    if d.due_at is None:
        return NO_DEADLINE
    text = f"<b>{when(d.due_at)}</b>"
    if d.original_due_at and d.original_due_at != d.due_at:
        text += f" <span style='color:#6b4e00'>(hẹn ban đầu: {when(d.original_due_at)})</span>"
    return text


def fee_rows(d: records.Dossier) -> Rows:
    if d.fee_exempt_reason:
        return [("Miễn phí:", escape(d.fee_exempt_reason))]
    if not d.fees:
        return [("Phí, lệ phí:", "Không thu")]
    # Fee names can be long: each line spans the box instead of making a wide caption column.
    rows = [("", f"{escape(f.name)}: <b>{format_vnd(f.amount)} đ</b> — " + (
        f"<span style='color:#1e6b34'>đã nộp {when(f.paid_at)}</span>" if f.paid_at
        else "<b style='color:#a61b1b'>chưa nộp</b>")) for f in d.fees]
    unpaid = sum(f.amount for f in d.fees if f.paid_at is None)
    rows.append(("Tổng cộng:", f"<b>{format_vnd(sum(f.amount for f in d.fees))} đ</b>"
                 + (f" (còn nợ {format_vnd(unpaid)} đ)" if unpaid else " (đã nộp đủ)")))
    return rows


def progress_rows(detail: DossierDetail) -> Rows:
    """What happened after reception that the history's notes do not lay out."""
    rows: Rows = []
    for p in detail.pauses:
        asked = "; ".join(escape(f"{i.name} ({i.problem})" if i.problem else i.name) for i in p.items)
        state = (f"đã nhận bổ sung {when(p.resumed_at)}, hẹn trả mới {when(p.due_after)}" if p.resumed_at
                 else "<b>đang chờ công dân nộp bổ sung</b>")
        rows.append(("Yêu cầu bổ sung:", f"{when(p.paused_at)} — {asked}. Lý do: {escape(p.reason)}; {state}"))
    if detail.apology:
        a = detail.apology
        rows.append(("Xin lỗi, hẹn lại:", f"{when(a.issued_at)} — hẹn mới {when(a.new_due)} "
                     f"(thay cho {when(a.due_before)}). Lý do: {escape(a.reason)}; ký: {escape(a.signer_name)}"))
    if detail.result:
        r = detail.result
        code = f" ({escape(r.result_code)})" if r.result_code else ""
        rows.append(("Kết quả:", f"<b>{escape(r.result_name or 'Kết quả')} số {escape(r.number)}</b>{code}, "
                     f"nhận {when(r.recorded_at)}" + (f". {escape(r.note)}" if r.note else "")))
    if detail.returned:
        t = detail.returned
        who = "người được ủy quyền" if t.authorised else "chủ hồ sơ"
        rows.append(("Đã trả:", f"{when(t.returned_at)} cho {who} <b>{escape(t.collector_name)}</b> "
                     f"({escape(t.collector_id_number)})" + (f", cán bộ trả: {escape(t.returned_by)}"
                                                            if t.returned_by else "")))
    if detail.rating:
        reason = f" — {escape(detail.rating.reason)}" if detail.rating.reason else ""
        rows.append(("Đánh giá:", f"<b>{escape(detail.rating.label)}</b>{reason}"))
    return rows


class ComponentsBox(QWidget):
    """The papers handed in; the digitised copies come with the digitisation feature."""

    COLUMNS = ("TT", "Tên giấy tờ", "Hình thức", "Số lượng", "Đã nộp")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._refit)
        self.scans = QLabel()
        self.scans.setStyleSheet("color: #5b6570; font-style: italic;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.scans)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._refit()

    def _refit(self, *_) -> None:
        """Long names wrap once the columns have their widths."""
        self.table.resizeRowsToContents()

    def clear(self) -> None:
        self.table.setRowCount(0)
        self.scans.clear()

    def show_components(self, d: records.Dossier) -> None:
        self.table.setRowCount(len(d.components))
        for row, c in enumerate(d.components):
            texts = (str(c.position), c.name, c.form, str(c.quantity), "Có" if c.handed_over else "Chưa")
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.scans.setText("Bản số hóa: xem thẻ “Bản số hóa” (ảnh thu nhỏ, xem, gắn thêm)." if d.has_digitised
                           else "Bản số hóa (tệp đính kèm): chưa có.")
