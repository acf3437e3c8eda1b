"""The support bundle (Trợ giúp → Tạo gói hỗ trợ): logs, settings without secrets, `check --json`, the About facts;
no citizen's ID-card number and no password in it."""

import json
import re
import zipfile

import pytest

from counter import records, support
from counter.dossiers import reception
from counter.errors import ValidationError
from counter.logsetup import LOG_FILE
from counter.sync import settings
from counter.version import version
from db.models import Applicant
from devtools.demo.build import add_demo_dossiers

PASSWORD = "Mật-khẩu-Tỉnh-2026"
TWELVE = re.compile(r"(?<!\d)\d{12}(?!\d)")


@pytest.fixture
def office(ctx, clerk):
    add_demo_dossiers(ctx, 40, seed=5)
    draft = records.DossierDraft(procedure_code="2.001035",
                                 applicant=records.ApplicantInput(id_number="038190001245", full_name="Trần Thị Bích"))
    reception.receive_dossier(ctx, draft)
    settings.set_value(ctx, "password", PASSWORD)
    settings.set_value(ctx, "username", "xa.quanghung")
    logs = ctx.data_dir / "logs"
    logs.mkdir(exist_ok=True)
    # An older log written before the masking, or by hand: the bundle masks again.
    (logs / LOG_FILE).write_text(f"INFO tiếp nhận 038190001245 mật khẩu {PASSWORD}\n"
                                 f"INFO gọi https://xa:{PASSWORD}@cong.example.vn/api\n", encoding="utf-8")
    (logs / (LOG_FILE + ".1")).write_text("INFO lần trước 079201009876\n", encoding="utf-8")
    with ctx.bound():
        ids = [a.id_number for a in Applicant.select() if a.id_number]
    assert len(ids) > 10 and "038190001245" in ids
    return ctx, ids


def _texts(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_the_bundle_holds_logs_settings_check_and_about_but_no_id_number_nor_password(office, tmp_path):
    ctx, ids = office
    path = support.make_bundle(ctx, tmp_path)
    assert path.parent == tmp_path and path.name.startswith("quay-mot-cua-ho-tro-") and path.suffix == ".zip"
    texts = _texts(path)
    assert set(texts) == {"README.txt", "about.json", "settings.json", "check.json",
                          f"logs/{LOG_FILE}", f"logs/{LOG_FILE}.1"}
    everything = "\n".join(texts.values())
    for number in [*ids, "079201009876"]:
        assert number not in everything
    assert not TWELVE.search(everything)
    assert PASSWORD not in everything
    assert "0381******45" in texts[f"logs/{LOG_FILE}"] and "https://********@cong.example.vn" in everything
    shown = {row["key"]: row["value"] for row in json.loads(texts["settings.json"])}
    assert shown["password"] == settings.HIDDEN and shown["username"] == "xa.quanghung"
    check = json.loads(texts["check.json"])
    assert check["ok"] is True and check["checked"]["dossiers"] == 41
    about = json.loads(texts["about.json"])
    assert about["version"] == version() and about["data_dir"] == str(ctx.data_dir)
    assert about["database_file"] == str(ctx.db_path) and about["database_engine"].startswith("SQLite 3.")


def test_a_zip_name_is_kept_and_nothing_is_left_half_written_on_failure(office, tmp_path, monkeypatch):
    ctx, _ids = office
    assert support.make_bundle(ctx, tmp_path / "gui-tinh") == tmp_path / "gui-tinh.zip"
    with pytest.raises(ValidationError, match="Không có thư mục"):
        support.make_bundle(ctx, tmp_path / "khong-co" / "x.zip")

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(support.zipfile.ZipFile, "writestr", full)
    with pytest.raises(ValidationError, match="Không ghi được gói hỗ trợ"):
        support.make_bundle(ctx, tmp_path / "day.zip")
    assert sorted(p.name for p in tmp_path.iterdir() if "zip" in p.name) == ["gui-tinh.zip"]


def test_scrub_masks_numbers_secrets_and_an_address_user():
    text = "038190001245 pw=s3cret https://u:s3cret@h.vn/x 12345 CMND 123456789"
    assert support.scrub(text, ("s3cret",)) == ("0381******45 pw=******** https://********@h.vn/x 12345 "
                                                "CMND 1234***89")


def test_the_about_lines_name_the_version_the_files_and_the_bundled_licences(ctx):
    facts = dict(support.about(ctx).lines())
    assert facts["Phiên bản"] == version() and facts["Tệp cơ sở dữ liệu"] == str(ctx.db_path)
    assert facts["Ngày dựng"].startswith("chạy từ mã nguồn") and facts["Tệp nhật ký"].endswith(LOG_FILE)
    licences = {c.name: c.licence for c in support.BUNDLED}
    assert licences["Qt 6"].startswith("LGPL") and licences["PySide6 (Qt for Python)"].startswith("LGPL")
    assert "OFL" in licences["Phông chữ Liberation Serif"] or "Open Font" in licences["Phông chữ Liberation Serif"]
