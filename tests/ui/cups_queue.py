"""A real CUPS print queue for tests: the cups-pdf virtual printer, writing each job as a PDF into a folder.

`cups_pdf_queue` starts the CUPS scheduler if none answers (as root; `make test` installs CUPS through
scripts/install-system-deps.sh), and adds a queue of its own for this test worker (pytest-xdist runs two side by
side), writing into a folder of its own through a cups-pdf instance (`cups-pdf:/NAME` reads
/etc/cups/cups-pdf-NAME.conf). Where that cannot be done the tests fail with the reason under CI=true and are
skipped with it otherwise: never a silent skip in CI.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

TOOLS = ("cupsd", "lpadmin", "lpinfo", "lpstat", "cupsenable", "cupsdisable", "cupsaccept", "cupsreject",
         "pdftoppm", "pdftotext")
CUPS_CONF = Path("/etc/cups")
LOCK = Path("/tmp/qmc-cups-tests.lock")  # workers add and remove queues one at a time
WAIT = 15.0  # seconds for the scheduler to answer, or a job's PDF to appear


def unavailable(reason: str) -> None:
    """Fail under CI (the machine is meant to print), skip elsewhere; either way with the reason."""
    reason = f"CUPS print test: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if path is None:
        unavailable(f"{name} is not installed (run scripts/install-system-deps.sh, which `make test` does)")
    return str(path)


def run(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([tool(command[0]), *command[1:]], capture_output=True, text=True, timeout=WAIT,
                          check=False, env={**os.environ, "LC_ALL": "C", "LANG": "C"})
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def scheduler_running() -> bool:
    return "scheduler is running" in run("lpstat", "-r", check=False).stdout


def ensure_scheduler() -> None:
    """A CUPS scheduler that answers: the one already running, else one started here (as root), left running
    like `service cups start` would (the other worker may be printing through it)."""
    if scheduler_running():
        return
    if os.geteuid() != 0:
        unavailable("no CUPS scheduler answers and only root can start one (`sudo service cups start`)")
    subprocess.run([tool("cupsd")], check=True, timeout=WAIT)  # forks into the background
    deadline = time.monotonic() + WAIT
    while not scheduler_running():
        if time.monotonic() > deadline:
            unavailable(f"cupsd started but did not answer within {WAIT:.0f} s (see /var/log/cups/error_log)")
        time.sleep(0.2)


def cups_pdf_model() -> str:
    """The cups-pdf PPD as lpinfo names it (lsb/usr/cups-pdf/CUPS-PDF_opt.ppd on Debian and Ubuntu)."""
    models = [line.split()[0] for line in run("lpinfo", "-m").stdout.splitlines() if "cups-pdf" in line.lower()]
    if not models:
        unavailable("lpinfo lists no cups-pdf driver (install printer-driver-cups-pdf)")
    return next((m for m in models if m.endswith("_opt.ppd")), models[0])


@dataclass
class Queue:
    name: str
    out: Path  # where cups-pdf writes each job

    def pdfs(self) -> set[Path]:
        return set(self.out.glob("*.pdf"))

    def jobs_waiting(self) -> str:
        return run("lpstat", "-o", self.name, check=False).stdout.strip()

    def wait_for_pdf(self, before: set[Path]) -> Path:
        """The PDF of the job just sent, once CUPS has finished it."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            new = self.pdfs() - before
            if new and not self.jobs_waiting():
                path = new.pop()
                if path.stat().st_size > 0:
                    return path
            time.sleep(0.2)
        raise AssertionError(f"no PDF from {self.name} in {self.out} after {WAIT:.0f} s; waiting: "
                             f"{self.jobs_waiting() or 'none'}; see /var/log/cups/cups-pdf-{self.name}_log")


def add_queue(name: str, out: Path) -> Queue:
    """A cups-pdf queue `name`, enabled and accepting jobs, writing into `out`."""
    if os.geteuid() != 0:
        unavailable("adding a cups-pdf queue with a folder of its own needs root (writes /etc/cups)")
    out.mkdir(parents=True, exist_ok=True)
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ensure_scheduler()
        (CUPS_CONF / f"cups-pdf-{name}.conf").write_text(
            f"Out {out}\nAnonDirName {out}\nLabel 0\nGrp lpadmin\n", encoding="utf-8")
        run("lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{name}", "-m", cups_pdf_model())
    return Queue(name, out)


def remove_queue(name: str) -> None:
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run("lpadmin", "-x", name, check=False)
        (CUPS_CONF / f"cups-pdf-{name}.conf").unlink(missing_ok=True)


def worker_queue_name(base: str) -> str:
    return f"{base}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
