"""The procedure catalogue: versioned rules, the import of a catalogue file, and the picker's search.

A procedure's rules live in versions with an effective date; a changed entry adds a version and the
old one stays, because a dossier keeps the rules in force when it was received.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import ModelUpdate

import resources
from counter import records
from counter.catalogue import national
from counter.catalogue.entries import Entry, national_form, parse_entry, rules_of
from counter.clock import VN_TZ
from counter.context import AppContext, bound
from counter.errors import NotFound, ValidationError
from counter.text import fold
from db.models import Procedure, ProcedureComponent, ProcedureVersion

SEED_SOURCE = "resources/data/procedures_vn.json"
SEED_EFFECTIVE_FROM = date(2025, 7, 1)  # ND 118/2025 and the two-level local government


@dataclass(frozen=True)
class ImportReport:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    rejected: tuple[tuple[str, str], ...]  # (code as written, or "#n" = n-th entry of the file; reason)


# Import ---------------------------------------------------------------------------------------


@bound
def seed_catalogue(ctx: AppContext) -> ImportReport:
    """Load the shipped catalogue; idempotent. A procedure whose rules came from a province import is
    left alone: the shipped defaults never overwrite the province's own catalogue."""
    data = resources.path("data", "procedures_vn.json")
    return import_entries(ctx, data, effective_from=SEED_EFFECTIVE_FROM, source=SEED_SOURCE,
                          yield_to_other_sources=True)


@bound
def import_entries(ctx: AppContext, data: dict[str, Any] | list[Any] | str | Path, *, effective_from: date,
                   source: str, dry_run: bool = False, cases: Mapping[str, int] | None = None,
                   yield_to_other_sources: bool = False) -> ImportReport:
    """The work of an import, in one transaction: add new procedures and a new version of each changed one.
    A bad entry is reported in `rejected` and never stops the others; `dry_run` reports and writes nothing.

    Reads our own shape (procedures_vn.json) or the national one (counter.catalogue.national; `cases` names the
    TRUONGHOP, 1-based, whose papers a national procedure asks, the first by default). The administrator's intent
    is counter.catalogue.editing.import_catalogue, which checks the role; the shipped seed calls this directly.
    """
    loaded = _load(data)
    items = national.national_items(loaded)
    if items is None:
        entries, parse, label = _entries(loaded), parse_entry, _label
    else:
        chosen = {national_form(code): case for code, case in (cases or {}).items()}
        entries = items

        def parse(raw: object) -> Entry:
            return parse_entry(national.to_entry(raw, chosen.get(national_form(national.label(raw)), 1)))

        def label(raw: object, index: int) -> str:
            return national.label(raw) or f"#{index}"
    with ctx.transaction() as transaction:
        report = _import(ctx, entries, parse, label, effective_from, source, yield_to_other_sources,
                         from_national=items is not None)
        if dry_run:
            transaction.rollback()
    invalidate_cache(ctx)
    return report


