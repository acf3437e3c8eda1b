"""The audit log: a hash chain that names the first row a hand edit, removal or insertion broke."""

import json
import sqlite3
from datetime import date

import pytest

from counter import audit
from counter.clock import FixedClock
from counter.context import AppContext
from db.database import is_postgres
from db.migrate import instance_id
from tests.conftest import at


@pytest.fixture
def log_ctx(bare_ctx: AppContext) -> AppContext:
    for n, (kind, who) in enumerate([("login", "canbo"), ("settings", "admin"), ("print", "canbo"),
                                     ("lock", "canbo"), ("logout", "canbo")], start=1):
        bare_ctx.clock = FixedClock(at(f"2026-02-1{n} 09:00"))
        audit.record(bare_ctx, kind, f"Việc thứ {n}", actor=who, detail={"n": n})
    return bare_ctx


def _sql(ctx: AppContext, *statements: str) -> None:
    """A hand edit with sqlite3, as a tamperer would: the append-only triggers dropped first (on PostgreSQL with
    psql as the database's owner would)."""
    if is_postgres(ctx.database):
        with ctx.database.atomic():
            for trigger in ("audit_entry_no_update", "audit_entry_no_delete"):
                ctx.database.execute_sql(f'DROP TRIGGER IF EXISTS "{trigger}" ON "audit_entry"')
            for statement in statements:
                ctx.database.execute_sql(statement)
        return
    ctx.database.close()
    con = sqlite3.connect(ctx.db_path)
    con.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    ctx.database.connect(reuse_if_open=True)


def test_rows_chain_from_the_instance_id_and_verify_holds(log_ctx):
    rows = log_ctx.database.execute_sql("SELECT id, prev_hash, hash FROM audit_entry ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0][1] == instance_id(log_ctx.database)
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, 5))
    assert len({r[2] for r in rows}) == 5 and all(len(r[2]) == 64 for r in rows)
    check = audit.verify(log_ctx)
    assert check.ok and check.rows == 5 and check.bad_id is None


def test_empty_log_verifies(bare_ctx):
    assert audit.verify(bare_ctx).ok


def test_the_app_cannot_change_or_delete_a_row(log_ctx):
    with pytest.raises(Exception, match="append-only"):
        log_ctx.database.execute_sql("UPDATE audit_entry SET summary = 'x' WHERE id = 2")
    with pytest.raises(Exception, match="append-only"):
        log_ctx.database.execute_sql("DELETE FROM audit_entry WHERE id = 2")


def test_a_hand_edited_row_is_named(log_ctx):
    _sql(log_ctx, "UPDATE audit_entry SET summary = 'Không có gì' WHERE id = 3")
    check = audit.verify(log_ctx)
    assert (check.ok, check.bad_id) == (False, 3)
    assert "#3" in check.reason and "sửa" in check.reason


def test_a_hand_edited_actor_is_named(log_ctx):
    _sql(log_ctx, "UPDATE audit_entry SET actor = 'lanhdao' WHERE id = 2")
    assert audit.verify(log_ctx).bad_id == 2


def test_a_deleted_row_names_the_row_after_it(log_ctx):
    _sql(log_ctx, "DELETE FROM audit_entry WHERE id = 2")
    check = audit.verify(log_ctx)
    assert check.bad_id == 3 and "#3" in check.reason and "xóa" in check.reason


def test_a_deleted_first_row_is_named(log_ctx):
    _sql(log_ctx, "DELETE FROM audit_entry WHERE id = 1")
    assert audit.verify(log_ctx).bad_id == 2


def test_deleted_last_rows_are_named_from_the_head(log_ctx):
    _sql(log_ctx, "DELETE FROM audit_entry WHERE id >= 4")
    check = audit.verify(log_ctx)
    assert check.bad_id == 4 and "#4" in check.reason and "#5" in check.reason


def test_an_inserted_row_is_named(log_ctx):
    _sql(log_ctx, "INSERT INTO audit_entry (id, at, actor, kind, summary, detail, prev_hash, hash) VALUES "
                  "(6, '2026-02-16T08:00:00+07:00', 'admin', 'settings', 'Chèn', '{}', 'x', 'y')")
    assert audit.verify(log_ctx).bad_id == 6


def test_an_inserted_row_with_a_forged_hash_is_named(log_ctx):
    """Even a row whose hash is computed right, but not the head kept beside the chain, is caught."""
    last = log_ctx.database.execute_sql("SELECT hash FROM audit_entry WHERE id = 5").fetchone()[0]
    at_text, detail = "2026-02-16T08:00:00+07:00", "{}"
    digest = audit.chain_hash(6, at_text, "admin", "settings", "Chèn", detail, last)
    _sql(log_ctx, "INSERT INTO audit_entry (id, at, actor, kind, summary, detail, prev_hash, hash) VALUES "
                  f"(6, '{at_text}', 'admin', 'settings', 'Chèn', '{detail}', '{last}', '{digest}')")
    assert audit.verify(log_ctx).bad_id == 6


