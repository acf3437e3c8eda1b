"""When to back up and what the screens say about backups (issue 18), without Qt.

`backup_all` makes the local backup (`<data_dir>/backups/`) and, when the administrator set one, the second one (a
USB drive, a network share); a second destination that is not there is reported as missing and the local backup
is kept. `status` is what the Quản trị page, the board and the status bar show: per destination the last verified
backup (its time, age, size) and a failed one newer than it, the next backup's time, whether the last verified
backup is older than two days, whether the second destination is missing. `is_due` is what the app's timer asks.

The ui/ side (ui/backup/) runs `backup_all` on a worker thread every `backup_hours` hours while the app runs,
after the end-of-day batch, and when the app closes.

Office mode (PostgreSQL): every PC of the centre runs the same schedule against the one shared database; one PC
backs up at a time (counter.office.server_backups.centre_lock) and another asking meanwhile skips, saying so
(`Outcome.skipped`, not a failure). The next backup is due `backup_hours` after the newest verified backup of the
centre — this PC's or another's, as the shared audit log records it — so the counters do not each dump the same
database in turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from counter import backup_settings, backups
from counter.backups import BackupError, BackupRecord
from counter.clock import VN_TZ
from counter.context import AppContext, bound
from counter.text import age_text
from db.database import is_postgres
from db.models import AuditEntry

STALE_AFTER = timedelta(days=2)
LOCAL, SECOND = "local", "second"
LABELS = {LOCAL: "Trong máy", SECOND: "Thư mục thứ hai"}


@dataclass(frozen=True)
class LastBackup:
    name: str
    at: datetime  # local time (Asia/Ho_Chi_Minh), from the backup's name
    size: int  # bytes, from its manifest: its own files and the scans it names


@dataclass(frozen=True)
class DestinationStatus:
    kind: str  # LOCAL | SECOND
    path: Path
    present: bool  # False: the folder is not there (USB not plugged in, share not connected)
    last: LastBackup | None  # the newest verified backup of this office and workstation
    failed: str = ""  # the newest failed backup's name when it is newer than `last`

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass(frozen=True)
class BackupStatus:
    now: datetime
    destinations: tuple[DestinationStatus, ...]
    interval_hours: int
    next_at: datetime | None  # None: no backups on a timer
    centre_last: datetime | None = None  # office mode: the newest verified backup of any PC of the centre

    @property
    def last(self) -> LastBackup | None:
        """The newest verified backup in any destination."""
        found = [d.last for d in self.destinations if d.last is not None]
        return max(found, key=lambda last: last.at) if found else None

    @property
    def newest_at(self) -> datetime | None:
        """When the newest verified backup was made: in a destination of this PC, or (office mode) by another PC."""
        found = [at for at in (self.last.at if self.last else None, self.centre_last) if at is not None]
        return max(found) if found else None

    @property
    def stale(self) -> bool:
        newest = self.newest_at
        return newest is None or self.now - newest > STALE_AFTER

    @property
    def second_missing(self) -> DestinationStatus | None:
        return next((d for d in self.destinations if d.kind == SECOND and not d.present), None)

    def warnings(self) -> list[str]:
        """What the board says, each a sentence; none when all is well."""
        said = []
        newest = self.newest_at
        if newest is None:
            said.append("Chưa có bản sao lưu nào đã kiểm tra: hãy bấm “Sao lưu ngay” ở trang Quản trị.")
        elif self.stale:
            said.append(f"Bản sao lưu đã kiểm tra gần nhất đã cũ {age_text(self.now - newest)} "
                        f"(lúc {newest:%H:%M %d/%m/%Y}): hãy sao lưu ngay ở trang Quản trị.")
        missing = self.second_missing
        if missing is not None:
            said.append(f"Không thấy thư mục sao lưu thứ hai “{missing.path}” (ổ USB chưa cắm hoặc ổ mạng chưa "
                        "kết nối): chỉ sao lưu được trong máy.")
        for destination in self.destinations:
            if destination.failed:
                said.append(f"Bản sao lưu {destination.failed} ({destination.label.lower()}) không đạt kiểm tra.")
        return said


@dataclass(frozen=True)
class Outcome:
    """One destination's part of `backup_all`: the backup made, or why none was."""

    kind: str
    path: Path
    record: BackupRecord | None = None
    error: str = ""
    missing: bool = False  # the second destination is not there
    skipped: bool = False  # office mode: another PC of the centre was backing up (its copy is as fresh)

    @property
    def ok(self) -> bool:
        return (self.record is not None and self.record.verified) or self.skipped

    def sentence(self) -> str:
        label = LABELS[self.kind]
        if self.record is not None and self.record.verified:
            return f"{label}: đã sao lưu và kiểm tra {self.record.name} ({size_text(self.record.size)})."
        if self.record is not None:
            return (f"{label}: bản sao lưu {self.record.name} KHÔNG đạt kiểm tra ({len(self.record.findings)} lỗi): "
                    f"{self.record.findings[0]}")
        return f"{label}: {self.error}"


@dataclass(frozen=True)
class BackupRun:
    outcomes: tuple[Outcome, ...]

    @property
    def ok(self) -> bool:
        """Every destination set up got a verified backup (a missing second one is not ok)."""
        return all(outcome.ok for outcome in self.outcomes)

    def summary(self) -> str:
        return " ".join(outcome.sentence() for outcome in self.outcomes)


