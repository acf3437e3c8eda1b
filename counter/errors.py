"""Typed errors. Each carries a plain Vietnamese message the UI and the CLI show as they are.

A ValidationError about one value the clerk typed or picked names it with a `Field`: the screens put
the cursor there through their own field → widget map, so a message can be reworded freely.
"""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    """The inputs a ValidationError can be about: stable names, never words of the message."""

    # The applicant (reception)
    ID_NUMBER = "id_number"
    OLD_ID_NUMBER = "old_id_number"
    NAME = "name"  # the applicant's full name
    BIRTH_DATE = "birth_date"
    PHONE = "phone"
    ADDRESS = "address"  # the applicant's
    # The dossier handed in (reception)
    PROCEDURE = "procedure"
    COMPONENTS = "components"  # the papers: required ones handed over, quantities, pages of copies
    SUMMARY = "summary"  # trích yếu (TrichYeuHoSo)
    SETS = "sets"
    FEE_UNITS = "fee_units"
    FEE_EXEMPT_REASON = "fee_exempt_reason"
    # The actions on a dossier
    REASON = "reason"  # the one reason an action asks for: refusal, Mẫu 02, rating, delay, withdrawal, stop
    SUPPLEMENT_ITEMS = "supplement_items"  # the papers a Mẫu 02 asks to supply or correct
    UNIT = "unit"  # where the paper file is handed over to
    FEE_NAME = "fee_name"
    FEE_AMOUNT = "fee_amount"
    RESULT_NUMBER = "result_number"
    RESULT_NAME = "result_name"
    COLLECTOR_NAME = "collector_name"
    COLLECTOR_ID = "collector_id"
    RATING = "rating"
    NEW_DUE = "new_due"
    SIGNER_NAME = "signer_name"
    # Look-up and scans
    DOSSIER_CODE = "dossier_code"
    VALID_UNTIL = "valid_until"
    # The first-run set-up: the office and its first administrator
    AGENCY_ID = "agency_id"
    OFFICE_NAME = "office_name"
    PARENT_NAME = "parent_name"
    PLACE_NAME = "place_name"
    WORKSTATION = "workstation"
    REGISTER_BOOK = "register_book"
    USERNAME = "username"
    FULL_NAME = "full_name"  # a user's (the applicant's is NAME)
    PASSWORD = "password"
    PASSWORD_AGAIN = "password_again"


class CounterError(Exception):
    """Base of every error the domain raises on purpose; `str(e)` is the Vietnamese message."""

    field: Field | None = None  # the input it is about; only a ValidationError names one


class DiskFull(CounterError):
    """No space left where the data lives: nothing was saved (the transaction rolled back, the files removed)."""


def is_disk_full(error: BaseException | None) -> bool:
    """Whether `error`, or one it was raised while handling, is SQLite's "database or disk is full" (SQLITE_FULL:
    SQLite then rolls the transaction back itself, and the ROLLBACK that follows fails with "no transaction")."""
    while error is not None:
        if "database or disk is full" in str(error):
            return True
        error = error.__cause__ or error.__context__
    return False


class ValidationError(CounterError):
    """Bad input from the user or a script: nothing was written. `field` names the input when the error is
    about one (None: about several, or about none the clerk typed)."""

    def __init__(self, message: str, field: Field | None = None):
        super().__init__(message)
        self.field = field


class NotFound(CounterError):
    """A code, id or name that does not exist."""


class CodeBlockExhausted(CounterError):
    """This workstation has used all 1,000 codes of its block for the day."""


class IllegalTransition(CounterError):
    """The dossier's state does not allow that action."""


class AuthError(CounterError):
    """Wrong username or password (never says which)."""


class SetupRequired(CounterError):
    """No office is set up in this database yet (its agency id and an active administrator): nothing that
    issues a dossier code may run until it is."""


class PermissionDenied(CounterError):
    """The logged-in user's role may not do that (e.g. only a leader signs an apology)."""


class DatabaseUnusable(CounterError):
    """The database file cannot be opened safely (not a database, cut short, damaged, read-only, the disk full):
    nothing was written to it. The CLI prints the message and exits 2; the app shows it in a dialog."""


class DatabaseBusy(CounterError):
    """The centre's PostgreSQL database kept refusing the transaction (other counters' transactions in the way: a
    lock not granted in time, a deadlock, a serialization failure) after the retries: nothing was saved."""


class DatabaseUnreachable(CounterError):
    """The connection to the centre's database server was lost or refused, after the retries. `saved_unknown`: it
    broke while the work was being committed, so whether it was saved is not known until the server answers."""

    def __init__(self, message: str, *, saved_unknown: bool = False):
        super().__init__(message)
        self.saved_unknown = saved_unknown
