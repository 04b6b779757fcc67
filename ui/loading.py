"""What the window loads once its first screen is painted, on the runner's thread (`MainWindow.load_in_background`).

The job reads into new objects only: the rows the window shows are read, never changed, there; the GUI
thread puts the details into them when the job is done. Python's cyclic garbage collector is held while
the job runs: importing SQLAlchemy and the ORM makes a few hundred thousand objects, and a full
collection among them and the first screen's rows walks them all holding the interpreter lock, which
stood the GUI thread still for 60–150 ms at a time. When the job ends, what is alive then (the modules,
the first screen) is moved out of the collector's sight for good (`gc.freeze`, Python's own answer for
long-lived start-up objects), so that no later collection walks it either.
"""
from __future__ import annotations

import gc
from collections.abc import Callable
from typing import NamedTuple

from app.ledger_rows import CategoryRow, ProblemRow
from app.services.reading import ProblemDetails
from db.session import Database
from ui.services import load_all, reading


class Loaded(NamedTuple):  # a NamedTuple: a tenth of a dataclass's cost to create
    """What the job read, for the rows it started from."""

    rows: list[ProblemRow]                  # the window's list then: compared by identity, never changed here
    details: dict[int, ProblemDetails]      # the fields a quick start left out, by problem id (may be empty)
    haystack: dict[int, str]                # each row's searched text, by problem id
    directory: dict[str, list[str]]         # the names of the directory, as `MainWindow.directory_changed`
    whole: tuple[list[CategoryRow], list[ProblemRow]] | None  # the round, when `rows` were its first screen


def directory_names(db: Database) -> dict[str, list[str]]:
    """The names the editor offers from the directory of people and departments."""
    from ui.services import registry

    people = registry.list_people(db)
    return {"leaders": [p[1] for p in people if p[4]], "persons": [p[1] for p in people],
            "departments": [d[1] for d in registry.list_departments(db)]}


def rest_of_start(db: Database, rows: list[ProblemRow], round_id: int | None, complete: bool, partial: bool
                  ) -> Callable[[object, Callable[[], bool]], Loaded | None]:
    """The job: SQLAlchemy, the ORM and the services imported, the engine made, the details (unless
    `complete`), the search index and the directory read; the whole round (with its details) if `rows` were
    only its first screen (`partial`). None if cancelled (the window is closing)."""

    def job(_progress: object, cancelled: Callable[[], bool]) -> Loaded | None:
        from ui.models.problem_table import search_text

        load_all()
        db.start_engine()
        if cancelled():
            return None
        whole = reading.read_round(db, round_id) if partial and round_id is not None else None
        details = reading.read_details(db, round_id) if not (complete or whole) and round_id is not None else {}
        haystack = {r.id: search_text(r, str(details[r.id]["narrative"]) if r.id in details else r.narrative)
                    for r in (whole[1] if whole is not None else rows)}
        return Loaded(rows, details, haystack, directory_names(db), whole)

    return job


def hold_collection() -> bool:
    """Hold the cyclic garbage collector while the job runs; False if it was held already (by the program)."""
    if not gc.isenabled():
        return False
    gc.disable()
    return True


def release_collection(held: bool) -> None:
    """After the job: what is alive now stays out of later collections, and the collector runs again."""
    if held:
        gc.freeze()
        gc.enable()
