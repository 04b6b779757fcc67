"""Importing the three published samples (counts and facts from their README), bad input, fuzzing."""
from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from app.importing.commit import commit_notice
from app.importing.parser import parse_notice, split_items
from app.importing.readers import ImportError_, read_document
from app.services import categories, dashboard, problems, rounds
from db.models import Status
from db.session import Database
from tests.conftest import ROOT, SAMPLES


def sample(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")


def test_huangpi() -> None:
    n = parse_notice(sample("huangpi_2024"))
    ps = n.all_problems()
    assert [p.number for p in ps] == list(range(1, 39)) and n.category_count() == (0, 0)
    assert n.layout_style == "A"
    assert ps[0].text == "学习贯彻行政审批服务有关精神不到位"
    missing = ps[3]
    assert missing.text == "" and missing.narrative[0].startswith("因部门业务系统与省统一受理平台专网之间对接")
    assert [(w.line, "缺少问题标题" in w.message) for w in n.warnings if "缺少问题标题" in w.message] == [(18, True)]
    assert sum(1 for p in ps if p.narrative) == 38
    assert len(ps[14].narrative) == 2 and ps[14].narrative[1].startswith("四是进一步强化技术保障")  # over 2 paragraphs
    f = n.facts
    assert (f.signature, f.sign_date) == ("中共武汉市黄陂区行政审批局党组", dt.date(2024, 6, 6))
    assert f.disclosure_period == "2024年6月20日至7月10日"
    assert (f.inspection_start, f.inspection_end, f.feedback_date) == (
        dt.date(2023, 3, 27), dt.date(2023, 5, 31), dt.date(2023, 7, 25))
    assert (f.deciding_body, f.inspection_group, f.kind) == ("区委", "区委第三巡察组", "常规巡察")
    c = f.contact
    assert (c.phone, c.postcode, c.email) == ("027-61008383", "430300", "hpxzspjzhk@163.com")
    assert c.address == "武汉市黄陂区百锦街230号" and "8:30" in c.hours
    assert n.part_one.startswith("一、巡察整改组织领导情况") and n.part_three.startswith("三、下一步工作打算")


def test_shizhong() -> None:
    n = parse_notice(sample("shizhong_2022"))
    ps = n.all_problems()
    assert [p.number for p in ps] == list(range(1, 17)) and n.warnings == []
    assert ps[0].text.startswith("关于好差评数据汇聚量较少")
    s = n.statistics
    assert (s.aspects, s.items, s.problems, s.measures, s.regulations_new, s.regulations_revised) == (3, 5, 16, 44, 4, 3)
    f = n.facts
    assert f.kind == "巡察“回头看”" and f.title.endswith("巡察“回头看”整改情况的通报")
    assert (f.index_no, f.topic, f.publisher, f.doc_no) == ("370402/2022-00150", "行政许可公示", "行政审批服务局", "")
    assert (f.signature, f.sign_date, f.feedback_date) == ("中共市中区行政审批服务局党组", dt.date(2022, 5, 17),
                                                          dt.date(2021, 12, 17))
    assert (f.contact.phone, f.contact.email) == ("8252006", "zzszzf@163.com")
    assert f.contact.address == "枣庄市市中区龙头路100号市中区行政审批服务局"


def test_panlongcheng() -> None:
    n = parse_notice(sample("panlongcheng_2022"))
    assert n.layout_style == "B"
    assert [len(c.problems) for c in n.categories] == [8, 10, 5]
    assert [p.number for p in n.all_problems()] == list(range(1, 24))
    assert n.categories[0].text.startswith("党的理论和路线方针政策")
    assert n.all_problems()[1].text == "污染防治攻坚战推进力度不大。"
    s = n.statistics
    assert (s.clues_transferred, s.clues_closed, s.clues_in_progress, s.cases_filed, s.disciplined,
            s.other_handled, s.regulations_revised) == (6, 3, 3, 7, 5, 7, 7)
    assert (s.recovered_during, s.recovered_since) == (Decimal("2.3"), Decimal("27.493"))
    assert (s.done, s.in_progress, s.problems, s.aspects) == (22, 1, 23, 3)
    f = n.facts
    assert (f.signature, f.sign_date) == ("中共武汉盘龙城经济开发区委员会", dt.date(2022, 3, 29))
    assert (f.contact.phone, f.contact.postcode, f.contact.email) == ("027-61870001", "430312", "plcdzzhbgs@163.com")
    assert [t for _l, t in n.dropped] == ["2022-03-29 10:01", "来源: 中共武汉盘龙城经济开发区委员会"]
    assert any("正在整改" in w.message for w in n.warnings)


def test_commit_writes_one_round_with_everything(db: Database) -> None:
    rid = commit_notice(db, parse_notice(sample("panlongcheng_2022")), split_measures=True)
    r = rounds.get_round(db, rid)
    assert (r.kind, r.inspection_group, r.layout_style) == ("常规巡察", "区委第三巡察组", "B")
    cats = categories.list_categories(db, rid)
    rows = problems.list_problems(db, rid)
    assert len(cats) == 3 and len(rows) == 23 and all(p.status == Status.DONE for p in rows)
    assert rows[8].category_path == (cats[1].text,)
    summary = dashboard.round_summary(db, rid)
    assert summary.figures.recovered_since == Decimal("27.493") and summary.measures > 23
    n = rounds.get_notice_settings(db, rid)
    assert n.signature == "中共武汉盘龙城经济开发区委员会" and n.part_three.startswith("三、下一步打算")
    unit = rounds.get_unit(db, r.unit_id)
    assert (unit.contact_phone, unit.contact_postcode) == ("027-61870001", "430312")


def test_missing_heading_stays_empty_with_a_warning(db: Database) -> None:
    rid = commit_notice(db, parse_notice(sample("huangpi_2024")), title="黄陂区2023年巡察")
    rows = problems.list_problems(db, rid)
    assert len(rows) == 38 and rows[3].text == ""  # the source lost this heading: nothing is made up
    assert rounds.get_round(db, rid).title == "黄陂区2023年巡察"


def test_into_an_existing_round_appends(db: Database, seeded: dict[str, int]) -> None:
    commit_notice(db, parse_notice(sample("shizhong_2022")), round_id=seeded["round"])
    rows = problems.list_problems(db, seeded["round"])
    assert len(rows) == 3 + 16 and rows[0].text.startswith("关于好差评")


def test_feedback_document_with_three_levels() -> None:
    feedback = "\n".join([
        "区委第二巡察组关于巡察某局党组的反馈意见", "一、党的领导弱化方面", "（一）学习贯彻不深入",
        "1.理论学习中心组学习不规范。", "2.意识形态工作责任制落实不到位。", "（二）落实决策部署有差距",
        "3．营商环境优化措施落实不力。", "二、全面从严治党方面", "（一）主体责任落实不到位",
        "4、廉政风险防控机制不健全。"])
    n = parse_notice(feedback)
    assert n.category_count() == (2, 3)
    assert [p.text for p in n.all_problems()] == ["理论学习中心组学习不规范。", "意识形态工作责任制落实不到位。",
                                                   "营商环境优化措施落实不力。", "廉政风险防控机制不健全。"]
    assert all(p.status == Status.NOT_STARTED for p in n.all_problems())


def test_warnings_for_gaps_duplicates_and_lost_dates() -> None:
    doc = "\n".join(["标题", "根据区委统一部署，2020114日，区委第一巡察组对本局进行了巡察。", "二、整改情况",
                     "1.问题甲", "整改情况：已整改。", "3.问题丙", "整改情况：已整改。", "3.问题丙again",
                     "整改情况：已整改。", "4.问题丁", "中共某局党组", "2024年1月2日"])
    n = parse_notice(doc)
    messages = [(w.line, w.message) for w in n.warnings]
    assert any(line == 2 and "缺字" in m for line, m in messages)
    assert any(line == 6 and "跳到 3" in m for line, m in messages)
    assert any(line == 8 and "重复" in m for line, m in messages)
    assert any(line == 10 and "没有“整改情况”" in m for line, m in messages)


def test_items_become_measures() -> None:
    assert split_items(["一是建立制度；二是开展培训。", "三是加强督查。"]) == [
        "一是建立制度", "二是开展培训。", "三是加强督查。"]
    assert split_items(["只有一段，没有分项。"]) == []


@pytest.mark.parametrize("payload, suffix, message", [
    (b"", ".txt", "0 字节"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", ".txt", "不是文本文件"),
    (b"\x00\x01\x02 not a zip" * 20, ".docx", "不是有效的 Word"),
    (b"PK\x03\x04 truncated zip", ".docx", "不是有效的 Word"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc", "另存为 .docx"),
])
def test_bad_files_get_a_clear_message(tmp_path: Path, payload: bytes, suffix: str, message: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(payload)
    with pytest.raises(ImportError_, match=message):
        read_document(path)


def test_corrupt_docx_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not word")
    with pytest.raises(ImportError_, match="已损坏|不是 Word"):
        read_document(path)


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b"")])
def test_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(bom + sample("shizhong_2022").encode(encoding, errors="replace"))
    n = parse_notice(read_document(path))
    assert len(n.all_problems()) == 16 and n.facts.signature == "中共市中区行政审批服务局党组"


def test_huge_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(ImportError_, match="MB"):
        read_document(path)


def test_fuzzed_samples_never_crash_or_half_write(db: Database) -> None:
    rng = random.Random(20261122)
    sources = [sample(n) for n in ("huangpi_2024", "shizhong_2022", "panlongcheng_2022")]
    for _ in range(60):
        lines = rng.choice(sources).splitlines()
        for _ in range(rng.randint(1, 12)):
            op = rng.randrange(4)
            i = rng.randrange(len(lines))
            if op == 0:
                del lines[i]
            elif op == 1:
                lines.insert(i, lines[rng.randrange(len(lines))])
            elif op == 2 and lines[i]:
                j = rng.randrange(len(lines[i]))
                lines[i] = lines[i][:j] + lines[i][j + rng.randint(1, 5):]
            else:
                lines[i] = lines[i].replace(":", "：").replace(".", "、")
        parsed = parse_notice("\n".join(lines))
        with db.engine.connect() as conn:
            before = conn.execute(text("select count(*) from problem")).scalar()
        try:
            commit_notice(db, parsed)
        except Exception as exc:  # refused: then nothing at all was written
            assert "未导入" in str(exc) or "名称" in str(exc), exc
            with db.engine.connect() as conn:
                assert conn.execute(text("select count(*) from problem")).scalar() == before
        else:
            with db.engine.connect() as conn:
                after = conn.execute(text("select count(*) from problem")).scalar()
            assert after - before == len(parsed.all_problems())


def test_command_line_import(tmp_path: Path) -> None:
    db = str(tmp_path / "l.sqlite")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)

    out = run("import", str(SAMPLES / "huangpi_2024.txt"), "--dry-run", "--db", db)
    assert out.returncode == 0 and "警告 第18行" in out.stdout and not Path(db).exists()
    out = run("import", str(SAMPLES / "panlongcheng_2022.txt"), "--dry-run", "--json")
    data = json.loads(out.stdout)
    assert data["counts"] == {"aspects": 3, "items": 0, "problems": 23, "categories_by_depth": [3]}
    assert data["statistics"]["recovered_since"] == "27.493"
    assert data["categories"][0]["problems"][0]["narrative"][0].startswith("2021年开展党委理论学习中心组学习12次")
    assert all("line" in w for w in data["warnings"])
    out = run("import", str(SAMPLES / "shizhong_2022.txt"), "--round-title", "回头看整改", "--db", db)
    assert out.returncode == 0 and "已导入到轮次 1" in out.stdout
    out = run("list", "problems", "--round", "1", "--json", "--db", db)
    assert len(json.loads(out.stdout)) == 16
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = run("import", str(empty), "--db", db)
    assert out.returncode == 1 and "0 字节" in out.stderr
