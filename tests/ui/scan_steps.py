"""Shared steps of the scan tests: the file dialogs answered, and waiting for an attach to land."""

from counter.scans import attachments
from ui.dossier_page.page import DossierPage
from ui.scans import dialogs


def pick(monkeypatch, *paths, order=None) -> list:
    """Replace the file dialog (and the page-order dialog) with these answers; returns the orders asked for."""
    asked = []
    monkeypatch.setattr(dialogs, "choose_files", lambda parent: list(paths))

    def ask_order(files, name, parent):
        asked.append((list(files), name))
        return order
    monkeypatch.setattr(dialogs, "ask_order", ask_order)
    return asked


def wait_idle(qtbot, page: DossierPage, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: not page.scans.job.is_running(), timeout=timeout)


def scans_of(ctx, code: str) -> list:
    return attachments.attachments_of(ctx, code)
