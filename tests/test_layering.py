"""The layering rule of DESIGN.md, all of it, read from the imports of every module (ast).

    main.py ──► cli/ ──► counter/ ──► db/
          └───► ui/ ──► counter/          printing/ reads counter's records only
                  └───► printing/         devtools/ (demo data, reference server) is a tool beside them

Each rule names what a package may not reach; `violations(root)` lists every offending import with the
rule it breaks, and the planted-module test shows the check cannot pass on a tree that breaks one.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cli", "counter", "db", "devtools", "printing", "ui")
QT = ("PySide6", "shiboken6")
# printing turns records into PDFs: it may read these counter modules (frozen records, the status vocabulary,
# text and time formatting) and nothing that queries or writes.
PRINTING_MAY_READ = ("counter.records", "counter.status", "counter.text", "counter.clock", "counter.reports.records",
                    "counter.version")
# Calls that open or steer a transaction: only the domain may hold one, and outside it only the storage layer's
# migrations and the demo-data bulk writer (a tool that writes a million rows without the domain's intents).
TRANSACTION_CALLS = ("atomic", "transaction", "savepoint", "manual_commit")
TRANSACTION_TOOLS = ("db/migrate.py", "db/migrations/", "devtools/demo/writer.py")
# Module names that reach the database by themselves.
DATABASE = ("db", "peewee", "sqlite3", "psycopg")
# Inside counter/, a transaction is opened by the context (`ctx.transaction()` binds the models to its database
# first): only counter/context.py calls peewee's transaction methods itself.
CONTEXT_MODULE = "counter/context.py"


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.imported} — {self.rule}"


def _under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


# (package the rule applies to, predicate on the imported module name, the rule in words)
RULES = (
    ("counter", lambda n: _under(n, *QT), "counter/ is the domain: no Qt"),
    ("db", lambda n: _under(n, *QT), "db/ is storage: no Qt"),
    ("printing", lambda n: _under(n, *QT), "printing/ makes PDFs with reportlab: no Qt"),
    ("cli", lambda n: _under(n, *QT), "cli/ runs without a display: no Qt"),
    ("devtools", lambda n: _under(n, *QT), "devtools/ runs without a display: no Qt (screenshots live in ui/)"),
    ("db", lambda n: _under(n, "counter", "printing", "ui", "cli", "devtools", "resources", "tests", "main"),
     "db/ imports nothing of ours"),
    ("counter", lambda n: _under(n, "printing", "ui", "cli", "devtools", "tests", "main"),
     "counter/ depends on db/ and resources/ only"),
    ("printing", lambda n: _under(n, "counter") and not _under(n, *PRINTING_MAY_READ),
     "printing/ reads counter's records only (" + ", ".join(PRINTING_MAY_READ) + ")"),
    ("printing", lambda n: _under(n, *DATABASE, "ui", "cli", "devtools", "tests", "main"),
     "printing/ reads counter's records only: no database, no screens"),
    ("ui", lambda n: _under(n, *DATABASE), "widgets call counter/, never db/ or peewee"),
    ("ui", lambda n: _under(n, "cli", "tests", "main"), "ui/ does not reach the command line or the tests"),
    ("cli", lambda n: _under(n, *DATABASE, "ui", "tests"), "cli/ calls counter/, never db/, peewee or ui/"),
    ("devtools", lambda n: _under(n, "ui", "cli", "printing", "tests", "main"),
     "devtools/ sits on counter/ and db/ only"),
    ("main.py", lambda n: _under(n, "db", "peewee", "tests"), "main.py reaches the domain through cli/ and ui/"),
)


def _package(rel: Path) -> str:
    return rel.parts[0] if len(rel.parts) > 1 else rel.name


def _module_name(rel: Path) -> str:
    return ".".join(rel.with_suffix("").parts).removesuffix(".__init__")


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module.split(".") if node.module else []
        if node.level:  # relative: `.` is the importing module's package, each further dot one package up
            package = module.split(".") if is_package else module.split(".")[:-1]
            base = package[: len(package) - (node.level - 1)] + base
        # `from counter import records` imports counter.records: judge the submodule, not the package
        return [".".join([*base, alias.name]) for alias in node.names]
    if isinstance(node, ast.Call) and _dynamic_import(node) and node.args:
        target = node.args[0]  # importlib.import_module("db.models") / __import__("peewee")
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            return [target.value]
    return []


def _dynamic_import(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Name) and func.id in ("__import__", "import_module")) or (
        isinstance(func, ast.Attribute) and func.attr == "import_module")


def _transaction_call(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TRANSACTION_CALLS:
        return node.func.attr
    return None


def _context_transaction(node: ast.Call) -> bool:
    """`ctx.transaction()` or `self.ctx.transaction()`: the context's own, bound transaction."""
    receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
    if isinstance(receiver, ast.Attribute):
        return node.func.attr == "transaction" and receiver.attr == "ctx"
    return node.func.attr == "transaction" and isinstance(receiver, ast.Name) and receiver.id == "ctx"


