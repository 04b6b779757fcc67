"""`python main.py collect send|receive|status|remind …`: 部门填报 from the command line (no Qt)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from db.session import Database


def add_parser(sub: Any, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    col = sub.add_parser("collect", help="部门填报：下发填报表、导入回执、查看状态、催办")
    csub = col.add_subparsers(dest="collect_command", metavar="操作", required=True)

    s = csub.add_parser("send", help="为每个责任部门生成整改进展填报表")
    s.add_argument("--round", type=int, required=True, metavar="ID")
    s.add_argument("-o", "--output", type=Path, required=True, metavar="DIR|ZIP", help="输出文件夹，或 .zip 文件")
    s.add_argument("--department", action="append", default=None, metavar="部门", help="只下发给这些部门（可重复）")
    s.add_argument("--password", default=None, help="工作表保护密码（默认用设置中的密码；不设则无密码保护）")
    s.add_argument("--include-done", action="store_true", help="也列出已完成的问题")
    db_arg(s)

    r = csub.add_parser("receive", help="导入部门交回的填报表（不加 --yes 时只预览，不写入）")
    r.add_argument("files", nargs="+", type=Path, metavar="FILE")
    r.add_argument("--round", type=int, required=True, metavar="ID")
    r.add_argument("--evidence", type=Path, default=None, metavar="DIR", help="佐证材料文件夹（文件名以问题序号开头）")
    r.add_argument("--department", default=None, help="回执信息丢失、表头也没有部门时，指定部门")
    r.add_argument("--yes", action="store_true", help="确认导入预览中的内容")
    r.add_argument("--confirm-match", action="store_true", help="确认按序号和问题内容匹配的结果")
    r.add_argument("--newer-only", action="store_true", help="旧表只采用较新的内容")
    r.add_argument("--conflicts", choices=["open", "office", "department"], default="open",
                   help="冲突的处理：留待以后决定（默认）、保留台账内容、采用部门填报")
    db_arg(r)

    st = csub.add_parser("status", help="各部门的下发、交回、更新和冲突情况")
    st.add_argument("--round", type=int, required=True, metavar="ID")
    st.add_argument("--json", action="store_true")
    db_arg(st)

    rm = csub.add_parser("remind", help="为有红色预警或逾期事项的部门生成催办通知，并列出未交回的部门")
    rm.add_argument("--round", type=int, required=True, metavar="ID")
    rm.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    rm.add_argument("--date", required=True, help="成文日期，如 2024-6-30（须明确指定）")
    rm.add_argument("--signature", default=None, help="署名（默认用单位信息中的署名）")
    rm.add_argument("--format", choices=["docx", "pdf", "both"], default="both")
    db_arg(rm)


def cmd_collect(args: argparse.Namespace, db: Database) -> int:
    return {"send": _send, "receive": _receive, "status": _status, "remind": _remind}[args.collect_command](args, db)


def _when(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


def _send(args: argparse.Namespace, db: Database) -> int:
    from app.collect.send import send_round

    as_zip = args.output.suffix.lower() == ".zip"
    res = send_round(db, args.round, args.output, departments=args.department, as_zip=as_zip, password=args.password,
                     include_done=args.include_done)
    for f in res.files:
        print(f"{f.department}\t{f.problems} 项\t{f.file_name}")
    for d in res.skipped:
        print(f"未下发：{d}（本轮没有该部门负责的未完成问题）")
    print(f"已下发 {len(res.files)} 个部门，写入：{res.target}")
    return 0


def _receive(args: argparse.Namespace, db: Database) -> int:
    from app.collect.merge import merge_return
    from app.collect.model import CONFLICT, OPEN
    from app.collect.preview import preview_returns

    previews = preview_returns(db, args.round, args.files, evidence_dir=args.evidence, department=args.department)
    failed = 0
    for fp in previews:
        print(f"== {fp.file_name}（{fp.department or '部门不明'}）：{fp.summary()}")
        for line in fp.errors[1:] + fp.notes + fp.ignored_rows + fp.missing:
            print(f"   {line}")
        for pm in fp.problems:
            if not (pm.has_update or pm.locked_edits or pm.notes):
                continue
            print(f"   第{pm.number}号 {pm.text[:24]}")
            if pm.progress:
                print(f"      + 进展（{pm.progress_date}，{pm.author}）：{pm.progress[:60]}")
            for c in pm.changes:
                print(f"      {c.label}：{c.office[:30] or '（空）'} → {c.department[:30]}　[{c.kind}] {c.note}")
            for label, sent, got in pm.locked_edits:
                print(f"      锁定列“{label}”被改动（已忽略）：{sent[:20]} → {got[:20]}")
            for ev in pm.evidence:
                print(f"      佐证材料：{ev.path.name}" + ("（已有，不重复添加）" if ev.already else ""))
            for note in pm.notes:
                print(f"      注：{note}")
        if fp.errors:
            failed += 1
            continue
        if not args.yes:
            continue
        choice = OPEN if args.conflicts == "open" else args.conflicts
        decisions = {(pm.problem_id, c.field): choice for pm in fp.problems for c in pm.changes if c.kind == CONFLICT}
        out = merge_return(db, fp, decisions, confirm_match=args.confirm_match, newer_only=args.newer_only)
        print(f"   已导入：更新 {out.items_updated} 个问题，进展 {out.progress_added} 条，佐证材料 {out.evidence_added} 个，"
              f"待定冲突 {out.conflicts_open} 处")
        for note in out.notes:
            print(f"   {note}")
    if not args.yes:
        print("以上为预览，未写入。确认无误后加 --yes 导入。")
    return 1 if failed else 0


def _status(args: argparse.Namespace, db: Database) -> int:
    from app.collect.status import collection_status

    rows = collection_status(db, args.round)
    if args.json:
        print(json.dumps([dict(department=r.department, state=r.state, problems=r.problems, urgent=r.urgent,
                               sent_at=_when(r.sent_at), returned_at=_when(r.returned_at),
                               items_updated=r.items_updated, conflicts_open=r.conflicts_open) for r in rows],
                         ensure_ascii=False, indent=1))
        return 0
    print("部门\t状态\t问题\t红色/逾期\t下发时间\t交回时间\t已更新\t待定冲突")
    for r in rows:
        print(f"{r.department}\t{r.state}\t{r.problems}\t{r.urgent}\t{_when(r.sent_at)}\t{_when(r.returned_at)}\t"
              f"{r.items_updated}\t{r.conflicts_open}")
    return 0


def _remind(args: argparse.Namespace, db: Database) -> int:
    from app.cli_parser import full_date
    from app.collect.remind import write_reminders

    sign_date = full_date(args.date, "成文日期")
    formats = ("docx", "pdf") if args.format == "both" else (args.format,)
    res = write_reminders(db, args.round, args.output, sign_date, signature=args.signature, formats=formats)
    for r in res.reminders:
        print(f"{r.department}：{len(r.items)} 项红色预警或逾期")
    for f in res.files:
        print(f"已写入：{f}")
    if not res.reminders:
        print("没有红色预警或逾期的事项，未生成催办通知。")
    if res.not_returned:
        print("自上次下发以来尚未交回填报表的部门：")
        for dept, sent in res.not_returned:
            print(f"  {dept}（{sent:%Y-%m-%d} 下发）")
    else:
        print("所有已下发的部门都已交回填报表。")
    return 0