def test_a_row_inserted_in_the_middle_is_named(log_ctx):
    """Renumbering rows 3–5 to make room for a forged #3: the first row that no longer holds is #3."""
    _sql(log_ctx, "UPDATE audit_entry SET id = id + 10 WHERE id >= 3",
         "UPDATE audit_entry SET id = id - 9 WHERE id >= 13",
         "INSERT INTO audit_entry (id, at, actor, kind, summary, detail, prev_hash, hash) VALUES "
         "(3, '2026-02-12T10:00:00+07:00', 'admin', 'settings', 'Chèn', '{}', 'x', 'y')")
    assert audit.verify(log_ctx).bad_id == 3


def test_a_log_copied_from_another_database_does_not_hold(log_ctx):
    log_ctx.database.execute_sql("UPDATE meta SET value = 'another' WHERE key = 'instance_id'")
    assert audit.verify(log_ctx).bad_id == 1


def test_a_rolled_back_change_leaves_no_row(bare_ctx):
    audit.record(bare_ctx, "login", "Đăng nhập", actor="canbo")
    with bare_ctx.transaction() as transaction:
        audit.record(bare_ctx, "settings", "Đổi gì đó", actor="admin")
        transaction.rollback()
    audit.record(bare_ctx, "logout", "Đăng xuất", actor="canbo")
    assert [e.kind for e in audit.entries(bare_ctx)] == ["login", "logout"]
    assert audit.verify(bare_ctx).ok


def test_entries_filter_by_day_user_and_kind(bare_ctx):
    for day, who, kind in [(10, "canbo", "login"), (11, "admin", "settings"), (12, "canbo", "print"),
                           (13, "canbo", "logout")]:
        bare_ctx.clock = FixedClock(at(f"2026-02-{day} 23:30"))
        audit.record(bare_ctx, kind, "việc", actor=who)
    assert [e.kind for e in audit.entries(bare_ctx, from_=date(2026, 2, 11), to=date(2026, 2, 12))] == [
        "settings", "print"]
    assert [e.kind for e in audit.entries(bare_ctx, user="CANBO")] == ["login", "print", "logout"]
    assert [e.kind for e in audit.entries(bare_ctx, kind="settings")] == ["settings"]
    assert [e.kind for e in audit.entries(bare_ctx, limit=2, newest_first=True)] == ["logout", "print"]
    assert audit.actors(bare_ctx) == ["admin", "canbo"]
    first = audit.entries(bare_ctx)[0]
    assert (first.actor, first.kind_label, first.at) == ("canbo", "Đăng nhập", at("2026-02-10 23:30"))


def test_actor_defaults_to_the_logged_in_user_and_ids_are_masked(bare_ctx):
    from counter.records import User
    bare_ctx.user = User(id=1, username="canbo", full_name="Cán Bộ", title="", role="clerk")
    entry = audit.record(bare_ctx, "print", "In phiếu cho 038190001245",
                         detail={"cccd": "038190001245", "ghi chú": "số 038190001245"})
    assert entry.actor == "canbo"
    stored = bare_ctx.database.execute_sql("SELECT summary, detail FROM audit_entry").fetchone()
    assert "038190001245" not in stored[0] + stored[1]
    assert json.loads(stored[1]) == {"cccd": "0381******45", "ghi chú": "số 0381******45"}
    assert audit.verify(bare_ctx).ok


def test_an_unknown_kind_is_a_programming_error(bare_ctx):
    with pytest.raises(ValueError):
        audit.record(bare_ctx, "nonsense", "x")


def test_a_copied_row_keeps_its_provenance_whole_and_its_ids_masked(bare_ctx):
    # a hex digest with twelve digits in a row looks like an ID number to the masking: the join's link back to the
    # counter's chain must survive it, or a second join copies the row again
    digest = "ab" + "038190001245" + "c" * 50
    audit.append_copied(bare_ctx, at=at("2026-02-10 09:00"), actor="canbo", kind="print",
                        summary="In phiếu cho 038190001245", detail={"cccd": 38190001245, "so": ["038190001245"]},
                        provenance={"hash_tai_quay": digest})
    stored = json.loads(bare_ctx.database.execute_sql("SELECT detail FROM audit_entry").fetchone()[0])
    assert stored == {"cccd": 38190001245, "so": ["0381******45"], "hash_tai_quay": digest}
    assert audit.verify(bare_ctx).ok
