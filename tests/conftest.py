"""Test set-up: Qt offscreen before any Qt import; a fresh temporary database per test; the reference provincial
server on a free loopback port for the sync, UI and CLI tests that talk to it."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# No test reaches the credential store of whoever runs the suite (counter.sync.secret): keyring's "fail" backend,
# as on a machine without one, here and in the processes the tests start; tests/sync/test_secret.py swaps in an
# in-memory store where it tests that path.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from ui.pyside_guard import pin_singletons

pin_singletons()  # PySide6 6.12.0 on Python 3.11 over-releases True/None: see ui/pyside_guard.py

from datetime import datetime  # noqa: E402

import pytest  # noqa: E402

from counter.clock import VN_TZ, FixedClock  # noqa: E402
from counter.context import AppContext  # noqa: E402
from db.database import bind, make_database  # noqa: E402
from db.migrate import migrate  # noqa: E402
from tests.pg import pg_cluster, pg_url  # noqa: E402, F401  (the throwaway PostgreSQL: tests/pg.py)

CREDENTIALS = ("quay", "matkhau")  # the reference provincial server's log-in in the tests


def at(text: str) -> datetime:
    """'2026-02-13 10:00' → aware Vietnam time."""
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@pytest.fixture(autouse=True, scope="session")
def no_user_data_dir(tmp_path_factory):
    """No test reaches the real data directory of whoever runs the suite: the default one (platformdirs, on
    Linux under XDG_DATA_HOME) points into this worker's temporary folder, here and in the processes it starts."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def machine_dir(tmp_path_factory, monkeypatch):
    """Each test is a PC of its own: the code ledger that outlives data folders (counter.office.code_ledger) is
    the test's, here and in the processes it starts."""
    folder = tmp_path_factory.mktemp("machine")
    monkeypatch.setenv("QMC_MACHINE_DIR", str(folder))
    return folder


@pytest.fixture
def database(tmp_path):
    """A migrated, empty database file of its own, bound as the app's database."""
    path = tmp_path / "data" / "quaymotcua.sqlite3"
    path.parent.mkdir(parents=True)
    database = bind(make_database(path))
    migrate(database, path)
    yield database
    database.close()


@pytest.fixture
def clock():
    return FixedClock(at("2026-02-13 10:00"))  # a Friday


@pytest.fixture
def bare_ctx(database, tmp_path, clock):
    """A context over an empty migrated database (no office, catalogue or calendar)."""
    return AppContext(database=database, data_dir=tmp_path / "data", clock=clock)


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch):
    """Argon2 at production cost takes ~0.15 s per hash and every fresh app hashes three demo passwords:
    tests hash cheaply (the real cost is exercised by the log-in tests through the same code)."""
    from argon2 import PasswordHasher

    from counter.office import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def ctx(tmp_path, clock):
    """A context over a fresh app database: catalogue, calendar, and the demo office and users (`seed_demo`)."""
    from counter.setup import open_demo

    context = open_demo(tmp_path / "data", clock=clock)
    yield context
    context.database.close()


def demo_data_dir(path):
    """`path` as a data folder whose database is the demo office (`seed_demo`), for tests that run main.py."""
    from counter.setup import open_demo

    open_demo(path).database.close()
    return path


@pytest.fixture
def province_credentials():
    """The log-in `province` accepts; a module overrides this fixture to try another password."""
    return CREDENTIALS


@pytest.fixture
def province_dialect():
    """The dialect `province` speaks; tests/sync runs every test in both (its conftest overrides this)."""
    return "opencps"


@pytest.fixture
def province(tmp_path, province_credentials, province_dialect):
    """The reference provincial server over a database of its own, on a port the system picks (no collision
    between tests running side by side)."""
    from devtools.provincial_server import ProvincialServer

    with ProvincialServer(str(tmp_path / "province.sqlite3"), credentials=province_credentials,
                          dialect=province_dialect) as server:
        yield server


@pytest.fixture
def clerk(ctx):
    from counter.office.users import authenticate

    ctx.user = authenticate(ctx, "canbo", "canbo123")
    return ctx.user
