"""The command line's usage errors are Chinese, and a damaged settings file does not stop attaching."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli_parser import translate
from app.services import evidence
from db.session import Database
from tests.app.test_cli import cli
from tests.conftest import make_pdf


@pytest.mark.parametrize("args, words", [
    (("list", "problems"), "缺少必需的参数：--round"),
    (("list", "problems", "--round", "x"), "不是有效的整数"),
    (("lsit",), "无效"),
    (("export", "notice", "--round", "1", "-o", "x.docx", "--format", "odt"), "无效"),
    (("backup",), "缺少必需的参数"),
    (("list", "rounds", "--bogus"), "无法识别的参数：--bogus"),
    (("attach", "--round", "1"), "缺少必需的参数"),
    (("export", "notice", "--round"), "后面需要一个值"),
    (("list", "rounds", "--db", "postgresql://@/"), "参数 --db：地址“postgresql://@/”中缺少服务器名称"),
])
def test_usage_errors_are_in_chinese(args: tuple[str, ...], words: str) -> None:
    out = cli(*args)
    assert out.returncode == 2 and words in out.stderr and "用法：" in out.stderr, out.stderr
    for english in ("usage:", "error:", "the following", "invalid", "unrecognized", "expected", "argument"):
        assert english not in out.stderr


def test_help_is_in_chinese() -> None:
    out = cli("restore", "--help")
    assert out.returncode == 0 and "用法：" in out.stdout and "显示此帮助并退出" in out.stdout
    assert "show this help" not in out.stdout and "options" not in out.stdout


def test_an_unknown_message_is_kept_rather_than_lost() -> None:
    assert translate("something new") == "something new"


def test_a_planted_settings_value_does_not_break_attaching(db: Database, seeded: dict[str, int],
                                                           tmp_path: Path) -> None:
    (db.data_dir / "settings.json").write_text(json.dumps({"max_evidence_mb": "abc"}), encoding="utf-8")
    res = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    assert res.new_links == (seeded["p1"],)
    (db.data_dir / "settings.json").write_text("[1, 2", encoding="utf-8")
    evidence.attach_evidence(db, make_pdf(tmp_path / "b.pdf", text="b"), [seeded["p2"]])
