"""Quầy của tôi / Cả trung tâm (issue 20): whose dossiers a list shows.

In office mode (a centre's counters on one PostgreSQL database) every list can show the whole centre or this
counter's dossiers only (Dossier.workstation, the number this PC claimed). A list is narrowed by a workstation number;
None is the whole centre. On SQLite one database is one office's single counter (several windows on one file share
its number): there is nothing to choose and the filter is not offered.

The default, and why: a clerk's board is their own desk's work (what they received today, what they must chase, whom
to call), so a clerk starts on "Quầy của tôi"; a leader answers for the centre (Biểu 06, the register, every late
dossier), so a leader or an administrator starts on "Cả trung tâm". Either switches with one key. Looking someone up
(the board's search box, a receipt scanned) always searches the whole centre: any counter serves any citizen.
"""

from __future__ import annotations

from counter.context import AppContext
from counter.office import workstations
from counter.office.roles import CLERK

MINE, CENTRE = "Quầy của tôi", "Cả trung tâm"


def offered(ctx: AppContext) -> bool:
    """Whether this app chooses between its counter and the centre: office mode, with this PC's number."""
    return ctx.workstation is not None and workstations.office_mode(ctx)


def my_counter(ctx: AppContext) -> int | None:
    """This counter's number to narrow a list by; None when the filter is not offered (the database is one counter)."""
    return ctx.workstation if offered(ctx) else None


def default(ctx: AppContext) -> int | None:
    """The list's narrowing at log-in: this counter for a clerk, the whole centre (None) for anyone else."""
    if ctx.user is not None and ctx.user.role == CLERK:
        return my_counter(ctx)
    return None


def label(workstation: int | None) -> str:
    return CENTRE if workstation is None else f"{MINE} (quầy {workstation})"


def report_scope(ctx: AppContext, workstation: int | None) -> str:
    """How a report (Biểu 06, the register, the scorecard) names whose dossiers it counts: in office mode "Quầy số 3"
    or "Cả trung tâm", whichever this PC's number is; on SQLite "" (one database is one counter: nothing to say)."""
    if not workstations.office_mode(ctx):
        return ""
    return CENTRE if workstation is None else f"Quầy số {workstation}"


def file_part(report_scope: str) -> str:
    """The scope in an exported file's name: "quay-3", "ca-trung-tam"; "" for one counter."""
    if not report_scope:
        return ""
    if report_scope == CENTRE:
        return "ca-trung-tam"
    return "quay-" + report_scope.rsplit(" ", 1)[-1]
