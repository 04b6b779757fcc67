"""`python main.py …` as scripts and clerks run it: real processes, real files, no display."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, make_pdf


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "minimal"
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)


def test_help_lists_the_commands() -> None:
    out = cli("--help")
    assert out.returncode == 0
    for word in ("list", "attach", "backup", "restore", "check", "demo"):
        assert word in out.stdout


def test_demo_list_attach_check_backup_restore(tmp_path: Path) -> None:
    db = str(tmp_path / "l.sqlite")
    assert cli("demo", "--db", db).returncode == 0
    rounds = json.loads(cli("list", "rounds", "--json", "--db", db).stdout)
    assert rounds[0]["title"] == "区委第五巡察组巡察（演示）" and rounds[0]["kind"] == "常规巡察"
    rid = str(rounds[0]["id"])
    probs = json.loads(cli("list", "problems", "--round", rid, "--json", "--db", db).stdout)
    assert [p["number"] for p in probs] == list(range(1, 8))
    assert probs[0]["category_path"] == ["贯彻落实党的路线方针政策和党中央决策部署方面", "理论学习不够深入"]
    assert {"text", "leaders", "departments", "persons", "deadline", "status"} <= set(probs[0])

    pdf = make_pdf(tmp_path / "学习记录.pdf", pages=2)
    out = cli("attach", str(pdf), "--round", rid, "--problem", "2", "--problem", "3", "--db", db)
    assert out.returncode == 0 and "已存入" in out.stdout, out.stderr
    out = cli("attach", str(pdf), "--round", rid, "--problem", "4", "--db", db)
    assert "已在库中，已关联" in out.stdout
    probs = json.loads(cli("list", "problems", "--round", rid, "--json", "--db", db).stdout)
    assert [p["evidence_count"] for p in probs[1:4]] == [1, 1, 1]

    assert cli("check", "--db", db).returncode == 0
    archive = tmp_path / "backup.zip"
    assert cli("backup", "-o", str(archive), "--db", db).returncode == 0
    sha_dirs = [p for p in (tmp_path / "evidence").iterdir() if len(p.name) == 2]
    victim = next(sha_dirs[0].iterdir())
    victim.write_bytes(b"altered")
    out = cli("check", "--db", db)
    assert out.returncode == 1 and "已被改动" in out.stdout
    out = cli("restore", str(archive), "--db", db)
    assert out.returncode == 0, out.stderr
    assert cli("check", "--db", db).returncode == 0


def test_errors_are_clear_chinese_and_nonzero(tmp_path: Path) -> None:
    db = str(tmp_path / "l.sqlite")
    cli("demo", "--db", db)
    out = cli("list", "problems", "--round", "99", "--db", db)
    assert out.returncode == 1 and "找不到巡察轮次" in out.stderr and "Traceback" not in out.stderr
    out = cli("attach", str(tmp_path / "nope.pdf"), "--round", "1", "--problem", "1", "--db", db)
    assert out.returncode == 1 and "找不到文件" in out.stderr
    out = cli("attach", str(tmp_path / "nope.pdf"), "--round", "1", "--problem", "50", "--db", db)
    assert out.returncode == 1 and "没有第 50 个问题" in out.stderr
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("hello")
    out = cli("list", "rounds", "--db", str(bogus))
    assert out.returncode == 1 and "损坏" in out.stderr
    out = cli("restore", str(tmp_path / "missing.zip"), "--db", db)
    assert out.returncode == 1 and "找不到备份文件" in out.stderr


def test_gui_without_a_display_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "main.py", "--db", str(tmp_path / "l.sqlite")], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 1 and "没有可用的图形显示" in out.stderr


def test_db_given_before_the_command_is_the_one_used(tmp_path: Path) -> None:
    """`--db X list rounds` reads X (a command's own --db once overrode it with the default, silently)."""
    db = str(tmp_path / "l.sqlite")
    assert cli("--db", db, "demo").returncode == 0
    rounds = json.loads(cli("--db", db, "list", "rounds", "--json").stdout)
    assert [r["title"] for r in rounds] == ["区委第五巡察组巡察（演示）"]
    out = cli("--db", db, "lsit")
    assert out.returncode == 2 and "无效" in out.stderr and "list" in out.stderr



def test_output_read_only_in_part_is_no_error(tmp_path: Path) -> None:
    """`main.py list problems | head -1`: the reader closes the pipe early; the command stops quietly (exit 0),
    with no 程序内部错误 and no traceback."""
    ledger = tmp_path / "ledger.sqlite"
    main_py = Path(__file__).resolve().parents[2] / "main.py"
    subprocess.run([sys.executable, str(main_py), "demo", "--db", str(ledger)], check=True, capture_output=True,
                   timeout=120)
    reader_gone = subprocess.Popen([sys.executable, str(main_py), "--db", str(ledger), "list", "problems",
                                    "--round", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader_gone.stdout is not None and reader_gone.stderr is not None
    reader_gone.stdout.close()   # before a line is read: every write of the command meets a closed pipe
    err = reader_gone.stderr.read().decode()
    assert reader_gone.wait(timeout=120) == 0, err
    assert "程序内部错误" not in err and "Traceback" not in err and "BrokenPipe" not in err
