"""Applicants: one row per 12-digit id number, reused across visits, found by name without accents."""

from __future__ import annotations

import re
from datetime import date, datetime

from peewee import Column, Expression, Table

from counter import records
from counter.context import AppContext, bound
from counter.dossiers.cccd import validate_id_number
from counter.errors import Field, ValidationError
from counter.text import ADDRESS_MAX, NAME_MAX, ascii_digits, clean_line, fold, nfc
from db.models import Applicant, Dossier
from db.portable import contains, position

ID_RE = re.compile(r"^\d{12}$", re.ASCII)
OLD_ID_RE = re.compile(r"^\d{9}$", re.ASCII)
PHONE_RE = re.compile(r"^\+?\d{9,12}$", re.ASCII)
SEARCH = Table("applicant_search")  # the folded names, searched by trigrams (migration 0001)
SEARCH_ROWID = Column(SEARCH, "rowid")


def to_record(row: Applicant) -> records.Applicant:
    return records.Applicant(
        id=row.id, id_number=row.id_number, full_name=row.full_name, old_id_number=row.old_id_number,
        birth_date=row.birth_date, sex=row.sex, address=row.address, phone=row.phone, email=row.email,
    )


def clean(data: records.ApplicantInput, today: date | None = None) -> records.ApplicantInput:
    """Normalised input, or a ValidationError naming the field that is wrong (`today`: the day the papers are
    handed in, after which nobody is born)."""
    id_number = validate_id_number(data.id_number)
    check_birth_date(data.birth_date, today)
    old_id = ascii_digits((data.old_id_number or "").strip(), "Số CMND cũ", Field.OLD_ID_NUMBER) or None
    if old_id and not OLD_ID_RE.fullmatch(old_id):
        raise ValidationError(f"Số CMND cũ phải gồm đúng 9 chữ số (đã nhập “{old_id}”).", Field.OLD_ID_NUMBER)
    name = require_name(data.full_name)
    phone = national_phone(ascii_digits(data.phone or "", "Số điện thoại", Field.PHONE))
    if phone and not PHONE_RE.fullmatch(phone):
        raise ValidationError(f"Số điện thoại “{data.phone}” không hợp lệ.", Field.PHONE)
    return records.ApplicantInput(
        id_number=id_number, full_name=name, old_id_number=old_id, birth_date=data.birth_date,
        sex=nfc(data.sex), address=clean_line(data.address, "Địa chỉ", ADDRESS_MAX, Field.ADDRESS),
        phone=phone, email=(data.email or "").strip(),
    )


def check_birth_date(birth: date | None, today: date | None) -> date | None:
    """A birth date after `today` is a typing slip (the reception screen asks this as the clerk types)."""
    if birth and today and birth > today:
        raise ValidationError(f"Ngày sinh {birth:%d/%m/%Y} ở tương lai: hãy kiểm tra lại.", Field.BIRTH_DATE)
    return birth


def require_name(full_name: str) -> str:
    """The applicant's name in NFC; every paper the counter gives out names the person, so none is written
    without it (the reception screen asks this before the Mẫu 02 dialog too)."""
    name = clean_line(full_name, "Họ tên người nộp hồ sơ", NAME_MAX, Field.NAME)
    if not name:
        raise ValidationError("Chưa nhập họ tên người nộp hồ sơ.", Field.NAME)
    return name


@bound
def upsert(ctx: AppContext, data: records.ApplicantInput, now: datetime) -> Applicant:
    """The applicant with this id number, created or updated with the details given (blank keeps old)."""
    data = clean(data)
    row = Applicant.get_or_none(Applicant.id_number == data.id_number)
    values = {
        "full_name": data.full_name, "name_folded": fold(data.full_name),
        "old_id_number": data.old_id_number, "birth_date": data.birth_date, "sex": data.sex,
        "address": data.address, "address_folded": fold(data.address), "phone": data.phone, "email": data.email,
    }
    if row is None:
        return Applicant.create(id_number=data.id_number, created_at=now, updated_at=now, **values)
    # Keep what the clerk left blank this time; overwrite what changed.
    changed = {k: v for k, v in values.items() if v not in (None, "") and getattr(row, k) != v}
    if changed:
        Applicant.update(updated_at=now, **changed).where(Applicant.id == row.id).execute()
        # The row as stored now, without reading it back: what was written, each value as its field reads it.
        for name, value in {**changed, "updated_at": now}.items():
            field = Applicant._meta.fields[name]
            setattr(row, name, field.python_value(field.db_value(value)))
    return row


