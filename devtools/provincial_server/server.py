"""The reference provincial server: the wire format of docs/portal.md over real HTTP/1.1 on loopback, faults on demand.

Two dialects, as the peers speak them (validate.py says which peer each rule comes from):

- `opencps` (OpenCPS's provincial adapter): `POST /auth {username, password}` → `session`; every other call is
  `POST /integration` with `service` (DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo), `session` and `madonvi`
  in the body; header `dstcode` on both. DongBoHoSoMC answers "00" on success (OC checks "00"), the others "0".
- `gateway` (Thanh Hóa's own gateway): no log-in, no session, no dstcode; a bare JSON array to one path per
  action: `/ThemMoi`, `/CapNhat`, `/DongBoTienTrinh`, `/TraCuu` (`[{"MaHoSo": CODE}]`).

Answers are HTTP 200 `{"error_code", "message"}` only; look-ups add `result: [dossier as stored]` (empty when
unknown). "401" bad or expired session, "403" bad credentials, "3" (opencps) / "0" (gateway) with "Hồ sơ X đã
tồn tại" for an insert of a code the province holds, "-1" for anything else refused (the message names the
field). A call is all or nothing: every item is checked before any is applied.

With `uploads=True`, `POST /upload` (raw bytes, headers `filename` and, in opencps, `session`) stores a file
content-addressed and answers its `url`; attachments must then point at such a file. `GET /files/<id>` serves
it. `GET /_state` and `POST /_admin/set_status {MaHoSo, TrangThaiHoSo}` are for tests and demos.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import struct
import threading
import time
from collections.abc import Collection, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from devtools.provincial_server import faults as faults_mod
from devtools.provincial_server.store import Store
from devtools.provincial_server.validate import (
    ALL_STATUSES,
    GATEWAY_STATUSES,
    Invalid,
    known_procedures,
    validate_dossier,
    validate_step,
)

DIALECTS = ("opencps", "gateway")
CAPTIVE_PAGE = b"<html><body><h1>\xc4\x90\xc4\x83ng nh\xe1\xba\xadp Wi-Fi</h1></body></html>"
SUCCESS = "Thành công"

# opencps: the body's fields of each service (OC `syncDossier`, `syncData`, `searchDossier`); anything else is
# refused, so a client sending the old upper-case `MaHoSo` to TraCuuHoSo learns it at once.
OPENCPS_SERVICES: dict[str, frozenset[str]] = {
    "DongBoHoSoMC": frozenset({"service", "session", "madonvi", "isUpdating", "data"}),
    "CapNhatTienDoHoSoMC": frozenset({"service", "session", "madonvi", "data"}),
    "TraCuuHoSo": frozenset({"service", "session", "madonvi", "mahoso"}),
}
# gateway: one path per action (TH-SVC `URLThemMoi`, `URLCapNhat`, `URLDongBoTienTrinh`; `/TraCuu` ours).
GATEWAY_PATHS = {"/ThemMoi": "insert", "/CapNhat": "update", "/DongBoTienTrinh": "steps", "/TraCuu": "lookup"}


class Refused(Exception):
    """A business refusal: answered HTTP 200 `{"error_code": code, "message": message}`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def answer(code: str = "0", message: str = SUCCESS, **fields) -> dict:
    return {"error_code": code, "message": message, **fields}


def invalid(field: str, message: str) -> Refused:
    return Refused("-1", f"Dữ liệu không hợp lệ: {field}: {message}")


