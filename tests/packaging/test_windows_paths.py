"""The Windows-only code paths that can run here (packaging/windows/README.md lists them and what cannot): the sync
lock's msvcrt branch against a stand-in msvcrt, and the data and machine folders under platformdirs' Windows
rules (environment variables standing in for the Known Folders)."""

import sys
import types

import platformdirs
import platformdirs.windows
import pytest

from counter.office import code_ledger
from counter.setup import default_data_dir
from counter.sync import lock

LOCAL, ROAMING = r"C:\Users\an\AppData\Local", r"C:\Users\an\AppData\Roaming"


@pytest.fixture
def windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "_RESOLVE_WIN_FOLDER", platformdirs.windows.get_win_folder_from_env_vars)
    monkeypatch.setenv("LOCALAPPDATA", LOCAL)
    monkeypatch.setenv("APPDATA", ROAMING)
    monkeypatch.delenv("QMC_MACHINE_DIR", raising=False)


def test_the_data_folder_is_the_local_app_data_one_and_the_ledger_the_roaming_one(windows):
    data, machine = str(default_data_dir()), str(code_ledger.machine_dir())
    assert data.replace("\\", "/") == LOCAL.replace("\\", "/") + "/quay-mot-cua"
    assert machine.replace("\\", "/") == ROAMING.replace("\\", "/") + "/quay-mot-cua"
    assert data != machine  # a data folder restored or replaced never takes this PC's code ledger with it


class StandInMsvcrt(types.ModuleType):
    """msvcrt.locking as Windows behaves for one process: a byte locked with LK_NBLCK refuses a second lock."""

    LK_NBLCK = 2

    def __init__(self):
        super().__init__("msvcrt")
        self.calls, self.locked = [], set()

    def locking(self, fd, mode, nbytes):
        import os
        self.calls.append((mode, nbytes))
        key = os.fstat(fd).st_ino
        if key in self.locked:
            raise OSError(36, "Resource deadlock avoided")
        self.locked.add(key)


def test_the_sync_lock_takes_msvcrt_locking_on_windows_and_a_second_sync_is_refused(monkeypatch, tmp_path):
    stand_in = StandInMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", stand_in)
    monkeypatch.setattr(sys, "platform", "win32")
    with lock.sync_lock(tmp_path), pytest.raises(lock.SyncBusy, match="Đang có một lượt đồng bộ khác"), \
            lock.sync_lock(tmp_path):
        pass
    assert stand_in.calls == [(StandInMsvcrt.LK_NBLCK, 1), (StandInMsvcrt.LK_NBLCK, 1)]
