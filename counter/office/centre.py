"""Which database this PC opens, and a PC joining its centre's database (issue 20).

`open_configured` is what start-up calls (main.py, for the app and every command): the PC's local configuration
(counter.office.local_config) names the centre's PostgreSQL database → `open_office_database`, with the password
from its 0600 file and this PC's workstation number taken (counter.office.workstations.at_start); no URL (a
one-counter office, `make run`) → the SQLite file in the data folder, `open_app`, as always. A URL given for this
run (`main.py --database URL`) is opened the same way and remembered once it opened (`remember`).

`join_centre` is the set-up wizard's "Máy này dùng chung cơ sở dữ liệu của trung tâm": the server reached, the
centre's office found set up, this PC's number claimed (refused if another PC holds it), then — only then — the
URL and the password kept in this PC's configuration. Nothing is kept when any step fails.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from peewee import OperationalError as PeeweeOperationalError

from counter.clock import Clock
from counter.context import AppContext
from counter.errors import ValidationError
from counter.office import connection, local_config, workstations
from counter.office.first_run import is_set_up
from counter.office.local_config import LocalConfig, LocalConfigError
from counter.office.profile import get_office
from counter.setup import DB_FILE, open_app, open_office_database
from db.database import SQLITE_SCHEME, make_database_from_url, redact_url

log = logging.getLogger(__name__)
DEFAULT_PORT = 5432
NOT_SET_UP = ("Cơ sở dữ liệu của trung tâm chưa được thiết lập (chưa có cơ quan và quản trị viên): thiết lập trên "
              "máy đầu tiên của trung tâm trước (main.py --database ĐỊA_CHỈ setup …), rồi cho máy này tham gia.")


@dataclass(frozen=True)
class Server:
    """What the wizard asks: the server, the database and the user (the password apart)."""

    host: str
    port: int
    database: str
    user: str

    def url(self) -> str:
        """The libpq URI (no password): a host starting with / is a Unix socket folder."""
        user = quote(self.user.strip(), safe="")
        database = quote(self.database.strip(), safe="")
        host = self.host.strip()
        if host.startswith("/"):
            return f"postgresql://{user}@/{database}?{urlencode({'host': host})}"
        if ":" in host and not host.startswith("["):  # an IPv6 address
            host = f"[{host}]"
        return f"postgresql://{user}@{host}:{self.port}/{database}"

    def check(self) -> Server:
        if not self.host.strip():
            raise ValidationError("Hãy nhập địa chỉ máy chủ của trung tâm (tên máy hoặc địa chỉ IP).")
        if not 1 <= self.port <= 65535:
            raise ValidationError(f"Cổng phải từ 1 đến 65535 (đã nhập {self.port}).")
        if not self.database.strip():
            raise ValidationError("Hãy nhập tên cơ sở dữ liệu của trung tâm.")
        if not self.user.strip():
            raise ValidationError("Hãy nhập tên đăng nhập cơ sở dữ liệu.")
        return self


def sqlite_data_dir(url: str) -> Path:
    """The data folder a `sqlite:///…/quaymotcua.sqlite3` URL names (the app's file is always named so)."""
    path = Path(unquote(urlsplit(url).path)[1:])
    if path.name != DB_FILE:
        raise LocalConfigError(f"Địa chỉ “{redact_url(url)}” phải chỉ tới tệp {DB_FILE} trong thư mục dữ liệu, "
                               f"ví dụ sqlite:////home/quay/du-lieu/{DB_FILE}.")
    return path.parent


def open_configured(data_dir: Path, clock: Clock | None = None, *, url: str | None = None,
                    password: str | None = None, check_later: bool = False) -> AppContext:
    """The database this PC works on: `url` for this run when given, else its configuration's, else the SQLite
    file of `data_dir`. In office mode the password is `password` or the configuration's file, and this PC's
    workstation number is taken (None in `ctx.workstation` when it has none or another PC holds it).
    `check_later`: a SQLite file's quick_check left to the desktop app (counter.setup.open_app)."""
    config = local_config.load()
    chosen = local_config.check_url(url) if url else config.database_url
    if chosen.startswith(SQLITE_SCHEME):
        return open_app(sqlite_data_dir(chosen), clock, check_later=check_later)
    if not chosen:
        return open_app(data_dir, clock, check_later=check_later)
    if password is None and chosen == config.database_url:
        password = local_config.read_password(config)
    ctx = open_office_database(chosen, data_dir, clock, password=password)
    if chosen != config.database_url:  # another centre: this PC's number there is not the one configured
        return ctx
    workstations.at_start(ctx)
    return ctx


def remember(url: str, *, password: str | None = None, password_file: Path | None = None) -> LocalConfig:
    """Keep `url` as this PC's database (after it opened): a typed password in this PC's own 0600 file, a
    password file by its path; a URL that changed forgets the workstation number (it was the other database's)."""
    config = local_config.load()
    url = local_config.check_url(url)
    kept = config.password_file if url == config.database_url else ""
    if password is not None:
        kept = str(local_config.keep_password(password))
    elif password_file is not None:
        kept = str(local_config.check_password_file(password_file).resolve())
    workstation = config.workstation if url == config.database_url else None
    new = replace(config, database_url=url, password_file=kept if url.startswith("postgresql") else "",
                  workstation=workstation)
    if new != config:
        local_config.save(new)
        log.info("this PC's database is now %s", redact_url(url))
    return new


def join_centre(server: Server, password: str, workstation: int, data_dir: Path,
                clock: Clock | None = None) -> AppContext:
    """Join this PC to the centre's database: reach it (CentreUnreachable, one sentence, when it cannot), check it
    is set up, claim `workstation` (WorkstationTaken when another PC holds it), then keep the URL and the password
    in this PC's configuration. The open context, `ctx.workstation` set."""
    url = server.check().url()
    ctx = open_office_database(url, data_dir, clock, password=password or None)
    try:
        if not is_set_up(ctx):
            raise ValidationError(NOT_SET_UP)
        before = local_config.load()
        local_config.save(replace(before, database_url=url, password_file="", workstation=None))
        try:
            workstations.claim(ctx, workstation)
        except Exception:
            local_config.save(replace(local_config.load(), database_url=before.database_url,
                                      password_file=before.password_file, workstation=before.workstation))
            raise
        remember(url, password=password if password else None)
    except Exception:
        ctx.database.close()
        raise
    return ctx


@dataclass(frozen=True)
class ServerCheck:
    """What a connection test found: the centre's office, and the numbers other PCs hold."""

    office_name: str
    agency_id: str
    held: tuple[workstations.Holder, ...]

    def summary(self) -> str:
        taken = ", ".join(f"{h.number} ({h.machine_name})" for h in self.held) or "chưa có"
        return (f"Kết nối được cơ sở dữ liệu của trung tâm: {self.office_name} ({self.agency_id}). "
                f"Các số máy tiếp nhận đã có máy nhận: {taken}.")


def check_server(server: Server, password: str, data_dir: Path, clock: Clock | None = None) -> ServerCheck:
    """Reach the centre's database and read what a joining PC needs, writing nothing (no migration either):
    CentreUnreachable, or ValidationError when it is not a set-up centre."""
    url = server.check().url()
    database = make_database_from_url(url, password or None)
    try:
        try:
            database.connect(reuse_if_open=True)
        except PeeweeOperationalError as e:
            raise connection.explain(e, url) from None
        tables = set(database.get_tables())
        ctx = AppContext(database=database, data_dir=data_dir, clock=clock or Clock())
        if not {"office", "user"} <= tables or not is_set_up(ctx):
            raise ValidationError(NOT_SET_UP)
        office = get_office(ctx)
        held = tuple(workstations.holders(ctx)) if "workstation_claim" in tables else ()
        return ServerCheck(office.office_name, office.agency_id, held)
    finally:
        database.close()
