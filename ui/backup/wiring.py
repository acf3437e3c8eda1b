"""Plugs backups into the main window: the background backups, their status bar line, the "Sao lưu" box on the
Quản trị page (administrators only) with restore and the numbering guard beside it, the board's warnings, and a
backup after the end-of-day batch."""

from __future__ import annotations

from dataclasses import dataclass

from ui.backup.background import BackgroundBackup
from ui.backup.panel import SHORTCUT, BackupPanel
from ui.backup.restore_flow import RestoreFlow
from ui.backup.status_bar import BackupStatusLabel
from ui.main_window.actions import make_action


@dataclass(frozen=True)
class BackupParts:
    background: BackgroundBackup
    status: BackupStatusLabel
    panel: BackupPanel | None  # None for anyone but an administrator
    restore: RestoreFlow | None  # "Khôi phục…" and "Cấp mã tiếp…", administrators only


def install(window) -> BackupParts:
    """After the sync and the administrators' sections are installed (the batch, the Quản trị page)."""
    background = BackgroundBackup(window.ctx, window)
    status = BackupStatusLabel(background, window)
    window.statusBar().addPermanentWidget(status)
    window.sync.background.batch_finished.connect(background.after_batch)
    background.status_changed.connect(window.board_page.show_backup_status)
    window.board_page.show_backup_status(background.status)
    window.signals.changed.connect(background.on_changed)
    panel = flow = None
    if window.admin is not None:
        panel = BackupPanel(background, window.admin.page)
        window.admin.page.add_box(panel)
        action = make_action(window, "&Sao lưu ngay", SHORTCUT, "Sao lưu cơ sở dữ liệu, bản số hóa và thiết lập ngay")
        window.addAction(action)
        action.triggered.connect(panel.back_up_now)
        flow = RestoreFlow(window, panel)
    return BackupParts(background, status, panel, flow)
