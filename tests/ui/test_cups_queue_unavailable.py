"""Where no print queue can be had, the CUPS test says why: a failure under CI=true, a skip elsewhere."""

import pytest

from tests.ui import cups_queue


@pytest.fixture
def no_scheduler_and_not_root(monkeypatch):
    monkeypatch.setattr(cups_queue, "scheduler_running", lambda: False)
    monkeypatch.setattr(cups_queue.os, "geteuid", lambda: 1000)


def test_under_ci_a_missing_scheduler_fails_with_the_reason(no_scheduler_and_not_root, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no CUPS scheduler answers and only root can start one"):
        cups_queue.ensure_scheduler()


def test_elsewhere_it_is_skipped_with_the_reason(no_scheduler_and_not_root, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no CUPS scheduler answers"):
        cups_queue.ensure_scheduler()


def test_a_missing_tool_names_the_script_that_installs_it(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(cups_queue.shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(pytest.fail.Exception, match=r"pdftoppm is not installed .*install-system-deps\.sh"):
        cups_queue.tool("pdftoppm")
