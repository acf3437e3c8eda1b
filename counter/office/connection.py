"""The centre's PostgreSQL server unreachable, a wrong password, a missing database: said in one Vietnamese
sentence (`CentreUnreachable`, its `kind` for a caller that can do something about it, e.g. ask for a password),
never psycopg's text or a traceback. The URL is shown without its password (db.database.redact_url)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from counter.errors import CounterError

UNREACHABLE, PASSWORD_NEEDED, WRONG_PASSWORD, NO_DATABASE, NO_USER, OTHER = (
    "unreachable", "password_needed", "wrong_password", "no_database", "no_user", "other")


class CentreUnreachable(CounterError):
    """The centre's database could not be opened; `kind` says why (one of this module's constants)."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


def _where(url: str) -> str:
    """host:port (or the socket folder) and the database, as an administrator reads them."""
    parts = urlsplit(url)
    host = parts.hostname or (parse_qs(parts.query).get("host") or ["máy này"])[0]
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}"


def _names(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.username or "", parts.path.lstrip("/")


def explain(error: Exception, url: str) -> CentreUnreachable:
    """The Vietnamese sentence for a failure to connect to `url`."""
    text = str(error)
    user, database = _names(url)
    where = _where(url)
    if "password authentication failed" in text:
        return CentreUnreachable(f"Sai mật khẩu (hoặc tên đăng nhập “{user}”) của cơ sở dữ liệu trung tâm trên máy "
                                 f"chủ {where}: nhập lại mật khẩu.", WRONG_PASSWORD)
    if "no password supplied" in text:
        return CentreUnreachable(f"Máy chủ của trung tâm ({where}) cần mật khẩu của người dùng “{user}”: nhập mật "
                                 "khẩu (--database-password-stdin, --database-password-file hoặc khi được hỏi).",
                                 PASSWORD_NEEDED)
    missing = re.search(r'database "([^"]*)" does not exist', text)
    if missing:
        return CentreUnreachable(f"Máy chủ {where} không có cơ sở dữ liệu “{missing.group(1)}”: kiểm tra lại tên cơ sở "
                                 "dữ liệu, hoặc quản trị viên tạo nó trên máy chủ trước (createdb).", NO_DATABASE)
    role = re.search(r'role "([^"]*)" does not exist', text)
    if role:
        return CentreUnreachable(f"Máy chủ {where} không có người dùng “{role.group(1)}”: kiểm tra lại tên đăng nhập "
                                 "cơ sở dữ liệu.", NO_USER)
    if any(sign in text for sign in ("Connection refused", "No such file or directory", "could not connect",
                                     "timeout expired", "failed to resolve host", "Name or service not known",
                                     "No route to host", "Network is unreachable", "server closed the connection")):
        return CentreUnreachable(f"Không kết nối được máy chủ của trung tâm ({where}): máy chủ chưa bật, sai địa chỉ "
                                 "hoặc cổng, hoặc mạng có sự cố. Kiểm tra rồi thử lại.", UNREACHABLE)
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return CentreUnreachable(f"Không mở được cơ sở dữ liệu của trung tâm ({where}, cơ sở dữ liệu “{database}”): "
                             f"{first[:200]}", OTHER)
