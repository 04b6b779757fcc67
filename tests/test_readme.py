"""README promises what CI runs: its test command is the last line of `.ci/run`, word for word."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readmes_test_command_is_the_last_line_of_ci_run() -> None:
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line.strip()]
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert ci[-1] in readme  # a line of its own in README's code block
    assert "export XUNCHA_REQUIRE_POSTGRES=1" in ci  # and CI never skips the PostgreSQL half


def test_readme_sets_up_the_server_in_two_lines() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "sudo apt install postgresql" in readme
    assert "python main.py server-init postgresql://" in readme and "--admin" in readme
