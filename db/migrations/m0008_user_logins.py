"""0008: what log-in needs on the user row: failed attempts in a row and the wait they impose (kept across a
restart), a reset password that must be changed at the next log-in, and the last successful log-in.
Existing users keep their passwords, with no wait and nothing to change. Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    for column in ('"failed_logins" INTEGER NOT NULL DEFAULT 0',
                   '"locked_until" TEXT',
                   '"must_change_password" INTEGER NOT NULL DEFAULT 0',
                   '"last_login_at" TEXT'):
        execute(database, f'ALTER TABLE "user" ADD COLUMN {column}')
