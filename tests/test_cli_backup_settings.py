"""`main.py settings set backup_…`: the backups' settings from the command line, refused values with exit 2."""

from counter import backup_settings
from tests.cli_process import run


def test_backup_settings_set_and_shown_and_a_bad_one_refused_with_exit_2(ctx, tmp_path):
    usb = tmp_path / "usb"
    out = run("settings", "set", "backup_dir", str(usb), "--by", "admin", data_dir=ctx.data_dir)
    assert out.returncode == 0, out.stderr
    assert run("settings", "set", "backup_hours", "6", "--by", "admin", data_dir=ctx.data_dir).returncode == 0
    bad = run("settings", "set", "backup_keep_weekly", "-2", "--by", "admin", data_dir=ctx.data_dir)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "Số tuần giữ bản sao lưu phải là số nguyên từ 0 đến 104 (đã nhập “-2”)" in bad.stderr
    loaded = backup_settings.load(ctx)
    assert (loaded.second_destination, loaded.interval_hours, loaded.keep_weekly) == (usb, 6, 4)
    shown = run("settings", "show", data_dir=ctx.data_dir).stdout
    assert "Tự động sao lưu mỗi … giờ (0: tắt)" in shown and str(usb) in shown


def test_backup_without_to_also_backs_up_into_the_second_destination_or_says_it_is_missing(ctx, tmp_path):
    import json
    usb = tmp_path / "usb"
    assert run("settings", "set", "backup_dir", str(usb), "--by", "admin", data_dir=ctx.data_dir).returncode == 0
    missing = run("backup", data_dir=ctx.data_dir)  # the USB drive not plugged in: the local backup stands
    assert missing.returncode == 0 and missing.stdout.startswith("Đã sao lưu và kiểm tra: ")
    assert "không thấy thư mục" in missing.stderr and str(usb) in missing.stderr
    usb.mkdir()
    both = json.loads(run("backup", "--json", data_dir=ctx.data_dir).stdout)
    assert both["verified"] and both["second"]["verified"] and both["second"]["destination"] == str(usb)
    assert (usb / both["second"]["name"] / "manifest.json").is_file()
