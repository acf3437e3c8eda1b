"""The first run: a new database holds the calendar and the catalogue only; a real office sets itself up (office
and first administrator together); the demo office exists only through `seed_demo`, marked as a demo."""

from dataclasses import replace

import pytest

from counter.errors import Field, SetupRequired, ValidationError
from counter.office import first_run
from counter.office.first_run import is_set_up, set_up_office
from counter.office.profile import get_office, save_office
from counter.office.users import authenticate, create_user, list_users
from counter.records import Office, OfficeSetup
from counter.setup import open_app, seed_demo
from db.models import CalendarDay, Dossier, Procedure, User
from db.models import Office as OfficeRow
from tests.counter.lifecycle_steps import receive

OFFICE = Office(agency_id="000.00.07.H56", office_name="Bộ phận Một cửa", parent_name="UBND XÃ HOẰNG HÓA",
                place_name="Hoằng Hóa", address="Thôn 1, xã Hoằng Hóa", phone="0237 3860 000", workstation=2,
                register_book="01/2026")
SETUP = OfficeSetup(OFFICE, "QuanTri", "Lê Thị Mai", "mat-khau-dai", "mat-khau-dai")


@pytest.fixture
def fresh(tmp_path, clock):
    context = open_app(tmp_path / "fresh", clock=clock)
    yield context
    context.database.close()


def test_a_new_database_has_the_calendar_and_catalogue_but_no_office_and_no_user(fresh):
    assert CalendarDay.select().count() > 0 and Procedure.select().count() > 0
    assert OfficeRow.select().count() == 0 and User.select().count() == 0
    assert not is_set_up(fresh)


def test_receiving_before_set_up_is_refused_saying_how(fresh):
    with pytest.raises(SetupRequired, match=r"main\.py setup --agency-id"):
        receive(fresh)
    assert Dossier.select().count() == 0


def test_set_up_writes_the_office_and_its_administrator_then_codes_are_issued(fresh):
    admin, changes = set_up_office(fresh, SETUP)
    assert (admin.username, admin.full_name, admin.role) == ("quantri", "Lê Thị Mai", "admin")
    assert changes.settings and changes.users
    assert get_office(fresh) == OFFICE  # not a demo
    assert is_set_up(fresh)
    assert authenticate(fresh, "quantri", "mat-khau-dai").id == admin.id
    fresh.user = admin
    assert receive(fresh).code == "000.00.07.H56-260213-2000"  # workstation 2's block


def test_set_up_is_refused_once_done_and_in_the_demo(fresh, ctx):
    set_up_office(fresh, SETUP)
    with pytest.raises(ValidationError, match="đã được thiết lập"):
        set_up_office(fresh, replace(SETUP, admin_username="khac"))
    assert [u.username for u in list_users(fresh)] == ["quantri"]
    with pytest.raises(ValidationError, match="dùng thử"):
        set_up_office(ctx, SETUP)  # `ctx` is the demo
    assert get_office(ctx).agency_id == "000.00.06.H56"


def test_office_without_an_active_administrator_is_not_set_up(fresh):
    set_up_office(fresh, SETUP)
    User.update(active=False).execute()
    assert not is_set_up(fresh)
    with pytest.raises(SetupRequired):
        receive(fresh)


@pytest.mark.parametrize("change, field, message", [
    ({"office": replace(OFFICE, agency_id="000.00.07")}, Field.AGENCY_ID, "000.00.00.H00"),
    ({"office": replace(OFFICE, office_name="  ")}, Field.OFFICE_NAME, "Tên cơ quan"),
    ({"office": replace(OFFICE, parent_name="")}, Field.PARENT_NAME, "Cơ quan chủ quản"),
    ({"office": replace(OFFICE, place_name="")}, Field.PLACE_NAME, "Địa danh"),
    ({"office": replace(OFFICE, workstation=10)}, Field.WORKSTATION, "từ 0 đến 9"),
    ({"office": replace(OFFICE, register_book=" ")}, Field.REGISTER_BOOK, "Quyển số"),
    ({"admin_username": "quan tri"}, Field.USERNAME, "dấu cách"),
    ({"admin_full_name": ""}, Field.FULL_NAME, "Họ tên"),
    ({"password": "ngan123", "password_again": "ngan123"}, Field.PASSWORD, "ít nhất 8"),
    ({"password": "QuanTri1", "password_again": "QuanTri1", "admin_username": "quantri1"}, Field.PASSWORD,
     "trùng với tên"),
    ({"password_again": "mat-khau-dai!"}, Field.PASSWORD_AGAIN, "không khớp"),
])
def test_bad_set_up_names_its_field_and_writes_nothing(fresh, change, field, message):
    with pytest.raises(ValidationError, match=message) as refused:
        set_up_office(fresh, replace(SETUP, **change))
    assert refused.value.field == field
    assert OfficeRow.select().count() == 0 and User.select().count() == 0


def test_set_up_is_atomic(fresh, monkeypatch):
    create_user(fresh, "quantri", "Người khác", "matkhau123", "clerk", now=fresh.clock.now())
    with pytest.raises(ValidationError, match="đã có") as taken:
        set_up_office(fresh, SETUP)
    assert taken.value.field == Field.USERNAME and OfficeRow.select().count() == 0

    def broken(*args, **kw):
        raise ValidationError("hỏng giữa chừng")

    monkeypatch.setattr(first_run, "create_user", broken)
    with pytest.raises(ValidationError, match="hỏng giữa chừng"):
        set_up_office(fresh, replace(SETUP, admin_username="quantri2"))
    assert OfficeRow.select().count() == 0  # the office written before the failure was rolled back


def test_seed_demo_marks_the_demo_once_and_refuses_a_real_office(fresh, tmp_path, clock):
    assert seed_demo(fresh) is True
    assert get_office(fresh).demo is True and is_set_up(fresh)
    assert sorted(u.username for u in User.select()) == ["admin", "canbo", "lanhdao"]
    assert seed_demo(fresh) is False and User.select().count() == 3
    save_office(fresh, replace(get_office(fresh), phone="0237 3861 999", demo=False))
    assert get_office(fresh).demo is True  # the admin page's save never turns a demo into a real office

    real = open_app(tmp_path / "real", clock=clock)
    set_up_office(real, SETUP)
    with pytest.raises(ValidationError, match="không thêm dữ liệu mẫu vào cơ quan thật"):
        seed_demo(real)
    assert get_office(real).demo is False and len(list_users(real)) == 1
    real.database.close()
