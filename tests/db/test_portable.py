"""db.portable: counter/'s raw SQL, written once in SQLite's spelling, read the same on PostgreSQL."""

import re

from peewee import Column, Table

from db import portable
from db.models import Applicant
from db.portable import to_postgres


def test_parameters_hints_and_limits_are_translated_outside_quotes():
    sql = ("SELECT a, '50% at :s or ?', \"x:y\" FROM t CROSS JOIN u ON u.id = t.id "
           "WHERE +t.at < :s AND (+b = ?) AND c LIKE 'a%' AND d = :carried = 1 LIMIT -1")
    assert to_postgres(sql) == (
        "SELECT a, '50%% at :s or ?', \"x:y\" FROM t JOIN u ON u.id = t.id "
        "WHERE t.at < %(s)s AND (b = %s) AND c LIKE 'a%%' AND d = %(carried)s = 1 LIMIT ALL")


def test_index_choices_go_and_comments_are_left_alone_apostrophes_included():
    sql = ("SELECT 1 FROM h INDEXED BY h_dossier_id -- the report's rows, at :s\n"
           "WHERE h.d = :d LIMIT -1 -- 100%\nAND 'x--y' = ?")
    assert to_postgres(sql) == ("SELECT 1 FROM h -- the report's rows, at :s\n"
                                "WHERE h.d = %(d)s LIMIT ALL -- 100%%\nAND 'x--y' = %s")


def test_arithmetic_and_casts_are_left_alone():
    assert to_postgres("SELECT a + b, x::text, 1 +2 FROM t") == "SELECT a + b, x::text, 1 +2 FROM t"


def test_a_glob_becomes_an_anchored_regular_expression(engine_database):
    sql, pattern = portable.glob(engine_database, "code", "[0-9][0-9].[A-Z]-*?", negate=True)
    if portable.is_postgres(engine_database):
        assert (sql, pattern) == ("code !~ ?", r"^[0-9][0-9]\.[A-Z]\-.*.$")
        assert re.match(pattern, "12.H-x9") and not re.match(pattern, "12.h-x9")
    else:
        assert (sql, pattern) == ("code NOT GLOB ?", "[0-9][0-9].[A-Z]-*?")
    condition = "? " + sql.split(" ", 1)[1]  # the text to match as a parameter in place of the column
    for text, shaped in (("12.H-x9", True), ("12.h-x9", False), ("12.H-", False)):
        rows = portable.execute(engine_database, f"SELECT 1 WHERE {condition}", (text, pattern)).fetchall()
        assert len(rows) == (0 if shaped else 1), text


def test_named_parameters_run_on_both_engines(engine_database):
    rows = portable.execute(engine_database, "SELECT :x || '%', CASE WHEN :n = 1 THEN 'one' ELSE 'other' END",
                            {"x": "50", "n": 1}).fetchall()
    assert [tuple(r) for r in rows] == [("50%", "one")]


def test_the_trigram_search_and_position_agree_on_both_engines(engine_database):
    for i, name in enumerate(["nguyen van an", "dang van anh", "le thi 50%_x"], start=1):
        Applicant.insert(id_number=f"03809001234{i}", full_name=name, name_folded=name, address_folded="",
                         created_at="2026-02-13T10:00:00+07:00", updated_at="2026-02-13T10:00:00+07:00").execute()
    search = Table("applicant_search")

    def found(phrase):
        query = (search.select(Column(search, "rowid")).where(portable.contains(engine_database, search,
                                                                                 "name_folded", phrase)))
        return sorted(r[0] for r in query.tuples().execute(engine_database))

    assert found("van an") == [1, 2]
    assert found(" an") == [1, 2]
    assert found("50%_") == [3]  # LIKE's wildcards taken literally
    assert found("0%x") == []
    at = portable.position(engine_database, Applicant.name_folded, "van")
    assert sorted(a.id for a in Applicant.select().where(at > 0)) == [1, 2]
    assert [a.id for a in Applicant.select().where(at == 6)] == [2]  # from 1, as SQLite's instr counts


def test_ids_given_by_a_bulk_copy_are_reserved_in_the_sequences(engine_database):
    Applicant.insert(id=41, id_number="038090012345", full_name="a", name_folded="a", address_folded="",
                     created_at="2026-02-13T10:00:00+07:00", updated_at="2026-02-13T10:00:00+07:00").execute()
    portable.reserve_ids(engine_database, {"applicant": 50})
    row = Applicant.create(id_number="038090012346", full_name="b", name_folded="b", address_folded="",
                           created_at="2026-02-13T10:00:00+07:00", updated_at="2026-02-13T10:00:00+07:00")
    assert row.id == (50 if portable.is_postgres(engine_database) else 42)
