"""Backups' settings and schedule (issue 18): the second destination, the interval, the rotation counts; what is
due, `backup_all`, and the status the screens show."""

import shutil
from datetime import timedelta

import pytest

from counter import backup_schedule, backup_settings, backups
from counter.errors import ValidationError
from counter.sync import settings
from counter.text import age_text
from tests.counter.test_backups import SERIES, receive

pytestmark = pytest.mark.sqlite_only(reason="the SQLite file's own backups and their schedule (office mode's pg_dump "
                                            "backups: tests/db/test_pg_backups.py)")


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def test_the_defaults_are_4_hours_and_7_4_12(ctx):
    loaded = backup_settings.load(ctx)
    assert (loaded.second_destination, loaded.interval_hours) == (None, 4)
    assert (loaded.keep_daily, loaded.keep_weekly, loaded.keep_monthly) == (7, 4, 12)


def test_settings_set_through_the_office_settings_and_shown(ctx, usb):
    settings.set_value(ctx, "backup_dir", str(usb))
    settings.set_value(ctx, "backup_hours", "0")
    settings.set_value(ctx, "backup_keep_daily", "3")
    loaded = backup_settings.load(ctx)
    assert (loaded.second_destination, loaded.interval_hours, loaded.keep_daily) == (usb, 0, 3)
    shown = {key: value for key, _label, value in settings.shown(ctx)}
    assert shown["backup_dir"] == str(usb) and shown["backup_hours"] == "0"
    assert shown["backup_keep_weekly"] == "4 (mặc định)"
    assert settings.editable(ctx)["backup_keep_monthly"] == ("", "12 (mặc định)")
    settings.set_value(ctx, "backup_hours", "")  # empty: the default again
    assert backup_settings.load(ctx).interval_hours == 4


@pytest.mark.parametrize(("key", "value", "says"), [
    ("backup_hours", "-1", "từ 0 đến 168"),
    ("backup_hours", "200", "từ 0 đến 168"),
    ("backup_hours", "٤", "từ 0 đến 168"),  # an Arabic-Indic four
    ("backup_keep_daily", "0", "từ 1 đến 366"),
    ("backup_keep_monthly", "mười", "từ 0 đến 120"),
    ("backup_dir", "SaoLuu", "đường dẫn đầy đủ"),
])
def test_a_bad_value_is_refused_in_vietnamese_and_not_stored(ctx, key, value, says):
    with pytest.raises(ValidationError, match=says):
        settings.set_value(ctx, key, value)
    assert backup_settings.shown(ctx)[key] == ""


def test_the_second_destination_may_not_be_in_the_data_folder_nor_a_file(ctx, tmp_path):
    with pytest.raises(ValidationError, match="nằm trong thư mục dữ liệu"):
        settings.set_value(ctx, "backup_dir", str(ctx.data_dir / "usb"))
    file = tmp_path / "a-file"
    file.write_text("x")
    with pytest.raises(ValidationError, match="là một tệp"):
        settings.set_value(ctx, "backup_dir", str(file))


def test_a_change_is_in_the_audit_log(ctx):
    from counter import audit
    settings.set_value(ctx, "backup_hours", "6")
    assert "Tự động sao lưu mỗi … giờ (0: tắt)" in audit.entries(ctx)[-1].summary


def test_rotation_takes_the_counts_from_the_settings(ctx, clerk, clock):
    settings.set_value(ctx, "backup_keep_daily", "2")
    settings.set_value(ctx, "backup_keep_weekly", "0")
    settings.set_value(ctx, "backup_keep_monthly", "0")
    for _ in range(4):
        backups.make_backup(ctx)
        clock.advance(days=1)
    assert len(backups.backups_in(backups.default_destination(ctx), SERIES)) == 2


def test_with_no_backup_one_is_due_now_and_the_board_warns(ctx):
    current = backup_schedule.status(ctx)
    assert current.last is None and current.stale and current.next_at == current.now
    assert backup_schedule.is_due(ctx)
    assert current.warnings() == ["Chưa có bản sao lưu nào đã kiểm tra: hãy bấm “Sao lưu ngay” ở trang Quản trị."]


