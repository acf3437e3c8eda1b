"""This PC's own configuration, kept outside the database: which database it works on and its workstation number.

A one-counter office keeps everything in the SQLite file of its data folder and needs none of this: with no file,
or a file naming no database, the app opens that file as it always did (`make run` unchanged). A counter of a
centre points at the centre's PostgreSQL database (office mode): the URL, the file its password is kept in, and
the workstation number this PC issues codes under are in `local-config.json` in the machine folder (beside the
code ledger, `counter.office.code_ledger.machine_dir`: it outlives a data folder and is never in a backup):

    {"database_url": "postgresql://quay@10.0.0.5:5432/motcua", "password_file": "/…/database-password",
     "workstation": 3, "machine_id": "5f0c…", "machine_name": "QUAY-3"}

The password is never in this file, on a command line or in a log: it is read from a prompt, standard input or a
file only its owner can read (0600), and kept in such a file (`database-password` here, or the one given). The
machine id (a random uuid made once) is what the centre's database registers a workstation number to
(counter.office.workstations), so two PCs cannot both claim one number.

The file is written whole or not at all (a temporary file, fsync, rename) and 0600; a damaged one is said in one
Vietnamese sentence (`LocalConfigError`: exit 2, a dialog in the app), never silently replaced.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from counter.errors import CounterError
from counter.office.code_ledger import machine_dir
from db.database import POSTGRES_SCHEMES, SQLITE_SCHEME, redact_url
from db.private import open_private, private_dir

FILE_NAME = "local-config.json"
PASSWORD_FILE_NAME = "database-password"


class LocalConfigError(CounterError):
    """This PC's configuration file cannot be read or written, or a value given for it is refused."""


@dataclass(frozen=True)
class LocalConfig:
    database_url: str = ""  # "" → the SQLite file in the data folder (a one-counter office)
    password_file: str = ""  # where the PostgreSQL password is kept (0600), "" when the server asks none
    workstation: int | None = None  # office mode: this PC's number (the SQLite office row holds it otherwise)
    machine_id: str = ""  # a random uuid, made the first time one is needed
    machine_name: str = ""  # shown to the administrator beside a claimed number

    @property
    def office_mode(self) -> bool:
        return self.database_url.startswith(POSTGRES_SCHEMES)


def config_path() -> Path:
    return machine_dir() / FILE_NAME


def load() -> LocalConfig:
    """The configuration as the file holds it (the defaults when there is no file); LocalConfigError when the
    file is not this app's configuration."""
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LocalConfig()
    except OSError as e:
        raise LocalConfigError(f"Không đọc được tệp cấu hình của máy này {path}: {e.strerror or e}.") from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return _parsed(data)
    except (ValueError, TypeError) as e:
        raise LocalConfigError(
            f"Tệp cấu hình của máy này {path} bị hỏng ({e}): sửa lại, hoặc xóa tệp rồi đặt lại bằng "
            "main.py --database ĐỊA_CHỈ settings set workstation SỐ.") from None


def _parsed(data: dict[str, Any]) -> LocalConfig:
    config = LocalConfig()
    values: dict[str, Any] = {}
    for key, default in asdict(config).items():
        value = data.get(key, default)
        if key == "workstation":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 9):
                raise ValueError(f"số máy tiếp nhận “{value}” không phải một số từ 0 đến 9")
        elif not isinstance(value, str):
            raise ValueError(f"“{key}” phải là một chuỗi")
        values[key] = value
    if values["database_url"]:
        try:
            check_url(values["database_url"])
        except LocalConfigError as e:
            raise ValueError(str(e).rstrip(".")) from None
    return replace(config, **values)


def save(config: LocalConfig) -> LocalConfig:
    """Write `config` whole (temporary file, fsync, rename; 0600); LocalConfigError when it cannot be written (the
    previous file is left as it was)."""
    _write_whole(config_path(), json.dumps(asdict(config), ensure_ascii=False, indent=1),
                 "tệp cấu hình của máy này")
    return config


