"""The audit log: who did what and when, for everything that is not a dossier's history row (log-in, lock,
settings, prints, accepting a database, backups…; issue 17).

Append-only and tamper-evident. Each row's `hash` is the SHA-256 of its own content (id, time, actor, kind,
summary, detail) and of `prev_hash`, the previous row's hash; the first row's `prev_hash` is the database's
instance id (db.migrate.instance_id), so rows copied from another database do not hold either. The newest row's
id and hash are also kept in the meta table (`audit_head`), so removing the last rows shows too. Inside the app
the table cannot be changed (migration 0009's triggers); a row changed, removed or inserted by hand with sqlite3
makes `verify` name the first row that does not hold. This is evidence, not a lock: whoever can rewrite the
whole file and recompute every hash can forge it; a copy of the file elsewhere (a backup) shows the difference.

No full ID-card number enters it: the summary and the detail pass through `counter.text.mask_ids`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta
from typing import Any

from counter import records
from counter.clock import VN_TZ
from counter.context import AppContext, bound
from counter.text import mask_ids, nfc
from db.database import advisory_xact_lock, is_postgres
from db.migrate import instance_id
from db.models import AuditEntry, Meta

HEAD_KEY = "audit_head"

KINDS = {
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập sai",
    "logout": "Đăng xuất",
    "lock": "Khóa máy",
    "unlock": "Mở khóa",
    "setup": "Thiết lập ban đầu",
    "user": "Người dùng",
    "password": "Mật khẩu",
    "settings": "Thiết lập",
    "calendar": "Lịch làm việc",
    "catalogue": "Danh mục thủ tục",
    "print": "In phiếu",
    "export": "Xuất dữ liệu",
    "backup": "Sao lưu",
    "restore": "Khôi phục",
    "accept_database": "Xác nhận cơ sở dữ liệu",
    "office_join": "Chuyển dữ liệu quầy vào trung tâm",
}


# PostgreSQL: the advisory lock each append holds until its transaction ends, so two counters never both read the
# same last row and write the same next id (the chain would fork).
AUDIT_LOCK_KEY = 0x514D4301

def chain_hash(entry_id: int, at: str, actor: str, kind: str, summary: str, detail: str, prev_hash: str) -> str:
    """The SHA-256 (hex) of a row as stored: its content and the previous row's hash, in a fixed JSON form."""
    content = json.dumps([entry_id, at, actor, kind, summary, detail, prev_hash], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@bound
def record(ctx: AppContext, kind: str, summary: str, *, actor: str | None = None,
           detail: dict[str, Any] | None = None) -> records.AuditEntry:
    """Append one row: inside the caller's transaction when there is one (it is kept or undone with the change it
    records), else in its own. `actor` defaults to the logged-in user's name ("" for a script)."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r} (counter.audit.KINDS)")
    who = nfc(actor if actor is not None else ctx.user.username if ctx.user else "").lower()
    text = mask_ids(nfc(summary))
    body = mask_ids(json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str))
    now = ctx.clock.now()
    entry_id = _append(ctx, _stored(now), who, kind, text, body)
    return records.AuditEntry(id=entry_id, at=now, actor=who, kind=kind, kind_label=KINDS[kind], summary=text,
                              detail=json.loads(body))


@bound
def append_copied(ctx: AppContext, *, at: datetime, actor: str, kind: str, summary: str,
                  detail: dict[str, Any], provenance: dict[str, str]) -> int:
    """Append a row another database's log held (`office join`), with its own time, actor and kind, at the end of
    this database's chain (re-hashed in it); inside the caller's transaction. Its id here.

    `provenance` (the row's hash in its own chain, that chain's id) is added to the masked detail as it is: a hex
    digest may hold twelve digits in a row, and masking them as an ID number would lose the link back."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r} (counter.audit.KINDS)")
    body = json.dumps({**_masked(detail), **provenance}, ensure_ascii=False, sort_keys=True, default=str)
    return _append(ctx, _stored(at), nfc(actor).lower(), kind, mask_ids(nfc(summary)), body)


def _masked(value: Any) -> Any:
    """`value` with the ID numbers in its texts and numbers masked, its shape (dicts, lists) kept."""
    if isinstance(value, dict):
        return {mask_ids(str(key)): _masked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(item) for item in value]
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        masked = mask_ids(str(value))
        return value if masked == str(value) else masked
    return value


def _append(ctx: AppContext, at: str, who: str, kind: str, text: str, body: str) -> int:
    with ctx.transaction():  # IMMEDIATE: the write lock is held from here, so no other writer slips in a row
        if is_postgres(ctx.database):  # the centre's counters append one at a time, each after the last row
            advisory_xact_lock(ctx.database, AUDIT_LOCK_KEY)
        last = AuditEntry.select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).first()
        entry_id = last.id + 1 if last else 1
        prev_hash = last.hash if last else instance_id(ctx.database)
        digest = chain_hash(entry_id, at, who, kind, text, body, prev_hash)
        AuditEntry.insert(id=entry_id, at=at, actor=who, kind=kind, summary=text, detail=body, prev_hash=prev_hash,
                          hash=digest).execute()
        head = f"{entry_id}:{digest}"
        Meta.insert(key=HEAD_KEY, value=head).on_conflict(conflict_target=[Meta.key],
                                                          update={Meta.value: head}).execute()
    return entry_id


