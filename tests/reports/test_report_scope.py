"""The reports of one counter and of the whole centre (issue 20: Quầy của tôi / Cả trung tâm), on SQLite and on the
real throwaway PostgreSQL (tests/pg.py): Biểu số 06, its figures' dossiers, the on-time trend and the register of
each counter add up to the centre's, every cell; in office mode the reports and their files say whose dossiers they
count ("Quầy số 2", "Cả trung tâm") and a centre's register names each line's counter and clerk in a column of its
own; on SQLite (one counter) nothing is said and the register keeps the form's columns."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from counter.context import AppContext
from counter.dossiers import scope
from counter.errors import ValidationError
from counter.reports import scorecard
from counter.reports.periods import date_range, parse_period
from counter.reports.register import build_register
from counter.reports.stats import compute_stats, resolved_by_month
from db.database import is_postgres
from db.models import Dossier, User
from printing.register_pdf import COUNTER_COLUMN
from tests.db.conftest import engine_database  # noqa: F401  (once on SQLite, once on PostgreSQL)
from tests.reports import stats_history as h
from ui.reports.export import BY_KEY, make

COUNTERS = (1, 2, 3)
OCTOBER, NOVEMBER = parse_period("2026-10"), parse_period("2026-11")
SEPT_TO_NOV = date_range(date(2026, 9, 1), date(2026, 11, 30))
SCALARS = ("refused", "supplements", "apologies", "withdrawals", "stops")
PARTS = {"satisfaction": ("very_satisfied", "satisfied", "dissatisfied", "returned"),
         "digitisation": ("received", "papers_scanned", "reused", "resolved", "results_scanned"),
         "sync": ("received", "synced", "waiting", "attention", "not_queued")}


@pytest.fixture
def centre(engine_database, tmp_path, clock):  # noqa: F811
    """October's history (every counting case) spread over counters 1–3: each dossier at one of them."""
    ctx = AppContext(database=engine_database, data_dir=tmp_path / "data", clock=clock)
    h.october(ctx)
    with ctx.bound():
        ids = [d.id for d in Dossier.select(Dossier.id).order_by(Dossier.id)]
        for i, dossier_id in enumerate(ids):
            Dossier.update(workstation=COUNTERS[i % 3]).where(Dossier.id == dossier_id).execute()
    return ctx


def cells(row):
    return (*row.columns(), row.withdrawn, row.stopped)


def summed(rows):
    return tuple(sum(values) for values in zip(*rows, strict=True))


def side(stats):
    return (*(getattr(stats, name) for name in SCALARS),
            *(getattr(getattr(stats, part), name) for part, names in PARTS.items() for name in names),
            tuple(sorted((r.label, r.count) for r in stats.refused_by)))


@pytest.mark.parametrize("period", [OCTOBER, NOVEMBER, SEPT_TO_NOV], ids=["october", "november", "three-months"])
@pytest.mark.parametrize("by", ["field", "clerk", "procedure"])
def test_the_centres_biểu_06_is_the_sum_of_its_counters(centre, period, by):
    whole = compute_stats(centre, period, by)
    parts = {n: compute_stats(centre, period, by, workstation=n) for n in COUNTERS}
    assert whole.total.received > 0 and all(p.workstation == n for n, p in parts.items())
    assert sum(p.total.received > 0 for p in parts.values()) >= 2  # the history really is spread
    assert summed(cells(p.total) for p in parts.values()) == cells(whole.total)
    for row in whole.rows:  # each line of the table, too
        assert summed(cells(r) for p in parts.values() for r in p.rows if r.key == row.key) == cells(row), row.label
    assert {r.key for p in parts.values() for r in p.rows} == {r.key for r in whole.rows}
    figures = [side(p) for p in parts.values()]
    numbers = [f[:-1] for f in figures]
    assert summed(numbers) == side(whole)[:-1]
    refused_by: dict[str, int] = {}
    for f in figures:
        for label, count in f[-1]:
            refused_by[label] = refused_by.get(label, 0) + count
    assert tuple(sorted(refused_by.items())) == side(whole)[-1]


