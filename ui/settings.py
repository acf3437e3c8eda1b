"""UI state (idle lock, window geometry) in an INI file beside the database.

Business configuration lives in the database (counter/); this file only holds what the
screen remembers. Keeping it in the data directory makes every data directory, and every
test's temporary one, self-contained.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings

from counter.context import AppContext

FILE_NAME = "ui.ini"


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    kind: type


IDLE_MINUTES = Option("session/idle_minutes", 10.0, float)  # 0 or less: never lock
MAIN_GEOMETRY = Option("main_window/geometry", None, bytes)


def ui_settings(ctx: AppContext) -> QSettings:
    return QSettings(str(ctx.data_dir / FILE_NAME), QSettings.Format.IniFormat)


def read(settings: QSettings, option: Option) -> Any:
    value = settings.value(option.key)
    if value is None:
        return option.default
    try:
        return option.kind(value)
    except (TypeError, ValueError):
        return option.default


def write(settings: QSettings, option: Option, value: Any) -> None:
    settings.setValue(option.key, value)
