"""`office join`: a counter that worked alone on its SQLite file moves its data into the centre's PostgreSQL database.

One PostgreSQL transaction (all or nothing). Table by table, what merging means when the centre already holds other
counters' data (`POLICY` names every table; a test checks none is forgotten):

- the centre's own rows — office profile, calendar, catalogue, settings — are the centre's: the target's are kept;
  an office profile, a setting (but the sealed sync password), a procedure or a version the centre lacks is added;
  every difference is reported;
- users are merged by user name (the same name is the same person: the centre's row is kept, ids mapped);
  applicants by ID number, stored files (scans' rows) by SHA-256, the same way;
- dossiers are appended with new ids, and with them everything that is theirs (papers, fees, history, outbox
  entries, pauses, result, return, rating, apology, stop notice, attachments, print log); a dossier whose code the
  centre already holds is skipped when identical or gone further at the centre (all of this counter's steps, and
  newer), so a second run moves nothing; refused and named in the report when it changed here since it moved, or
  when it is another dossier under that code (no step in common) — never overwritten;
- code counters per agency, day and workstation, and register counters per book, stand at the higher of the two
  (codes and register numbers stay unique: m0019's index is on book + workstation + number);
- the audit log is continued: the counter's rows are appended to the centre's chain (re-hashed in it), each with
  the hash it had in the counter's chain, which is how a second run knows them.

Ids are never copied (every row inserted gets the target's next SERIAL id), so no sequence needs setting.

The whole join is refused (a ValidationError, exit 2 on the command line) when the target is not PostgreSQL, when the
two databases are not at the same schema version, when a demonstration's database would enter a real office's, when
the centre registered the counter's number to another PC, or
when another machine issued codes from this counter's block on a day this counter issued codes too (two counters
used one workstation number).

The counter's workstation number: refused when the centre has it registered to another PC (`workstation_claim`,
counter.office.workstations) than the one that claimed it in the counter's file or this one; when nobody holds it,
the centre's codes stand in (`check_block_clash`). The PC claims it after the join (cli/office.py, when the file is
the one this PC issued codes from).

Seam: where scans live in office mode is another part's: the join copies the `stored_file` and `attachment` rows and
reports the scan files that stay in this PC's data folder (`JoinReport.scans_left`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from peewee import ForeignKeyField, Model

from counter import audit
from counter.clock import Clock
from counter.context import AppContext, bound
from counter.database_file import check_database_file
from counter.errors import ValidationError
from counter.office import code_ledger, local_config, workstations
from counter.office.codes import block
from counter.scans import store
from counter.text import mask_ids
from db.database import is_postgres, make_database
from db.migrate import instance_id, schema_version
from db.models import (
    Applicant,
    Attachment,
    AuditEntry,
    CalendarDay,
    CalendarVersion,
    CodeCounter,
    Dossier,
    DossierApology,
    DossierComponent,
    DossierFee,
    DossierHistory,
    DossierPause,
    DossierResult,
    DossierReturn,
    DossierStop,
    Guidance,
    LiveChange,
    Meta,
    Office,
    OutboxEntry,
    PrintLog,
    Procedure,
    ProcedureComponent,
    ProcedureVersion,
    RegisterCounter,
    ScanBlob,
    ServiceRating,
    Setting,
    StoredFile,
    User,
    WorkstationClaim,
)

# What the join does with each table (the module's docstring says why).
POLICY: dict[type[Model], str] = {
    Meta: "never",  # the database's own facts: schema version, instance id, audit head
    Setting: "centre",
    Office: "centre",
    CalendarDay: "centre",
    CalendarVersion: "centre",
    User: "merge",
    Procedure: "merge",
    ProcedureVersion: "merge",
    ProcedureComponent: "merge",
    Applicant: "merge",
    StoredFile: "merge",
    Guidance: "append",
    Dossier: "append",
    DossierComponent: "dossier",
    DossierFee: "dossier",
    DossierHistory: "dossier",
    OutboxEntry: "dossier",
    PrintLog: "dossier",
    DossierPause: "dossier",
    DossierResult: "dossier",
    DossierReturn: "dossier",
    ServiceRating: "dossier",
    DossierApology: "dossier",
    DossierStop: "dossier",
    Attachment: "dossier",
    CodeCounter: "higher",
    RegisterCounter: "higher",
    AuditEntry: "chain",
    WorkstationClaim: "claim",  # the centre's registry of numbers: checked here, claimed by the PC after the join
    ScanBlob: "never",  # empty on SQLite: the PC publishes its scans when it opens the centre (scans.blobs)
    LiveChange: "never",  # a change feed: the centre's own triggers write it as the dossiers arrive
}

# Vietnamese names of the tables, as the report says them.
LABELS: dict[type[Model], str] = {
    User: "người dùng",
    Procedure: "thủ tục",
    ProcedureVersion: "phiên bản thủ tục",
    ProcedureComponent: "thành phần hồ sơ của thủ tục",
    Applicant: "người nộp",
    StoredFile: "tệp bản số hóa",
    Guidance: "phiếu hướng dẫn",
    Dossier: "hồ sơ",
    DossierComponent: "thành phần hồ sơ",
    DossierFee: "phí, lệ phí",
    DossierHistory: "bước xử lý",
    OutboxEntry: "mục chờ đồng bộ",
    PrintLog: "lần in",
    DossierPause: "lần tạm dừng",
    DossierResult: "kết quả",
    DossierReturn: "lần trả kết quả",
    ServiceRating: "đánh giá",
    DossierApology: "phiếu xin lỗi",
    DossierStop: "thông báo dừng",
    Attachment: "bản số hóa",
    CodeCounter: "bộ đếm mã hồ sơ",
    RegisterCounter: "sổ theo dõi",
    AuditEntry: "dòng nhật ký",
    Setting: "thiết lập",
    Office: "hồ sơ cơ quan",
}

# The office row's fields that belong to one PC, not the centre: not a difference.
PER_PC_OFFICE_FIELDS = frozenset({"id", "workstation"})
SEALED_SETTING = "sync.password"  # sealed for one PC's data folder (counter.sync.secret): never copied
BATCH = 500  # rows per INSERT … VALUES and per IN (…) look-up
JOINED_HASH = "hash_tai_quay"  # an audit row's hash in the counter's own chain, kept in the copy's detail


@dataclass
class JoinReport:
    """What a join moved (or, `dry_run`, would move): rows added per table, rows the centre already had, the
    dossiers refused (code, why), the centre's rows kept where the counter's differ, the scan files left here."""

    dry_run: bool
    source: str
    moved: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    scans_left: list[str] = field(default_factory=list)  # SHA-256 of the files still only in this PC's data folder
    ledger_moved: bool = False  # this PC's code ledger now names the centre's database for its workstation
    workstation: int | None = None  # the counter's workstation number (its office row's)

    def add(self, model: type[Model], n: int = 1) -> None:
        label = LABELS[model]
        self.moved[label] = self.moved.get(label, 0) + n

    def keep(self, model: type[Model], n: int = 1) -> None:
        label = LABELS[model]
        self.already[label] = self.already.get(label, 0) + n

    @property
    def total_moved(self) -> int:
        return sum(self.moved.values())

    def lines(self) -> list[str]:
        """The report in Vietnamese, one fact a line."""
        head = "Chạy thử (chưa ghi gì): sẽ chuyển" if self.dry_run else "Đã chuyển"
        out = [f"{head} dữ liệu của quầy {self.source} vào cơ sở dữ liệu của trung tâm."]
        if self.total_moved == 0:
            out.append("Không có gì mới để chuyển: trung tâm đã có đủ dữ liệu của quầy này.")
        for label, n in self.moved.items():
            if n:
                out.append(f"  {label}: {n}")
        for label, n in self.already.items():
            if n:
                out.append(f"  đã có ở trung tâm, giữ nguyên — {label}: {n}")
        for code, why in self.refused:
            out.append(f"Không chuyển hồ sơ {code}: {why}")
        for text in self.differences:
            out.append(f"Giữ dữ liệu của trung tâm: {text}")
        if self.ledger_moved:
            out.append("Sổ mã đã cấp của máy này nay ghi cơ sở dữ liệu của trung tâm: máy tiếp tục cấp mã từ đó.")
        if self.scans_left:
            out.append(f"{len(self.scans_left)} tệp bản số hóa vẫn nằm trong thư mục dữ liệu của máy này (chưa có "
                       "kho bản số hóa dùng chung của trung tâm): giữ nguyên thư mục này.")
        return out


def open_counter_file(path: Path, clock: Clock | None = None) -> AppContext:
    """This counter's SQLite file as the join reads it: checked, not migrated and not written (a file of an older
    schema is refused by `join_office`: the app migrates it when it opens)."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise ValidationError(f"Không có cơ sở dữ liệu của quầy ở {path}: chỉ rõ tệp bằng --from hoặc thư mục dữ "
                              "liệu bằng --data-dir.")
    check_database_file(path)
    return AppContext(database=make_database(path), data_dir=path.parent, clock=clock or Clock())


