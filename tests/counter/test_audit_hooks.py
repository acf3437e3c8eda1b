"""What leaves a row in the audit log today: settings, the office, prints, accepting a database, backups, log-in."""

import pytest

from counter import audit
from counter.code_guard import resume_numbering
from counter.errors import AuthError
from counter.office import local_config, sessions
from counter.office.users import active_user
from counter.sync import settings


def kinds(ctx):
    return [(e.kind, e.actor) for e in audit.entries(ctx)]


def is_claim(row, number, gave_back=None):
    """A settings row of this PC claiming workstation `number` (counter.office.workstations.claim, office mode)."""
    back = f", trả lại số {gave_back}" if gave_back is not None else ""
    return (row.kind == "settings" and row.summary.endswith(f"nhận số máy tiếp nhận {number}{back}.")
            and row.detail == {"workstation": number, "machine_id": local_config.load().machine_id,
                               "machine_name": local_config.load().machine_name, "previous": gave_back})


def settings_rows(ctx, on_postgres):
    """The settings rows after the demonstration's set-up. In office mode the set-up also claimed the demo office's
    workstation number 0 for this PC, a settings row of its own: checked to be there, then left out."""
    rows = audit.entries(ctx, kind="settings")
    if on_postgres:
        claim, *rows = rows
        assert is_claim(claim, 0)
    return rows


def test_a_sync_setting_change_shows_old_and_new(ctx, on_postgres):
    ctx.user = active_user(ctx, "admin")
    settings.set_value(ctx, "gateway_url", "https://tinh.example.vn/api")
    settings.set_value(ctx, "gateway_url", "https://tinh.example.vn/v2")
    settings.set_value(ctx, "gateway_url", "https://tinh.example.vn/v2")  # unchanged: no row
    rows = settings_rows(ctx, on_postgres)
    assert [r.detail for r in rows] == [
        {"key": "gateway_url", "old": "", "new": "https://tinh.example.vn/api"},
        {"key": "gateway_url", "old": "https://tinh.example.vn/api", "new": "https://tinh.example.vn/v2"}]
    assert rows[1].actor == "admin"
    assert rows[1].summary == ("Đổi Địa chỉ gửi dữ liệu (http:// hoặc https://): “https://tinh.example.vn/api” → "
                               "“https://tinh.example.vn/v2”.")
    assert audit.verify(ctx).ok


def test_the_gateway_password_is_only_shown_as_changed(ctx, on_postgres):
    settings.set_value(ctx, "password", "bi-mat-1")
    settings.set_value(ctx, "password", "bi-mat-1")  # the same password again: nothing changed
    settings.set_value(ctx, "password", "bi-mat-2")
    settings.set_value(ctx, "password", "")
    rows = settings_rows(ctx, on_postgres)
    assert [(r.detail["old"], r.detail["new"]) for r in rows] == [
        ("(chưa đặt)", "đã đổi"), ("(đã đặt)", "đã đổi"), ("(đã đặt)", "(đã xóa)")]
    text = ",".join(r[0] for r in ctx.database.execute_sql("SELECT summary || detail FROM audit_entry ORDER BY id"))
    assert "bi-mat" not in text


def test_a_refused_form_save_leaves_no_row(ctx, on_postgres):
    errors, _ = settings.set_values(ctx, {"dstcode": "ABC", "timeout": "9999"})
    assert errors and settings_rows(ctx, on_postgres) == []


def test_office_and_scan_settings_are_recorded(ctx, on_postgres):
    before = len(audit.entries(ctx))
    settings.set_value(ctx, "phone", "0237 3333 444")
    settings.set_value(ctx, "workstation", "3")
    settings.set_value(ctx, "scan_max_mb", "20")
    rows = audit.entries(ctx)[before:]
    assert [r.detail.get("key") for r in rows] == ["office.phone", None if on_postgres else "office.workstation",
                                                   "scan_max_mb"]
    if on_postgres:  # office mode: the number is this PC's, not the office row's: this PC claims 3, gives 0 back
        assert is_claim(rows[1], 3, gave_back=0)
    else:
        assert (rows[1].detail["old"], rows[1].detail["new"]) == ("0", "3")
    assert (rows[2].detail["old"], rows[2].detail["new"]) == ("50 MB", "20 MB")


