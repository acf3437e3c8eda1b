"""The office row as one intent reads it: from the database the first time a step asks for it, then the same row.

A reception asks for the office row six times (is the office set up, its set-up day, the hours of its due date, its
agency id and book, is it the demonstration, the code ledger's agency), each a round trip to the server in office
mode. Inside `read_once` the first read is kept for the rest of the block; outside one every call reads the row, as
before. The block must not write the office row (an intent that does, such as saving the office, opens none)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from db.models import Office

_held: ContextVar[list[Office | None] | None] = ContextVar("office_row_held", default=None)


def office_row() -> Office | None:
    """The office row (None before an office is configured): read now, or the one this block read first."""
    held = _held.get()
    if held is None:
        return Office.get_or_none()
    if not held:
        held.append(Office.get_or_none())
    return held[0]


@contextmanager
def read_once() -> Iterator[None]:
    """The office row read at most once in the block (`office_row`)."""
    token = _held.set([])
    try:
        yield
    finally:
        _held.reset(token)
