"""The two ways a province takes our calls (docs/portal.md "Two dialects"), each a small adapter.

- `OpenCpsClient`: the provincial adapter in front of the national portal — log in for a session, then one
  endpoint with the service named in the body, `session` and `madonvi` in every body, `dstcode` in the headers.
- `GatewayClient`: a province's own gateway as Thanh Hóa's system posts to it — one URL per action, a bare JSON
  array as the body, no session.
"""

from __future__ import annotations

from typing import Any

from counter.sync.client import SESSION_EXPIRED, Body, JsonObject, ProvinceClient, check, error_code, found_dossier
from counter.sync.errors import PermanentError, TransientError
from counter.sync.payload import DossierPayload, StepPayload
from counter.sync.profiles import GATEWAY
from counter.sync.settings import SyncSettings, check_addresses


def connect(config: SyncSettings) -> ProvinceClient:
    """A client for the configured dialect (not yet logged in); plain http:// to another machine is refused unless
    the network is marked trusted (settings.check_addresses). Certificates are verified (httpx's default, which
    nothing here turns off: tests/sync/test_transport_security.py)."""
    check_addresses(config)
    return GatewayClient(config) if config.dialect == GATEWAY else OpenCpsClient(config)


class OpenCpsClient(ProvinceClient):
    def __init__(self, config: SyncSettings):
        super().__init__(config, {"dstcode": config.dstcode})
        self._session: str | None = None

    def login(self) -> None:
        self._session = self._new_session()

    def _new_session(self) -> str:
        answer = self.transport.post(self.config.login_url,
                                     json={"username": self.config.username, "password": self.config.password})
        session = answer.get("session")
        if error_code(answer) != 0 or not session:  # OC getAccessToken: both, or no session
            raise PermanentError(f"Đăng nhập hệ thống tỉnh không thành công: {answer.get('message', '')}",
                                 str(answer.get("error_code", "")))
        return str(session)

    def _current_session(self) -> str:
        """The session, logging in first if there is none (or the last one expired)."""
        if self._session is None:
            self._session = self._new_session()
        return self._session

    def _service(self, service: str, fields: dict[str, Any]) -> JsonObject:
        """One call to the integration endpoint; logs in first, and once more if the session expired."""
        for attempt in (1, 2):
            body = {"service": service, "session": self._current_session(), "madonvi": self.config.madonvi, **fields}
            answer = self.transport.post(self.config.gateway_url, json=body)
            if error_code(answer) == SESSION_EXPIRED and attempt == 1:
                self._session = None
                continue
            return check(answer)
        raise TransientError("Phiên làm việc với hệ thống tỉnh liên tục hết hạn.")

    def lookup(self, code: str) -> JsonObject | None:
        return found_dossier(self._service("TraCuuHoSo", {"mahoso": code}))

    def insert_dossier(self, payload: DossierPayload) -> None:
        self._service("DongBoHoSoMC", {"isUpdating": "False", "data": [payload]})

    def update_dossier(self, payload: DossierPayload) -> None:
        self._service("DongBoHoSoMC", {"isUpdating": "True", "data": [payload]})

    def send_steps(self, payloads: list[StepPayload]) -> None:
        self._service("CapNhatTienDoHoSoMC", {"data": payloads})

    def _upload_headers(self) -> dict[str, str]:
        return {"session": self._current_session()}


class GatewayClient(ProvinceClient):
    def login(self) -> None:
        """No session: the gateway trusts the office's network (TH posts without one)."""

    def _post(self, action: str, body: Body) -> JsonObject:
        return check(self.transport.post(self.config.gateway_url.rstrip("/") + self.config.paths[action], json=body))

    def lookup(self, code: str) -> JsonObject | None:
        return found_dossier(self._post("lookup", [{"MaHoSo": code}]))

    def insert_dossier(self, payload: DossierPayload) -> None:
        self._post("insert", [payload])

    def update_dossier(self, payload: DossierPayload) -> None:
        self._post("update", [payload])

    def send_steps(self, payloads: list[StepPayload]) -> None:
        self._post("steps", payloads)

    def _upload_headers(self) -> dict[str, str]:
        return {}