class Gateway:
    """The state behind the HTTP layer: credentials, sessions, the store, the rules of this province, faults."""

    def __init__(self, db_path: str, credentials: tuple[str, str], known: frozenset[str], faults: faults_mod.Faults,
                 *, dialect: str = "opencps", madonvi: str | None = None, statuses: Collection[str] | None = None,
                 uploads: bool = False, steps_per_call: int = 10):
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r} (one of {', '.join(DIALECTS)})")
        if steps_per_call < 1:
            raise ValueError("steps_per_call must be at least 1")
        self.store = Store(db_path)
        self.credentials, self.known, self.faults = credentials, known, faults
        self.dialect, self.madonvi, self.uploads, self.steps_per_call = dialect, madonvi, uploads, steps_per_call
        default = ALL_STATUSES if dialect == "opencps" else GATEWAY_STATUSES
        self.statuses = frozenset(str(s) for s in statuses) if statuses is not None else default
        self.sessions: dict[str, int] = {}  # token → service calls left (≤ 0: unlimited)
        self._lock = threading.Lock()
        self.base_url = ""

    # --- sessions (opencps) ---------------------------------------------------------------------------------

    def login(self, body: object) -> dict:
        if not isinstance(body, dict) or not isinstance(body.get("username"), str) \
                or not isinstance(body.get("password"), str):
            raise Refused("-1", "Dữ liệu không hợp lệ: cần username và password")
        if (body["username"], body["password"]) != self.credentials:
            raise Refused("403", "Sai tên đăng nhập hoặc mật khẩu")
        token = secrets.token_hex(16)
        with self._lock:
            self.sessions[token] = self.faults.session_calls or -1
        return answer(session=token)

    def expire_sessions(self) -> None:
        with self._lock:
            self.sessions.clear()

    def use_session(self, token: object) -> None:
        """Refuses ("401") a missing, unknown or expired session; counts the call against one that expires."""
        with self._lock:
            left = self.sessions.get(token) if isinstance(token, str) else None
            if left is None:
                raise Refused("401", "Phiên làm việc không hợp lệ hoặc đã hết hạn, hãy đăng nhập lại")
            if left == 1:
                del self.sessions[token]  # type: ignore[arg-type]
            elif left > 1:
                self.sessions[token] = left - 1  # type: ignore[index]

    # --- the calls, whatever the dialect --------------------------------------------------------------------

    def _items(self, data: object, what: str, limit: int = 0) -> list:
        if not isinstance(data, list):
            raise invalid("data", f"phải là một danh sách {what}")
        if not data:
            raise invalid("data", f"không có {what} nào")
        if limit and len(data) > limit:
            raise invalid("data", f"tối đa {limit} {what} một lần gửi (đang có {len(data)})")
        return data

    def _check(self, items: list, check) -> None:
        for i, item in enumerate(items):
            try:
                check(item)
            except Invalid as e:
                path = f"data[{i}].{e.field}" if len(items) > 1 else e.field
                raise invalid(path, str(e).split(": ", 1)[1]) from None

    def _dossiers(self, data: object) -> list[dict]:
        dossiers = self._items(data, "hồ sơ")
        uploaded = self.uploaded if self.uploads else None
        self._check(dossiers, lambda d: validate_dossier(d, self.known, self.statuses, uploaded))
        codes = [d["MaHoSo"] for d in dossiers]
        twice = next((c for c in codes if codes.count(c) > 1), None)
        if twice:
            raise invalid("MaHoSo", f"hồ sơ {twice} xuất hiện hai lần trong cùng một lần gửi")
        return dossiers

    def insert(self, data: object) -> dict:
        existing = self.store.insert_dossiers(self._dossiers(data))
        if existing is not None:
            # OC has no code for it; TH-SVC accepts 0, 3 or -3 with "đã tồn tại" in the message.
            raise Refused("3" if self.dialect == "opencps" else "0", f"Hồ sơ {existing} đã tồn tại")
        return answer("00" if self.dialect == "opencps" else "0")

    def update(self, data: object) -> dict:
        unknown = self.store.update_dossiers(self._dossiers(data))
        if unknown is not None:
            raise Refused("-1", f"Không tìm thấy hồ sơ {unknown} để cập nhật")
        return answer("00" if self.dialect == "opencps" else "0")

    def add_steps(self, data: object) -> dict:
        steps = self._items(data, "bước xử lý", self.steps_per_call)
        self._check(steps, lambda s: validate_step(s, self.statuses))
        unknown = self.store.add_steps(steps)
        if unknown is not None:
            raise Refused("-1", f"Không tìm thấy hồ sơ {unknown}: đồng bộ hồ sơ trước tiến độ xử lý của nó")
        return answer()

    def lookup(self, codes: list[str]) -> dict:
        found = (self.store.get_dossier(code) for code in codes)
        return answer(result=[d for d in found if d is not None])

    def upload(self, name: str, data: bytes) -> dict:
        if not data:
            raise invalid("tệp", "tệp rỗng")
        file_id = self.store.add_file(unquote(name) or "tep", data)
        return answer(url=f"{self.base_url}/files/{file_id}")

    def uploaded(self, url: str) -> bool:
        """True if `url` is the address of a file uploaded here (uploads on: every attachment must be one)."""
        prefix = f"{self.base_url}/files/"
        return url.startswith(prefix) and self.store.has_file(url[len(prefix):])

    # --- opencps: one endpoint, the service in the body -----------------------------------------------------

    def integration(self, body: object) -> dict:
        if not isinstance(body, dict):
            raise Refused("-1", "Nội dung phải là một đối tượng JSON")
        self.use_session(body.get("session"))
        madonvi = body.get("madonvi")
        if not isinstance(madonvi, str) or not madonvi.strip():
            raise invalid("madonvi", "bắt buộc (mã đơn vị gửi)")
        if self.madonvi is not None and madonvi != self.madonvi:
            raise invalid("madonvi", f"đơn vị {madonvi} không phải đơn vị của tài khoản này")
        service = body.get("service")
        allowed = OPENCPS_SERVICES.get(service) if isinstance(service, str) else None
        if allowed is None:
            raise Refused("-1", f"Dịch vụ không được hỗ trợ: {service}")
        unknown = sorted(set(body) - allowed)
        if unknown:
            raise invalid(unknown[0], f"trường không có trong dịch vụ {service}")
        if service == "TraCuuHoSo":
            code = body.get("mahoso")
            if not isinstance(code, str) or not code.strip():
                raise invalid("mahoso", "bắt buộc (mã hồ sơ cần tra cứu)")
            return self.lookup([code])
        if service == "CapNhatTienDoHoSoMC":
            return self.add_steps(body.get("data"))
        updating = body.get("isUpdating")
        if updating not in ("True", "False"):
            raise invalid("isUpdating", 'phải là "True" hoặc "False"')
        return self.update(body.get("data")) if updating == "True" else self.insert(body.get("data"))

    # --- gateway: one path per action, a bare JSON array --------------------------------------------------

    def gateway_call(self, action: str, body: object) -> dict:
        if not isinstance(body, list):
            raise Refused("-1", "Nội dung phải là một mảng JSON")
        if action == "lookup":
            items = self._items(body, "mã hồ sơ")
            for i, item in enumerate(items):
                if not isinstance(item, dict) or set(item) != {"MaHoSo"} or not isinstance(item["MaHoSo"], str):
                    raise invalid(f"[{i}]", 'mỗi mục phải có dạng {"MaHoSo": "…"}')
            return self.lookup([item["MaHoSo"] for item in items])
        return {"insert": self.insert, "update": self.update, "steps": self.add_steps}[action](body)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # or every answer waits for a delayed ACK
    server: _HTTPServer

    def log_message(self, *args) -> None:  # quiet: tests read /_state, not logs
        pass

    def setup(self) -> None:
        super().setup()
        self.server.connections.add(self.connection)

    def finish(self) -> None:
        self.server.connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        gateway = self.server.gateway
        path = self.path.split("?", 1)[0]
        if path == "/_state":
            return self._json(gateway.store.state())
        if path.startswith("/files/"):
            found = gateway.store.get_file(path.rsplit("/", 1)[1])
            if found:
                return self._send(200, found[1], "application/octet-stream")
        self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        if path == "/_admin/set_status":
            return self._json(self._set_status(raw))
        faults = self.server.gateway.faults
        time.sleep(faults.delay_ms / 1000)
        if faults.captive:
            return self._send(200, CAPTIVE_PAGE, "text/html; charset=utf-8")
        if faults.take("reset"):
            return self._reset()
        if path != "/auth" and faults.take("hang"):
            time.sleep(faults_mod.HANG_SECONDS)  # the client gave up long ago: nothing is applied
            return self._drop()
        if faults.take("500"):
            return self._send(500, b"Internal Server Error", "text/plain")
        if faults.take("429"):
            return self._send(429, b"Too Many Requests", "text/plain", {"Retry-After": "1"})
        status, body = self._serve(path, raw)
        if faults.take("lose"):
            return self._drop()
        if faults.take("garble"):
            body = {"ok": True}  # applied, but the answer says nothing a client can trust
        self._json(body, status)

    def _serve(self, path: str, raw: bytes) -> tuple[int, dict]:
        gateway = self.server.gateway
        opencps = gateway.dialect == "opencps"
        try:
            if path == "/upload" and gateway.uploads:
                return 200, self._upload(raw)
            if opencps and path in ("/auth", "/integration"):
                return 200, self._opencps(path, raw)
            if not opencps and path in GATEWAY_PATHS:
                return 200, gateway.gateway_call(GATEWAY_PATHS[path], self._body(raw))
        except Refused as e:
            return 200, answer(e.code, e.message)
        return 404, answer("-1", f"Không có dịch vụ ở đường dẫn {path}")

    def _opencps(self, path: str, raw: bytes) -> dict:
        if not self.headers.get("dstcode"):
            raise Refused("-1", "Thiếu header dstcode (mã định tuyến của cổng)")
        body = self._body(raw)
        gateway = self.server.gateway
        return gateway.login(body) if path == "/auth" else gateway.integration(body)

    def _upload(self, raw: bytes) -> dict:
        gateway = self.server.gateway
        if gateway.dialect == "opencps":
            gateway.use_session(self.headers.get("session"))
        return gateway.upload(self.headers.get("filename", ""), raw)

    def _set_status(self, raw: bytes) -> dict:
        try:
            body = json.loads(raw)
            done = self.server.gateway.store.set_status(str(body["MaHoSo"]), str(body["TrangThaiHoSo"]))
        except (ValueError, KeyError, TypeError):
            return answer("-1", "Cần {MaHoSo, TrangThaiHoSo}")
        return answer() if done else answer("-1", "Không tìm thấy hồ sơ")

    @staticmethod
    def _body(raw: bytes) -> object:
        try:
            return json.loads(raw)
        except ValueError:  # UnicodeDecodeError included
            raise Refused("-1", "Nội dung không phải JSON hợp lệ") from None

    def _json(self, body: Mapping, status: int = 200) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _send(self, status: int, data: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _drop(self) -> None:
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, gateway: Gateway):
        self.gateway = gateway
        self.connections: set[socket.socket] = set()
        super().__init__(address, Handler)


