"""What an intent changed, so that each screen refreshes only what it shows (Anki's OpChanges).

Every intent returns one `Changes` (with its record where it has one: `(Dossier, Changes)`); the UI
announces it once on the app-level `changed` signal and each view asks the fields it cares about. A
`Changes()` with nothing set is falsy: nothing changed (the same scan attached again, nothing to retry).
Two are merged with `|` (a reception and the earlier papers it reused).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Changes:
    dossiers: frozenset[str] = frozenset()  # codes of dossiers whose state, dates, fees, history or conflict changed
    scans: frozenset[str] = frozenset()  # codes of dossiers whose digitised papers changed (their page shows them)
    guidance: frozenset[int] = frozenset()  # ids of Mẫu 02 guidance given (nothing received)
    sync_queue: bool = False  # entries of the sync queue were added or changed state (counts, the Đồng bộ list)
    to_send: bool = False  # something is newly due for the province: a background sync should run soon
    settings: bool = False  # the office, sync or scan settings, or the code ledger (how this machine is set up)
    users: bool = False
    calendar: bool = False  # holidays, rest days, make-up working days (time left and due dates follow them)
    catalogue: bool = False  # procedures, their papers, fees and time rules
    print_log: bool = False  # a form was printed or saved as PDF

    def __or__(self, other: Changes) -> Changes:
        if not isinstance(other, Changes):
            return NotImplemented
        return Changes(**{f.name: getattr(self, f.name) | getattr(other, f.name) for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def touches(self, code: str) -> bool:
        """Whether what a page shows of dossier `code` changed: its record or its scans."""
        return code in self.dossiers or code in self.scans


NOTHING = Changes()


def dossier_changed(code: str, *, queued: bool = True) -> Changes:
    """A desk's change to one dossier: its record, and (`queued`) its update waiting for the province."""
    return Changes(dossiers=frozenset((code,)), sync_queue=queued, to_send=queued)


def merge(changes: Iterable[Changes]) -> Changes:
    """All of them as one (NOTHING for none)."""
    merged = NOTHING
    for change in changes:
        merged |= change
    return merged