def open_centre(url: str, data_dir: Path, clock: Clock | None = None, *, password: str | None = None) -> AppContext:
    """The centre's PostgreSQL database named by `url` (`counter.setup.open_office_database`: migrated, calendar and
    catalogue; a URL carrying a password refused, a server that cannot be reached said in one sentence)."""
    from counter.setup import open_office_database  # counter.setup imports much of counter/: only when joining
    return open_office_database(local_config.check_url(url), data_dir, clock, password=password)


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that everything it wrote is rolled back."""


def _dicts(query: Any) -> list[dict[str, Any]]:
    """A select's rows as dicts (peewee's stubs type `.dicts()` as model rows)."""
    return cast(list[dict[str, Any]], list(query.dicts()))


def _column(query: Any) -> list[Any]:
    """A one-column select's values."""
    return [row[0] for row in query.tuples()]


def _rows(source: AppContext, model: type[Model]) -> list[dict[str, Any]]:
    with source.bound():
        return _dicts(model.select().order_by(*model._meta.get_primary_keys()))


def _fk_targets(model: type[Model]) -> list[tuple[str, type[Model]]]:
    return [(f.name, f.rel_model) for f in model._meta.sorted_fields if isinstance(f, ForeignKeyField)]


def _same(left: dict[str, Any], right: dict[str, Any], ignore: Iterable[str] = ()) -> bool:
    skip = set(ignore)
    return all(left.get(k) == right.get(k) for k in left if k not in skip)


