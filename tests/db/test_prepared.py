"""db.prepared: a query of a fixed shape built into SQL once per database, then run again with new parameters,
its rows the same models as the select's, on both engines."""

from datetime import date

import pytest

from db import prepared
from db.models import Applicant
from tests.conftest import at


def _by_number(id_number: str):
    return Applicant.select().where(Applicant.id_number == id_number).order_by(Applicant.id)


def _by_name_and_number(name: str, id_number: str):
    return Applicant.select().where((Applicant.full_name == name) & (Applicant.id_number == id_number))


def _add(id_number: str, name: str) -> Applicant:
    return Applicant.create(id_number=id_number, full_name=name, name_folded=name.lower(), birth_date=date(1990, 3, 15),
                            created_at=at("2026-02-13 10:00"), updated_at=at("2026-02-13 10:05"))


def test_the_rows_are_the_select_s_own_and_the_sql_serves_the_next_values(engine_database):
    an, binh = _add("038090012345", "Nguyễn Văn An"), _add("038090054321", "Trần Thị Bình")
    first = prepared.fetch(_by_number, an.id_number)
    built = prepared._BUILT[engine_database][_by_number]
    second = prepared.fetch(_by_number, binh.id_number)
    assert prepared._BUILT[engine_database][_by_number] is built  # not built again
    assert [(a.id, a.full_name) for a in first] == [(an.id, "Nguyễn Văn An")]
    assert [(a.id, a.full_name) for a in second] == [(binh.id, "Trần Thị Bình")]
    row, selected = second[0], _by_number(binh.id_number).get()
    assert row.__data__ == selected.__data__  # every column, converted as the select converts it
    assert row.birth_date == date(1990, 3, 15) and row.created_at == at("2026-02-13 10:00")
    assert prepared.fetch(_by_number, "000000000000") == []


def test_several_parameters_go_in_their_order(engine_database):
    an = _add("038090012345", "Nguyễn Văn An")
    assert [a.id for a in prepared.fetch(_by_name_and_number, "Nguyễn Văn An", an.id_number)] == [an.id]
    assert prepared.fetch(_by_name_and_number, an.id_number, "Nguyễn Văn An") == []


def test_a_query_with_a_value_of_its_own_is_refused(engine_database):
    def constant(id_number: str):  # "An" would be kept in the SQL's parameters, for every id number
        return Applicant.select().where((Applicant.id_number == id_number) & (Applicant.full_name == "An"))

    with pytest.raises(ValueError, match=r"parameters \['038090012345', 'An'\] are not \['038090012345'\]"):
        prepared.fetch(constant, "038090012345")
    assert constant not in prepared._BUILT[engine_database]
