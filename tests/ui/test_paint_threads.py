"""The app paints on the GUI thread alone (ui/__init__.py): set as the ui package is imported, before any widget
paints."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setting_after_import(env: dict[str, str]) -> str:
    code = "import os, ui; print(os.environ.get('QT_NO_GUI_THREADPOOL', ''))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_ui_turns_the_paint_thread_pool_off():
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    assert setting_after_import(env) == "1"