@bound
def find_by_id_number(ctx: AppContext, id_number: str) -> records.Applicant | None:
    row = Applicant.get_or_none(Applicant.id_number == id_number.strip())
    return to_record(row) if row else None


@bound
def search_by_name(ctx: AppContext, text: str, limit: int = 50) -> list[records.Applicant]:
    """Applicants whose name matches `text`, typed with or without accents ('nguyen van an'): see `name_ids`."""
    ids = name_ids(ctx, text, limit)
    rows = Applicant.select().where(Applicant.id.in_(ids)) if ids else []
    return sorted((to_record(r) for r in rows), key=lambda a: fold(a.full_name))


# What a clerk expects of a short search: three letters or more match inside the name ("van an" finds "Nguyễn Văn
# An" and "Đặng Văn Anh"), as the trigram index answers. Two letters inside a name match nearly everyone ("an" is in
# Tuấn, Lan, Hoàng…), so two letters match the start of any word of the name: "vu" finds "Vũ Văn Hải" and
# "Nguyễn Vũ An", "an" finds "Lê Văn An" and "Anh" but not "Tuấn" (a clerk types a family name or a given name from
# its start). One letter is a search still being typed: the start of the name only, from the name's index.
WORD_START_BELOW = 3


@bound
def name_ids(ctx: AppContext, text: str, limit: int) -> list[int]:
    """Ids of at most `limit` applicants whose folded name matches `text` as `name_condition` says, from indexes:
    the trigram index for three letters or more and for a word start inside the name (" vu" is a trigram), the
    name's own index for its start."""
    needle = fold(text)
    if not needle:
        return []
    ids: list[int] = []
    if len(needle) >= WORD_START_BELOW - 1:
        phrase = needle if len(needle) >= WORD_START_BELOW else " " + needle
        found = (SEARCH.select(SEARCH_ROWID).where(contains(ctx.database, SEARCH, "name_folded", phrase))
                 .limit(limit).tuples().execute(ctx.database))
        ids = [r[0] for r in found]
    if len(needle) < WORD_START_BELOW and len(ids) < limit:
        # A range, not LIKE (case-insensitive in SQLite), so the index on name_folded answers it.
        starts = Applicant.select(Applicant.id).where(_starts(needle)).limit(limit - len(ids))
        ids += [a.id for a in starts if a.id not in ids]
    return ids


@bound
def name_condition(ctx: AppContext, text: str) -> Expression:
    """The same match as a condition on Applicant rows, for a query that walks dossiers in another index's order and
    keeps those of matching applicants (when too many applicants match to list them)."""
    needle = fold(text)
    if len(needle) >= WORD_START_BELOW:
        return position(ctx.database, Applicant.name_folded, needle) > 0
    if len(needle) == WORD_START_BELOW - 1:
        return _starts(needle) | (position(ctx.database, Applicant.name_folded, " " + needle) > 0)
    return _starts(needle)


def _starts(needle: str) -> Expression:
    return (Applicant.name_folded >= needle) & (Applicant.name_folded < needle + "\uffff")


def national_phone(phone: str) -> str:
    """'+84 912.345.678', '84912345678', '(0912) 345 678' → '0912345678': one form stored, one searched."""
    phone = re.sub(r"[\s.\-()]", "", phone)
    international = re.fullmatch(r"\+?84(\d{9,10})", phone)
    return "0" + international.group(1) if international else phone


@bound
def find_by_phone(ctx: AppContext, phone: str, limit: int = 50) -> list[records.Applicant]:
    phone = national_phone(phone)
    forms = [phone, "+84" + phone[1:]] if phone.startswith("0") else [phone]  # rows stored before the rule
    return [to_record(r) for r in Applicant.select().where(Applicant.phone.in_(forms)).limit(limit)]


@bound
def dossier_codes_of(ctx: AppContext, applicant_id: int, limit: int = 20) -> list[str]:
    query = (Dossier.select(Dossier.code).where(Dossier.applicant == applicant_id)
             .order_by(Dossier.received_at.desc()).limit(limit))
    return [d.code for d in query]
