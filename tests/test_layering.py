"""Nothing under counter/, db/ or printing/ may import PySide6 (DESIGN.md: the domain runs without Qt)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_FREE = ("counter", "db", "printing")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_pyside6_import_outside_ui():
    offenders = [str(p.relative_to(ROOT)) for package in QT_FREE for p in (ROOT / package).rglob("*.py")
                 if {"PySide6", "shiboken6", "ui"} & _imports(p)]
    assert offenders == []


def test_domain_imports_without_qt_loaded():
    """Importing every Qt-free module in a fresh interpreter leaves PySide6 unloaded."""
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts) for package in QT_FREE
               for p in (ROOT / package).rglob("*.py")]
    modules = [m.removesuffix(".__init__") for m in modules]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
