"""Data only: fonts, seed data, icons. `path()` finds them from source and from a frozen build."""

import sys
from pathlib import Path

_ROOT = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "resources"


def path(*parts: str) -> Path:
    return _ROOT.joinpath(*parts)