@bound
def join_office(ctx: AppContext, source: AppContext, *, dry_run: bool = False) -> JoinReport:
    """Move the counter database of `source` (its SQLite file) into the centre's PostgreSQL database of `ctx`, in
    one transaction; with `dry_run`, do all of it and roll it back: the report says what it would do."""
    if not is_postgres(ctx.database):
        raise ValidationError("Cơ sở dữ liệu đích không phải PostgreSQL của trung tâm: chỉ chuyển được dữ liệu của "
                              "quầy vào cơ sở dữ liệu dùng chung (postgresql://…).")
    if is_postgres(source.database):
        raise ValidationError("Nguồn phải là tệp SQLite của quầy, không phải một cơ sở dữ liệu PostgreSQL.")
    mine, theirs = schema_version(source.database), schema_version(ctx.database)
    if mine != theirs:
        raise ValidationError(f"Cơ sở dữ liệu của quầy ở phiên bản {mine}, của trung tâm ở phiên bản {theirs}: hãy mở "
                              "ứng dụng trên máy này một lần (nó nâng cấp cơ sở dữ liệu) rồi chạy lại.")
    report = JoinReport(dry_run=dry_run, source=str(source.db_path))
    try:
        with ctx.transaction():
            _Join(ctx, source, report).run()
            if report.total_moved:
                audit.record(ctx, "office_join", f"Chuyển dữ liệu của quầy ({report.source}) vào cơ sở dữ liệu của "
                             f"trung tâm: {report.moved.get(LABELS[Dossier], 0)} hồ sơ.",
                             detail={"nguon": report.source, "co_so_du_lieu_quay": instance_id(source.database),
                                     "da_chuyen": report.moved, "tu_choi": [c for c, _ in report.refused]})
            if dry_run:
                raise _DryRun
    except _DryRun:
        return report
    with source.bound():
        office = Office.get_or_none()
    if office is not None:  # after the commit: this PC issues its number's codes from the centre's database now
        report.ledger_moved = code_ledger.hand_over(ctx, source, office.workstation)
    return report


