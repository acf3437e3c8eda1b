"""Office mode: each counter's connections name its workstation to the server (db.database.application_name), so a
restore refused while counters are connected says which counters (counter.office.server_backups)."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg
import pytest

from counter import backups
from counter.office import local_config, server_backups, workstations
from counter.restore import RestoreError
from db import pg_dump
from db.database import APPLICATION, application_name
from tests.db.test_pg_backups import office  # noqa: F401  (the fixture: workstation 2, one dossier with a scan)


def names(pg_cluster, pg_url: str) -> list[str]:
    dbname = urlsplit(pg_url).path.lstrip("/")
    with psycopg.connect(pg_cluster.url()) as conn:
        return sorted(r[0] for r in conn.execute(
            "SELECT application_name FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
            (dbname,)))


def test_the_name_says_the_workstation_and_the_pc_in_ascii():
    assert application_name(None, "QUAY-3") == APPLICATION == "quay-mot-cua"
    assert application_name(3, "QUAY-3") == "quay-mot-cua may3 QUAY-3"
    assert application_name(7, "Máy Đồng Hới") == "quay-mot-cua may7 May-Dong-Hoi"
    assert application_name(1, "") == "quay-mot-cua may1"
    assert len(application_name(9, "x" * 200)) == 63


def test_a_counter_connects_under_its_workstation_and_a_refused_restore_names_it(office, pg_cluster, pg_url):  # noqa: F811
    machine = local_config.load().machine_name
    assert names(pg_cluster, pg_url) == [application_name(2, machine)]  # renamed when it claimed 2

    workstations.claim(office, 5)  # a PC that changes its number is shown under its new one
    assert names(pg_cluster, pg_url) == [application_name(5, machine)]

    record = backups.make_backup(office)
    with pytest.raises(RestoreError, match="còn 1 kết nối") as refused:
        server_backups.restore_centre(pg_dump.Server.of(office.database), record.path, office.clock.now(), "quantri")
    assert "quầy số 5 trên máy " in str(refused.value)


def test_a_pc_opens_the_centre_under_the_number_its_configuration_holds(office, pg_cluster, pg_url, tmp_path):  # noqa: F811
    from counter.setup import open_office_database

    office.database.close()
    again = open_office_database(pg_url, tmp_path / "data", clock=office.clock)
    try:
        again.database.connect(reuse_if_open=True)
        assert names(pg_cluster, pg_url) == [application_name(2, local_config.load().machine_name)]
    finally:
        again.database.close()


def test_connections_in_words():
    sessions = [pg_dump.Session(1, "quay-mot-cua may3 QUAY-3", "qmc", "10.0.0.3", "08:01:02"),
                pg_dump.Session(2, "quay-mot-cua", "qmc", "", "08:05:00"),
                pg_dump.Session(3, "psql", "postgres", "", "09:00:00")]
    assert server_backups.connected_text(sessions) == (
        "quầy số 3 trên máy QUAY-3 (qmc, từ 10.0.0.3, kết nối lúc 08:01:02); một quầy chưa có số máy tiếp nhận "
        "(qmc, từ chính máy chủ, kết nối lúc 08:05:00); psql (postgres, từ chính máy chủ, kết nối lúc 09:00:00)")
