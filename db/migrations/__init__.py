"""Numbered schema migrations. Each module `mNNNN_name.py` has `apply(database)`; add new ones
at the end of `MIGRATIONS` and never edit one that has shipped."""

from __future__ import annotations

from typing import Protocol

from peewee import Database

from db.migrations import (
    m0001_initial,
    m0002_lifecycle,
    m0003_attachments,
    m0004_sync_status,
    m0005_stop_notice,
    m0006_step_due,
    m0007_field_code,
    m0008_user_logins,
    m0009_audit,
    m0010_calendar_versions,
    m0011_demo_office,
    m0012_fee_time_source,
    m0013_report_indexes,
    m0014_dossier_conclusion,
    m0015_lookup_indexes,
    m0016_dossier_workstation,
    m0017_dossier_digest,
    m0018_conclusion_verdict,
    m0019_register_number_unique,
    m0020_workstation_claim,
    m0021_scan_blob,
    m0022_live_change,
    m0023_lean_indexes,
    m0024_pg_period_index,
    m0025_live_prune_batched,
    m0026_pg_digest_once,
    m0027_outbox_oldest,
)


class Migration(Protocol):
    """What a migration module offers (mypy checks each module in `MIGRATIONS` against it)."""

    def apply(self, database: Database) -> None: ...


MIGRATIONS: list[tuple[int, Migration]] = [
    (1, m0001_initial),
    (2, m0002_lifecycle),
    (3, m0003_attachments),
    (4, m0004_sync_status),
    (5, m0005_stop_notice),
    (6, m0006_step_due),
    (7, m0007_field_code),
    (8, m0008_user_logins),
    (9, m0009_audit),
    (10, m0010_calendar_versions),
    (11, m0011_demo_office),
    (12, m0012_fee_time_source),
    (13, m0013_report_indexes),
    (14, m0014_dossier_conclusion),
    (15, m0015_lookup_indexes),
    (16, m0016_dossier_workstation),
    (17, m0017_dossier_digest),
    (18, m0018_conclusion_verdict),
    (19, m0019_register_number_unique),
    (20, m0020_workstation_claim),
    (21, m0021_scan_blob),
    (22, m0022_live_change),
    (23, m0023_lean_indexes),
    (24, m0024_pg_period_index),
    (25, m0025_live_prune_batched),
    (26, m0026_pg_digest_once),
    (27, m0027_outbox_oldest),
]