def _write_whole(path: Path, text: str, what: str) -> None:
    """`text` into `path`, 0600, whole or not at all (a temporary file, fsync, rename); LocalConfigError naming
    `what` when it cannot be written (the previous file is left as it was)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        private_dir(path.parent)
        with open(open_private(tmp), "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise LocalConfigError(f"Không ghi được {what} {path}: {e.strerror or e}.") from None


def with_machine_id(config: LocalConfig) -> LocalConfig:
    """`config` with a machine id and name, made (and saved) the first time."""
    if config.machine_id:
        return config
    return save(replace(config, machine_id=str(uuid.uuid4()), machine_name=config.machine_name or _host_name()))


def _host_name() -> str:
    return (socket.gethostname() or "máy không tên")[:60]


def check_url(url: str) -> str:
    """`url` if this app opens it; a URL carrying a password is refused (it would stay in the shell's history, the
    process list and this file): the password goes through a prompt, standard input or a 0600 file."""
    if url.startswith(SQLITE_SCHEME):
        return url
    if not url.startswith(POSTGRES_SCHEMES):
        raise LocalConfigError(f"Địa chỉ cơ sở dữ liệu “{redact_url(url)}” phải bắt đầu bằng postgresql:// (cơ sở "
                               "dữ liệu của trung tâm) hoặc sqlite:/// (tệp của một máy).")
    parts = urlsplit(url)
    query = parts.query.lower()
    if parts.password is not None or "password=" in query:
        raise LocalConfigError(
            f"Địa chỉ “{redact_url(url)}” có mật khẩu: không ghi mật khẩu vào địa chỉ (nó sẽ nằm lại trong lịch sử "
            "lệnh và danh sách tiến trình). Bỏ mật khẩu khỏi địa chỉ rồi nhập mật khẩu khi được hỏi, hoặc đưa "
            "qua --database-password-stdin, hoặc --database-password-file TỆP (tệp chỉ chủ sở hữu đọc được, 0600).")
    return url


def check_password_file(path: Path) -> Path:
    """`path` if it is a regular file only its owner can read or write (0600 or stricter) and owned by whoever runs
    the app; LocalConfigError otherwise."""
    try:
        st = path.stat()
    except OSError as e:
        raise LocalConfigError(f"Không đọc được tệp mật khẩu {path}: {e.strerror or e}.") from None
    if not stat.S_ISREG(st.st_mode):
        raise LocalConfigError(f"Tệp mật khẩu {path} không phải một tệp thường.")
    if sys.platform != "win32":
        if st.st_mode & 0o077:
            raise LocalConfigError(
                f"Tệp mật khẩu {path} có quyền {stat.S_IMODE(st.st_mode):o}: người khác trên máy đọc được. "
                f"Chỉ chủ sở hữu được đọc (chmod 600 {path}) rồi chạy lại.")
        if st.st_uid != os.geteuid():
            raise LocalConfigError(f"Tệp mật khẩu {path} thuộc người dùng khác: dùng tệp của chính người chạy "
                                   "chương trình (chmod 600).")
    return path


def read_password(config: LocalConfig) -> str | None:
    """The password kept for the database (None when none is kept); the file checked first."""
    if not config.password_file:
        return None
    path = check_password_file(Path(config.password_file))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise LocalConfigError(f"Không đọc được tệp mật khẩu {path}: {e.strerror or e}.") from None
    return text.splitlines()[0] if text else ""


def keep_password(password: str) -> Path:
    """Write `password` to this PC's own password file (0600, whole or not at all); its path."""
    path = machine_dir() / PASSWORD_FILE_NAME
    _write_whole(path, password + "\n", "tệp mật khẩu")
    return path


def shown(config: LocalConfig) -> list[tuple[str, str, str]]:
    """(key, label, value) for `settings show`: the URL without password, where the password is kept."""
    return [
        ("database", "Cơ sở dữ liệu (cấu hình của máy này)",
         redact_url(config.database_url) if config.database_url else "tệp SQLite trong thư mục dữ liệu"),
        ("database_password", "Mật khẩu cơ sở dữ liệu",
         f"******** (trong {config.password_file})" if config.password_file else "(không lưu)"),
        ("machine", "Mã máy này", f"{config.machine_name} ({config.machine_id})" if config.machine_id else "(chưa có)"),
    ]
