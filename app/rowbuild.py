"""Typed rows from query rows, by column name: `select d.id, d.deadline …` fills the dataclass fields
called `id` and `deadline`, each value turned into the field's type.

Both engines' values arrive as their drivers give them (`db/reader.py`): SQLite has dates as ISO text and
booleans as 0/1, PostgreSQL has `date` and `bool`. The field's annotation says what it should be. A
field the query does not select takes its default, or a value the caller derives (`extra`); a field left
with neither is a programming error, named in the exception.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

T = TypeVar("T")
Convert = Callable[[Any], Any]


def as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return dt.datetime.fromisoformat(str(value))


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else value if isinstance(value, Decimal) else Decimal(str(value))


def _enum(cls: type[enum.Enum]) -> Convert:
    members = {m.value: m for m in cls}  # a dict lookup is several times cheaper than cls(value)

    def convert(value: Any) -> Any:
        return None if value is None else members[value] if value in members else cls(value)
    return convert


def _converter(hint: Any) -> Convert | None:
    """How to turn a driver's value into `hint` (None: as it comes)."""
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        inner = [a for a in args if a is not type(None)]
        return _converter(inner[0]) if len(inner) == 1 else None
    if hint is bool:
        return bool
    if hint is dt.datetime:
        return as_datetime
    if hint is dt.date:
        return as_date
    if hint is Decimal:
        return as_decimal
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum(hint)
    return None


@functools.cache
def _fields(cls: Any) -> tuple[tuple[str, Convert | None, bool], ...]:
    """Each field's name, converter and whether it has a default."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name]),
                  f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING)
                 for f in dataclasses.fields(cls))


def _plan(cls: Any, columns: tuple[str, ...], extra: tuple[str, ...]) -> tuple[tuple[str, Convert | None], ...]:
    return _cached_plan(cls, columns, extra)


@functools.cache
def _cached_plan(cls: Any, columns: tuple[str, ...], extra: tuple[str, ...]) -> tuple[tuple[str, Convert | None], ...]:
    plan = []
    for name, convert, has_default in _fields(cls):
        if name in extra:
            continue  # derived by the caller (it may replace a column of the same name)
        if name in columns:
            plan.append((name, convert))
        elif not has_default:
            raise KeyError(f"{cls.__name__}.{name}: the query selects no column of that name")
    return tuple(plan)


def build(cls: type[T], row: Mapping[str, Any], **extra: Any) -> T:
    """One typed row from one query row (and derived values)."""
    plan = _plan(cls, tuple(row), tuple(extra))
    values = {n: (c(row[n]) if c is not None else row[n]) for n, c in plan}
    return cls(**values, **extra)


def build_all(cls: type[T], rows: Iterable[Mapping[str, Any]]) -> list[T]:
    """Typed rows from query rows that select every field without a default."""
    out: list[T] = []
    plan: tuple[tuple[str, Convert | None], ...] | None = None
    for row in rows:
        if plan is None:
            plan = _plan(cls, tuple(row), ())
        out.append(cls(**{n: (c(row[n]) if c is not None else row[n]) for n, c in plan}))
    return out


class Memo(dict[Any, Any]):
    """A converter that converts each distinct value once (a round has few distinct deadlines, statuses
    and flags): `memo[value]` is a dictionary lookup, the conversion runs only on a miss."""

    def __init__(self, convert: Convert) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = self.convert(value)
        return converted


@functools.cache
def _maker_source(cls: Any, columns: tuple[str, ...], derived: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    """The code of a function `make(row, *derived)` that calls `cls` with each field by its name: the
    columns' values from their places in `row`, converted where the field's type needs it."""
    _cached_plan(cls, columns, derived)  # every field without a default is given (or KeyError now)
    by_name = {n: c for n, c, _d in _fields(cls)}
    args, converting = [], []
    for i, name in enumerate(columns):
        if name not in by_name or name in derived:
            continue
        if by_name[name] is None:
            args.append(f"{name}=row[{i}]")
        else:
            args.append(f"{name}=m_{name}[row[{i}]]")
            converting.append(name)
    args += [f"{name}={name}" for name in derived]
    params = ", ".join(("row", *derived))
    source = f"def make({params}):\n    return cls({', '.join(args)})\n"
    return compile(source, f"<row maker {cls.__name__}>", "exec"), tuple(converting)


def maker(cls: Callable[..., T], columns: Sequence[str], derived: Sequence[str] = ()
          ) -> tuple[Callable[..., T], dict[str, Memo]]:
    """A fast builder of `cls` rows from query rows (tuples) whose columns are named `columns`; the other
    fields come as arguments, in the order of `derived`. Also returns the converters it uses (by
    column), for callers that need a converted value before the row is made. The call names every
    field (`cls(id=row[0], deadline=m_deadline[row[7]], …)`): generated once per query shape, it
    costs what a call with positions costs, not a dict per row."""
    code, converting = _maker_source(cls, tuple(columns), tuple(derived))
    converters_of = {n: c for n, c, _d in _fields(cls)}
    memos = {name: Memo(converters_of[name]) for name in converting}  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"cls": cls, **{f"m_{n}": m for n, m in memos.items()}}
    exec(code, namespace)
    return namespace["make"], memos


def converters(cls: type, columns: Iterable[str]) -> dict[str, Convert | None]:
    """The converters of the named fields of `cls` (for readers that cache converted values)."""
    by_name = {n: c for n, c, _d in _fields(cls)}
    return {name: by_name[name] for name in columns}
