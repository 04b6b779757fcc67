"""巡察整改台账 — start the program (GUI by default) or run a command: `python main.py --help`."""
import sys

from app.cli import run

if __name__ == "__main__":
    sys.exit(run())
