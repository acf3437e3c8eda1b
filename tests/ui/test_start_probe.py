"""`main.py --quit-after-start` (the frozen build's smoke test hook, ui/start_probe.py), from the source: the first
window is shown, drawn, named on stdout and closed by the app itself; the app's window icon is the SVG's."""

import os
import subprocess
import sys

from tests.test_cli import ROOT
from ui.app import make_application
from ui.icon import SIZES, app_icon


def test_a_fresh_per_user_data_folder_opens_the_wizard_which_the_hook_names_and_closes(tmp_path):
    env_home = tmp_path / "xdg"
    out = subprocess.run([sys.executable, "main.py", "--quit-after-start"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120,
                         env={**os.environ, "XDG_DATA_HOME": str(env_home),
                              "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("shown: SetupWizard “Thiết lập lần đầu — Quầy Một Cửa” ")
    assert out.stdout.strip().endswith("drawn=True")
    assert (env_home / "quay-mot-cua" / "quaymotcua.sqlite3").is_file()


def test_a_set_up_database_opens_the_log_in_instead(tmp_path):
    from tests.conftest import demo_data_dir
    data = demo_data_dir(tmp_path / "data")
    out = subprocess.run([sys.executable, "main.py", "--data-dir", str(data), "--quit-after-start"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("shown: LoginDialog ")


def test_the_window_icon_is_rendered_from_the_svg_at_every_size(qapp):
    icon = app_icon()
    assert sorted(s.width() for s in icon.availableSizes()) == list(SIZES)
    image = icon.pixmap(64, 64).toImage()
    assert image.pixelColor(32, 4).name() == "#1f4e79"  # the blue ground under the roof's tip
    assert sorted(s.width() for s in make_application().windowIcon().availableSizes()) == list(SIZES)


def test_with_a_user_in_the_environment_the_hook_logs_in_and_names_the_board_painted(tmp_path):
    """The start benchmark's way in (tests/bench/test_bench_start.py): each moment stamped, the app ends itself."""
    from tests.conftest import demo_data_dir
    data = demo_data_dir(tmp_path / "data")
    out = subprocess.run([sys.executable, "main.py", "--data-dir", str(data), "--quit-after-start"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                              "QMC_START_PROBE_LOG_IN": "canbo:canbo123"})
    assert out.returncode == 0, out.stderr
    login, submitted, board = out.stdout.strip().splitlines()
    assert login.startswith("shown: LoginDialog ") and submitted.startswith("submitted: canbo at=")
    assert board.startswith("shown: MainWindow ") and "Nguyễn Thị Hoa" in board and " board={" in board
    stamps = [float(line.rsplit(" at=", 1)[1]) for line in (login, submitted, board)]
    assert stamps == sorted(stamps)

