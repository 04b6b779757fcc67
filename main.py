"""巡察整改台账 — start the program (GUI by default) or run a command: `python main.py --help`."""
from __future__ import annotations

import sys
from pathlib import Path

from app.cli import run


def launch_gui(db_path: Path | None, demo: bool) -> int:
    from ui.app import run_gui  # Qt is imported only when a window is wanted

    return run_gui(db_path=db_path, demo=demo)


if __name__ == "__main__":
    sys.exit(run(gui=launch_gui))
