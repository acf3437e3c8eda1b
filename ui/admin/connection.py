"""Talking to the provincial gateway for a screen: runs on a WorkerRunner thread, so no Qt in here.

Both functions take frozen settings read on the GUI thread, and touch no database either.
"""

from __future__ import annotations

from datetime import datetime

from counter.errors import ValidationError
from counter.status import Status
from counter.sync.client import ProvinceClient
from counter.sync.dialects import connect
from counter.sync.errors import SyncError
from counter.sync.settings import SyncSettings

CONNECTED = "Kết nối được"
NO_DUE_DATE = "Không có ngày hẹn trả cụ thể"


def _client(config: SyncSettings) -> ProvinceClient:
    return connect(config)


def check_connection(config: SyncSettings) -> str:
    """CONNECTED, or why not (Vietnamese): ProvinceClient.probe, keeping the reason it failed (an address refused
    before anything is sent, e.g. http:// outside a trusted network, included)."""
    try:
        opened = _client(config)
    except ValidationError as e:
        return f"Không kết nối được: {e}"
    with opened as client:
        try:
            client.probe()
        except SyncError as e:
            return f"Không kết nối được: {e}"
    return CONNECTED


def lookup(config: SyncSettings, code: str) -> dict | None:
    """The dossier as the province has it, None if it does not know the code; SyncError if unreachable."""
    with _client(config) as client:
        return client.lookup(code)


def _status(value) -> str:
    try:
        return Status(int(value)).label
    except (TypeError, ValueError):
        return f"Mã trạng thái {value}" if value else ""


def _date(value: str) -> str:
    try:
        at = datetime.strptime(value or "", "%Y%m%d%H%M%S")
    except ValueError:
        return value or NO_DUE_DATE
    return at.strftime("%H giờ %M phút, ngày %d/%m/%Y")


def describe(data: dict) -> list[tuple[str, str]]:
    """(label, value) rows of what the province holds, dates and statuses in words."""
    return [
        ("Mã hồ sơ", str(data.get("MaHoSo", ""))),
        ("Người nộp (chủ hồ sơ)", str(data.get("ChuHoSo", ""))),
        ("Thủ tục", str(data.get("TenTTHC", "") or data.get("MaTTHC", ""))),
        ("Trạng thái", _status(data.get("TrangThaiHoSo"))),
        ("Hẹn trả", _date(str(data.get("NgayHenTra", "")))),
    ]
