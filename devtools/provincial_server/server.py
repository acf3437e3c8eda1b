"""The reference provincial gateway: real HTTP/1.1 on loopback, the contract of domain.md §7, faults on demand.

Business answers are HTTP 200 with `error_code` ("0" success) and `message`, as the gateway does;
"400" malformed payload (the message names the field), "401" bad or expired session, "403" bad
credentials, "404" unknown dossier, "409" exists or conflicts ("đã tồn tại").
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from devtools.provincial_server import faults as faults_mod
from devtools.provincial_server.store import Conflict, Store
from devtools.provincial_server.validate import Invalid, known_procedures, validate_dossier, validate_step

SERVICES = ("login", "DongBoHoSoMC", "CapNhatTienDoHoSoMC", "TraCuuHoSo", "TaiTepTin")
CAPTIVE_PAGE = b"<html><body><h1>\xc4\x90\xc4\x83ng nh\xe1\xba\xadp Wi-Fi</h1></body></html>"


def ok(**fields) -> dict:
    return {"error_code": "0", "message": "Thành công", **fields}


def error(code: str, message: str) -> dict:
    return {"error_code": code, "message": message}


class Gateway:
    """The state behind the HTTP layer: credentials, sessions, the store, known procedures, faults."""

    def __init__(self, db_path: str, credentials: tuple[str, str], known: frozenset[str], faults):
        self.store = Store(db_path)
        self.credentials, self.known, self.faults = credentials, known, faults
        self.sessions: dict[str, int] = {}  # token → service calls left (≤ 0: unlimited)
        self._lock = threading.Lock()
        self.base_url = ""

    def login(self, body: dict, _files=None) -> dict:
        if (body.get("username"), body.get("password")) != self.credentials:
            return error("403", "Sai tên đăng nhập hoặc mật khẩu")
        token = secrets.token_hex(16)
        self.sessions[token] = self.faults.session_calls or -1
        return ok(session=token)

    def expire_sessions(self) -> None:
        self.sessions.clear()

    def use_session(self, token) -> bool:
        """True if the session is valid; counts the call against a session that expires."""
        with self._lock:
            left = self.sessions.get(token)
            if left is None:
                return False
            if left == 1:
                del self.sessions[token]
            elif left > 1:
                self.sessions[token] = left - 1
            return True

    def sync_dossiers(self, body: dict) -> dict:
        updating = body.get("isUpdating")
        if updating not in ("True", "False") or not isinstance(body.get("data"), list):
            return error("400", "isUpdating phải là \"True\"/\"False\" và data là danh sách")
        return ok(result=[self._sync_one(item, updating == "True") for item in body["data"]])

    def _sync_one(self, item, updating: bool) -> dict:
        code = item.get("MaHoSo", "") if isinstance(item, dict) else ""
        try:
            validate_dossier(item, self.known, self.known_url)
        except Invalid as e:
            return {"MaHoSo": code, **error("400", f"Dữ liệu không hợp lệ: {e}")}
        if updating and not self.store.update_dossier(item):
            return {"MaHoSo": code, **error("404", f"Hồ sơ {code} không tồn tại để cập nhật")}
        if not updating and not self.store.insert_dossier(item):
            return {"MaHoSo": code, **error("409", f"Hồ sơ {code} đã tồn tại")}
        return {"MaHoSo": code, **ok()}

    def add_steps(self, body: dict) -> dict:
        if not isinstance(body.get("data"), list):
            return error("400", "data phải là danh sách")
        return ok(result=[self._step_one(item) for item in body["data"]])

    def _step_one(self, item) -> dict:
        step_id = item.get("MaBuoc", "") if isinstance(item, dict) else ""
        try:
            validate_step(item)
        except Invalid as e:
            return {"MaBuoc": step_id, **error("400", f"Dữ liệu không hợp lệ: {e}")}
        if self.store.get_dossier(item["MaHoSo"]) is None:
            return {"MaBuoc": step_id, **error("404", f"Hồ sơ {item['MaHoSo']} chưa được đồng bộ")}
        try:
            self.store.add_step(item)
        except Conflict:
            return {"MaBuoc": step_id, **error("409", f"Bước {step_id} đã tồn tại với nội dung khác")}
        return {"MaBuoc": step_id, **ok()}

    def lookup(self, body: dict) -> dict:
        dossier = self.store.get_dossier(str(body.get("MaHoSo", "")))
        return ok(data=dossier) if dossier else error("404", "Không tìm thấy hồ sơ")

    def upload(self, name: str, data: bytes) -> dict:
        file_id = self.store.add_file(unquote(name) or "tep", data)
        return ok(url=f"{self.base_url}/files/{file_id}")

    def known_url(self, url: str) -> bool:
        """True if `url` serves a file uploaded here."""
        prefix = f"{self.base_url}/files/"
        return url.startswith(prefix) and self.store.has_file(url[len(prefix):])


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
        if self.path == "/_state":
            return self._json(gateway.store.state())
        if self.path.startswith("/files/"):
            found = gateway.store.get_file(self.path.rsplit("/", 1)[1])
            if found:
                return self._send(200, found[1], "application/octet-stream")
        self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        service = self.path.strip("/").split("?")[0]
        if service == "_admin/set_status":
            body = json.loads(raw)
            done = self.server.gateway.store.set_status(body["MaHoSo"], str(body["TrangThaiHoSo"]))
            return self._json(ok() if done else error("404", "Không tìm thấy hồ sơ"))
        faults = self.server.gateway.faults
        time.sleep(faults.delay_ms / 1000)
        if faults.captive:
            return self._send(200, CAPTIVE_PAGE, "text/html; charset=utf-8")
        if faults.take("reset"):
            return self._reset()
        if service != "login" and faults.take("hang"):
            time.sleep(faults_mod.HANG_SECONDS)  # the client gave up long ago: nothing is applied
            return self._drop()
        if faults.take("500"):
            return self._send(500, b"Internal Server Error", "text/plain")
        if faults.take("429"):
            return self._send(429, b"Too Many Requests", "text/plain", {"Retry-After": "1"})
        answer = self._serve(service, raw)
        if faults.take("lose"):
            return self._drop()
        if "result" in answer and faults.take("omit"):
            answer = {**answer, "result": []}  # applied, but the batch answer does not list the item
        self._json(answer)

    def _serve(self, service: str, raw: bytes) -> dict:
        gateway = self.server.gateway
        if service not in SERVICES:
            return error("404", f"Không có dịch vụ {service}")
        if not self.headers.get("dstcode"):
            return error("400", "Thiếu header dstcode")
        if service == "TaiTepTin":
            if not gateway.use_session(self.headers.get("session")):
                return error("401", "Phiên làm việc không hợp lệ hoặc đã hết hạn")
            return gateway.upload(self.headers.get("filename", ""), raw)
        try:
            body = json.loads(raw)
            assert isinstance(body, dict)
        except (ValueError, AssertionError):
            return error("400", "Nội dung không phải JSON hợp lệ")
        if service == "login":
            return gateway.login(body)
        if not gateway.use_session(body.get("session")):
            return error("401", "Phiên làm việc không hợp lệ hoặc đã hết hạn")
        handler = {"DongBoHoSoMC": gateway.sync_dossiers, "CapNhatTienDoHoSoMC": gateway.add_steps,
                   "TraCuuHoSo": gateway.lookup}[service]
        return handler(body)

    def _json(self, body: dict) -> None:
        self._send(200, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

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


class ProvincialServer:
    """Start with `with ProvincialServer(db_path) as server:`; `server.url`, `server.faults`, `server.state()`."""

    def __init__(self, db_path: str, *, host: str = "127.0.0.1", port: int = 0,
                 credentials: tuple[str, str] = ("quay", "matkhau"), known_procedures_extra: tuple[str, ...] = (),
                 faults: faults_mod.Faults | None = None, known: frozenset[str] | None = None):
        """`known` replaces the procedure codes the province accepts (default: the seed catalogue + extras)."""
        self.faults = faults or faults_mod.Faults()
        known = known if known is not None else known_procedures(known_procedures_extra)
        self.gateway = Gateway(db_path, credentials, known, self.faults)
        self.host, self.port = host, port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

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
