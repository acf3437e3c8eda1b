"""The app's version, from one place: `pyproject.toml`'s `[project] version`.

From the source tree it is read from pyproject.toml itself; a frozen build (packaging/quay-mot-cua.spec) writes
`build_info.json` beside the bundled packages at build time, from that same file, with the build date. No Qt, no
database: printing/ may read it for the forms' footer."""

from __future__ import annotations

import json
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from counter import APP_NAME

DISTRIBUTION = "quay-mot-cua"
BUILD_INFO = "build_info.json"  # written by the spec into the bundle's root (sys._MEIPASS)
_SOURCE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildInfo:
    version: str
    built: str | None  # the build's date and time (UTC, ISO 8601); None when run from the source tree
    frozen: bool


def bundle_root() -> Path:
    """Where the packages are: the one-folder build's `_internal/` (sys._MEIPASS) or the source tree."""
    return Path(getattr(sys, "_MEIPASS", _SOURCE_ROOT))


def read_pyproject_version(pyproject: Path) -> str:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def _read(root: Path, frozen: bool) -> BuildInfo:
    info_file = root / BUILD_INFO
    if info_file.is_file():
        data = json.loads(info_file.read_text(encoding="utf-8"))
        return BuildInfo(str(data["version"]), data.get("built"), frozen)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        return BuildInfo(read_pyproject_version(pyproject), None, frozen)
    try:  # installed as a package without its source tree
        return BuildInfo(metadata.version(DISTRIBUTION), None, frozen)
    except metadata.PackageNotFoundError:
        return BuildInfo("0+unknown", None, frozen)


@cache
def build_info() -> BuildInfo:
    return _read(bundle_root(), frozen=hasattr(sys, "_MEIPASS"))


def version() -> str:
    return build_info().version


def label() -> str:
    """"Quầy Một Cửa 0.1.0": the title of the About box, `--version`, the printed forms' footer."""
    return f"{APP_NAME} {version()}"
