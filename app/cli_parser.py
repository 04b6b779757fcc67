"""argparse in Chinese: usage, help headings and every usage error the command line can produce."""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

_TYPES = {"int": "整数", "float": "数字", "Path": "路径", "str": "文字"}

# (English pattern from argparse, Chinese replacement); applied in order, each once.
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"one of the arguments (.*) is required", r"必须给出以下参数之一：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (r"argument (.+?): invalid choice: (.*) \(choose from (.*)\)", r"参数 \1 的值 \2 无效（可选：\3）"),
    (r"argument (.+?): invalid (\w+) value: (.*)", r"参数 \1 的值 \3 不是有效的\2"),
    (r"argument (.+?): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (.+?): expected at most one argument", r"参数 \1 后面最多只能有一个值"),
    (r"argument (.+?): expected at least one argument", r"参数 \1 后面至少需要一个值"),
    (r"argument (.+?): expected (\d+) arguments?", r"参数 \1 后面需要 \2 个值"),
    (r"argument (.+?): not allowed with argument (.*)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (.+?): ignored explicit argument (.*)", r"参数 \1 不接受值 \2"),
    (r"can't open '(.*)': (.*)", r"无法打开“\1”：\2"),
    (r"argument (.+?): (.*)", r"参数 \1：\2"),  # our own checks' words (e.g. a server address in --db)
)


def translate(message: str) -> str:
    """argparse's English usage error in Chinese (unknown ones are kept, prefixed, rather than lost)."""
    for pattern, replacement in _MESSAGES:
        match = re.fullmatch(pattern, message, re.S)
        if match:
            text = match.expand(replacement)
            for english, chinese in _TYPES.items():
                text = text.replace(f"不是有效的{english}", f"不是有效的{chinese}")
            return text
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, headings and errors are in Chinese (sub-parsers inherit it)."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False  # our own -h, with Chinese help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示此帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{translate(message)}\n请用 {self.prog} --help 查看用法。\n")


def full_date(text: str, what: str = "日期") -> dt.date:
    """A date the clerk typed on the command line (2024-6-30, 2024年6月30日 …): a whole date, or refused in words."""
    from app.errors import ValidationError
    from app.numerals import parse_date

    try:
        found = parse_date(text)
    except ValueError:
        found = None
    if found is None:
        raise ValidationError(f"{what}“{text}”不是完整的日期，请写成 2024-6-30 或 2024年6月30日。")
    return found
