"""The reference provincial server in a process of its own, for benchmarks that measure the app's GUI thread.

In the test's own process (the `province` fixture: a thread) the server's Python work, parsing and storing each
call, takes turns on the interpreter lock with the app's GUI thread; a real province is another machine and never
does. Started as `python -m devtools.provincial_server --port 0` on loopback, its address read from its first line.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from devtools.provincial_server.server import office_settings
from tests.conftest import CREDENTIALS

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 20


class ProvinceProcess:
    def __init__(self, folder: Path, *, dialect: str = "opencps") -> None:
        self.folder, self.dialect = folder, dialect
        self.url = ""
        self._process: subprocess.Popen | None = None

    def office_settings(self, *, password: str | None = None, timeout: str = "5") -> dict[str, str]:
        user, accepted = CREDENTIALS
        return office_settings(self.url, self.dialect, credentials=(user, accepted if password is None else password),
                               timeout=timeout)

    def __enter__(self) -> ProvinceProcess:
        said = self.folder / "province.out"
        with said.open("w", encoding="utf-8") as out:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "devtools.provincial_server", "--db", str(self.folder / "province.sqlite3"),
                 "--port", "0", "--dialect", self.dialect, "--credentials", ":".join(CREDENTIALS)],
                cwd=ROOT, stdout=out, stderr=subprocess.DEVNULL)
        self.url = self._wait_for_address(said)
        return self

    def _wait_for_address(self, said: Path) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            first = said.read_text(encoding="utf-8").partition("\n")[0]
            if first.startswith("provincial server on "):
                return first.split()[3]
            if self._process is not None and self._process.poll() is not None:
                break
            time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"the provincial server did not start: {said.read_text(encoding='utf-8')!r}")

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)
            self._process = None
