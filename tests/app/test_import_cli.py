"""`main.py import` run as a process: the dry-run report (tree with depth, scheme, furniture, warnings by line) and
importing into an existing round with --replace-facts."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.services import problems, rounds
from db.session import open_database
from tests.app import notice_texts as T
from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_dry_run_json_reports_tree_depth_scheme_furniture_and_warnings(tmp_path: Path) -> None:
    text, e = T.three_levels(0)
    path = tmp_path / "三级.txt"
    path.write_text(text, encoding="utf-8")
    out = run("import", str(path), "--dry-run", "--json", "--db", str(tmp_path / "none.sqlite"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert not (tmp_path / "none.sqlite").exists()
    tree = [(c["depth"], c["text"]) for c in data["categories"]]
    tree += [(g["depth"], g["text"]) for c in data["categories"] for g in c["children"]]
    assert sorted(tree) == sorted(e.tree)
    assert data["categories"][0]["children"][0]["problems"][0]["progress_line"] == "已完成整改。"
    assert data["scheme"] == {"categories": ["（一）", "1."], "problems": "1)", "problems_across": True,
                              "extra": {"narrative_label": "整改情况", "progress_label": "整改进程"}}
    assert data["counts"]["categories_by_depth"] == [3, 7] and data["counts"]["problems"] == len(e.problems)
    assert sorted(w["line"] for w in data["warnings"]) == e.damaged_lines

    web, we = T.web_page(0)
    path.write_text(web, encoding="utf-8")
    data = json.loads(run("import", str(path), "--dry-run", "--json").stdout)
    assert [d["text"] for d in data["dropped"]] == we.dropped and all(d["line"] > 0 for d in data["dropped"])
    assert data["facts"]["sign_date"] is None and data["facts"]["signature"] == we.signature


def test_text_report_shows_the_tree_and_the_scheme(tmp_path: Path) -> None:
    text, _e = T.subsections(0)
    path = tmp_path / "通报.txt"
    path.write_text(text, encoding="utf-8")
    out = run("import", str(path), "--dry-run")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert "编号：（一） → （1），问题全文连续编号，整改情况前无标签" in lines
    assert "[1] （三）关于党的领导弱化方面" in lines and "（1）" + T.PROBLEMS[6] + "。" in [x.strip() for x in lines]
    assert any(x.startswith("警告 第11行：原文在这里缺少“二、”") for x in lines)


def test_into_an_existing_round_from_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "l.sqlite"
    with open_database(db_path) as db:
        unit = rounds.create_unit(db, "XX县水利局", signature="中共XX县水利局党组")
        r = rounds.create_round(db, unit.id, "2022年巡察", inspection_group="县委第九巡察组")
        rounds.update_notice_settings(db, r.id, part_three="三、原有的下一步")
    text, e = T.subsections(1)
    path = tmp_path / "通报.txt"
    path.write_text(text, encoding="utf-8")
    out = run("import", str(path), "--round", str(r.id), "--dry-run", "--db", str(db_path))
    assert out.returncode == 0, out.stderr
    assert "将填入 第一部分（part_one）：一、巡察整改工作开展情况" in out.stdout
    assert "未替换 巡察组（inspection_group）：现有“县委第九巡察组”，导入的是“县委第一巡察组”（加 --replace-facts inspection_group 替换）" \
        in out.stdout
    out = run("import", str(path), "--round", str(r.id), "--replace-facts", "no_such_field", "--db", str(db_path))
    assert out.returncode == 2 and "no_such_field" in out.stderr
    with open_database(db_path) as db:
        assert problems.list_problems(db, r.id) == []         # neither run wrote anything
    out = run("import", str(path), "--round", str(r.id), "--replace-facts", "inspection_group", "--db", str(db_path))
    assert out.returncode == 0, out.stderr
    with open_database(db_path) as db:
        assert rounds.get_round(db, r.id).inspection_group == "县委第一巡察组"
        settings = rounds.get_notice_settings(db, r.id)
        assert settings.part_three == "三、原有的下一步" and settings.part_one.startswith("一、巡察整改工作开展情况")
        assert len(problems.list_problems(db, r.id)) == len(e.problems)