def test_backup_all_local_only_then_the_next_is_4_hours_later(ctx, clerk, clock):
    run = backup_schedule.backup_all(ctx)
    assert run.ok and [o.kind for o in run.outcomes] == ["local"]
    current = backup_schedule.status(ctx)
    local = current.destinations[0]
    assert local.present and local.last is not None and local.last.size > 0
    assert local.last.at == clock.now() and current.next_at == clock.now() + timedelta(hours=4)
    assert not backup_schedule.is_due(ctx) and current.warnings() == []
    clock.advance(hours=4)
    assert backup_schedule.is_due(ctx)


def test_an_interval_of_0_is_never_due(ctx):
    settings.set_value(ctx, "backup_hours", "0")
    assert backup_schedule.status(ctx).next_at is None and not backup_schedule.is_due(ctx)


def test_older_than_two_days_is_a_warning(ctx, clerk, clock):
    backup_schedule.backup_all(ctx)
    clock.advance(days=2)
    assert not backup_schedule.status(ctx).stale
    clock.advance(minutes=1)
    current = backup_schedule.status(ctx)
    assert current.stale
    assert current.warnings()[0].startswith("Bản sao lưu đã kiểm tra gần nhất đã cũ 2 ngày (lúc 10:00 13/02/2026)")


def test_both_destinations_when_the_usb_is_plugged_in(ctx, clerk, usb):
    receive(ctx, 1)
    settings.set_value(ctx, "backup_dir", str(usb))
    run = backup_schedule.backup_all(ctx)
    assert run.ok and [o.kind for o in run.outcomes] == ["local", "second"]
    assert len(backups.backups_in(usb, SERIES)) == 1
    assert "Thư mục thứ hai: đã sao lưu và kiểm tra" in run.summary()
    current = backup_schedule.status(ctx)
    assert [d.last is not None for d in current.destinations] == [True, True]
    assert current.second_missing is None


def test_a_missing_usb_is_reported_and_the_local_backup_kept(ctx, clerk, usb):
    settings.set_value(ctx, "backup_dir", str(usb))
    usb.rmdir()  # unplugged
    run = backup_schedule.backup_all(ctx)
    local, second = run.outcomes
    assert local.ok and second.missing and not run.ok
    assert "ổ USB chưa cắm" in second.sentence()
    assert len(backups.backups_in(backups.default_destination(ctx), SERIES)) == 1
    current = backup_schedule.status(ctx)
    assert current.second_missing is not None and not current.stale
    assert current.warnings() == [f"Không thấy thư mục sao lưu thứ hai “{usb}” (ổ USB chưa cắm hoặc ổ mạng chưa "
                                  "kết nối): chỉ sao lưu được trong máy."]


def test_a_full_second_destination_does_not_stop_the_local_one(ctx, clerk, usb, monkeypatch):
    settings.set_value(ctx, "backup_dir", str(usb))
    real = backups.make_backup

    def full_usb(ctx, destination=None):  # the write layer says ENOSPC on the USB drive only
        if destination == usb:
            raise backups.BackupError("Ổ đĩa đã đầy: không ghi được bản sao lưu.")
        return real(ctx, destination)

    monkeypatch.setattr(backups, "make_backup", full_usb)
    run = backup_schedule.backup_all(ctx)
    local, second = run.outcomes
    assert local.ok and second.record is None and not run.ok
    assert second.sentence() == "Thư mục thứ hai: Ổ đĩa đã đầy: không ghi được bản sao lưu."


def test_a_failed_backup_newer_than_the_last_verified_one_is_a_warning(ctx, clerk, clock):
    record = backups.make_backup(ctx)
    clock.advance(days=1)  # the next day: rotation keeps the first
    later = backups.make_backup(ctx)
    shutil.move(later.path, later.path.with_name(later.name + backups.FAILED_SUFFIX))
    current = backup_schedule.status(ctx)
    assert current.destinations[0].last is not None and current.destinations[0].last.name == record.name
    assert current.warnings() == [f"Bản sao lưu {later.name}-failed (trong máy) không đạt kiểm tra."]


def test_sizes_and_ages_read_in_vietnamese():
    assert backup_schedule.size_text(5_400_000) == "5,1 MB"
    assert backup_schedule.size_text(1536) == "2 KB"
    assert backup_schedule.size_text(30 * 1024 ** 3) == "30 GB"
    assert age_text(timedelta(hours=3, minutes=5)) == "3 giờ"
    assert age_text(timedelta(days=3)) == "3 ngày"
