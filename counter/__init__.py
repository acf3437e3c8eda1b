"""Quầy Một Cửa domain: plain Python, no Qt. One function per user intent."""

APP_ID = "quay-mot-cua"
APP_NAME = "Quầy Một Cửa"


def __getattr__(name: str) -> str:
    """`counter.__version__`: pyproject.toml's, through counter.version (the one place it is written)."""
    if name == "__version__":
        from counter.version import version
        return version()
    raise AttributeError(name)