def source_files(root: Path) -> list[Path]:
    files = [p for package in PACKAGES for p in (root / package).rglob("*.py")]
    return files + ([root / "main.py"] if (root / "main.py").exists() else [])


def violations(root: Path) -> list[Violation]:
    found = []
    for path in source_files(root):
        rel = path.relative_to(root)
        package, module, is_package = _package(rel), _module_name(rel), path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _imported(node, module, is_package):
                found += [Violation(str(rel), node.lineno, name, rule) for applies, breaks, rule in RULES
                          if applies == package and breaks(name)]
            call = _transaction_call(node)
            if call and package != "counter" and not rel.as_posix().startswith(TRANSACTION_TOOLS):
                found.append(Violation(str(rel), node.lineno, f".{call}()",
                                       "no transaction is opened outside counter/"))
            elif call and package == "counter" and rel.as_posix() != CONTEXT_MODULE and not _context_transaction(node):
                found.append(Violation(str(rel), node.lineno, f".{call}()",
                                       "counter/ opens transactions with ctx.transaction(), bound to its database"))
    return found


def test_the_tree_keeps_every_layering_rule():
    assert [str(v) for v in violations(ROOT)] == []


def test_nothing_outside_tests_imports_tests():
    offenders = [str(v) for v in violations(ROOT) if v.imported.split(".")[0] == "tests"]
    assert offenders == []
    assert not (ROOT / "tests" / "provincial_server").exists()  # the reference server is a tool (devtools/)


PLANTED = {
    "db/planted.py": ("from counter.clock import Clock\n", "db/ imports nothing of ours"),
    "counter/planted.py": ("from PySide6.QtCore import QObject\n", "counter/ is the domain: no Qt"),
    "counter/dossiers/planted.py": ("from printing import mau01\n", "counter/ depends on db/ and resources/ only"),
    "printing/planted.py": ("from counter.dossiers.lookup import get_dossier\n",
                            "printing/ reads counter's records only"),
    "ui/board/planted.py": ("from db.models import Dossier\n", "widgets call counter/, never db/ or peewee"),
    "ui/planted.py": ("import peewee\n", "widgets call counter/, never db/ or peewee"),
    "ui/admin/planted.py": ("def save(ctx):\n    with ctx.database.atomic('IMMEDIATE'):\n        pass\n",
                            "no transaction is opened outside counter/"),
    "counter/sync/planted.py": ("def save(ctx):\n    with ctx.database.atomic('IMMEDIATE'):\n        pass\n",
                                "counter/ opens transactions with ctx.transaction()"),
    "devtools/planted.py": ("from tests.conftest import at\n", "devtools/ sits on counter/ and db/ only"),
    "cli/planted.py": ("from ..db import models\n", "cli/ calls counter/, never db/, peewee or ui/"),
    # the import forms a quick grep would miss
    "ui/sync/planted.py": ("from ... import db\n", "widgets call counter/, never db/ or peewee"),
    "counter/scans/__init__.py": ("from .. import dossiers\nfrom ... import printing\n",
                                  "counter/ depends on db/ and resources/ only"),
    "ui/dossiers/planted.py": ("import importlib\n\ndef rows():\n    return importlib.import_module('db.models')\n",
                               "widgets call counter/, never db/ or peewee"),
    "cli/dynamic.py": ("models = __import__('peewee')\n", "cli/ calls counter/, never db/, peewee or ui/"),
    "ui/raw.py": ("import sqlite3\n", "widgets call counter/, never db/ or peewee"),
    "devtools/provincial.py": ("def save(database):\n    with database.atomic():\n        pass\n",
                               "no transaction is opened outside counter/"),
}


def test_a_planted_violation_is_named_with_its_rule(tmp_path):
    """Each planted module breaks one rule; the check names the module, the import and the rule."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    for rel, (source, _) in PLANTED.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    found = violations(tmp_path)
    for rel, (_, rule) in PLANTED.items():
        assert any(v.module == rel and v.rule.startswith(rule) for v in found), (rel, [str(v) for v in found])
    assert len({v.module for v in found}) == len(PLANTED)


def test_a_clean_module_passes(tmp_path):
    (tmp_path / "printing").mkdir()
    (tmp_path / "printing" / "fine.py").write_text("from counter.records import Dossier\nfrom counter import text\n")
    (tmp_path / "counter").mkdir()
    (tmp_path / "counter" / "fine.py").write_text("def save(ctx):\n    with ctx.transaction():\n        pass\n")
    assert violations(tmp_path) == []


def test_domain_imports_without_qt_loaded():
    """Importing every Qt-free module in a fresh interpreter leaves PySide6 unloaded."""
    qt_free = [p for p in source_files(ROOT)
               if _package(p.relative_to(ROOT)) in ("cli", "counter", "db", "devtools", "printing")]
    modules = [_module_name(p.relative_to(ROOT)) for p in qt_free if p.name != "__main__.py"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
