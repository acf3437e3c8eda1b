"""The version from one place (pyproject.toml): `--version`, the log's first line, every printed form's footer."""

import json
import logging
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from counter import version as version_module
from counter.logsetup import LOG_FILE, setup_logging
from counter.version import BUILD_INFO, _read, build_info, label, version
from printing.mau01 import build_receipt
from tests.printing import pdf, samples

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_the_version_is_pyprojects_and_counter_dunder_version_follows_it():
    import counter
    assert version() == PYPROJECT_VERSION
    assert counter.__version__ == PYPROJECT_VERSION
    assert label() == f"Quầy Một Cửa {PYPROJECT_VERSION}"
    assert build_info().built is None and not build_info().frozen  # from the source tree


def test_a_changed_pyproject_changes_the_version(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "quay-mot-cua"\nversion = "9.8.7"\n')
    assert _read(tmp_path, frozen=False).version == "9.8.7"


def test_a_frozen_build_reads_the_build_info_written_at_build_time(tmp_path):
    (tmp_path / BUILD_INFO).write_text(json.dumps({"version": "1.2.3", "built": "2026-12-07T06:30:00Z"}))
    (tmp_path / "pyproject.toml").write_text('[project]\nversion = "0.0.1"\n')  # the build's file wins
    info = _read(tmp_path, frozen=True)
    assert (info.version, info.built, info.frozen) == ("1.2.3", "2026-12-07T06:30:00Z", True)


def test_main_version_prints_the_label():
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == f"Quầy Một Cửa {PYPROJECT_VERSION}"


@pytest.fixture
def _root_handlers():
    before = list(logging.getLogger().handlers)
    yield
    for handler in logging.getLogger().handlers:
        if handler not in before:
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_the_logs_first_line_names_the_version(tmp_path, _root_handlers):
    setup_logging(tmp_path)
    logging.getLogger("counter.x").info("later")
    lines = (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8").splitlines()
    assert f"Quầy Một Cửa {PYPROJECT_VERSION}, chạy từ mã nguồn; Python" in lines[0]
    assert "later" in lines[1]


def test_every_page_of_a_printed_form_carries_the_version_in_small_type(monkeypatch):
    monkeypatch.setattr(version_module, "version", lambda: "7.7.7")
    receipt = build_receipt(samples.dossier(), samples.office())
    pages = pdf.page_texts(receipt, footer=True)
    assert len(pages) == 2 and all(text.endswith(" Quầy Một Cửa 7.7.7") for text in pages)
    for width, _height, chars in pdf.char_boxes(receipt):
        text = "".join(c for c, _box in chars)
        start = text.index("7.7.7")
        _left, bottom, right, top = chars[start][1]
        assert top - bottom < 6  # 6-point type, not the body's 13
        assert bottom < 20 and right > width - 120  # the bottom right corner
