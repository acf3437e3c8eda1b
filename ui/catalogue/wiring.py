"""Plugs the Danh mục thủ tục section into the main window, for administrators only (the domain refuses anyone
else's change as well); the window adds the page as a section when `install` returns one."""

from __future__ import annotations

from ui.catalogue.page import CataloguePage
from ui.main_window.admin_section import AdminSection, install_admin_section

SECTION = "catalogue"
SHORTCUT = "Ctrl+Shift+T"


def install(window) -> AdminSection[CataloguePage] | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    return install_admin_section(window, SECTION, CataloguePage, "&Danh mục thủ tục", SHORTCUT,
                                 "Danh mục thủ tục: nhập danh mục của tỉnh, lệ phí và thời hạn do tỉnh quy định")
