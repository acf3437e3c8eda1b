"""Talking to the province (docs/portal.md): what every dialect shares — the HTTP transport, reading an answer,
classifying a failure — and `ProvinceClient`, the calls the sync engine makes. No Qt.

A dialect (counter.sync.dialects) only says how a call is addressed and wrapped. Every failure is classified:
TransientError (network, timeout, 5xx, 429, an answer that is not the province's) is retried later;
PermanentError (a refusal) parks the item for a person; `Exists` is the refusal "đã tồn tại".
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from counter.sync.errors import OfflineError, PermanentError, TransientError
from counter.sync.payload import DossierPayload, StepPayload
from counter.sync.profiles import StatusMap
from counter.sync.settings import SyncSettings

SESSION_EXPIRED = 401  # ours: neither peer says how a portal reports an expired session
RETRY_LATER = (408, 425, 429)  # request timeout, too early, too many requests: the same request may pass later
EXISTS = "đã tồn tại"
PROBE_CODE = "000.00.00.H00-000000-0000"  # looked up to test the link: well-formed, never issued
HEADERS = {"Accept": "application/json", "Charset": "utf-8"}  # OC sets both; httpx sets Content-Type for JSON

# A JSON object from the province (an answer, or a dossier TraCuuHoSo returns): its values are whatever the
# gateway sent, read with .get() and checked where they are used.
JsonObject = dict[str, Any]
Body = dict[str, Any] | list[Any]


class Exists(PermanentError):
    """The province already holds a dossier under this code (a message with "đã tồn tại", whatever the code)."""


def error_code(answer: JsonObject) -> int | None:
    """`error_code` as the peers read it, an integer (so 0, "0" and "00" are all success); None if it is none."""
    try:
        return int(str(answer.get("error_code", "")).strip())
    except ValueError:
        return None


class Transport:
    """One HTTP client (keep-alive) and the reading of every answer."""

    def __init__(self, timeout: float, headers: dict[str, str]):
        self._http = httpx.Client(timeout=timeout, headers={**HEADERS, **headers})

    def close(self) -> None:
        self._http.close()

    def post(self, url: str, *, json: Body | None = None, content: bytes | None = None,
             headers: dict[str, str] | None = None) -> JsonObject:
        try:
            response = self._http.post(url, json=json, content=content, headers=headers)
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
    if not isinstance(answer, dict) or error_code(answer) is None:
        # Not the province's answer (or nonsense): whether it applied the call is unknown, so it is sent again.
        raise OfflineError("Câu trả lời không phải của hệ thống tỉnh: chưa gửi được.")
    return answer


def check(answer: JsonObject) -> JsonObject:
    """The answer if it is a success; else the error it stands for."""
    code, message = error_code(answer), str(answer.get("message", ""))
    if EXISTS in message.lower():
        raise Exists(f"Hệ thống tỉnh báo: {message}", str(answer.get("error_code")))
    if code == 0:
        return answer
    if code is not None and (500 <= code < 600 or code == 429):
        raise TransientError(f"Hệ thống tỉnh đang lỗi: {message}")
    raise PermanentError(f"Hệ thống tỉnh từ chối: {message}", str(answer.get("error_code", "")))


def found_dossier(answer: JsonObject) -> JsonObject | None:
    """The dossier a look-up found: the first of `result[]` (OC `hasSyncDossier`), None when it is empty."""
    result = answer.get("result")
    if not isinstance(result, list):
        raise TransientError("Câu trả lời tra cứu của hệ thống tỉnh không có danh sách kết quả.")
    first = result[0] if result else None
    return first if isinstance(first, dict) else None if first is None else {}


class ProvinceClient(ABC):
    """The calls the sync engine makes, whatever the dialect; `connect()` (counter.sync.dialects) makes one."""

    def __init__(self, config: SyncSettings, headers: dict[str, str] | None = None):
        self.config = config
        self.statuses: StatusMap = config.statuses
        self.steps_per_call = config.steps_per_call
        self.transport = Transport(config.timeout, headers or {})

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> ProvinceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def login(self) -> None:
        """Open a session if the dialect has one; PermanentError if the province refuses the account."""

    @abstractmethod
    def lookup(self, code: str) -> JsonObject | None:
        """The dossier as the province holds it, or None if it does not know the code."""

    @abstractmethod
    def insert_dossier(self, payload: DossierPayload) -> None:
        """Add a dossier the province does not hold; `Exists` if it does."""

    @abstractmethod
    def update_dossier(self, payload: DossierPayload) -> None:
        """Replace a dossier the province holds (after checking it is ours: counter.sync.engine)."""

    @abstractmethod
    def send_steps(self, payloads: list[StepPayload]) -> None:
        """Append up to `steps_per_call` progress steps, all or none."""

    @abstractmethod
    def _upload_headers(self) -> dict[str, str]:
        """What an upload carries besides the file name (a session, where there is one)."""

    def probe(self) -> None:
        """Log in, then look up a well-formed code no office issues (day 00/00/00): the province must answer it
        as itself, with an empty result. Raises the SyncError that says why not."""
        self.login()
        self.lookup(PROBE_CODE)

    def is_online(self) -> bool:
        """True only if the province answered an authenticated call correctly (not just any 200)."""
        try:
            self.probe()
        except (TransientError, PermanentError):
            return False
        return True

    def upload_file(self, path: Path | str, filename: str) -> str:
        """Post one file's bytes to `upload_url` (only where the province offers it): the URL it serves it at."""
        if not self.config.upload_url:
            raise PermanentError("Chưa cấu hình địa chỉ tải tệp lên (upload_url).", "upload_url")
        headers = {**self._upload_headers(), "filename": quote(filename)}
        answer = check(self.transport.post(self.config.upload_url, content=Path(path).read_bytes(), headers=headers))
        if not answer.get("url"):
            raise TransientError(f"Hệ thống tỉnh không trả đường dẫn cho tệp {filename}.")
        return str(answer["url"])
