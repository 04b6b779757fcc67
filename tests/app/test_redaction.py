"""Names in the public notice: every name the ledger knows is found (spaces, line breaks, after punctuation is
normalised), listed, and replaced only once the clerk confirms it or marks the problem 含人名."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.exporting.atomic import atomic_write
from app.exporting.compose_notice import NoticeOptions, compose_notice
from app.exporting.docx_writer import write_docx
from app.exporting.preflight import Severity
from app.exporting.redaction import NameFinder, Redactor, default_replacement
from app.importing.readers import read_document
from app.services import measures, problems, registry, rounds
from db.session import Database
from tests.conftest import ROOT, cli_target


def test_names_are_found_across_spaces_and_line_breaks() -> None:
    finder = NameFinder(["张伟", "欧阳修远", "李"])          # a one-character 'name' is never looked for
    assert finder.find("请张 伟同志和欧阳\n修远同志，李科长") == ["张伟", "欧阳修远"]
    red = Redactor({"张伟": default_replacement("张伟"), "欧阳修远": default_replacement("欧阳修远")})
    assert red("张\u3000伟与欧阳修远") == "张某与欧阳某"


def test_a_term_matches_the_text_after_punctuation_is_normalised() -> None:
    assert Redactor({"钱多多(出纳)": "钱某（出纳）"})("约谈钱多多（出纳）一次") == "约谈钱某（出纳）一次"
    assert default_replacement("Tom") == "某某"


@pytest.fixture
def named(db: Database, seeded: dict[str, int]) -> dict[str, int]:
    registry.add_person(db, "赵敏", "科员")
    problems.update_problem(db, seeded["p1"], persons="钱多多", leaders="王局长",
                            narrative="由钱多多(出纳)牵头，赵 敏配合整改。\n王局长督办。")
    problems.update_problem(db, seeded["p2"], narrative="约谈孙\n小美一次。", sensitive=True)
    problems.update_problem(db, seeded["p3"], narrative="已修订制度。", sensitive=True)
    measures.add_measure(db, seeded["p1"], "建立台账", owner="孙小美")
    return seeded


def test_public_notice_lists_known_names_and_redacts_what_is_confirmed(db: Database, named: dict[str, int],
                                                                      tmp_path: Path) -> None:
    composed = compose_notice(db, named["round"], NoticeOptions(public=True))
    assert composed.found_names == ["王局长", "赵敏", "钱多多"]
    warning = next(i for i in composed.preflight if i.problem_id == named["p1"] and i.names)
    assert warning.severity == Severity.WARNING and set(warning.names) == {"钱多多", "赵敏", "王局长"}
    text = composed.document.plain_text()
    assert "钱多多（出纳）" in text                             # found and listed, not yet replaced
    assert "孙小美" not in text and "约谈孙某一次" in text       # 含人名: redacted without asking
    assert any(i.problem_id == named["p3"] and "没有台账已知的人名" in i.message for i in composed.preflight)

    confirmed = compose_notice(db, named["round"], NoticeOptions(public=True, redact_names=("钱多多", "赵敏")))
    text = confirmed.document.plain_text()
    assert "钱多多" not in text and "赵敏" not in text and "由钱某（出纳）牵头，赵某配合整改。" in text
    assert confirmed.found_names == ["王局长"]
    assert "钱多多" not in read_document(write_docx(confirmed.document, tmp_path / "public.docx"))

    internal = compose_notice(db, named["round"], NoticeOptions(public=False)).document.plain_text()
    assert "由钱多多（出纳）牵头" in internal and "约谈孙\n小美一次。" in internal   # internal: nothing replaced


def test_redaction_list_applies_after_normalisation(db: Database, named: dict[str, int]) -> None:
    rounds.set_redactions(db, named["round"], {"钱多多(出纳)": "某出纳"})
    composed = compose_notice(db, named["round"])
    text = composed.document.plain_text()
    assert "由某出纳牵头" in text and "钱多多" not in composed.found_names


def test_command_line_warns_and_redacts_on_request(db: Database, named: dict[str, int], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "n.docx"
    db_path = cli_target(db, monkeypatch)
    db.close()
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", "notice", "--round", str(named["round"]),
                          "-o", str(out), "--db", db_path, "--redact", "钱多多，赵敏"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "警告：【注意】" in run.stderr and "王局长" in run.stderr and "【缺少】没有成文日期" in run.stderr
    text = read_document(out)
    assert "钱多多" not in text and "赵某" in text and "王局长" in text


def test_exports_keep_the_users_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        new = atomic_write(tmp_path / "a.txt", lambda t: Path(t).write_text("x"), ".txt")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        new.chmod(0o640)  # a file the user shares with the group: replacing it keeps that
        atomic_write(new, lambda t: Path(t).write_text("y"), ".txt")
        assert stat.S_IMODE(new.stat().st_mode) == 0o640 and new.read_text() == "y"
    finally:
        os.umask(old)
