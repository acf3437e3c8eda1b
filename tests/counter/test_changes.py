"""What each intent says it changed (counter.changes): the screens refresh from this and nothing else."""

from dataclasses import replace
from datetime import date

import pytest

from counter.calendar.workdays import remove_calendar_day, set_calendar_day
from counter.changes import NOTHING, Changes, dossier_changed, merge
from counter.code_guard import resume_numbering
from counter.dossiers import prints, reception
from counter.dossiers.transitions import TRANSITIONS
from counter.office.profile import get_office, save_office
from counter.office.users import active_user, create_user
from counter.records import DossierDraft, GuidanceItem
from counter.scans import attachments
from counter.scans.files import set_max_file_bytes
from counter.status import Status
from counter.sync import queue, settings
from db.models import OutboxEntry
from tests.catalogue_steps import import_catalogue
from tests.counter import scan_samples as s
from tests.counter.lifecycle_steps import AN, CALLS, dossier_in, login, receive

QUEUED = {"sync_queue": True, "to_send": True}  # a change the province must hear of: the queue, and sync soon


def one(code: str) -> frozenset[str]:
    return frozenset((code,))


# The record ------------------------------------------------------------------------------------------------


def test_nothing_changed_is_falsy_and_anything_else_is_not():
    assert not Changes() and Changes() == NOTHING
    assert all(Changes(**{field: value})
               for field, value in (("dossiers", one("X")), ("scans", one("X")), ("guidance", frozenset({1})),
                                    ("sync_queue", True), ("to_send", True), ("settings", True), ("users", True),
                                    ("calendar", True), ("catalogue", True), ("print_log", True)))


def test_or_merges_every_field():
    a = Changes(dossiers=one("A"), sync_queue=True)
    b = Changes(dossiers=one("B"), scans=one("B"), settings=True)
    assert a | b == Changes(dossiers=frozenset({"A", "B"}), scans=one("B"), sync_queue=True, settings=True)
    assert a | NOTHING == a and merge([a, b]) == a | b and merge([]) == NOTHING
    with pytest.raises(TypeError):
        a | {"dossiers"}


def test_touches_names_a_dossier_by_its_record_or_its_scans():
    assert Changes(dossiers=one("A")).touches("A") and Changes(scans=one("A")).touches("A")
    assert not Changes(dossiers=one("B"), scans=one("B"), settings=True).touches("A")


def test_a_changes_record_cannot_be_altered():
    with pytest.raises(AttributeError):
        Changes().dossiers = one("A")


# Reception -------------------------------------------------------------------------------------------------


def test_receiving_and_refusing_name_the_new_dossier_and_its_queued_update(ctx, clerk):
    draft = DossierDraft(procedure_code="1.001193", applicant=AN)
    received, changes = reception.receive_dossier(ctx, draft)
    assert changes == Changes(dossiers=one(received.code), **QUEUED) == dossier_changed(received.code)
    refused, changes = reception.refuse_dossier(ctx, replace(draft, components=()), "Không thuộc thẩm quyền")
    assert changes == Changes(dossiers=one(refused.code), **QUEUED)


def test_guidance_names_the_guidance_and_no_dossier(ctx, clerk):
    guidance, changes = reception.record_guidance(ctx, "1.001193", AN, [GuidanceItem("Giấy chứng sinh", "Thiếu")],
                                                  "Thiếu giấy tờ")
    assert changes == Changes(guidance=frozenset({guidance.id}))
    assert OutboxEntry.select().count() == 0  # nothing for the province: nothing to send soon


# The lifecycle: every action, from the first status its table allows -----------------------------------------


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_lifecycle_action_names_its_dossier_and_its_queued_update(ctx, action):
    login(ctx, "lanhdao")  # a leader may do everything, the apology included
    source = min(source for source, _target in TRANSITIONS[action])
    dossier, other = dossier_in(ctx, Status(source)), receive(ctx)
    after, changes = CALLS[action](ctx, dossier.code)
    assert changes == Changes(dossiers=one(dossier.code), **QUEUED)
    assert after.code == dossier.code and not changes.touches(other.code)


# Scans -----------------------------------------------------------------------------------------------------


def test_an_attach_names_the_dossiers_scans_not_its_record(ctx, clerk, tmp_path):
    dossier = receive(ctx, "2.001035")
    scan, changes = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    assert changes == Changes(scans=one(dossier.code), **QUEUED)  # the lists of dossiers show no scans
    again, changes = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    assert again.id == scan.id and changes == NOTHING  # the same document again: nothing changed
    dated, changes = attachments.set_valid_until(ctx, dossier.code, 1, date(2030, 1, 1))
    assert dated.valid_until == date(2030, 1, 1) and changes == Changes(scans=one(dossier.code))  # nothing queued


