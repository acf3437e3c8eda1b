"""The register (Mẫu 07): one line per dossier received, in reception order, with Mẫu 01's running number and the
hand-over and return columns taken from the history the intents wrote."""

from datetime import date

import pytest

from counter.errors import ValidationError
from counter.reports.register import build_register
from counter.status import Status
from tests.conftest import at
from tests.counter.lifecycle_steps import UNIT
from tests.reports.register_history import LONG_NAME, build


@pytest.fixture
def history(ctx, clock):
    return build(ctx, clock)


def test_one_line_per_dossier_received_in_the_range_in_reception_order(ctx, history):
    register = build_register(ctx, start=date(2026, 2, 13), end=date(2026, 2, 28))
    assert [line.code for line in register.lines] == [history.returned, history.withdrawn, history.apologised,
                                                      history.company]  # not the refused one, nor the 12/02 one
    assert [line.number for line in register.lines] == [2, 3, 4, 5]  # Mẫu 01's numbers: 1 went on 12/02
    assert register.books == ("01/2026",) and register.book == ""
    assert (register.start, register.end) == (date(2026, 2, 13), date(2026, 2, 28))
    assert register.period_label == "Từ ngày 13/02/2026 đến ngày 28/02/2026"
    assert register.office.register_book == "01/2026"


def test_hand_over_and_return_columns_come_from_the_history(ctx, history):
    lines = {line.code: line for line in build_register(ctx, start=date(2026, 2, 13), end=date(2026, 2, 13)).lines}
    line = lines[history.returned]
    assert (line.procedure_code, line.procedure_name, line.field) == (
        "1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch")
    assert (line.applicant_name, line.sets) == ("Nguyễn Văn An", 1)
    assert line.address_phone == "Thôn 3, Xã Quảng Hùng, Thanh Hóa; ĐT: 0912345678"
    assert line.received_at == at("2026-02-13 08:00")
    assert line.due_at is not None and line.due_at > line.received_at
    assert (line.sent_at, line.lead_unit) == (at("2026-02-13 14:00"), UNIT)
    assert line.result_at == at("2026-02-16 09:00")
    assert line.returned_at == at("2026-02-17 08:30")
    assert (line.returned_by, line.collected_by) == ("Nguyễn Thị Hoa", "Nguyễn Văn Cường")
    assert line.status == Status.RETURNED
    assert line.note == "Người được ủy quyền nhận thay"

    withdrawn = lines[history.withdrawn]
    assert (withdrawn.sent_at, withdrawn.result_at, withdrawn.returned_at) == (None, None, None)
    assert withdrawn.note == "Rút hồ sơ ngày 13/02/2026"

    apologised = lines[history.apologised]
    assert apologised.due_at == at("2026-03-02 10:00")
    assert apologised.note == ("Yêu cầu bổ sung ngày 13/02/2026; Xin lỗi, hẹn lại ngày trả 10:00 02/03/2026 (Mẫu 04); "
                               "Trạng thái: Đang xử lý")
    company = lines[history.company]
    assert company.applicant_name == LONG_NAME and company.sets == 2
    assert company.lead_unit == "" and company.sent_at is None
    assert company.note == "Trạng thái: Được tiếp nhận"


def test_a_book_holds_every_dossier_numbered_in_it(ctx, history):
    register = build_register(ctx, book="01/2026")
    assert [line.number for line in register.lines] == [1, 2, 3, 4, 5]
    assert (register.start, register.end) == (date(2026, 2, 12), date(2026, 2, 13))
    assert register.book_label == "Quyển số 01/2026"


def centre_said(on_postgres: bool, scope: str = "Cả trung tâm") -> str:
    """What a register adds to its scope line in office mode (PostgreSQL): whose dossiers it holds."""
    return f"; Phạm vi: {scope}" if on_postgres else ""


def test_one_field_or_one_procedure(ctx, history, on_postgres):
    by_field = build_register(ctx, book="01/2026", field_name="chung thuc")  # typed without accents
    assert [line.code for line in by_field.lines] == [history.company]
    assert by_field.field == "Chứng thực"
    assert by_field.scope_label == "Lĩnh vực: Chứng thực" + centre_said(on_postgres)
    by_procedure = build_register(ctx, start=date(2026, 2, 13), end=date(2026, 2, 13), procedure="1.004873")
    assert [line.code for line in by_procedure.lines] == [history.returned, history.withdrawn, history.apologised]
    assert by_procedure.procedure == "1.004873 — Cấp Giấy xác nhận tình trạng hôn nhân"


