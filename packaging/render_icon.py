"""Render resources/icon.svg to the build's .png (Linux's .desktop file) and .ico (the Windows executable, its
shortcuts and the installer): `python packaging/render_icon.py OUT_DIR`. The spec runs it before the build."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_icons(out_dir: Path) -> tuple[Path, Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QGuiApplication

    from ui.icon import render

    _app = QGuiApplication.instance() or QGuiApplication(["render_icon"])
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "quay-mot-cua.png"
    render(256).save(str(png), "PNG")
    images = []
    for size in ICO_SIZES:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        render(size).save(buffer, "PNG")
        images.append(Image.open(io.BytesIO(bytes(buffer.data()))))
    ico = out_dir / "quay-mot-cua.ico"
    images[-1].save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=images[:-1])
    return png, ico


if __name__ == "__main__":
    for path in render_icons(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icon"):
        print(path)
