"""What the About box says and what a support bundle holds (Trợ giúp → Giới thiệu, Tạo gói hỗ trợ). No Qt.

A support bundle is a zip to send to whoever supports the office: the logs, the settings as the admin screen shows
them (the password only as ********), `check --json`, and the About box's facts. No citizen's ID-card number and no
password leaves in it: every text is passed through `scrub` (12-digit numbers masked as `counter.text.mask_ids`
does, a 9-digit number — an old ID card — too; the sync password and the user part of an address replaced)
before it is written.
"""

from __future__ import annotations

import json
import platform
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from counter import APP_ID, APP_NAME, integrity
from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.logsetup import LOG_FILE
from counter.sync import settings as sync_settings
from counter.text import mask_id, mask_ids
from counter.version import build_info
from db.private import private_dir

HIDDEN = "********"
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")  # an old ID card (CMND): masked too
_URL_USER = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")  # https://user:pass@host


@dataclass(frozen=True)
class Component:
    """Something the build bundles, with its licence (the About box lists them)."""

    name: str
    licence: str
    url: str


BUNDLED = (
    Component("Qt 6", "LGPL v3", "https://www.qt.io/licensing/open-source-lgpl-obligations"),
    Component("PySide6 (Qt for Python)", "LGPL v3", "https://code.qt.io/cgit/pyside/pyside-setup.git/"),
    Component("Python", "PSF License", "https://docs.python.org/3/license.html"),
    Component("Phông chữ Liberation Serif", "SIL Open Font License 1.1 (resources/fonts/LICENSE-OFL.txt)",
              "https://github.com/liberationfonts/liberation-fonts"),
    Component("reportlab", "BSD", "https://www.reportlab.com/"),
    Component("rl_accel", "BSD", "https://www.reportlab.com/"),
    Component("peewee", "MIT", "https://github.com/coleifer/peewee"),
    Component("SQLite", "Public domain", "https://sqlite.org/copyright.html"),
    Component("python-barcode", "MIT", "https://github.com/WhyNotHugo/python-barcode"),
    Component("holidays", "MIT", "https://github.com/vacanza/holidays"),
    Component("argon2-cffi", "MIT", "https://github.com/hynek/argon2-cffi"),
    Component("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    Component("httpx", "BSD", "https://github.com/encode/httpx"),
    Component("Pillow", "MIT-CMU (HPND)", "https://github.com/python-pillow/Pillow"),
    Component("pypdfium2 / PDFium", "Apache 2.0 / BSD", "https://github.com/pypdfium2-team/pypdfium2"),
    Component("keyring", "MIT", "https://github.com/jaraco/keyring"),
    Component("cryptography", "Apache 2.0 / BSD", "https://github.com/pyca/cryptography"),
    Component("openpyxl", "MIT", "https://foss.heptapod.net/openpyxl/openpyxl"),
    Component("xxhash", "BSD", "https://github.com/ifduyue/python-xxhash"),
    Component("psycopg 3 / libpq", "LGPL v3 / PostgreSQL License", "https://www.psycopg.org/"),
)


@dataclass(frozen=True)
class About:
    version: str
    built: str | None
    frozen: bool
    database_engine: str
    database_file: Path
    data_dir: Path
    log_file: Path
    python: str
    system: str

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) in the order the About box shows them."""
        return [
            ("Phiên bản", self.version),
            ("Ngày dựng", self.built or "chạy từ mã nguồn (không phải bản cài đặt)"),
            ("Cơ sở dữ liệu", self.database_engine),
            ("Tệp cơ sở dữ liệu", str(self.database_file)),
            ("Thư mục dữ liệu", str(self.data_dir)),
            ("Tệp nhật ký", str(self.log_file)),
            ("Python", self.python),
            ("Hệ điều hành", self.system),
        ]

    def to_json(self) -> dict[str, Any]:
        return {"app": APP_NAME, "version": self.version, "built": self.built, "frozen": self.frozen,
                "database_engine": self.database_engine, "database_file": str(self.database_file),
                "data_dir": str(self.data_dir), "log_file": str(self.log_file), "python": self.python,
                "system": self.system}


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def ensure_log_dir(data_dir: Path) -> Path:
    """The logs' folder, made (readable by the owner only, as counter.logsetup makes it) if it is not there yet."""
    return private_dir(log_dir(data_dir))


def about(ctx: AppContext) -> About:
    import sqlite3
    info = build_info()
    return About(version=info.version, built=info.built, frozen=info.frozen,
                 database_engine=f"SQLite {sqlite3.sqlite_version}", database_file=ctx.db_path,
                 data_dir=ctx.data_dir, log_file=log_dir(ctx.data_dir) / LOG_FILE,
                 python=platform.python_version(), system=platform.platform())


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` fit to leave the office: every 12-digit number masked, each secret and each address's user part
    replaced by ********."""
    for value in secrets:
        if value:
            text = text.replace(value, HIDDEN)
    text = _URL_USER.sub(lambda m: m.group("scheme") + HIDDEN + "@", text)
    return _NINE_DIGITS.sub(lambda m: mask_id(m.group()), mask_ids(text))


def bundle_name(now: datetime) -> str:
    return f"{APP_ID}-ho-tro-{now:%Y%m%d-%H%M%S}.zip"


@bound
def make_bundle(ctx: AppContext, destination: Path) -> Path:
    """Write the support bundle to `destination` (a .zip file; a folder: a dated name in it) and return its path.
    Written beside it first and renamed: a failure leaves no half zip."""
    if destination.is_dir():
        destination = destination / bundle_name(ctx.clock.now())
    if destination.suffix.lower() != ".zip":
        destination = destination.with_name(destination.name + ".zip")
    if not destination.parent.is_dir():
        raise ValidationError(f"Không có thư mục “{destination.parent}” để lưu gói hỗ trợ.")
    secrets = (sync_settings.load(ctx).password,)
    shown = [{"key": key, "label": label, "value": value} for key, label, value in sync_settings.shown(ctx)]
    report = integrity.check(ctx)
    files: dict[str, str] = {
        "README.txt": _readme(ctx),
        "about.json": _json(about(ctx).to_json()),
        "settings.json": _json(shown),
        "check.json": _json(report.to_json()),
    }
    logs = log_dir(ctx.data_dir)
    if logs.is_dir():
        for log in sorted(logs.glob(LOG_FILE + "*")):
            files[f"logs/{log.name}"] = log.read_text(encoding="utf-8", errors="replace")
    partial = destination.with_name(f".{destination.name}.tmp")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, scrub(text, secrets))
        partial.replace(destination)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise ValidationError(f"Không ghi được gói hỗ trợ vào “{destination}”: {e.strerror or e}.") from e
    return destination


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _readme(ctx: AppContext) -> str:
    info = build_info()
    return (f"Gói hỗ trợ của {APP_NAME} {info.version}, tạo lúc {ctx.clock.now():%H:%M ngày %d/%m/%Y}.\n"
            "Gồm: nhật ký (logs/), các thiết lập (settings.json, không có mật khẩu), kết quả kiểm tra dữ liệu "
            "(check.json, như lệnh `check --json`) và thông tin phiên bản (about.json).\n"
            "Số căn cước công dân đã được che (chỉ còn 4 số đầu và 2 số cuối); mật khẩu không có trong gói.\n")
