"""The Linux package's menu entry (packaging/linux): the .desktop file names the unpacked folder's program and icon,
and is one desktop-file-validate would accept in its keys."""

import configparser
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"


def test_the_menu_entry_points_at_the_unpacked_folder(tmp_path):
    folder = tmp_path / "opt" / "quay-mot-cua"
    folder.mkdir(parents=True)
    for name in ("quay-mot-cua.desktop", "install-desktop-entry.sh"):
        (folder / name).write_bytes((LINUX / name).read_bytes())
    (folder / "install-desktop-entry.sh").chmod(0o755)
    applications = tmp_path / "applications"
    out = subprocess.run([str(folder / "install-desktop-entry.sh")], capture_output=True, text=True, check=True,
                         env={**os.environ, "QMC_APPLICATIONS_DIR": str(applications), "HOME": str(tmp_path)})
    assert "Đã thêm Quầy Một Cửa" in out.stdout and "không xóa dữ liệu" in out.stdout
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(applications / "quay-mot-cua.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == f"{folder}/quay-mot-cua" and desktop["Icon"] == f"{folder}/quay-mot-cua.png"
    assert desktop["Type"] == "Application" and desktop["Name"] == "Quầy Một Cửa" and desktop["Terminal"] == "false"
    assert desktop["StartupWMClass"] == "quay-mot-cua"  # ui/app.py: setDesktopFileName(APP_ID)
