"""The services as the widgets reach them: each module is imported on its first use.

The window shows its first screen before SQLAlchemy and the ORM are imported (they take longer
than Qt itself): it reads that screen through `app.services.reading`, which needs neither, and
`ui.app` loads the rest once the window is painted (`load_all`). Widgets therefore import the
other services from here, not from `app.services`, so that importing a widget imports no ORM.
`importlib.import_module` does the loading, so the stand-ins are safe from worker threads too.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

from app.services import reading as reading  # needs no ORM: the first screen is read through it

NAMES = ("categories", "dashboard", "evidence", "measures", "problems", "registry", "rounds", "status")


class _OnFirstUse:
    """Stands for `app.services.<name>` until an attribute is read, then forwards to the module."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.module(), attr)

    def module(self) -> ModuleType:
        return importlib.import_module(self._name)


if TYPE_CHECKING:
    from app.services import categories, dashboard, evidence, measures, problems, registry, rounds, status
else:
    categories, dashboard, evidence, measures, problems, registry, rounds, status = (
        _OnFirstUse(f"app.services.{name}") for name in NAMES)


def load_all() -> None:
    """Import every service (and so SQLAlchemy and the mapped classes) now, not at the first click."""
    for name in NAMES:
        importlib.import_module(f"app.services.{name}")