def test_the_result_scan_and_a_reused_paper_name_their_dossiers_scans(ctx, clerk, tmp_path):
    login(ctx, "lanhdao")
    ready = dossier_in(ctx, Status.RESULT_READY)
    _, changes = attachments.attach_result(ctx, ready.code, [s.jpeg(tmp_path / "kq.jpg", s.GREEN)])
    assert changes == Changes(scans=one(ready.code), **QUEUED)
    first = receive(ctx, "2.001035")
    earlier, _ = attachments.attach_component(ctx, first.code, 1, [s.jpeg(tmp_path / "hd.jpg", s.BLUE)])
    second = receive(ctx, "2.001035")
    _, changes = attachments.reuse(ctx, second.code, 1, earlier.id)
    assert changes == Changes(scans=one(second.code), **QUEUED)


# Prints, settings, users, calendar, catalogue ------------------------------------------------------------


def test_a_print_names_the_print_log(ctx, clerk):
    dossier = receive(ctx)
    assert prints.log_print(ctx, "mau01", dossier_code=dossier.code) == (0, Changes(print_log=True))


@pytest.mark.parametrize("key, value", [("gateway_url", "https://tinh.example/api"), ("password", "bí-mật"),
                                        ("office_name", "Bộ phận Một cửa xã Quảng Hùng"), ("scan_max_mb", "20"),
                                        ("scan_max_mb", "")])
def test_each_setting_names_the_settings(ctx, key, value):
    assert settings.set_value(ctx, key, value) == Changes(settings=True)


def test_settings_saved_together_name_the_settings_and_a_refusal_names_nothing(ctx):
    assert settings.set_values(ctx, {"username": "quay", "dstcode": "H56"}) == ({}, Changes(settings=True))
    errors, changes = settings.set_values(ctx, {"username": "khac", "timeout": "0"})
    assert set(errors) == {"timeout"} and changes == NOTHING
    assert settings.load(ctx).username == "quay"  # all or nothing


def test_the_office_the_scan_limit_and_the_code_ledger_are_settings(ctx):
    assert save_office(ctx, replace(get_office(ctx), phone="0237 3861 999")) == Changes(settings=True)
    assert set_max_file_bytes(ctx, 10 * 1024 * 1024) == Changes(settings=True)
    ctx.user = active_user(ctx, "admin")
    assert resume_numbering(ctx, none_issued=True)[1] == Changes(settings=True)


def test_a_new_user_names_the_users(ctx):
    user, changes = create_user(ctx, "canbo2", "Phạm Thị Lan", "matkhau1", now=ctx.clock.now())
    assert user.username == "canbo2" and changes == Changes(users=True)


def test_calendar_edits_name_the_calendar(ctx):
    assert set_calendar_day(ctx, date(2028, 12, 30), "workday", "Làm bù", "Văn bản số 1") == Changes(calendar=True)
    assert remove_calendar_day(ctx, date(2028, 12, 30)) == Changes(calendar=True)


def test_a_catalogue_import_names_the_catalogue_only_when_a_procedure_changed(ctx):
    entry = {"code": "1.009999", "name": "Cung cấp thông tin hộ tịch theo yêu cầu", "field": "Hộ tịch",
             "time_rule": {"kind": "none"}, "fee": {"amount_vnd": 0},
             "components": [{"name": "Tờ khai", "form": "bản chính"}]}
    report, changes = import_catalogue(ctx, [entry], effective_from=date(2026, 1, 1), source="tỉnh")
    assert report.added == ("1.009999",) and changes == Changes(catalogue=True)
    report, changes = import_catalogue(ctx, [entry], effective_from=date(2026, 1, 1), source="tỉnh")
    assert report.unchanged == ("1.009999",) and changes == NOTHING


# The sync queue --------------------------------------------------------------------------------------------


def test_a_retry_names_the_queue_and_asks_for_a_sync_soon(ctx, clerk):
    receive(ctx)
    entry = OutboxEntry.select().order_by(OutboxEntry.id).first()
    assert queue.retry(ctx, entry.id) == Changes(**QUEUED)
    assert queue.retry_all(ctx) == (2, Changes(**QUEUED))  # the dossier and its first step
    OutboxEntry.update(state="synced").execute()
    assert queue.retry_all(ctx) == (0, NOTHING)
