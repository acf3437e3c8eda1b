"""The models' proxy routes to the database in use in this thread or task, else to the bind() default."""

import threading

import pytest

from db.database import bind, database_in_use, db, in_use, make_database, unbind
from db.migrate import migrate
from db.models import Meta


@pytest.fixture
def two(tmp_path):
    databases = []
    for name in ("a", "b"):
        database = make_database(tmp_path / f"{name}.sqlite3")
        migrate(database)
        database.execute_sql("INSERT INTO meta (key, value) VALUES ('name', ?)", (name,))
        databases.append(database)
    yield databases
    for database in databases:
        database.close()


def name() -> str:
    return Meta.get(Meta.key == "name").value


def test_the_default_serves_where_nothing_is_in_use_and_in_use_wins_inside(two):
    a, b = two
    bind(a)
    assert name() == "a" and database_in_use() is a
    with in_use(b):
        assert name() == "b" and db.obj is b
        with in_use(a):
            assert name() == "a"
        assert name() == "b"
    assert name() == "a"


def test_each_thread_routes_on_its_own(two):
    a, b = two
    bind(a)
    inside, done = threading.Barrier(2), []

    def other_thread():
        assert name() == "a"  # a new thread starts with nothing in use: the default
        with in_use(b):
            inside.wait(5)  # the main thread is inside in_use(a) now
            done.append(name())
            inside.wait(5)
        b.close()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with in_use(a):
        inside.wait(5)
        assert name() == "a"
        inside.wait(5)
    worker.join(5)
    assert done == ["b"]


def test_without_a_default_the_models_reach_only_a_database_in_use(two):
    a, b = two
    unbind()
    try:
        with pytest.raises(AttributeError, match="uninitialized"):
            name()
        with in_use(b):
            assert name() == "b"
    finally:
        bind(a)
