"""The rows of one synthetic dossier, as reception and the lifecycle intents would have written them:
applicant, dossier, components, fees, history with its outbox entries, and the pause, result,
return, rating and apology rows its history implies.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from counter import records
from counter.calendar.duedates import compute_due
from counter.calendar.workdays import WorkCalendar
from counter.catalogue import fees, procedures
from counter.context import AppContext
from counter.errors import ValidationError
from counter.records import STOP_NOTE
from counter.status import Status
from counter.sync.outbox import PENDING, SYNCED
from counter.text import fold
from db.models import (
    Applicant,
    Dossier,
    DossierApology,
    DossierComponent,
    DossierFee,
    DossierHistory,
    DossierPause,
    DossierResult,
    DossierReturn,
    DossierStop,
    OutboxEntry,
    Procedure,
    ProcedureVersion,
    ServiceRating,
)
from devtools.demo.people import People, Weighted
from devtools.demo.timeline import Apology, Context, Fate, Pause, Payment, Planner, Rating, Step, draw_fate, fate_for
from devtools.demo.writer import Batch, Counters, RowBuffer, iso

RETURNING = 0.4  # share of dossiers brought by someone who came before
AUTHORISED = 0.1  # share of results collected by someone else, with a power of attorney
SYNC_LAG = timedelta(days=2)  # changes older than this have reached the province
LE_PHI = 2  # LoaiPhiLePhi


@dataclass(frozen=True)
class Spec:
    """What the demo needs to know about one procedure version, worked out once."""

    procedure: records.Procedure
    unit: str  # the processing unit it goes to
    copies: tuple[bool, ...]  # per checklist paper: is it a copy (bản sao)?
    per_page: bool  # a per-page fee (chứng thực bản sao)
    per_copy: bool  # a fixed fee per copy issued
    exemptible: bool  # its fee note names people exempted
    province_fee: bool  # a charge the province sets, asked for during processing (status 6)
    ages: tuple[int, int]  # of the applicant
    summaries: tuple[str, ...]


class Catalogue:
    """Every active procedure's versions, so a dossier gets the rules in force on its reception day."""

    def __init__(self, ctx: AppContext, data: dict):
        self.versions: dict[str, list[Spec]] = {}
        active = Procedure.active == True  # noqa: E712 (peewee builds SQL from ==)
        query = ProcedureVersion.select(ProcedureVersion.id).join(Procedure).where(active)
        for row in query.order_by(Procedure.code, ProcedureVersion.effective_from, ProcedureVersion.version):
            spec = _spec(procedures.procedure_by_version(ctx, row.id), data)
            self.versions.setdefault(spec.procedure.code, []).append(spec)
        if not self.versions:
            raise ValidationError("Danh mục thủ tục đang trống: chưa thể tạo hồ sơ mẫu.")

    def at(self, code: str, day: date) -> Spec:
        versions = self.versions[code]
        in_force = [s for s in versions if s.procedure.effective_from <= day]
        return in_force[-1] if in_force else versions[0]

    def latest(self) -> list[records.Procedure]:
        return [versions[-1].procedure for versions in self.versions.values()]


def _spec(p: records.Procedure, data: dict) -> Spec:
    rule, units, ages = p.fee_rule, data["units"], data["applicant_ages"]
    return Spec(
        procedure=p, unit=units.get(p.field, units["default"]),
        copies=tuple(fold(c.form) == "ban sao" for c in p.components),
        per_page=bool(rule.formula), per_copy=rule.per == "bản sao", exemptible="mien cho" in fold(rule.note),
        province_fee=rule.amount is None and not rule.formula, ages=tuple(ages.get(p.code, ages["default"])),
        summaries=tuple(data["summaries"].get(p.code, ())),
    )


@dataclass(frozen=True)
class Staff:
    clerks: list[tuple[int, str]]  # (user id, full name): the desk's users, one per workstation in turn
    leader: tuple[int | None, str, str]  # (user id, name, title): signs apologies