def _load(data: dict[str, Any] | list[Any] | str | Path) -> object:
    if isinstance(data, (str, Path)):
        try:
            return json.loads(Path(data).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(f"Không đọc được tệp danh mục thủ tục “{data}”: {exc}") from exc
    return data


def _entries(data: object) -> list[object]:
    entries = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ValidationError("Tệp danh mục không có danh sách thủ tục (khóa “procedures”, hoặc “result” với "
                              "MATTHC, TENTTHC… theo danh mục quốc gia).")
    return entries


def _import(ctx: AppContext, entries: list[object], parse: Callable[[object], Entry],
            label: Callable[[object, int], str], effective_from: date, source: str, yield_to_other_sources: bool,
            *, from_national: bool) -> ImportReport:
    # codes; for "rejected", (label, reason) pairs
    outcomes: dict[str, list[Any]] = {"added": [], "changed": [], "unchanged": [], "rejected": []}
    seen: set[str] = set()
    for index, raw in enumerate(entries, start=1):
        try:
            entry = parse(raw)
            if entry.code in seen:
                raise ValidationError(f"Mã {entry.code} đã xuất hiện ở một mục trước trong tệp.")
            seen.add(entry.code)
            with ctx.transaction():  # a savepoint: an entry is stored whole or not at all
                outcome = _store(entry, effective_from, source, yield_to_other_sources, from_national)
            outcomes[outcome].append(entry.code)
        except ValidationError as exc:
            outcomes["rejected"].append((label(raw, index), str(exc)))
    return ImportReport(**{k: tuple(v) for k, v in outcomes.items()})


def _label(raw: object, index: int) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return code.strip() if isinstance(code, str) and code.strip() else f"#{index}"


def _store(entry: Entry, effective_from: date, source: str, yield_to_other_sources: bool, from_national: bool) -> str:
    row = Procedure.get_or_none(Procedure.code == entry.code)
    if row is None:
        row = Procedure.create(code=entry.code, name=entry.name, name_folded=fold(entry.name), field=entry.field,
                               field_code=entry.field_code)
        _write_version(row, entry, 1, effective_from, source)
        return "added"
    latest = _latest_version(row)
    if yield_to_other_sources and latest.source != source:
        return "unchanged"
    entry = _keep_what_the_file_cannot_say(entry, latest, from_national)
    rules_changed = rules_of(_to_record(row, latest)) != rules_of(entry)
    # An entry without a field code says it does not know it: a code imported earlier stays (the shipped file,
    # which knows none, is loaded at every start and must not erase the province's).
    field_code = entry.field_code or row.field_code
    if not rules_changed and (row.field, row.field_code) == (entry.field, field_code):
        return "unchanged"
    if rules_changed and effective_from < latest.effective_from:
        raise ValidationError(
            f"Ngày hiệu lực {effective_from:%d/%m/%Y} sớm hơn phiên bản đang áp dụng "
            f"(từ {latest.effective_from:%d/%m/%Y}): không thể chen một phiên bản vào trước."
        )
    Procedure.update(name=entry.name, name_folded=fold(entry.name), field=entry.field, field_code=field_code).where(
        Procedure.id == row.id).execute()
    if rules_changed:
        current = _to_record(row, latest)
        # A decision an administrator entered still stands for the fee or the time limit the file repeats.
        _write_version(row, entry, latest.version + 1, effective_from, source,
                       fee_source=latest.fee_source if entry.fee_rule == current.fee_rule else "",
                       time_source=latest.time_source if entry.time_rule == current.time_rule else "")
    return "changed"


def _keep_what_the_file_cannot_say(entry: Entry, latest: ProcedureVersion, from_national: bool) -> Entry:
    """The national shape has no per-page formula (it gives the first pages' price): a formula we hold stays.
    A file that leaves the fee to the province (no amount) keeps the amount an administrator entered from the
    province's decision, and with it the procedure's verified mark if it had one."""
    held = records.FeeRule(amount=latest.fee_amount, per=latest.fee_per, formula=latest.fee_formula,
                           note=latest.fee_note)
    if from_national and held.formula:
        return replace(entry, fee_rule=held)
    unknown = entry.fee_rule.amount is None and not entry.fee_rule.formula
    if unknown and latest.fee_source and held.amount is not None:
        return replace(entry, fee_rule=held, verified=entry.verified or latest.verified)
    return entry


def _write_version(row: Procedure, entry: Entry, number: int, effective_from: date, source: str, *,
                   fee_source: str = "", time_source: str = "") -> None:
    version = ProcedureVersion.create(
        procedure=row, version=number, effective_from=effective_from, name=entry.name,
        time_rule_kind=entry.time_rule.kind, time_rule_days=entry.time_rule.days,
        fee_amount=entry.fee_rule.amount, fee_per=entry.fee_rule.per, fee_formula=entry.fee_rule.formula,
        fee_note=entry.fee_rule.note, result_name=entry.result_name, result_code=entry.result_code,
        verified=entry.verified, note=entry.note, source=source, fee_source=fee_source, time_source=time_source,
    )
    ProcedureComponent.bulk_create([
        ProcedureComponent(version=version, position=c.position, code=c.code, name=c.name, form=c.form,
                           optional=c.optional)
        for c in entry.components
    ])


# Lookups --------------------------------------------------------------------------------------


@bound
def get_procedure(ctx: AppContext, code: str, at: date | None = None) -> records.Procedure:
    """The rules in force on `at` (the latest version when `at` is None).

    A date before the first version gets the first version: the shipped catalogue's date is the
    law change of 01/7/2025, not the day the procedure began, and nothing older is known.
    """
    if isinstance(at, datetime):
        at = at.date()
    national = national_form(code)
    if at is not None:  # the usual case (a reception): the procedure and its version in force read together
        in_force = (ProcedureVersion.select(ProcedureVersion, Procedure).join(Procedure)
                    .where(Procedure.code == national, ProcedureVersion.effective_from <= at)
                    .order_by(ProcedureVersion.effective_from.desc(), ProcedureVersion.version.desc()).first())
        if in_force is not None:
            return _to_record(in_force.procedure, in_force)
    row = Procedure.get_or_none(Procedure.code == national)
    if row is None:
        raise NotFound(f"Không có thủ tục mã “{national}” trong danh mục.")
    if at is None:
        return _to_record(row, _latest_version(row))
    first = ProcedureVersion.select().where(ProcedureVersion.procedure == row.id).order_by(
        ProcedureVersion.version).first()
    return _to_record(row, first)


@bound
def procedure_by_version(ctx: AppContext, version_id: int) -> records.Procedure:
    version = ProcedureVersion.get_or_none(ProcedureVersion.id == version_id)
    if version is None:
        raise NotFound(f"Không có phiên bản thủ tục số {version_id} trong danh mục.")
    return _to_record(version.procedure, version)


@bound
def increment_use(ctx: AppContext, procedure_id: int) -> None:
    """One more dossier of this procedure (reception calls it inside its transaction)."""
    use_counted(ctx, procedure_id).execute()
    count_use(ctx, procedure_id)


@bound
def use_counted(ctx: AppContext, procedure_id: int) -> ModelUpdate:
    """The statement counting one more dossier of this procedure (`increment_use`, or a reception's last statement
    on PostgreSQL; follow it with `count_use`)."""
    return Procedure.update(use_count=Procedure.use_count + 1).where(Procedure.id == procedure_id)


def count_use(ctx: AppContext, procedure_id: int) -> None:
    """The catalogue cache's count of the procedure, after `use_counted` ran."""
    cache = ctx.cache.get(CACHE)
    if cache is not None:  # keep the picker's order current without reloading the catalogue
        cache.use_counts[procedure_id] = cache.use_counts.get(procedure_id, 0) + 1


def _latest_version(row: Procedure) -> ProcedureVersion:
    return ProcedureVersion.select().where(ProcedureVersion.procedure == row.id).order_by(
        ProcedureVersion.version.desc()).get()


def _to_record(row: Procedure, version: ProcedureVersion,
               components: Iterable[ProcedureComponent] | None = None) -> records.Procedure:
    if components is None:
        components = ProcedureComponent.select().where(ProcedureComponent.version == version.id).order_by(
            ProcedureComponent.position)
    return records.Procedure(
        id=row.id, code=row.code, name=version.name, field=row.field, field_code=row.field_code, active=row.active,
        version_id=version.id, version=version.version, effective_from=version.effective_from,
        time_rule=records.TimeRule(version.time_rule_kind, version.time_rule_days),
        fee_rule=records.FeeRule(amount=version.fee_amount, per=version.fee_per, formula=version.fee_formula,
                                 note=version.fee_note),
        result_name=version.result_name, result_code=version.result_code, verified=version.verified,
        note=version.note, use_count=row.use_count, source=version.source, fee_source=version.fee_source,
        time_source=version.time_source,
        components=tuple(records.ComponentSpec(position=c.position, code=c.code, name=c.name, form=c.form,
                                               optional=c.optional) for c in components),
    )


# The in-memory catalogue behind the picker ----------------------------------------------------


@dataclass
class _Cache:
    fingerprint: tuple[object, ...]
    procedures: list[records.Procedure]  # the version of each in force on the cache's day, active or not
    folded: list[str]  # fold(name), parallel to procedures
    use_counts: dict[int, int] = field(default_factory=dict)


CACHE = "catalogue"  # ctx.cache key of the context database's _Cache
# ctx.cache key of what a dossier record needs of each procedure version (counter.dossiers.lookup), which includes
# the procedure's field and field code: an import that changes only those adds no version, so it drops this too.
VERSION_FACTS = "procedure_versions"


def invalidate_cache(ctx: AppContext) -> None:
    ctx.cache.pop(CACHE, None)
    ctx.cache.pop(VERSION_FACTS, None)


def _fingerprint(ctx: AppContext) -> tuple[int | None, int, int]:  # newest version id, procedures, active ones
    """Cheap proof that no version was added and no procedure toggled since the cache was built,
    even by another process or a module that forgot to invalidate."""
    database = ctx.database
    return tuple(database.execute_sql(
        'SELECT (SELECT MAX(id) FROM "procedure_version"), (SELECT COUNT(*) FROM "procedure"), '
        f'(SELECT COUNT(*) FROM "procedure" WHERE active = {database.param})', (True,)).fetchone())


def _current(ctx: AppContext, day: date | None) -> _Cache:
    # The day is part of the key: a version announced for the 1st shows from the 1st, as receive_dossier uses it.
    fingerprint = (*_fingerprint(ctx), day or datetime.now(VN_TZ).date())
    cache = ctx.cache.get(CACHE)
    if cache is None or cache.fingerprint != fingerprint:
        procedures = _load_in_force(fingerprint[-1])
        cache = _Cache(fingerprint, procedures, [fold(p.name) for p in procedures],
                       {p.id: p.use_count for p in procedures})
        ctx.cache[CACHE] = cache
    return cache


def _load_in_force(day: date) -> list[records.Procedure]:
    """Every procedure at the version in force on `day` (what receiving would use), or at its first version
    while none is yet; three queries."""
    chosen: dict[int, ProcedureVersion] = {}
    for v in ProcedureVersion.select().order_by(ProcedureVersion.effective_from, ProcedureVersion.version):
        if v.procedure_id not in chosen or v.effective_from <= day:
            chosen[v.procedure_id] = v
    ids = [v.id for v in chosen.values()]
    components: dict[int, list[ProcedureComponent]] = {}
    query = ProcedureComponent.select().where(ProcedureComponent.version.in_(ids)).order_by(
        ProcedureComponent.version, ProcedureComponent.position)
    for c in query:
        components.setdefault(c.version_id, []).append(c)
    return [_to_record(row, chosen[row.id], components.get(chosen[row.id].id, []))
            for row in Procedure.select() if row.id in chosen]


@bound
def list_procedures(ctx: AppContext, active_only: bool = True, at: date | None = None) -> list[records.Procedure]:
    """The versions in force on `at` (default today), ordered by name (accents ignored)."""
    cache = _current(ctx, at)
    chosen = [(f, p) for f, p in zip(cache.folded, cache.procedures, strict=True) if p.active or not active_only]
    chosen.sort(key=lambda fp: (fp[0], fp[1].code))
    return [replace(p, use_count=cache.use_counts.get(p.id, 0)) for _, p in chosen]


@bound
def search_procedures(ctx: AppContext, query: str, limit: int = 20, at: date | None = None) -> list[records.Procedure]:
    """Active procedures (as in force on `at`, default today) whose folded name holds every word of the query,
    or whose code starts with it. Exact code first, then code prefix, then names starting with the query, then
    the most used."""
    cache = _current(ctx, at)
    needle = fold(query)
    words = needle.split()
    code = national_form(query)
    hits = []
    for folded, procedure in zip(cache.folded, cache.procedures, strict=True):
        if not procedure.active:
            continue
        rank = _rank(procedure.code, folded, needle, words, code)
        if rank is not None:
            uses = cache.use_counts.get(procedure.id, 0)
            # Ties: the shorter name first (the plain procedure before its variants), then A–Z.
            hits.append(((rank, -uses, len(folded), folded, procedure.code), procedure, uses))
    hits.sort(key=lambda hit: hit[0])
    return [replace(p, use_count=uses) for _, p, uses in hits[:limit]]


def _rank(code: str, folded: str, needle: str, words: list[str], query_code: str) -> int | None:
    if not needle:
        return 3
    if code == query_code:
        return 0
    if code.startswith(query_code):
        return 1
    if folded.startswith(needle):
        return 2
    if needle in folded:  # the words typed, together and in order
        return 3
    if all(w in folded for w in words):
        return 4
    return None
