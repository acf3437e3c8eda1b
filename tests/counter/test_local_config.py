"""This PC's configuration file (counter.office.local_config): written whole, 0600, a damaged one said in one
Vietnamese sentence, a password never in a URL and only in a file its owner alone reads."""

import json
import os
import stat

import pytest

from counter.office import local_config
from counter.office.local_config import LocalConfig, LocalConfigError


def test_without_a_file_the_pc_uses_the_sqlite_file_of_its_data_folder(machine_dir):
    config = local_config.load()
    assert config == LocalConfig() and not config.office_mode and config.workstation is None
    assert not (machine_dir / local_config.FILE_NAME).exists()  # reading writes nothing


def test_the_file_is_written_whole_and_readable_only_by_its_owner(machine_dir):
    saved = local_config.save(LocalConfig(database_url="postgresql://quay@10.0.0.5:5432/motcua", workstation=3))
    path = machine_dir / local_config.FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text(encoding="utf-8"))["workstation"] == 3
    assert local_config.load() == saved and saved.office_mode
    assert [p.name for p in machine_dir.iterdir()] == [local_config.FILE_NAME]  # no temporary file left


def test_a_failed_write_leaves_the_previous_file_as_it_was(machine_dir, monkeypatch):
    local_config.save(LocalConfig(workstation=1))

    def full(*_args):
        raise OSError(28, "No space left on device")
    with monkeypatch.context() as patch, pytest.raises(LocalConfigError, match="Không ghi được tệp cấu hình"):
        patch.setattr(os, "replace", full)
        local_config.save(LocalConfig(workstation=2))
    assert local_config.load().workstation == 1
    assert [p.name for p in machine_dir.iterdir()] == [local_config.FILE_NAME]


@pytest.mark.parametrize("text, why", [
    ("{not json", "bị hỏng"),
    ("[1, 2]", "bị hỏng"),
    ('{"workstation": 12}', "không phải một số từ 0 đến 9"),
    ('{"workstation": "3"}', "không phải một số từ 0 đến 9"),
    ('{"database_url": 5}', "phải là một chuỗi"),
    ('{"database_url": "mysql://x@y/z"}', "phải bắt đầu bằng postgresql://"),
])
def test_a_damaged_file_is_said_plainly_never_replaced(machine_dir, text, why):
    (machine_dir / local_config.FILE_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(LocalConfigError, match=why) as caught:
        local_config.load()
    assert str(machine_dir / local_config.FILE_NAME) in str(caught.value)
    assert (machine_dir / local_config.FILE_NAME).read_text(encoding="utf-8") == text


def test_the_machine_id_is_made_once(machine_dir):
    first = local_config.with_machine_id(local_config.load())
    assert len(first.machine_id) == 36 and first.machine_name
    assert local_config.with_machine_id(local_config.load()) == first


@pytest.mark.parametrize("url", ["postgresql://quay:bi-mat@10.0.0.5/motcua",
                                 "postgresql://quay@10.0.0.5/motcua?password=bi-mat"])
def test_a_url_with_a_password_is_refused_without_showing_it(url):
    with pytest.raises(LocalConfigError, match="có mật khẩu") as caught:
        local_config.check_url(url)
    assert "bi-mat" not in str(caught.value) and "--database-password-stdin" in str(caught.value)


def test_a_password_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "mat-khau"
    path.write_text("bi-mat\n", encoding="utf-8")
    path.chmod(0o644)
    with pytest.raises(LocalConfigError, match="chmod 600") as caught:
        local_config.read_password(LocalConfig(password_file=str(path)))
    assert "bi-mat" not in str(caught.value)
    path.chmod(0o600)
    assert local_config.read_password(LocalConfig(password_file=str(path))) == "bi-mat"
    with pytest.raises(LocalConfigError, match="Không đọc được tệp mật khẩu"):
        local_config.read_password(LocalConfig(password_file=str(tmp_path / "khong-co")))


def test_a_kept_password_is_0600_and_shown_only_as_stars(machine_dir):
    path = local_config.keep_password("bi-mat")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.parent == machine_dir
    config = LocalConfig(database_url="postgresql://quay@server/motcua", password_file=str(path))
    assert local_config.read_password(config) == "bi-mat"
    shown = " ".join(value for _key, _label, value in local_config.shown(config))
    assert "bi-mat" not in shown and "********" in shown and "postgresql://quay@server/motcua" in shown


def test_the_wizards_server_makes_a_url_without_password():
    from counter.office.centre import Server

    assert Server("192.168.1.10", 5432, "motcua", "quay").url() == "postgresql://quay@192.168.1.10:5432/motcua"
    assert Server("fe80::1", 5433, "mot cua", "quay").url() == "postgresql://quay@[fe80::1]:5433/mot%20cua"
    assert Server("/run/postgresql", 5432, "motcua", "quay").url() == (
        "postgresql://quay@/motcua?host=%2Frun%2Fpostgresql")
    from counter.errors import ValidationError
    with pytest.raises(ValidationError, match="tên cơ sở dữ liệu"):
        Server("may-chu", 5432, " ", "quay").check()
