"""Two databases in one process, as office mode will hold several counters: each context reaches only its own (two
SQLite files, or with --engine=postgresql two databases of the throwaway cluster, one per data folder).

No process default is bound during these tests (`unbind`), so anything that reached the models without a context
in use would fail here instead of silently reading whichever database was opened last.
"""

import ast
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from counter.clock import FixedClock
from counter.dossiers import board, lifecycle, reception
from counter.dossiers.lookup import count_dossiers, get_dossier, recent_dossiers
from counter.errors import NotFound
from counter.office.profile import get_office, save_office
from counter.office.users import authenticate, create_user, list_users
from counter.records import ApplicantInput, DossierDraft
from counter.setup import open_demo
from counter.sync.outbox import waiting_count
from db.database import bind, database_in_use, unbind
from db.models import Dossier, DossierHistory, OutboxEntry
from tests.conftest import at

B_AGENCY = "000.00.07.H56"
AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An")
BINH = ApplicantInput(id_number="038190054321", full_name="Trần Thị Bình")


def draft(applicant: ApplicantInput) -> DossierDraft:
    return DossierDraft(procedure_code="1.004873", applicant=applicant)


@pytest.fixture
def a_and_b(tmp_path):
    """Two counters' databases, each in its own data folder; B is another office with one more user."""
    a = open_demo(tmp_path / "a", clock=FixedClock(at("2026-02-13 10:00")))
    b = open_demo(tmp_path / "b", clock=FixedClock(at("2026-02-13 10:00")))
    save_office(b, replace(get_office(b), agency_id=B_AGENCY, office_name="Bộ phận Một cửa xã Hoằng Hóa"))
    create_user(b, "chib", "Chỉ Ở Bê", "matkhau-b", now=b.clock.now())
    a.user, b.user = authenticate(a, "canbo", "canbo123"), authenticate(b, "canbo", "canbo123")
    unbind()  # from here on, a model reached without a context in use fails
    yield a, b
    bind(a.database)  # as a fixture that opened one database would leave it
    a.database.close()
    b.database.close()


def test_dossiers_received_in_both_interleaved_stay_in_their_own_database(a_and_b):
    a, b = a_and_b
    made = {"a": [], "b": []}
    for applicant, which in ((AN, "a"), (BINH, "b"), (AN, "a"), (AN, "b"), (BINH, "a")):
        ctx = a if which == "a" else b
        made[which].append(reception.receive_dossier(ctx, draft(applicant))[0].code)
    assert made["a"] == [f"000.00.06.H56-260213-000{n}" for n in (1, 2, 3)]  # each database numbers its own
    assert made["b"] == [f"{B_AGENCY}-260213-000{n}" for n in (1, 2)]
    assert [r.code for r in recent_dossiers(a)] == made["a"][::-1]
    assert [r.code for r in recent_dossiers(b)] == made["b"][::-1]
    assert (count_dossiers(a), count_dossiers(b)) == (3, 2)
    assert (waiting_count(a), waiting_count(b)) == (6, 4)  # each dossier's upsert and first step
    assert [r.code for r in board.find(a, "tran thi binh")] == [made["a"][2]]
    assert [r.code for r in board.find(b, "tran thi binh")] == [made["b"][0]]
    with pytest.raises(NotFound):
        get_dossier(a, made["b"][0])
    assert (get_office(a).agency_id, get_office(b).agency_id) == ("000.00.06.H56", B_AGENCY)
    assert "chib" in {u.username for u in list_users(b)} and "chib" not in {u.username for u in list_users(a)}


