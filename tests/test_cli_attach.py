"""`main.py attach` and the attachments in `show --json`, run as real processes."""

import hashlib
import json

import pytest

from tests.cli_process import run
from tests.conftest import demo_data_dir
from tests.counter import scan_samples as s


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return demo_data_dir(tmp_path_factory.mktemp("cli-attach") / "data")


@pytest.fixture(scope="module")
def code(data_dir):
    """A dossier received from the command line on a workstation whose configured user is canbo: the commands
    below name no --by unless they test it."""
    configured = run("settings", "set", "workstation_user", "canbo", "--by", "admin", data_dir=data_dir)
    assert configured.returncode == 0, configured.stderr
    out = run("receive", "--procedure", "2.001035", "--applicant-name", "Đỗ Thị Hoa", "--id-number", "001190000004",
              "--received", "2026-02-13T10:00", "--json", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["code"]


def test_attach_then_show_lists_the_sha256(data_dir, code, tmp_path):
    pages = [s.jpeg(tmp_path / "trang-1.jpg", s.RED), s.pdf(tmp_path / "trang-2-3.pdf", [s.GREEN, s.BLUE])]
    out = run("attach", code, *map(str, pages), "--component", "giấy tờ tùy thân", "--json", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    attached = json.loads(out.stdout)
    stored = data_dir / attached["path"]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == attached["sha256"]
    assert (attached["component_position"], attached["pages"]) == (2, 3)
    assert s.colours_match(s.page_colours(stored.read_bytes()), [s.RED, s.GREEN, s.BLUE])

    plain = run("attach", code, str(s.jpeg(tmp_path / "du-thao.jpg", s.YELLOW)), data_dir=data_dir)
    assert plain.returncode == 0 and "1 trang  Dự thảo hợp đồng, giao dịch" in plain.stdout  # first undigitised

    shown = json.loads(run("show", code, "--json", data_dir=data_dir).stdout)
    assert [(a["component_position"], a["pages"]) for a in shown["attachments"]] == [(1, 1), (2, 3)]
    assert shown["attachments"][1]["sha256"] == attached["sha256"]


@pytest.mark.parametrize("kind", ["empty", "text", "truncated_jpeg", "password_pdf", "missing"])
def test_a_bad_file_exits_2_with_one_line_naming_it(data_dir, code, tmp_path, kind):
    bad = s.bad_files(tmp_path)[kind]
    before = json.loads(run("show", code, "--json", data_dir=data_dir).stdout)["attachments"]
    out = run("attach", code, str(bad), "--component", "3", data_dir=data_dir)
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and bad.name in out.stderr
    assert json.loads(run("show", code, "--json", data_dir=data_dir).stdout)["attachments"] == before


def test_bad_targets_exit_2(data_dir, code, tmp_path):
    page = str(s.jpeg(tmp_path / "a.jpg", s.RED))
    for args in ([code, page, "--component", "sổ hộ khẩu"], [code, page, "--result"],
                 ["000.00.06.H56-260213-0999", page], [code]):
        out = run("attach", *args, data_dir=data_dir)
        assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, (args, out.stderr)


def test_attach_records_who_digitised_until_when_it_is_valid_and_can_add_pages(data_dir, code, tmp_path):
    first = run("attach", code, str(s.jpeg(tmp_path / "cam-ket-1.jpg", s.RED)), "--component", "3", "--by", "canbo",
                "--valid-until", "31/12/2030", "--json", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    attached = json.loads(first.stdout)
    assert attached["digitised_by"] == "Nguyễn Thị Hoa" and attached["valid_until"] == "2030-12-31"
    more = run("attach", code, str(s.jpeg(tmp_path / "cam-ket-2.jpg", s.GREEN)), "--component", "3", "--add-pages",
               "--json", data_dir=data_dir)
    assert more.returncode == 0, more.stderr
    assert json.loads(more.stdout)["pages"] == 2


@pytest.mark.parametrize("args, says", [
    (["--by", "khong-co"], "khong-co"),
    (["--valid-until", "31/02/2030"], "Ngày “31/02/2030” không hợp lệ"),
    (["--result", "--add-pages"], "--add-pages"),
])
def test_attach_options_checked_with_one_line(data_dir, code, tmp_path, args, says):
    out = run("attach", code, str(s.jpeg(tmp_path / "x.jpg", s.RED)), *args, data_dir=data_dir)
    assert out.returncode == 2 and says in out.stderr and len(out.stderr.strip().splitlines()) == 1
