"""`attempt`: what the clerk asked for, run; an error shown in words, and whether it went through."""
from __future__ import annotations

from app.errors import ValidationError
from ui.errors import attempt


def test_attempt_runs_and_tells(messages: list[tuple[str, str]]) -> None:
    done: list[int] = []
    assert attempt(None, lambda: done.append(1)) and done == [1] and messages == []

    def refused() -> None:
        raise ValidationError("请填写单位名称。")

    assert not attempt(None, refused) and messages == [("warning", "请填写单位名称。")]

    def broken() -> None:
        raise KeyError("x")

    assert not attempt(None, broken) and messages[-1][1].startswith("程序遇到了一个意外错误")
