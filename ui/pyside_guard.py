"""A guard against a reference-counting bug of PySide6 6.12.0 on Python 3.11.

In that release every signal emitted from Python drops one reference to `True` too many, and every
Python slot called from C++ drops one to its return value (`None`). Python 3.12 made those objects
immortal, so nothing happens there; on 3.11 their counts reach zero after a few hundred emits and the
interpreter aborts ("Fatal Python error: bool_dealloc" / "none_dealloc") — in the running app as in
the test suite. PySide6 6.11.3 does not have the bug. Until the pinned PySide6 is changed, give those
singletons a count no session can use up. Import-free of Qt on purpose (the test set-up calls it first).
"""

from __future__ import annotations

import ctypes
import sys
from importlib import metadata

AFFECTED = ("6.12.0",)
HEADROOM = 1 << 40  # references added to each singleton: far beyond any session's emits


def needed() -> bool:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    try:
        return metadata.version("shiboken6") in AFFECTED
    except metadata.PackageNotFoundError:
        return False


def pin_singletons() -> bool:
    """Make True, False and None practically immortal when the installed PySide6 needs it; once only."""
    if not needed() or getattr(sys, "_qmc_singletons_pinned", False):
        return False
    for singleton in (True, False, None):
        ctypes.c_ssize_t.from_address(id(singleton)).value += HEADROOM  # ob_refcnt: CPython's first field
    sys._qmc_singletons_pinned = True
    return True