@bound
def destinations(ctx: AppContext) -> list[tuple[str, Path]]:
    places = [(LOCAL, backups.default_destination(ctx))]
    second = backup_settings.load(ctx).second_destination
    if second is not None:
        places.append((SECOND, second))
    return places


@bound
def backup_all(ctx: AppContext) -> BackupRun:
    """The local backup, then the second one when set; each destination's outcome (a failure in one does not stop
    the other; nothing raised for a BackupError)."""
    from counter.office.server_backups import BackupBusy

    outcomes = []
    for kind, path in destinations(ctx):
        if kind == SECOND:
            outcomes.append(backup_second(ctx, path))
            continue
        try:
            outcomes.append(Outcome(kind, path, record=backups.make_backup(ctx)))
        except BackupBusy as exc:
            return BackupRun((Outcome(kind, path, error=str(exc), skipped=True),))  # the other PC's is the one
        except BackupError as exc:
            outcomes.append(Outcome(kind, path, error=str(exc)))
    return BackupRun(tuple(outcomes))


@bound
def backup_second(ctx: AppContext, path: Path) -> Outcome:
    """The backup into the second destination: made, failed, or the folder not there (the USB drive)."""
    if not path.is_dir():
        return Outcome(SECOND, path, missing=True, error=(
            f"không thấy thư mục “{path}” (ổ USB chưa cắm hoặc ổ mạng chưa kết nối); bản trong máy vẫn được giữ."))
    try:
        return Outcome(SECOND, path, record=backups.make_backup(ctx, path))
    except BackupError as exc:
        return Outcome(SECOND, path, error=str(exc))


@bound
def status(ctx: AppContext) -> BackupStatus:
    now = ctx.clock.now().astimezone(VN_TZ)
    series = backups.series_name(ctx)
    found = tuple(_destination_status(kind, path, series) for kind, path in destinations(ctx))
    hours = backup_settings.load(ctx).interval_hours
    local = found[0].last
    centre = centre_last_backup(ctx)
    latest = max([at for at in (local.at if local else None, centre) if at is not None], default=None)
    next_at = None if hours == 0 else now if latest is None else max(now, latest + timedelta(hours=hours))
    return BackupStatus(now=now, destinations=found, interval_hours=hours, next_at=next_at, centre_last=centre)


@bound
def centre_last_backup(ctx: AppContext) -> datetime | None:
    """Office mode: when a PC of the centre last made a verified backup (its line in the shared audit log); None
    on SQLite (one PC: its destinations say it all)."""
    if not is_postgres(ctx.database):
        return None
    rows = (AuditEntry.select(AuditEntry.at, AuditEntry.detail).where(AuditEntry.kind == "backup")
            .order_by(AuditEntry.id.desc()).limit(50))
    for row in rows:
        try:
            detail = json.loads(row.detail)
        except ValueError:
            continue
        if isinstance(detail, dict) and detail.get("verified") is True:
            return row.at.astimezone(VN_TZ)
    return None


@bound
def is_due(ctx: AppContext) -> bool:
    """A timed backup is due: the interval is on and the local backup is that old (or there is none)."""
    current = status(ctx)
    return current.next_at is not None and current.next_at <= current.now


def _destination_status(kind: str, path: Path, series: str) -> DestinationStatus:
    if not path.is_dir():
        return DestinationStatus(kind, path, present=kind == LOCAL, last=None)
    verified = backups.backups_in(path, series)
    last = _last(verified[-1]) if verified else None
    failed = _newest_failed(path, series)
    newer_failure = failed is not None and (last is None or failed[1] > last.at)
    return DestinationStatus(kind, path, present=True, last=last, failed=failed[0] if failed and newer_failure else "")


def _stamp(name: str) -> datetime | None:
    match = backups.NAME_RE.match(name.split(backups.FAILED_SUFFIX)[0])
    if match is None:
        return None
    return datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=VN_TZ)


def _last(folder: Path) -> LastBackup:
    at = _stamp(folder.name)
    assert at is not None  # backups_in lists only folders so named
    try:
        manifest = json.loads((folder / backups.MANIFEST_FILE).read_text(encoding="utf-8"))
        size = backups.manifest_size(manifest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        size = 0
    return LastBackup(folder.name, at, size)


def _newest_failed(destination: Path, series: str) -> tuple[str, datetime] | None:
    failed = []
    for path in destination.glob(f"{series}-*{backups.FAILED_SUFFIX}*"):
        at = _stamp(path.name)
        if at is not None and path.is_dir():
            failed.append((path.name, at))
    return max(failed, key=lambda item: item[1]) if failed else None


def ago(delta: timedelta) -> str:
    """'vừa xong', '3 giờ trước'."""
    text = age_text(delta)
    return text if text == "vừa xong" else f"{text} trước"


def size_text(size: int) -> str:
    """1536 → '2 KB', 5_400_000 → '5,1 MB', 3_200_000_000 → '3 GB' (Vietnamese decimal comma)."""
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2)):
        if size >= scale:
            value = size / scale
            text = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
            return text.replace(".", ",") + f" {unit}"
    return f"{max(1, round(size / 1024))} KB"
