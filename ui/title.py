"""The app's name in window titles: a demonstration database says so in every one ("BẢN DÙNG THỬ")."""

from __future__ import annotations

from counter import APP_NAME
from counter.context import AppContext
from counter.office.first_run import is_demo

DEMO_TITLE = "BẢN DÙNG THỬ"


def app_title(ctx: AppContext) -> str:
    return f"{APP_NAME} — {DEMO_TITLE}" if is_demo(ctx) else APP_NAME