def test_a_new_office_is_recorded_as_set_up(ctx):
    (first,) = audit.entries(ctx, kind="setup")  # the demo office seeded by open_app
    assert first.summary.startswith("Thiết lập cơ quan ") and "agency_id" in first.detail["office"]


def test_a_print_is_recorded_with_its_print_log_row(ctx, clerk):
    from counter.dossiers.prints import log_print
    from tests.counter.test_prints import receive  # a dossier received at the counter
    dossier = receive(ctx)
    log_print(ctx, "mau01", dossier_code=dossier.code, target="Máy in quầy 1")
    log_print(ctx, "mau01", dossier_code=dossier.code, target="/tmp/a.pdf")
    rows = audit.entries(ctx, kind="print")
    assert [r.detail["copy_no"] for r in rows] == [0, 1]
    assert rows[0].detail["dossier_code"] == dossier.code and rows[0].detail["print_log_id"] > 0
    assert "Mẫu 01" in rows[0].summary and "bản gốc" in rows[0].summary and "bản sao 1" in rows[1].summary
    assert rows[0].actor == "canbo"


def test_resuming_the_numbering_is_recorded(ctx):
    ctx.user = active_user(ctx, "admin")
    resume_numbering(ctx, none_issued=True)
    (row,) = audit.entries(ctx, kind="accept_database")
    assert row.actor == "admin" and row.detail["workstation"] == 0 and not row.detail["asked_province"]
    assert "Cấp tiếp mã hồ sơ của máy số 0" in row.summary and "xác nhận máy không cấp thêm mã" in row.summary


def test_log_in_failed_log_in_unlock_lock_and_log_out(ctx):
    user = sessions.log_in(ctx, "CanBo", "canbo123")
    with pytest.raises(AuthError):
        sessions.log_in(ctx, "canbo", "sai-mat-khau")
    with pytest.raises(AuthError):
        sessions.log_in(ctx, "khongco", "x", unlocking=True)
    sessions.lock(ctx, user, reason=sessions.IDLE)
    sessions.log_in(ctx, "canbo", "canbo123", unlocking=True)
    sessions.log_out(ctx, user)
    assert kinds(ctx)[-6:] == [("login", "canbo"), ("login_failed", "canbo"), ("login_failed", "khongco"),
                               ("lock", "canbo"), ("unlock", "canbo"), ("logout", "canbo")]
    text = ",".join(r[0] for r in ctx.database.execute_sql("SELECT summary || detail FROM audit_entry ORDER BY id"))
    assert "sai-mat-khau" not in text and "canbo123" not in text
    assert "sau thời gian không thao tác" in audit.entries(ctx, kind="lock")[0].summary
    assert audit.verify(ctx).ok


@pytest.mark.sqlite_only(reason='the copy of the SQLite file before a migration')
def test_the_backup_before_a_migration_is_recorded(tmp_path, monkeypatch):
    from counter.setup import open_app
    from db.migrations import MIGRATIONS

    class Probe:
        @staticmethod
        def apply(db):
            db.execute_sql("CREATE TABLE probe (x INTEGER)")

    ctx = open_app(tmp_path / "data")
    ctx.database.close()
    monkeypatch.setattr("db.migrate.MIGRATIONS", [*MIGRATIONS, (MIGRATIONS[-1][0] + 1, Probe)])
    ctx = open_app(tmp_path / "data")
    (row,) = audit.entries(ctx, kind="backup")
    assert row.detail["path"].endswith(".sqlite3") and (tmp_path / "data" / "backups").exists()
    assert audit.verify(ctx).ok
    ctx.database.close()
