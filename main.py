"""巡察整改台账 — start the program (GUI by default) or run a command: `python main.py --help`."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from app.cli import run


def launch_gui(db_path: Path | str | None, demo: bool) -> int:
    if not has_display():
        print("错误：没有可用的图形显示（DISPLAY 未设置），无法打开窗口。命令行功能见 python main.py --help。",
              file=sys.stderr)
        return 1
    from ui.app import run_gui  # Qt is imported only when a window is wanted

    return run_gui(db_path=db_path, demo=demo)


def has_display() -> bool:
    """Qt aborts the process without a display; say so in words instead."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


if __name__ == "__main__":
    sys.exit(run(gui=launch_gui))
