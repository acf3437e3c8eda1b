"""Plain rows of a peewee query, as the type checker should see them.

`.tuples()` yields one tuple of the selected columns per row, but peewee-stubs type it as the query itself
(rows of the model). What a tuple holds depends on the columns selected, so its items are Any here, and
each caller annotates the dict or set it builds from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from peewee import BaseQuery


def tuples(query: BaseQuery) -> Iterable[tuple[Any, ...]]:
    """`query.tuples()`, typed as what it yields."""
    return cast("Iterable[tuple[Any, ...]]", query.tuples())
