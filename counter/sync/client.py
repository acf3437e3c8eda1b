"""The provincial gateway client (domain.md §7): login, upsert dossiers, send steps, look up. No Qt.

Every failure is classified: TransientError (network, timeout, 5xx, 429, a captive portal's HTML)
is retried later; PermanentError (4xx, a validation error_code) parks the item for a person.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from counter.sync.errors import OfflineError, PermanentError, TransientError
from counter.sync.payload import DossierPayload, StepPayload

SESSION_EXPIRED = "401"
RETRY_LATER = (408, 425, 429)  # request timeout, too early, too many requests: the same request may pass later
EXISTS = "đã tồn tại"

# A JSON object from the province (an answer, or the dossier TraCuuHoSo returns): its values are whatever the
# gateway sent, read with .get() and checked where they are used.
JsonObject = dict[str, Any]


class ProvinceClient:
    def __init__(self, base_url: str, username: str, password: str, dstcode: str, timeout: float = 15.0):
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, headers={"dstcode": dstcode})
        self._username, self._password = username, password
        self._session: str | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ProvinceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def login(self) -> None:
        self._session = self._new_session()

    def _new_session(self) -> str:
        answer = self._post("login", {"username": self._username, "password": self._password})
        if answer.get("error_code") != "0" or not answer.get("session"):
            raise PermanentError(f"Đăng nhập hệ thống tỉnh không thành công: {answer.get('message', '')}",
                                 str(answer.get("error_code", "")))
        session: str = answer["session"]
        return session

    def _current_session(self) -> str:
        """The session, logging in first if there is none (or the last one expired)."""
        if self._session is None:
            self._session = self._new_session()
        return self._session

    def is_online(self) -> bool:
        """True only if the province answered an authenticated call correctly (not just any 200)."""
        try:
            self.login()
            self._service("TraCuuHoSo", {"MaHoSo": ""})
        except PermanentError as e:
            return e.code == "404"
        except TransientError:
            return False
        return True

    def upsert_dossier(self, payload: DossierPayload) -> None:
        """Insert; if the province already has the code, update it instead."""
        try:
            self._item("DongBoHoSoMC", {"isUpdating": "False", "data": [payload]}, "MaHoSo", payload["MaHoSo"])
        except PermanentError as e:
            if EXISTS not in str(e):
                raise
            self._item("DongBoHoSoMC", {"isUpdating": "True", "data": [payload]}, "MaHoSo", payload["MaHoSo"])

    def send_step(self, payload: StepPayload) -> None:
        self._item("CapNhatTienDoHoSoMC", {"data": [payload]}, "MaBuoc", payload["MaBuoc"])

    def upload_file(self, path: Path | str, filename: str) -> str:
        """Upload one file's bytes (TaiTepTin): the URL the province serves it at (DuongDanTaiTepTin)."""
        data = Path(path).read_bytes()
        for attempt in (1, 2):
            headers = {"session": self._current_session(), "filename": quote(filename)}
            answer = self._request("TaiTepTin", content=data, headers=headers)
            if answer.get("error_code") == SESSION_EXPIRED and attempt == 1:
                self._session = None
                continue
            if answer.get("error_code") != "0":
                raise _refusal(answer)
            if not answer.get("url"):
                raise TransientError(f"Hệ thống tỉnh không trả đường dẫn cho tệp {filename}.")
            return str(answer["url"])
        raise TransientError("Phiên làm việc với hệ thống tỉnh liên tục hết hạn.")

    def lookup(self, code: str) -> JsonObject | None:
        """The dossier as the province has it (its JSON object), or None if it does not know the code."""
        try:
            found: JsonObject | None = self._service("TraCuuHoSo", {"MaHoSo": code}).get("data")
            return found
        except PermanentError as e:
            if e.code == "404":
                return None
            raise

    def _item(self, service: str, body: dict[str, object], key_field: str, key: str) -> None:
        """Call a batch service with one item and check that item's own result (a missing one is not synced)."""
        results = self._service(service, body).get("result")
        mine = [r for r in results or () if isinstance(r, dict) and r.get(key_field) == key]
        if not mine:
            raise TransientError(f"Hệ thống tỉnh không trả kết quả cho {key}.")
        if mine[0].get("error_code") != "0":
            raise _refusal(mine[0])

    def _service(self, service: str, body: dict[str, object]) -> JsonObject:
        """An authenticated call; logs in first, and once more if the session expired."""
        for attempt in (1, 2):
            answer = self._post(service, {"session": self._current_session(), **body})
            if answer.get("error_code") == SESSION_EXPIRED and attempt == 1:
                self._session = None
                continue
            if answer.get("error_code") != "0":
                raise _refusal(answer)
            return answer
        raise TransientError("Phiên làm việc với hệ thống tỉnh liên tục hết hạn.")

    def _post(self, service: str, body: dict[str, object]) -> JsonObject:
        return self._request(service, json=body)

    def _request(self, service: str, *, json: dict[str, object] | None = None, content: bytes | None = None,
                 headers: dict[str, str] | None = None) -> JsonObject:
        try:
            response = self._http.post(f"/{service}", json=json, content=content, headers=headers)
        except httpx.TimeoutException as e:
            raise TransientError(f"Hệ thống tỉnh không trả lời kịp ({type(e).__name__}).") from e
        except httpx.TransportError as e:
            raise TransientError(f"Không kết nối được hệ thống tỉnh ({type(e).__name__}).") from e
        return _answer(response)


def _answer(response: httpx.Response) -> JsonObject:
    status = response.status_code
    json_answer = "json" in response.headers.get("content-type", "")
    if status in RETRY_LATER or status >= 500:
        raise TransientError(f"Hệ thống tỉnh đang bận hoặc lỗi (HTTP {status}).")
    if status >= 400 and not json_answer:  # a proxy's or portal's page: the province never saw the request
        raise OfflineError(f"Thiết bị mạng trả lời HTTP {status} thay cho hệ thống tỉnh: chưa gửi được.")
    if status >= 400:
        raise PermanentError(f"Hệ thống tỉnh từ chối yêu cầu (HTTP {status}).", str(status))
    if not json_answer:
        raise OfflineError("Mạng yêu cầu đăng nhập (trang web thay vì hệ thống tỉnh): chưa gửi được.")
    try:
        answer = response.json()
    except ValueError as e:
        raise TransientError("Câu trả lời của hệ thống tỉnh không đọc được.") from e
    if not isinstance(answer, dict) or "error_code" not in answer:
        raise OfflineError("Câu trả lời không phải của hệ thống tỉnh: chưa gửi được.")
    return answer


def _refusal(answer: JsonObject) -> Exception:
    code, message = str(answer.get("error_code", "")), str(answer.get("message", ""))
    if code.startswith("5") or code == "429":
        return TransientError(f"Hệ thống tỉnh đang lỗi: {message}")
    return PermanentError(f"Hệ thống tỉnh từ chối: {message}", code)