CHANGED = "đã đổi"  # what a secret's change shows, never its value


@bound
def setting_changed(ctx: AppContext, key: str, label: str, old: str, new: str, *,
                    secret: bool = False) -> records.AuditEntry | None:
    """A settings change, old → new (a secret only as set, changed or cleared); nothing when nothing changed."""
    if old == new:
        return None
    if secret:
        shown_old, shown_new = ("(đã đặt)" if old else "(chưa đặt)"), (CHANGED if new else "(đã xóa)")
    else:
        shown_old, shown_new = old or "(trống)", new or "(trống)"
    return record(ctx, "settings", f"Đổi {label}: “{shown_old}” → “{shown_new}”.",
                  detail={"key": key, "old": shown_old if secret else old, "new": shown_new if secret else new})


@bound
def verify(ctx: AppContext) -> records.AuditCheck:
    """Walk the chain from the first row: the first row whose hash or link does not hold, and why."""
    expected_prev = instance_id(ctx.database)
    expected_id = 1
    count = 0
    cursor = ctx.database.execute_sql(
        'SELECT id, at, actor, kind, summary, detail, prev_hash, hash FROM "audit_entry" ORDER BY id')
    for entry_id, at, actor, kind, summary, detail, prev_hash, digest in cursor:
        count += 1
        if prev_hash != expected_prev:
            why = ("không mang mã của cơ sở dữ liệu này (dòng đầu đã bị xóa hoặc chép từ nơi khác)" if expected_id == 1
                   else f"không nối với dòng #{expected_id - 1} trước nó (có dòng bị xóa hoặc chèn vào giữa)")
            return records.AuditCheck(count, entry_id, f"Dòng #{entry_id} {why}.")
        if digest != chain_hash(entry_id, at, actor, kind, summary, detail, prev_hash):
            return records.AuditCheck(count, entry_id, f"Dòng #{entry_id} đã bị sửa sau khi ghi.")
        if entry_id != expected_id:
            return records.AuditCheck(count, entry_id,
                                      f"Dòng #{entry_id} đứng sau dòng #{expected_id - 1}: số dòng bị đổi.")
        expected_prev, expected_id = digest, entry_id + 1
    row = Meta.get_or_none(Meta.key == HEAD_KEY)
    head = (row.value,) if row else None
    if head and head[0] != f"{expected_id - 1}:{expected_prev}":
        head_id = int(head[0].split(":")[0]) if head[0].split(":")[0].isdigit() else expected_id
        if head_id >= expected_id:
            return records.AuditCheck(count, expected_id, f"Dòng #{expected_id} đến #{head_id} (cuối nhật ký) "
                                                          "đã bị xóa.")
        return records.AuditCheck(count, expected_id - 1, f"Dòng #{expected_id - 1} (cuối nhật ký) đã bị sửa "
                                                          "hoặc thêm vào bằng tay.")
    if head is None and count:
        return records.AuditCheck(count, expected_id - 1, "Nhật ký không có dấu dòng cuối: đã bị sửa bằng tay.")
    return records.AuditCheck(count)


@bound
def entries(ctx: AppContext, *, from_: date | None = None, to: date | None = None, user: str | None = None,
            kind: str | None = None, limit: int | None = None, newest_first: bool = False) -> list[records.AuditEntry]:
    """The rows from day `from_` to day `to` (both included, Vietnam time), of one user name and one kind when
    given; `limit` keeps the newest rows."""
    query = AuditEntry.select()
    if from_ is not None:
        query = query.where(AuditEntry.at >= _start(from_))
    if to is not None:
        query = query.where(AuditEntry.at < _start(to + timedelta(days=1)))
    if user:
        query = query.where(AuditEntry.actor == nfc(user).lower())
    if kind:
        query = query.where(AuditEntry.kind == kind)
    query = query.order_by(AuditEntry.id.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = [_entry(row) for row in query]
    return rows if newest_first else rows[::-1]


@bound
def actors(ctx: AppContext) -> list[str]:
    """The user names the log holds, for a filter's list."""
    query = AuditEntry.select(AuditEntry.actor).where(AuditEntry.actor != "").distinct().order_by(AuditEntry.actor)
    return [row.actor for row in query]


def _start(day: date) -> str:
    return _stored(datetime.combine(day, time(0, 0), tzinfo=VN_TZ))


def _stored(moment: datetime) -> str:
    """A time as the table stores it (ISO text, Vietnam time, whole seconds): what the hash covers."""
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


def _entry(row: AuditEntry) -> records.AuditEntry:
    try:
        detail = json.loads(row.detail)
    except ValueError:
        detail = {"văn bản": row.detail}
    return records.AuditEntry(id=row.id, at=row.at, actor=row.actor, kind=row.kind,
                              kind_label=KINDS.get(row.kind, row.kind), summary=row.summary,
                              detail=detail if isinstance(detail, dict) else {"giá trị": detail})
