"""Quầy Một Cửa domain: plain Python, no Qt. One function per user intent."""

import db  # noqa: F401  # first, before any peewee import: peewee without psycopg, which only office mode needs

APP_ID = "quay-mot-cua"
APP_NAME = "Quầy Một Cửa"


def __getattr__(name: str) -> str:
    """`counter.__version__`: pyproject.toml's, through counter.version (the one place it is written)."""
    if name == "__version__":
        from counter.version import version
        return version()
    raise AttributeError(name)