def test_the_figures_dossiers_and_the_trend_of_each_counter_make_the_centres(centre):
    now = h.at("2026-11-02 09:00")
    whole = compute_stats(centre, OCTOBER)
    counted = {f.key: f.value for f in scorecard.figures(compute_stats(centre, OCTOBER, workstation=2))}
    for figure in scorecard.figures(whole):
        if figure.key.startswith(scorecard.REFUSED_IN):
            continue
        listed = scorecard.figure_dossiers(centre, OCTOBER, figure.key, now)
        per_counter = [scorecard.figure_dossiers(centre, OCTOBER, figure.key, now, n) for n in COUNTERS]
        assert sorted(r.code for rows in per_counter for r in rows) == sorted(r.code for r in listed), figure.key
        assert len(per_counter[1]) == counted[figure.key], figure.key  # counter 2's list is its figure
    with centre.bound():
        codes = {d.code: d.workstation for d in Dossier.select()}
    for n, rows in zip(COUNTERS, ([scorecard.figure_dossiers(centre, OCTOBER, "late_now", now, n)
                                   for n in COUNTERS]), strict=True):
        assert all(codes[r.code] == n for r in rows)
    months = [resolved_by_month(centre, parse_period("2026-09"), NOVEMBER, n) for n in COUNTERS]
    whole_months = resolved_by_month(centre, parse_period("2026-09"), NOVEMBER)
    assert whole_months and set().union(*months) == set(whole_months)
    for month, counts in whole_months.items():
        assert summed(m.get(month, (0, 0)) for m in months) == counts


def test_the_register_of_each_counter_makes_the_centres(centre):
    whole = build_register(centre, start=date(2026, 9, 1), end=date(2026, 11, 30))
    parts = [build_register(centre, start=date(2026, 9, 1), end=date(2026, 11, 30), workstation=n) for n in COUNTERS]
    assert sorted(line.code for p in parts for line in p.lines) == sorted(line.code for line in whole.lines)
    assert all(line.workstation == p.workstation for p in parts for line in p.lines)
    with centre.bound():
        clerks = {u.id: u.full_name for u in User.select()}
        received_by = {d.code: clerks.get(d.received_by_id, "") for d in Dossier.select()}
    line = next(x for x in whole.lines if received_by[x.code])
    assert line.counter_clerk == f"Quầy {line.workstation} — {received_by[line.code]}"
    if is_postgres(centre.database):
        assert (whole.scope, whole.counter_column) == ("Cả trung tâm", True)
        assert (parts[1].scope, parts[1].counter_column) == ("Quầy số 2", False)
        assert parts[1].scope_label == "Phạm vi: Quầy số 2" and whole.scope_label == "Phạm vi: Cả trung tâm"
    else:  # one counter: as before
        assert (whole.scope, whole.counter_column, whole.scope_label) == ("", False, "")
        assert parts[1].scope_label == "Quầy tiếp nhận: 2"
    with pytest.raises(ValidationError, match="Số máy tiếp nhận phải từ 0 đến 9"):
        compute_stats(centre, OCTOBER, workstation=10)


def sheet(path: Path):
    return load_workbook(io.BytesIO(path.read_bytes())).active


def row_of(ws, column: int, value):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == value)