def office_settings(url: str, dialect: str, *, credentials: tuple[str, str], madonvi: str | None = None,
                    upload_url: str = "", timeout: str = "5") -> dict[str, str]:
    """The sync settings that point an office at a reference server listening on `url` (`ProvincialServer`'s, or
    one started as `python -m devtools.provincial_server` in a process of its own)."""
    endpoint = f"{url}/integration" if dialect == "opencps" else url
    values = {"dialect": dialect, "gateway_url": endpoint, "timeout": timeout}
    if dialect == "opencps":
        user, password = credentials
        values |= {"login_url": f"{url}/auth", "username": user, "password": password, "dstcode": "H56"}
    if madonvi:
        values["madonvi"] = madonvi
    if upload_url:
        values["upload_url"] = upload_url
    return values


class ProvincialServer:
    """Start with `with ProvincialServer(db_path) as server:`; `server.endpoint`, `server.login_url`,
    `server.faults`, `server.state()`."""

    def __init__(self, db_path: str, *, host: str = "127.0.0.1", port: int = 0,
                 credentials: tuple[str, str] = ("quay", "matkhau"), known_procedures_extra: tuple[str, ...] = (),
                 faults: faults_mod.Faults | None = None, known: frozenset[str] | None = None,
                 dialect: str = "opencps", madonvi: str | None = None, statuses: Collection[str] | None = None,
                 uploads: bool = False, steps_per_call: int = 10):
        """`known` replaces the procedure codes the province accepts (default: the seed catalogue + extras);
        `madonvi`, when given, is the only unit code accepted (opencps); `statuses` replaces the status codes
        accepted (default: opencps 1–10, gateway 1, 2, 3, 4, 7, 9, 10); `uploads` serves `POST /upload`."""
        self.faults = faults or faults_mod.Faults()
        known = known if known is not None else known_procedures(known_procedures_extra)
        self.gateway = Gateway(db_path, credentials, known, self.faults, dialect=dialect, madonvi=madonvi,
                               statuses=statuses, uploads=uploads, steps_per_call=steps_per_call)
        self.host, self.port = host, port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def dialect(self) -> str:
        return self.gateway.dialect

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """Where the calls go: opencps the one integration endpoint; gateway the base the action paths follow."""
        return f"{self.url}/integration" if self.dialect == "opencps" else self.url

    @property
    def login_url(self) -> str:
        return f"{self.url}/auth"

    @property
    def upload_url(self) -> str:
        """`url + "/upload"` when uploads are on; "" (no upload service) when off."""
        return f"{self.url}/upload" if self.gateway.uploads else ""

    def office_settings(self, *, password: str | None = None, timeout: str = "5") -> dict[str, str]:
        """The sync settings (`main.py settings set KEY VALUE`) that point an office at this server, in its
        dialect; `password` to try another than the one it accepts."""
        user, accepted = self.gateway.credentials
        return office_settings(self.url, self.dialect, credentials=(user, accepted if password is None else password),
                               madonvi=self.gateway.madonvi, upload_url=self.upload_url, timeout=timeout)

    def start(self) -> ProvincialServer:
        self._httpd = _HTTPServer((self.host, self.port), self.gateway)
        self.port = self._httpd.server_address[1]
        self.gateway.base_url = self.url
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop_listening(self) -> None:
        """Refuse connections: close the listening socket and every open keep-alive connection."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        for conn in list(self._httpd.connections):
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)
        self._httpd = None

    def start_listening(self) -> None:
        if self._httpd is None:
            self.start()

    def expire_sessions(self) -> None:
        self.gateway.expire_sessions()

    def state(self) -> dict:
        return self.gateway.store.state()

    def close(self) -> None:
        self.stop_listening()
        self.gateway.store.close()

    def __enter__(self) -> ProvincialServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
