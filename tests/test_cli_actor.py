"""Command-line actions record who did them: `--by USER` or the workstation's configured user; never no one."""

import json

import pytest

from counter.office import acting
from db.models import DossierHistory, PrintLog, User
from tests.cli_process import run

RECEIVE = ("receive", "--procedure", "1.004873", "--applicant-name", "Trần Thị Bích", "--id-number", "001190000001",
           "--received", "2026-02-13T10:00", "--json")


def history_actors(ctx, code: str) -> list[str]:
    return [h.actor.username for h in DossierHistory.select().join_from(DossierHistory, User)
            if h.dossier.code == code]


def test_without_by_or_a_workstation_user_an_action_is_refused_and_nothing_is_written(ctx):
    out = run(*RECEIVE, data_dir=ctx.data_dir)
    assert out.returncode == 2 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    assert "Chưa biết ai thực hiện" in out.stderr and "--by" in out.stderr and "workstation_user" in out.stderr
    assert DossierHistory.select().count() == 0
    assert run("accept-database", data_dir=ctx.data_dir).returncode == 2
    assert run("settings", "set", "timeout", "20", data_dir=ctx.data_dir).returncode == 2


def test_by_names_the_actor_of_the_history_row_and_the_print(ctx, tmp_path):
    out = run(*RECEIVE, "--by", "canbo", data_dir=ctx.data_dir)
    assert out.returncode == 0, out.stderr
    code = json.loads(out.stdout)["code"]
    assert history_actors(ctx, code) == ["canbo"]
    shown = json.loads(run("show", code, "--json", data_dir=ctx.data_dir).stdout)
    assert [h["actor"] for h in shown["history"]] == ["Nguyễn Thị Hoa"]
    assert run("receipt", code, "--out", str(tmp_path / "r.pdf"), "--by", "lanhdao", data_dir=ctx.data_dir) \
        .returncode == 0
    assert [p.user.username for p in PrintLog.select()] == ["lanhdao"]


def test_the_workstation_user_is_used_unless_by_says_otherwise(ctx):
    configured = run("settings", "set", "workstation_user", "canbo", "--by", "admin", data_dir=ctx.data_dir)
    assert configured.returncode == 0, configured.stderr
    assert acting.workstation_user(ctx) == "canbo"
    assert "canbo" in run("settings", "show", data_dir=ctx.data_dir).stdout
    first = json.loads(run(*RECEIVE, data_dir=ctx.data_dir).stdout)["code"]
    second = json.loads(run(*RECEIVE, "--by", "lanhdao", data_dir=ctx.data_dir).stdout)["code"]
    assert (history_actors(ctx, first), history_actors(ctx, second)) == (["canbo"], ["lanhdao"])


@pytest.mark.parametrize("args, says", [
    (("--by", "khong-co"), "khong-co” (từ --by)"),
    ((), "canbo” (từ workstation_user, người dùng của máy)"),  # configured, then disabled
])
def test_a_user_who_is_not_active_cannot_act(ctx, args, says):
    acting.set_workstation_user(ctx, "canbo")
    User.update(active=False).where(User.username == "canbo").execute()
    out = run(*RECEIVE, *args, data_dir=ctx.data_dir)
    assert out.returncode == 2 and says in out.stderr and DossierHistory.select().count() == 0


def test_only_an_active_user_can_be_the_workstation_user(ctx):
    out = run("settings", "set", "workstation_user", "ai-do", "--by", "admin", data_dir=ctx.data_dir)
    assert out.returncode == 2 and "ai-do" in out.stderr and acting.workstation_user(ctx) == ""
    acting.set_workstation_user(ctx, " CanBo ")
    assert acting.workstation_user(ctx) == "canbo"
    acting.set_workstation_user(ctx, "")
    assert acting.workstation_user(ctx) == ""
    with pytest.raises(acting.NoActingUser):
        acting.acting_user(ctx, None)
    assert acting.acting_user(ctx, "lanhdao").username == "lanhdao"
