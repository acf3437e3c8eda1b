"""Raw SQL that reads the same on both engines: the few spellings counter/ writes once and this module turns into
PostgreSQL's when the database is PostgreSQL (office mode). The engine is asked here, not in counter/.

The raw queries (the reports' SQL, the integrity checks) are written as SQLite reads them, with these conventions:

- parameters `:name` with a dict, or `?` with a sequence (SQLite's spellings; psycopg reads `%(name)s`, `%s`);
- `+col` / `+t.col`, SQLite's way of telling its planner not to use an index on a column (a unary plus on text
  is an error on PostgreSQL, whose planner needs no such hint): kept on SQLite only;
- `CROSS JOIN t ON …` (SQLite's way of fixing the join order) is a plain `JOIN t ON …` on PostgreSQL;
- `t INDEXED BY index` (SQLite's way of choosing the index) is plain `t` on PostgreSQL;
- `-- comments` are left as they are (an apostrophe in one starts no quoted text);
- `LIMIT -1` (SQLite's "no limit", which keeps a subquery from being merged) is PostgreSQL's `LIMIT ALL`;
- a join that must look each row's match up by its key (`probe_join`), as SQLite always does, is a LATERAL
  subquery on PostgreSQL, whose planner would otherwise hash the whole joined table for a period's rows;
- comparisons are not summed or used as numbers (`SUM(CASE WHEN … THEN 1 ELSE 0 END)`, flags compared `= 1`):
  that is plain SQL on both engines and needs no translation.

Text search (`contains`): SQLite's FTS5 trigram tables are searched with MATCH, PostgreSQL's folded columns with
LIKE '%…%', which the pg_trgm GIN indexes of migrations 0001 and 0015 serve.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from peewee import SQL, Column, Database, Function, Node, NodeList, Table, Value, fn

from db.database import is_postgres

_NAME = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_HINT = re.compile(r"(^|[\s(,])\+(?=[A-Za-z_])")
_NO_LIMIT = re.compile(r"\bLIMIT -1\b")
_CROSS = re.compile(r"\bCROSS JOIN\b")
_INDEXED_BY = re.compile(r"\s+INDEXED BY\s+\w+")


def to_postgres(statement: str) -> str:
    """`statement` (SQLite's spelling) as psycopg reads it: `:name` → `%(name)s`, `?` → `%s`, `+col`
    hints dropped, `LIMIT -1` → `LIMIT ALL`, outside quoted text and names; a literal % doubled."""
    out: list[str] = []
    for part, quoted in _split_quotes(statement):
        if quoted:
            out.append(part.replace("%", "%%"))
        else:
            part = part.replace("%", "%%")
            part = _INDEXED_BY.sub("", _CROSS.sub("JOIN", _NO_LIMIT.sub("LIMIT ALL", _HINT.sub(r"\1", part))))
            out.append(_NAME.sub(r"%(\1)s", part).replace("?", "%s"))
    return "".join(out)


def _split_quotes(statement: str) -> list[tuple[str, bool]]:
    """`statement` cut into (text, inside quotes) pieces; a doubled quote stays inside; a `--` comment is a piece
    of its own (as if quoted: nothing in it is translated, and an apostrophe in it opens nothing)."""
    pieces: list[tuple[str, bool]] = []
    start, quote = 0, ""
    for i, char in enumerate(statement):
        if quote:
            if char == quote:  # a comment ends with its line
                quote = ""
                pieces.append((statement[start:i + 1], True))
                start = i + 1
        elif char == "-" and statement.startswith("--", i):
            pieces.append((statement[start:i], False))
            start, quote = i, "\n"
        elif char in "'\"":
            pieces.append((statement[start:i], False))
            start, quote = i, char
    pieces.append((statement[start:], bool(quote)))
    return pieces


def sql(database: Database, statement: str) -> str:
    """`statement` as `database`'s engine reads it (unchanged on SQLite)."""
    return to_postgres(statement) if is_postgres(database) else statement


def execute(database: Database, statement: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> Any:
    """Run one raw statement written with named parameters on either engine; the cursor."""
    return database.execute_sql(sql(database, statement), params)


def contains(database: Database, table: Table, column: str, phrase: str) -> Node:
    """A condition on the search table `table` (SQLite: an FTS5 trigram table; PostgreSQL: a view or table of the
    same folded text in `column`, with a pg_trgm GIN index) holding the rows whose text contains `phrase` (three
    characters or more, as a trigram search needs)."""
    if is_postgres(database):
        escaped = phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return Column(table, column) % ("%" + escaped + "%")  # LIKE, backslash escaping its wildcards
    # FTS5 reads `column MATCH` as the search of that column (each search table has one), whatever the alias
    return NodeList((Column(table, column), SQL("MATCH"), Value('"' + phrase.replace('"', '""') + '"')))


def position(database: Database, text: Any, needle: Any) -> Function:
    """Where `needle` first occurs in `text`, from 1 (0: nowhere): SQLite's instr, PostgreSQL's strpos."""
    return fn.strpos(text, needle) if is_postgres(database) else fn.instr(text, needle)


def glob(database: Database, expression: str, pattern: str, negate: bool = False) -> tuple[str, str]:
    """SQLite's `expression GLOB pattern` (case-sensitive; `*`, `?` and `[…]` classes) on either engine: the SQL
    (with one `?` parameter) and that parameter; on PostgreSQL the pattern as an anchored regular expression."""
    if not is_postgres(database):
        return f"{expression} {'NOT ' if negate else ''}GLOB ?", pattern
    regex, in_class = ["^"], False
    for char in pattern:
        if in_class:
            regex.append(char)
            in_class = char != "]"
        elif char == "[":
            regex.append(char)
            in_class = True
        elif char == "*":
            regex.append(".*")
        elif char == "?":
            regex.append(".")
        else:
            regex.append(re.escape(char))
    return f"{expression} {'!~' if negate else '~'} ?", "".join(regex) + "$"


def reserve_ids(database: Database, next_ids: Mapping[str, int]) -> None:
    """Rows are about to be inserted with their ids given, up to just before `next_ids[table]` (a bulk copy, demo
    data): on PostgreSQL each table's id sequence is moved at least that far, so a row the app adds meanwhile or
    after takes a new id (SQLite numbers from the table's largest id by itself)."""
    if not is_postgres(database):
        return
    for table, next_id in next_ids.items():
        database.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                             f"GREATEST({int(next_id)}, nextval(pg_get_serial_sequence('\"{table}\"', 'id'))), "
                             "false)")


def probe_join(database: Database | None, table: str, alias: str, key: str, outer: str) -> str:
    """`LEFT JOIN table alias ON alias.key = outer`, each outer row's match looked up by its key (an index probe).
    SQLite joins so already. PostgreSQL's planner hashed the whole table instead (a year's Biểu 06 on the
    million-dossier bench: 973,000 conclusions hashed for each part of the year's 216,000 dossiers, 0.7 s a part,
    0.3–0.45 s probing): a LATERAL subquery it cannot flatten (OFFSET 0) makes it probe. `database` None: SQLite's
    spelling (a query written before its engine is known, e.g. to read its plan)."""
    if database is not None and is_postgres(database):
        return (f'LEFT JOIN LATERAL (SELECT * FROM "{table}" x WHERE x."{key}" = {outer} OFFSET 0) {alias} '
                "ON TRUE")
    return f'LEFT JOIN "{table}" {alias} ON {alias}."{key}" = {outer}'
