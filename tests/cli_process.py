"""main.py's commands run inside the test process: `run_main(argv, stdin)` calls `main.main(argv)` as
`python main.py ARGV` would, with `stdin` as its standard input (not a terminal), and returns what
`subprocess.run(..., capture_output=True, text=True)` returns (returncode, stdout, stderr). A new interpreter per
command costs about 1.5 s (PySide6, reportlab): the tests of a command's output, effects and exit codes run it
here; tests/test_cli.py and the exit-code tests of tests/test_cli_bad_input.py still start main.py as a real
process (the `python main.py` entry, sys.exit of the code), as do the tests about concurrent processes.

What a process would not carry over is put back afterwards: the environment variables given, the database a
command opened is closed, the models' default database, the root logger's handlers and level (setup_logging adds
a file handler per run), the working directory (main.py runs from the repository root), and the standard
streams."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_main(argv, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`env`: variables set for the command only (a process's own environment)."""
    import cli.database
    import main
    from db.database import db

    argv = [str(a) for a in argv]
    opened = []
    real_open = cli.database.open_database

    def recording(*args, **kwargs):
        ctx = real_open(*args, **kwargs)
        opened.append(ctx)
        return ctx

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    default = db._default
    streams = sys.stdin, sys.stdout, sys.stderr
    cwd = os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    cli.database.open_database = recording
    os.chdir(ROOT)
    saved_env = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    try:
        try:
            code = main.main(argv)
        except SystemExit as e:  # argparse's usage errors (2), --help (0)
            if e.code is None or isinstance(e.code, int):
                code = e.code or 0
            else:
                print(e.code, file=sys.stderr)
                code = 1
    finally:
        os.chdir(cwd)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        cli.database.open_database = real_open
        sys.stdin, sys.stdout, sys.stderr = streams
        for ctx in opened:
            ctx.database.close()
        db.initialize(default)
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
    return subprocess.CompletedProcess(["main.py", *argv], code, out.getvalue(), err.getvalue())


def run(*args, data_dir=None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`main.py [--data-dir DATA] ARGS`, in this process: tests/test_cli.py's `run` without the new interpreter."""
    return run_main([*(["--data-dir", data_dir] if data_dir else []), *args], stdin=stdin)
