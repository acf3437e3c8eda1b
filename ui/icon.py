"""The app's icon, drawn as SVG (resources/icon.svg) and rendered here at the sizes a window manager asks for; the
build renders the same file to .png and .ico (packaging/render_icon.py) for the shortcuts and the installer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

import resources

ICON_FILE = "icon.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int) -> QImage:
    renderer = QSvgRenderer(str(resources.path(ICON_FILE)))
    if not renderer.isValid():
        raise ValueError(f"the icon {resources.path(ICON_FILE)} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def app_icon() -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(QPixmap.fromImage(render(size)))
    return icon