def test_a_second_thread_reaches_its_own_context_while_the_first_holds_the_other(a_and_b):
    a, b = a_and_b
    first, _ = reception.receive_dossier(a, draft(AN))
    inside, seen = threading.Barrier(2), {}

    def counter_b():
        try:
            with b.bound():
                inside.wait(5)  # the main thread is inside a.bound() now
                seen["received"] = reception.receive_dossier(b, draft(BINH))[0].code
                seen["rows"] = Dossier.select().count()
                seen["office"] = get_office(b).agency_id
                seen["users"] = sorted(u.username for u in list_users(b))
                inside.wait(5)
        finally:
            b.database.close()  # this thread's connection

    worker = threading.Thread(target=counter_b)
    worker.start()
    with a.bound():
        inside.wait(5)
        assert Dossier.select().count() == 1 and get_office(a).agency_id == "000.00.06.H56"
        inside.wait(5)
    worker.join(10)
    assert seen == {"received": f"{B_AGENCY}-260213-0001", "rows": 1, "office": B_AGENCY,
                    "users": ["admin", "canbo", "chib", "lanhdao"]}
    assert [r.code for r in recent_dossiers(a)] == [first.code]
    assert [r.code for r in recent_dossiers(b)] == [seen["received"]]


def test_an_intent_of_a_while_b_is_bound_writes_to_a(a_and_b):
    a, b = a_and_b
    reception.receive_dossier(b, draft(BINH))
    with b.bound():
        received, _ = reception.receive_dossier(a, draft(AN))
        handed, _ = lifecycle.handover(a, received.code, "Công chức Tư pháp - Hộ tịch")
        assert database_in_use() is b.database  # the intent bound A only while it ran
        assert [d.code for d in Dossier.select()] == [f"{B_AGENCY}-260213-0001"]
    assert handed.unit == "Công chức Tư pháp - Hộ tịch" and handed.code == received.code
    with a.bound():
        assert [h.action for h in DossierHistory.select().order_by(DossierHistory.id)] == ["receive", "handover"]
        assert OutboxEntry.select().where(OutboxEntry.kind == "step").count() == 2
    with b.bound():
        assert [h.action for h in DossierHistory.select()] == ["receive"]


def test_a_transaction_of_a_opened_while_b_is_bound_holds_the_models_on_a(a_and_b, monkeypatch):
    a, b = a_and_b

    def fail(step):
        if step == "outbox":
            assert database_in_use() is a.database and a.database.in_transaction()
            assert not b.database.in_transaction()
            raise RuntimeError("power cut")

    with monkeypatch.context() as patch:  # only this patch undone: not the test's machine folder (conftest)
        patch.setattr(reception, "written", fail)
        with b.bound(), pytest.raises(RuntimeError, match="power cut"):
            reception.receive_dossier(a, draft(AN))
    assert (count_dossiers(a), waiting_count(a)) == (0, 0)  # rolled back on A, where it was written
    assert reception.receive_dossier(b, draft(AN))[0].code == f"{B_AGENCY}-260213-0001"
    with a.transaction():
        assert database_in_use() is a.database
        with b.transaction():  # another context's transaction inside: its own database, its own lock
            assert database_in_use() is b.database and b.database.in_transaction()
        assert database_in_use() is a.database


def test_every_public_counter_function_that_names_a_model_takes_the_context_and_binds_it():
    """The rule the tests above rely on, read from the source (ast): a public function of counter/ whose body
    uses a db.models model takes `ctx` first and is decorated `@bound`."""
    offenders = []
    for path in sorted((Path(__file__).resolve().parents[2] / "counter").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        models = {alias.asname or alias.name for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("db.models")
                  for alias in node.names}
        for function in tree.body:
            if not isinstance(function, ast.FunctionDef) or function.name.startswith("_"):
                continue
            used = {n.id for statement in function.body for n in ast.walk(statement) if isinstance(n, ast.Name)}
            first = function.args.args[0].arg if function.args.args else None
            decorated = any(isinstance(d, ast.Name) and d.id == "bound" for d in function.decorator_list)
            if used & models and not (first == "ctx" and decorated):
                offenders.append(f"{path.name}:{function.lineno} {function.name}")
    assert offenders == []