class _Join:
    """One join's state: the source's rows and the id maps (source id → target id) per table."""

    def __init__(self, ctx: AppContext, source: AppContext, report: JoinReport) -> None:
        self.ctx, self.source, self.report = ctx, source, report
        self.ids: dict[type[Model], dict[int, int | None]] = {}
        self.registered = False  # the centre has the counter's number registered to its PC (or to this one)

    # -- helpers ---------------------------------------------------------------------------------------------------

    def mapped(self, model: type[Model], row: dict[str, Any]) -> dict[str, Any]:
        """`row` without its id, its foreign keys pointing at the target's rows."""
        out = {k: v for k, v in row.items() if k != "id"}
        for name, rel in _fk_targets(model):
            value = out.get(name)
            if value is not None:
                out[name] = self.ids[rel][value]
        return out

    def insert(self, model: type[Model], row: dict[str, Any]) -> int:
        new_id = model.insert(**self.mapped(model, row)).execute()
        self.ids.setdefault(model, {})[row["id"]] = int(new_id)
        self.report.add(model)
        return int(new_id)

    def insert_all(self, model: type[Model], rows: list[dict[str, Any]], key: str | None = None) -> None:
        """Insert `rows` a batch at a time; with `key` (a unique column), map their source ids to the new ones."""
        mapped = [self.mapped(model, row) for row in rows]
        for start in range(0, len(mapped), BATCH):
            model.insert_many(mapped[start:start + BATCH]).execute()
        if rows:
            self.report.add(model, len(rows))
        if key is not None:
            found = self.lookup(model, key, [row[key] for row in rows])
            self.ids.setdefault(model, {}).update((row["id"], found[row[key]]) for row in rows)

    @staticmethod
    def lookup(model: type[Model], key: str, values: list[Any]) -> dict[Any, int]:
        """The centre's ids of the rows whose unique `key` is one of `values`."""
        column, primary = getattr(model, key), model._meta.primary_key
        found: dict[Any, int] = {}
        for start in range(0, len(values), BATCH):
            query = model.select(column, primary).where(column.in_(values[start:start + BATCH]))
            found.update((value, int(row_id)) for value, row_id in cast(list[tuple[Any, int]], list(query.tuples())))
        return found

    # -- the tables ------------------------------------------------------------------------------------------------

    def run(self) -> None:
        self.check_demo()
        self.check_claim()
        self.check_block_clash()
        self.office()
        self.settings()
        self.calendar()
        self.by_key(User, "username")
        self.catalogue()
        self.by_key(Applicant, "id_number")
        self.by_key(StoredFile, "sha256")
        self.guidance()
        self.dossiers()
        self.counters()
        self.audit()

    def check_demo(self) -> None:
        """A demonstration's made-up dossiers never enter a real office's database (as `seed_demo` refuses)."""
        mine = _rows(self.source, Office)
        centre = Office.get_or_none()
        if mine and mine[0]["demo"] and centre is not None and not centre.demo:
            raise ValidationError(f"Cơ sở dữ liệu của quầy ({self.report.source}) là bản dùng thử, hồ sơ trong đó là "
                                  f"hồ sơ mẫu: không chuyển vào cơ sở dữ liệu thật của {centre.office_name}.")

    def check_claim(self) -> None:
        """Refuse when the centre has registered the counter's number to another PC: neither the one that claimed
        it in the counter's file nor this one."""
        rows = _rows(self.source, Office)
        if not rows:
            return
        number = self.report.workstation = int(rows[0]["workstation"])
        held = workstations.holder(self.ctx, number)
        if held is None:
            return
        self.registered = True
        ours = {row["machine_id"] for row in _rows(self.source, WorkstationClaim) if row["number"] == number}
        ours.add(local_config.load().machine_id)
        if held.machine_id not in ours:
            raise ValidationError(
                f"Số máy tiếp nhận {number} của quầy này đã thuộc máy “{held.machine_name}” của trung tâm: hai máy "
                "cùng một số sẽ cấp trùng mã hồ sơ. Không chuyển gì; quản trị viên giải phóng số đó (main.py settings "
                f"release-workstation {number}) hoặc đổi số của một trong hai máy trước.")

    def check_block_clash(self) -> None:
        """Refuse when another machine issued codes from this counter's block on a day this counter issued codes
        too: the centre holds a code of that block and day this counter does not, or holds one of this counter's
        codes as another dossier (its reception step is not this counter's: each reception has its own uuid). Not
        when the centre has the number registered to the counter's PC (`check_claim`): the codes of its block there
        are that PC's, issued after an earlier join."""
        if self.registered:
            return
        mine = {row["code"]: row["id"] for row in _rows(self.source, Dossier)}
        received: dict[int, str] = {}
        for row in _rows(self.source, DossierHistory):
            received.setdefault(row["dossier"], row["step_uuid"])
        for counter in _rows(self.source, CodeCounter):
            prefix = f"{counter['agency_id']}-{counter['day']}-"
            first, last = block(counter["workstation"])
            held = [code for code in _column(Dossier.select(Dossier.code).where(Dossier.code.startswith(prefix)))
                    if first <= int(code[-4:]) <= last]
            others = [code for code in held if code not in mine]
            shared = {received.get(mine[code], "") for code in held if code in mine}
            if shared:
                found = set(_column(DossierHistory.select(DossierHistory.step_uuid)
                                    .where(DossierHistory.step_uuid.in_(sorted(shared)))))
                others += [code for code in held if code in mine and received.get(mine[code], "") not in found]
            if others:
                raise ValidationError(
                    f"Trung tâm đã có hồ sơ {min(others)} do một máy khác cấp mã bằng số máy tiếp nhận "
                    f"{counter['workstation']} trong cùng ngày với máy này: hai máy đã dùng chung một số máy. "
                    "Không chuyển gì; hãy kiểm tra số máy của từng quầy với quản trị.")

    def office(self) -> None:
        rows = _rows(self.source, Office)
        if not rows:
            return
        mine = rows[0]
        centre = next(iter(_dicts(Office.select().limit(1))), None)
        if centre is None:
            Office.insert(**{k: v for k, v in mine.items() if k != "id"}).execute()
            self.report.add(Office)
            return
        for name, value in mine.items():
            if name not in PER_PC_OFFICE_FIELDS and centre.get(name) != value:
                self.report.differences.append(f"hồ sơ cơ quan, trường {name}: trung tâm “{centre.get(name)}”, "
                                               f"quầy “{value}”")

    def _own_password(self, token: str) -> str | None:
        """The centre's key for this PC's own sync password when `token` opens with this PC's key, else None."""
        from counter.sync import secret
        from counter.sync.settings import PER_PC, PREFIX
        try:
            secret.unseal(self.source.data_dir, token)
        except secret.SealError:
            return None
        return PREFIX + PER_PC + local_config.with_machine_id(local_config.load()).machine_id

    def settings(self) -> None:
        """Settings the centre lacks are added, but the sync password: it is sealed for this PC's data folder
        (counter.sync.secret) and opens nowhere else, so it becomes this PC's own in the centre (counter.sync.settings:
        each PC of a centre keeps its own) when it opens here, and is left behind otherwise. Those the centre has are
        kept; the differing ones named."""
        centre = {r.key: r.value for r in Setting.select()}
        differing: list[str] = []
        for row in _rows(self.source, Setting):
            if row["key"] == SEALED_SETTING:
                own = self._own_password(row["value"])
                if own is not None and centre.get(own) is None:
                    Setting.insert(key=own, value=row["value"]).execute()
                    self.report.add(Setting)
                elif own is None and centre.get(row["key"]) is None:
                    self.report.differences.append("mật khẩu đồng bộ của quầy không chuyển được (chỉ mở được trên "
                                                   "máy này): đặt lại ở trung tâm nếu cần")
            elif row["key"] not in centre:
                Setting.insert(**row).execute()
                self.report.add(Setting)
            elif centre[row["key"]] != row["value"]:
                differing.append(row["key"])
        if differing:
            self.report.differences.append(f"{len(differing)} thiết lập của quầy khác của trung tâm "
                                           f"({', '.join(sorted(differing))}): đặt lại ở trung tâm nếu cần")

    def calendar(self) -> None:
        centre = {r["date"]: (r["kind"], r["name"]) for r in _dicts(CalendarDay.select())}
        differing = [row["date"] for row in _rows(self.source, CalendarDay)
                     if centre.get(row["date"]) != (row["kind"], row["name"])]
        if differing:
            days = ", ".join(f"{d:%d/%m/%Y}" for d in differing[:10]) + (" …" if len(differing) > 10 else "")
            self.report.differences.append(f"lịch làm việc: {len(differing)} ngày của quầy khác lịch trung tâm "
                                           f"({days})")

    def by_key(self, model: type[Model], key: str) -> None:
        """Rows the centre has (same `key`) are kept and their ids mapped; the others are added."""
        rows = _rows(self.source, model)
        held = self.lookup(model, key, [row[key] for row in rows])
        ids = self.ids.setdefault(model, {})
        ids.update((row["id"], held[row[key]]) for row in rows if row[key] in held)
        if len(held):
            self.report.keep(model, len(held))
        self.insert_all(model, [row for row in rows if row[key] not in held], key)

    def catalogue(self) -> None:
        procedures = self.ids.setdefault(Procedure, {})
        versions = self.ids.setdefault(ProcedureVersion, {})
        self.ids.setdefault(ProcedureComponent, {})
        code_of: dict[int, str] = {}
        for row in _rows(self.source, Procedure):
            code_of[row["id"]] = row["code"]
            found = Procedure.select(Procedure.id).where(Procedure.code == row["code"]).first()
            if found is None:
                self.insert(Procedure, row)
            else:
                procedures[row["id"]] = found.id
        added: set[int] = set()
        differing: list[str] = []
        for row in _rows(self.source, ProcedureVersion):
            target_procedure = procedures[row["procedure"]]
            found = next(iter(_dicts(ProcedureVersion.select().where(
                (ProcedureVersion.procedure == target_procedure) & (ProcedureVersion.version == row["version"])))),
                None)
            if found is None:
                self.insert(ProcedureVersion, row)
                added.add(row["id"])
            else:
                versions[row["id"]] = found["id"]
                if not _same(row, found, ("id", "procedure")):
                    differing.append(f"{code_of[row['procedure']]} phiên bản {row['version']}")
        for row in _rows(self.source, ProcedureComponent):
            if row["version"] in added:
                self.insert(ProcedureComponent, row)
        if differing:
            self.report.differences.append(f"danh mục thủ tục: {len(differing)} phiên bản khác của quầy "
                                           f"({', '.join(differing[:10])}{' …' if len(differing) > 10 else ''})")

    def guidance(self) -> None:
        """Counter guidance (Mẫu 02) has no code: one the centre holds with the same time, person and procedure is
        the same one."""
        ids = self.ids.setdefault(Guidance, {})
        for row in _rows(self.source, Guidance):
            mapped = self.mapped(Guidance, row)
            found = Guidance.select(Guidance.id).where(
                (Guidance.at == row["at"]) & (Guidance.id_number == row["id_number"])
                & (Guidance.applicant_name == row["applicant_name"]) & (Guidance.procedure == mapped["procedure"])
            ).first()
            if found is None:
                self.insert(Guidance, row)
            else:
                ids[row["id"]] = found.id
                self.report.keep(Guidance)

    def dossiers(self) -> None:
        """New codes are added. A code the centre holds is the same dossier when its steps include all of this
        counter's: skipped when identical, and when the centre's is newer (it went on at the centre after an earlier
        join). Otherwise — another dossier under that code, or one that changed here since it moved — it is refused
        and named; the centre's is never overwritten."""
        rows = _rows(self.source, Dossier)
        centre: dict[str, dict[str, Any]] = {}
        codes = [row["code"] for row in rows]
        for start in range(0, len(codes), BATCH):
            chunk = codes[start:start + BATCH]
            centre.update((r["code"], r) for r in _dicts(Dossier.select().where(Dossier.code.in_(chunk))))
        steps: dict[int, set[str]] = {}
        for row in _rows(self.source, DossierHistory):
            steps.setdefault(row["dossier"], set()).add(row["step_uuid"])
        held_ids = [r["id"] for r in centre.values()]
        centre_steps: dict[int, set[str]] = {}
        for start in range(0, len(held_ids), BATCH):
            query = DossierHistory.select(DossierHistory.dossier, DossierHistory.step_uuid).where(
                DossierHistory.dossier.in_(held_ids[start:start + BATCH]))
            for dossier_id, uuid in cast(list[tuple[int, str]], list(query.tuples())):
                centre_steps.setdefault(dossier_id, set()).add(uuid)
        dossier_ids = self.ids.setdefault(Dossier, {})
        new: list[dict[str, Any]] = []
        for row in rows:
            held = centre.get(row["code"])
            if held is None:
                new.append(row)
                continue
            dossier_ids[row["id"]] = held["id"]
            differ = [k for k, v in self.mapped(Dossier, row).items() if held.get(k) != v]
            here, there = steps.get(row["id"], set()), centre_steps.get(held["id"], set())
            if here and there and not here & there:  # not one step in common: not this counter's reception
                self.report.refused.append((row["code"], "trung tâm đã có một hồ sơ khác mang cùng mã; giữ hồ sơ "
                                                         "của trung tâm"))
            elif not differ or (here <= there and held["updated_at"] >= row["updated_at"]):
                self.report.keep(Dossier)
            else:
                self.report.refused.append((row["code"], "hồ sơ đã thay đổi ở quầy sau lần chuyển trước "
                                                         f"({', '.join(differ)}); giữ hồ sơ của trung tâm, cập nhật "
                                                         "lại trên máy của trung tâm"))
        self.insert_all(Dossier, new, "code")
        moved = {row["id"] for row in new}
        for model in (DossierComponent, DossierFee, DossierHistory, DossierPause, DossierResult, DossierReturn,
                      ServiceRating, DossierApology, DossierStop):
            self.insert_all(model, [row for row in _rows(self.source, model) if row["dossier"] in moved])
        self.outbox(moved)
        self.attachments(moved)
        self.print_log(moved)

    def outbox(self, moved: set[int]) -> None:
        rows = _rows(self.source, OutboxEntry)
        self.insert_all(OutboxEntry, [row for row in rows if row["dossier"] in moved])
        for row in rows:  # entries of no dossier: known by their kind and key
            if row["dossier"] is not None:
                continue
            if OutboxEntry.get_or_none((OutboxEntry.kind == row["kind"]) & (OutboxEntry.key == row["key"])) is None:
                self.insert(OutboxEntry, row)
            else:
                self.report.keep(OutboxEntry)

    def attachments(self, moved: set[int]) -> None:
        """A moved dossier's attachments; one reusing an earlier digitisation points at that one's row in the centre
        (by its uuid: it may belong to a dossier the centre already had)."""
        ids = self.ids.setdefault(Attachment, {})
        uuid_of = {row["id"]: row["uuid"] for row in _rows(self.source, Attachment)}
        files = {row["id"]: row["sha256"] for row in _rows(self.source, StoredFile)}
        left: set[str] = set()
        for row in _rows(self.source, Attachment):
            if row["dossier"] not in moved:
                continue
            origin = row["reused_from"]
            if origin is not None and origin not in ids:
                found = Attachment.select(Attachment.id).where(Attachment.uuid == uuid_of[origin]).first()
                ids[origin] = found.id if found is not None else None
            self.insert(Attachment, row)
            left.add(files[row["file"]])
        self.report.scans_left = sorted(sha for sha in left if store.file_path(self.source.data_dir, sha).exists())

    def print_log(self, moved: set[int]) -> None:
        rows = _rows(self.source, PrintLog)
        self.insert_all(PrintLog, [row for row in rows if row["dossier"] in moved])
        for row in rows:  # prints of no dossier (a guidance slip): known by their time, form, copy and target
            if row["dossier"] is not None:
                continue
            mapped = self.mapped(PrintLog, row)
            found = PrintLog.select(PrintLog.id).where(
                (PrintLog.at == row["at"]) & (PrintLog.form == row["form"]) & (PrintLog.copy_no == row["copy_no"])
                & (PrintLog.guidance == mapped["guidance"]) & (PrintLog.target == row["target"])).first()
            if found is None:
                self.insert(PrintLog, row)
            else:
                self.report.keep(PrintLog)

    def counters(self) -> None:
        for row in _rows(self.source, CodeCounter):
            key = ((CodeCounter.agency_id == row["agency_id"]) & (CodeCounter.day == row["day"])
                   & (CodeCounter.workstation == row["workstation"]))
            found = CodeCounter.select().where(key).first()
            if found is None:
                self.insert(CodeCounter, row)
            elif found.last_seq < row["last_seq"]:
                CodeCounter.update(last_seq=row["last_seq"]).where(CodeCounter.id == found.id).execute()
                self.report.add(CodeCounter)
        for row in _rows(self.source, RegisterCounter):
            book = RegisterCounter.get_or_none(RegisterCounter.book == row["book"])
            if book is None:
                RegisterCounter.insert(**row).execute()
                self.report.add(RegisterCounter)
            elif book.last_number < row["last_number"]:
                RegisterCounter.update(last_number=row["last_number"]).where(
                    RegisterCounter.book == row["book"]).execute()
                self.report.add(RegisterCounter)

    def audit(self) -> None:
        """The counter's audit rows appended to the centre's chain, each with its hash in the counter's chain (and
        that chain's instance id); a row whose hash the centre already holds came with an earlier join."""
        known: set[str] = set()
        for detail in _column(AuditEntry.select(AuditEntry.detail).where(AuditEntry.detail.contains(JOINED_HASH))):
            value = json.loads(detail).get(JOINED_HASH)
            if isinstance(value, str):
                known.add(value)
        origin = instance_id(self.source.database)
        for row in _rows(self.source, AuditEntry):
            # masked, when an earlier join copied it before the provenance was kept whole
            if row["hash"] in known or mask_ids(row["hash"]) in known:
                self.report.keep(AuditEntry)
                continue
            detail = json.loads(row["detail"]) if row["detail"] else {}
            if not isinstance(detail, dict):
                detail = {"giá trị": detail}
            audit.append_copied(self.ctx, at=row["at"], actor=row["actor"], kind=row["kind"], summary=row["summary"],
                                detail=detail, provenance={JOINED_HASH: row["hash"], "co_so_du_lieu_quay": origin})
            self.report.add(AuditEntry)