def test_an_empty_range_is_an_empty_register_that_says_so(ctx, history, on_postgres):
    register = build_register(ctx, start=date(2026, 1, 1), end=date(2026, 1, 31), field_name="Hộ tịch")
    assert register.empty and register.lines == () and register.books == ()
    assert register.empty_label == ("Không có hồ sơ nào được tiếp nhận trong kỳ này (Lĩnh vực: Hộ tịch"
                                    f"{centre_said(on_postgres)}).")


@pytest.mark.parametrize("kw, words", [
    ({"start": date(2026, 2, 14), "end": date(2026, 2, 13)}, "Ngày kết thúc 13/02/2026 ở trước ngày bắt đầu"),
    ({"book": "09/2019"}, "Không có quyển sổ “09/2019”"),
    ({"book": "01/2026", "field_name": "Thiên văn"}, "Không có lĩnh vực “Thiên văn”"),
    ({"book": "01/2026", "procedure": "9.999999"}, "Không có thủ tục mã “9.999999”"),
    ({"start": date(2026, 2, 14)}, "Hãy chọn quyển sổ"),
])
def test_bad_input_is_one_vietnamese_sentence(ctx, history, kw, words):
    with pytest.raises(ValidationError) as error:
        build_register(ctx, **kw)
    assert words in str(error.value) and "\n" not in str(error.value)


def test_two_queries_whatever_the_number_of_lines(ctx, history):
    from counter.reports import register as module

    statements = []
    ctx.database.execute_sql = _counting(ctx.database.execute_sql, statements)
    try:
        module._lines(module.Dossier.status.not_in(module.NOT_RECEIVED))
    finally:
        del ctx.database.execute_sql
    assert len(statements) == 2, statements


def _counting(execute, statements):
    def run(sql, params=None, *args, **kw):
        statements.append(sql)
        return execute(sql, params, *args, **kw)
    return run


def test_the_procedure_is_named_as_at_reception(ctx, history):
    """The procedure renamed since (its identity's name): the register keeps the name of the version the dossier was
    received under."""
    from db.models import Procedure

    with ctx.bound():
        Procedure.update(name="Tên mới của thủ tục").where(Procedure.code == "1.004873").execute()
    line = build_register(ctx, book="01/2026").lines[1]
    assert line.procedure_name == "Cấp Giấy xác nhận tình trạng hôn nhân"


def test_a_range_across_two_books_names_the_book_with_each_number(ctx, history):
    from dataclasses import replace

    register = build_register(ctx, start=date(2026, 2, 12), end=date(2026, 2, 13))
    assert register.number_label(register.lines[0]) == "1"
    spanning = replace(register, books=("01/2026", "02/2026"))
    assert spanning.number_label(register.lines[0]) == "01/2026-1"
    assert spanning.book_label == "Quyển số 01/2026, 02/2026"
    assert replace(spanning, book="01/2026").number_label(register.lines[0]) == "1"


def test_a_centres_register_names_each_lines_counter_and_clerk_and_narrows_to_one(ctx, history, on_postgres):
    """Issue 20: the lines carry the receiving counter and clerk; `workstation` keeps one counter's dossiers."""
    from db.models import Dossier, User

    with ctx.bound():
        Dossier.update(workstation=5).where(Dossier.code == history.withdrawn).execute()
        clerks = {u.id: u.full_name for u in User.select()}
        received_by = {d.code: clerks.get(d.received_by_id, "") for d in Dossier.select()}
    whole = build_register(ctx, start=date(2026, 2, 13), end=date(2026, 2, 28))
    assert {line.code: line.workstation for line in whole.lines}[history.withdrawn] == 5
    assert all(line.received_by == received_by[line.code] and line.received_by for line in whole.lines)
    one = build_register(ctx, start=date(2026, 2, 13), end=date(2026, 2, 28), workstation=5)
    assert [line.code for line in one.lines] == [history.withdrawn]
    if on_postgres:  # office mode: whose dossiers, said; a centre's register names each line's counter
        assert (one.scope_label, whole.scope_label) == ("Phạm vi: Quầy số 5", "Phạm vi: Cả trung tâm")
        assert whole.counter_column and not one.counter_column
    else:
        assert one.scope_label == "Quầy tiếp nhận: 5" and whole.scope_label == "" and not whole.counter_column
    assert one.workstation == 5
    with pytest.raises(ValidationError, match="Số máy tiếp nhận phải từ 0 đến 9"):
        build_register(ctx, start=date(2026, 2, 13), end=date(2026, 2, 28), workstation=12)