def test_the_exported_files_say_whose_dossiers_they_count(centre, tmp_path):
    office = is_postgres(centre.database)
    keep_going = lambda done, total: True  # noqa: E731
    files = {}
    for n in (None, 2):
        for key in ("register_xlsx", "stats_xlsx"):
            said = scope.report_scope(centre, n)
            name = BY_KEY[key].suggested(OCTOBER, scope.file_part(said))
            folder = tmp_path / str(n)  # on SQLite both are named alike
            folder.mkdir(exist_ok=True)
            files[key, n] = make(centre, key, OCTOBER, folder / name, keep_going, n)
    names = {k: p.name for k, p in files.items()}
    if office:
        assert names["register_xlsx", None] == "so-theo-doi-ho-so-ca-trung-tam-2026-10-01-2026-10-31.xlsx"
        assert names["stats_xlsx", 2] == "bieu-06-quay-2-2026-10-01-2026-10-31.xlsx"
    else:
        assert names["register_xlsx", None] == names["register_xlsx", 2] == (
            "so-theo-doi-ho-so-2026-10-01-2026-10-31.xlsx")
        assert names["stats_xlsx", None] == "bieu-06-2026-10-01-2026-10-31.xlsx"

    register_all, register_2 = sheet(files["register_xlsx", None]), sheet(files["register_xlsx", 2])
    whole = build_register(centre, start=OCTOBER.start, end=OCTOBER.end)
    if office:
        assert register_all["A6"].value == "Phạm vi: Cả trung tâm" and register_2["A6"].value == "Phạm vi: Quầy số 2"
        assert register_all.max_column == 16 and register_all.cell(7, 16).value == COUNTER_COLUMN[0]
        assert register_all.cell(9, 16).value == "(16)" and register_2.max_column == 15
        for i, line in enumerate(whole.lines):
            assert register_all.cell(10 + i, 2).value == line.code
            assert register_all.cell(10 + i, 16).value == line.counter_clerk
        assert {register_all.cell(10 + i, 16).value.split(" — ")[0] for i in range(len(whole.lines))} == {
            "Quầy 1", "Quầy 2", "Quầy 3"}
    else:
        assert not register_all["A6"].value and register_all.max_column == 15
        assert register_2["A6"].value == "Quầy tiếp nhận: 2"
    mine = [line.code for line in whole.lines if line.workstation == 2]
    assert mine and [register_2.cell(10 + i, 2).value for i in range(len(mine))] == mine
    assert register_2.cell(10 + len(mine), 1).value == f"Tổng số: {len(mine)} hồ sơ."

    for n in (None, 2):
        ws = sheet(files["stats_xlsx", n])
        stats = compute_stats(centre, OCTOBER, workstation=n)
        heading = ws["A5"].value
        if office:
            assert heading.endswith("Phạm vi: Cả trung tâm" if n is None else "Phạm vi: Quầy số 2")
        else:
            assert "Phạm vi" not in heading
        total = row_of(ws, 2, "Tổng cộng")
        assert [ws.cell(total, c).value for c in range(3, 14)] == list(stats.total.columns())
    totals = [sheet(files["stats_xlsx", n]).cell(row_of(sheet(files["stats_xlsx", n]), 2, "Tổng cộng"), 3).value
              for n in (None, 2)]
    assert 0 < totals[1] < totals[0]


def test_the_file_part_of_a_scope():
    assert scope.file_part("") == ""
    assert scope.file_part(scope.CENTRE) == "ca-trung-tam"
    assert scope.file_part("Quầy số 7") == "quay-7"


def test_the_pdfs_say_whose_dossiers_they_count(centre):
    from counter.reports.records import Scorecard
    from printing.register_pdf import build_register_pdf
    from printing.scorecard_pdf import build_scorecard_pdf
    from printing.stats_pdf import build_stats_pdf
    from tests.printing.pdf import page_texts

    def text(pdf: bytes) -> str:
        return " ".join(" ".join(page_texts(pdf)).split())

    office = is_postgres(centre.database)
    whole = build_register(centre, start=OCTOBER.start, end=OCTOBER.end)
    one = build_register(centre, start=OCTOBER.start, end=OCTOBER.end, workstation=3)
    register_all, register_3 = text(build_register_pdf(whole)), text(build_register_pdf(one))
    stats = compute_stats(centre, OCTOBER, workstation=3)
    stats_3 = text(build_stats_pdf(stats, whole.office))
    card = Scorecard(stats=stats, now=h.at("2026-11-02 09:00"), on_time=0, resolved=0, trend=(),
                     figures=scorecard.figures(stats), late=(), soon_late=(), indicators=scorecard.indicators(stats))
    card_3 = text(build_scorecard_pdf(card, whole.office))
    if office:
        assert "Phạm vi: Cả trung tâm" in register_all and "Quầy, người tiếp nhận" in register_all
        assert "(16)" in register_all and "Quầy 1 —" in register_all
        assert "Phạm vi: Quầy số 3" in register_3 and "Quầy, người tiếp nhận" not in register_3
        assert "Phạm vi: Quầy số 3" in stats_3 and "Phạm vi: Quầy số 3" in card_3
    else:
        assert "Phạm vi" not in register_all + stats_3 + card_3 and "Quầy, người tiếp nhận" not in register_all
        assert "(15)" in register_all and "(16)" not in register_all