class DossierRows:
    def __init__(self, ctx: AppContext, rng: random.Random, cal: WorkCalendar, now: datetime,
                 office: records.Office, data: dict, people: People, staff: Staff):
        self.ctx, self.rng, self.cal, self.now, self.office = ctx, rng, cal, now, office
        self.data, self.people, self.staff = data, people, staff
        self.planner = Planner(cal, rng)
        self.catalogue = Catalogue(ctx, data)
        self.counters = Counters(rng, office)
        self.counters.load()
        self.buffer = RowBuffer(ctx.database)
        weights = data["procedure_weights"]
        other = data["other_procedure_weight"]
        self.mix = Weighted((code, weights.get(code, other)) for code in self.catalogue.versions)
        self.documents = Weighted(((name, low, high), w) for name, low, high, w in data["documents"])
        self.pool: list[tuple] = []  # applicants of this run: (id, name, id number, address, phone, email, sex)

    def showcase_candidates(self) -> dict[str, list[tuple[str, int]]]:
        """Procedures with a deadline in working days (and those with a charge to ask for), for the showcase."""
        specs = [self.catalogue.at(p.code, self.now.date()) for p in self.catalogue.latest()]
        timed = [s for s in specs if s.procedure.time_rule.kind == "working_days"]
        return {"working_days": [(s.procedure.code, s.procedure.time_rule.days) for s in timed],
                "payable": [(s.procedure.code, s.procedure.time_rule.days) for s in timed if s.province_fee]}

    def batch_of(self, chunk: list) -> Batch:
        """The rows of a chunk of planned dossiers, with the counters as they stand after it."""
        for planned in chunk:
            self.add(planned)
        return self.counters.batch(self.buffer, len(chunk))

    def add(self, planned) -> None:
        """All the rows of one planned dossier, into the buffer."""
        w, rng, received_at = self.buffer, self.rng, planned.received_at
        spec = self.catalogue.at(planned.procedure_code or self.mix.pick(rng), received_at.date())
        procedure = spec.procedure
        applicant = self.applicant(spec, received_at)
        paper = self.paper(spec)
        components = self.components(spec, paper)
        fate = fate_for(planned.target, overdue=planned.overdue) if planned.target else draw_fate(
            rng, can_pay=spec.province_fee)
        refused = fate.end == Status.REFUSED
        due = None if refused else compute_due(received_at, procedure.time_rule, self.cal)  # as schedule.due_for
        steps = self.planner.life(received_at, due, fate, self.context(spec, fate), self.now, planned.target)
        fee_lines, exempt_reason = ((), "") if refused else self.fees(spec, components)
        code, ws = self.counters.code(received_at)
        book, number = ("", None) if refused else self.counters.register_number(received_at)
        clerk = self.staff.clerks[ws % len(self.staff.clerks)] if self.staff.clerks else (None, "")
        payment = next((s.detail.amount for s in steps if isinstance(s.detail, Payment)), 0)
        last, received = steps[-1], iso(received_at)
        dossier_id = w.add(
            Dossier, code, procedure.id, procedure.version_id, *applicant[:6], 1, 1, int(rng.random() < 0.03),
            self.summary(spec, applicant, paper), 1, fees.fee_total(fee_lines) + payment, exempt_reason, received,
            iso(next((s.due_at for s in reversed(steps) if s.due_at), due)), iso(due), int(last.to_status),
            last.to_unit, book, number, clerk[0], ws, False, iso(last.at), self.cal.version if due else None)
        for position, c in enumerate(components, start=1):
            w.add(DossierComponent, dossier_id, position, c.code, c.name, c.form, c.quantity, c.pages, True)
        for f in fee_lines:  # collected at the counter
            w.add(DossierFee, dossier_id, f.name, f.code, f.amount, f.kind, received)
        self.history(dossier_id, code, self.lifecycle_rows(dossier_id, spec, applicant, steps, clerk), clerk)
        self.counters.uses[procedure.id] += 1

    # History, outbox and what the lifecycle intents write ---------------------------------------

    def history(self, dossier_id: int, code: str, steps: list[Step], clerk: tuple) -> None:
        """History rows and their outbox entries; what is older than SYNC_LAG has reached the province."""
        synced_before = self.now - SYNC_LAG
        times = [iso(s.at) for s in steps]
        sent = 0
        for s, at in zip(steps, times, strict=True):
            actor_id, actor_name = self.staff.leader[:2] if s.action == "apologise" else clerk
            step_uuid = self.uuid(s.at)
            from_status = None if s.from_status is None else int(s.from_status)
            self.buffer.add(DossierHistory, dossier_id, at, s.action, from_status, int(s.to_status), s.from_unit,
                            s.to_unit, actor_id, actor_name, s.note, step_uuid)
            synced = s.at < synced_before
            sent += synced
            self.buffer.add(OutboxEntry, "step", step_uuid, dossier_id, SYNCED if synced else PENDING, 1,
                            int(synced), int(synced), None if synced else at, "", at, at)
        state = SYNCED if sent == len(steps) else PENDING  # revision: one per change, as enqueue_dossier counts
        self.buffer.add(OutboxEntry, "dossier", code, dossier_id, state, len(steps), sent, int(sent > 0),
                        None if state == SYNCED else times[-1], "", times[0], times[-1])

    def lifecycle_rows(self, dossier_id: int, spec: Spec, applicant: tuple, steps: list[Step],
                       clerk: tuple) -> list[Step]:
        """Pause, charge, result, return, rating and apology rows; returns the steps with their final notes."""
        w, out, pause = self.buffer, [], None
        for i, s in enumerate(steps):
            at = iso(s.at)
            if isinstance(s.detail, Pause):
                pause = s
            elif s.action == "receive_supplement" and pause:
                self._pause(dossier_id, spec, pause, s, clerk)
                pause = None
            elif isinstance(s.detail, Payment):
                paid = next((iso(p.at) for p in steps[i:] if p.action == "record_payment"), None)
                name = "Lệ phí " + spec.procedure.name[:1].lower() + spec.procedure.name[1:]
                w.add(DossierFee, dossier_id, name, "", s.detail.amount, LE_PHI, paid)
            elif s.action == "record_result":
                p = spec.procedure
                number = self.counters.result_number(p.code, s.at)
                w.add(DossierResult, dossier_id, at, number, p.result_code, p.result_name, "", clerk[0])
                s = _noted(s, f"Nhận kết quả giải quyết: {p.result_name or 'kết quả'} số {number}")
            elif s.action == "return_result":
                name, id_number, authorised = self.collector(applicant, s.at)
                w.add(DossierReturn, dossier_id, at, name, id_number, authorised, clerk[0])
                whom = f"người được ủy quyền {name}" if authorised else f"người nộp hồ sơ {name}"
                s = _noted(s, f"Trả kết quả cho {whom}")
            elif isinstance(s.detail, Rating):
                w.add(ServiceRating, dossier_id, at, s.detail.level, s.detail.reason)
            elif s.action == "stop":
                _, leader_name, title = self.staff.leader
                w.add(DossierStop, dossier_id, at, s.note.removeprefix(STOP_NOTE), leader_name, title, clerk[0])
            elif isinstance(s.detail, Apology):
                d, (leader_id, leader_name, title) = s.detail, self.staff.leader
                w.add(DossierApology, dossier_id, at, d.reason, iso(d.due_before), iso(d.new_due), leader_id,
                      leader_name, title)
            out.append(s)
        if pause:  # still waiting for the supplement
            self._pause(dossier_id, spec, pause, None, clerk)
        return out

    def _pause(self, dossier_id: int, spec: Spec, asked: Step, resumed: Step | None,
               clerk: tuple) -> None:
        d = asked.detail
        items = json.dumps([[d.item, "Còn thiếu, cần bổ sung"]], ensure_ascii=False)
        self.buffer.add(DossierPause, dossier_id, spec.unit, iso(asked.at), d.reason, items, iso(d.due_before),
                        d.remaining, iso(resumed.at) if resumed else None, iso(resumed.due_at) if resumed else None,
                        clerk[0])

    def collector(self, applicant: tuple, at: datetime) -> tuple[str, str, bool]:
        """The applicant, or now and then someone they authorised."""
        if self.rng.random() >= AUTHORISED:
            return applicant[1], applicant[2], False
        person = self.people.person(at.date(), (18, 70))
        return person.full_name, person.id_number, True

    def uuid(self, at: datetime) -> str:
        """A version-7 UUID: the step's time, then bits from the seeded generator. Unique, the same for a
        seed, and in time order, so the step indexes of a million dossiers grow at one end."""
        ms, bits = int(at.timestamp() * 1000), self.rng.getrandbits
        return f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-7{bits(12):03x}-{0x8000 | bits(14):04x}-{bits(48):012x}"

    # The dossier's content ----------------------------------------------------------------------

    def applicant(self, spec: Spec, at: datetime) -> tuple:
        if self.pool and self.rng.random() < RETURNING:
            return self.rng.choice(self.pool)
        p = self.people.person(at.date(), spec.ages)
        created = iso(at)
        applicant_id = self.buffer.add(Applicant, p.id_number, p.full_name, p.name_folded, p.birth_date.isoformat(),
                                       p.sex, p.address, p.address_folded, p.phone, p.email, created, created)
        ref = (applicant_id, p.full_name, p.id_number, p.address, p.phone, p.email, p.sex)
        self.pool.append(ref)
        return ref

    def paper(self, spec: Spec) -> tuple[str, int, int] | None:
        """For a copy certification or a copy issued: which paper, how many pages, how many copies."""
        if not (spec.per_page or spec.per_copy):
            return None
        name, low, high = self.documents.pick(self.rng)
        return name, self.rng.randint(low, high), self.rng.choice((1, 1, 1, 2, 2, 3, 5))

    def components(self, spec: Spec, paper) -> list[records.ComponentInput]:
        """The checklist's required papers and some optional ones; the copies carry the pages to certify."""
        out = []
        for c, is_copy in zip(spec.procedure.components, spec.copies, strict=True):
            if c.optional and self.rng.random() >= 0.15:
                continue
            counted = spec.per_page and is_copy
            out.append(records.ComponentInput(name=c.name, form=c.form, code=c.code,
                                              quantity=paper[2] if counted else 1, pages=paper[1] if counted else 0))
        return out

    def fees(self, spec: Spec, components) -> tuple[tuple[records.Fee, ...], str]:
        """The fee lines and the exemption reason, if any."""
        reason = self.rng.choice(self.data["exemptions"]) if spec.exemptible and self.rng.random() < 0.05 else ""
        units = self.rng.choice((1, 1, 2, 3)) if spec.per_copy else 1
        try:
            return fees.compute_fees(spec.procedure, components, units, reason), reason
        except ValidationError:  # a per-page rule with no copy in the checklist to count pages on
            return (), ""

    def summary(self, spec: Spec, applicant: tuple, paper) -> str:
        if not spec.summaries:
            return ""
        rng, people = self.rng, self.people
        template = rng.choice(spec.summaries)
        values = {"copies": paper[2] if paper else 1, "document": paper[0] if paper else ""}
        if "{child}" in template:  # a child takes the father's family name
            family = applicant[1].split()[0] if applicant[6] == "Nam" else None
            values["child"] = people.full_name(rng.choice(("Nam", "Nữ")), family)
        if "{partner}" in template:
            other = "Nữ" if applicant[6] == "Nam" else "Nam"
            values["partner"] = _title(other) + people.full_name(other)
        if "{deceased}" in template:
            sex = rng.choice(("Nam", "Nữ"))
            values["deceased"] = _title(sex) + people.full_name(sex)
        if "{signed}" in template:
            values["signed"] = rng.choice(self.data["signed_papers"])
        return template.format(**values)  # NFC: made of NFC data

    def context(self, spec: Spec, fate: Fate) -> Context:
        """Where the dossier goes, and the reasons its notes will need (drawn only when needed)."""
        pick, data = self.rng.choice, self.data
        return Context(
            desk=self.office.office_name, unit=spec.unit,
            refuse=pick(data["refuse_reasons"]) if fate.end == Status.REFUSED else "",
            supplement=tuple(pick(data["supplements"])) if fate.supplement else ("", ""),
            stop=pick(data["stop_reasons"]) if fate.end == Status.STOPPED else "",
            withdraw=pick(data["withdraw_reasons"]) if fate.end == Status.WITHDRAWN else "",
            delay=pick(data["delay_reasons"]) if fate.apology else "",
            payment=pick(data["province_fees"]) if fate.payment else 0,
            dissatisfied=pick(data["dissatisfied_reasons"]) if fate.rated else "",
        )


def _noted(step: Step, note: str) -> Step:
    return Step(step.at, step.action, step.from_status, step.to_status, step.from_unit, step.to_unit, note,
                step.due_at, step.detail)


def _title(sex: str) -> str:
    return "ông " if sex == "Nam" else "bà "
