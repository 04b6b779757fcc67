"""The command line (`python main.py --help`). Never imports Qt widgets: it runs with no display."""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import cli_server, paths
from app.cli_parser import ChineseArgumentParser
from app.errors import USER_ERRORS
from db.session import Database

log = logging.getLogger("xuncha")


def _db_arg(p: argparse.ArgumentParser, default: Any = argparse.SUPPRESS) -> None:
    # A command's own --db is SUPPRESSed when absent, so that `--db X list rounds` keeps X.
    p.add_argument("--db", type=cli_server.target, default=default, metavar="PATH|postgresql://…",
                   help=f"数据库文件（默认：{_default_db()}），或服务器上的台账 postgresql://用户@服务器/数据库")
    cli_server.add_user_arg(p, default)


@functools.cache
def _default_db() -> Path:
    return paths.default_db_path()  # asked once, not by each of the dozen parsers


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The command line; without `commands`, only the options of a plain start of the window."""
    parser = ChineseArgumentParser(
        prog="python main.py", description="巡察整改台账：不带子命令时打开图形界面。", add_help=commands)
    parser.add_argument("--demo", action="store_true", help="在临时演示数据库上打开图形界面")
    _db_arg(parser, default=None)
    if not commands:
        return parser
    sub = parser.add_subparsers(dest="command", metavar="命令")

    gui = sub.add_parser("gui", help="打开图形界面（默认）")
    gui.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="在临时演示数据库上打开")
    _db_arg(gui)

    lst = sub.add_parser("list", help="列出巡察轮次或问题")
    lst_sub = lst.add_subparsers(dest="what", metavar="对象", required=True)
    lr = lst_sub.add_parser("rounds", help="列出巡察轮次")
    lr.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    _db_arg(lr)
    lp = lst_sub.add_parser("problems", help="列出某一轮的问题")
    lp.add_argument("--round", type=int, required=True, metavar="ID", help="轮次编号（见 list rounds）")
    lp.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    _db_arg(lp)

    att = sub.add_parser("attach", help="为问题添加佐证材料")
    att.add_argument("files", nargs="+", type=Path, metavar="FILE")
    att.add_argument("--round", type=int, required=True, metavar="ID")
    att.add_argument("--problem", type=int, required=True, action="append", metavar="N",
                     help="问题序号（台账中显示的序号），可重复以关联多个问题")
    att.add_argument("--description", default="", help="材料说明")
    att.add_argument("--doc-date", default=None, help="材料成文日期，如 2024年6月6日")
    _db_arg(att)

    bk = sub.add_parser("backup", help="把数据库和佐证材料备份成一个文件")
    bk.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    _db_arg(bk)
    rs = sub.add_parser("restore", help="从备份文件恢复（先校验，再替换）；或列出、换回恢复前的安全副本")
    rs.add_argument("archive", type=Path, metavar="ARCHIVE", nargs="?", help="备份文件（.zip）")
    rs.add_argument("--list", action="store_true", help="列出恢复前（及升级前）自动保存的安全副本")
    rs.add_argument("--undo", nargs="?", const="", default=None, metavar="NAME",
                    help="换回安全副本（默认最新的一份；也可写 --list 中的文件名）")
    _db_arg(rs)
    ck = sub.add_parser("check", help="检查数据库完整性并重新核对佐证材料的 SHA-256")
    _db_arg(ck)

    im = sub.add_parser("import", help="从通报或反馈意见（.txt/.docx）导入问题，或从台账（.xlsx）导入")
    im.add_argument("file", type=Path, metavar="FILE")
    im.add_argument("--round-title", default=None, help="新轮次的名称（默认取通报标题）")
    im.add_argument("--round", type=int, default=None, metavar="ID", help="导入到已有轮次（追加问题）")
    im.add_argument("--split-measures", action="store_true", help="把整改情况中的“一是……二是……”拆为整改措施")
    im.add_argument("--dry-run", action="store_true", help="只解析并报告，不写入数据库（与 --round 同用时列出将填入和将替换的轮次信息）")
    im.add_argument("--json", action="store_true", help="以 JSON 输出完整的解析结果（分类树含层级、编号方式、略去的网页内容、带行号的提示）")
    im.add_argument("--replace-facts", nargs="?", const="all", default=None, metavar="项目,…",
                    help="导入到已有轮次时，用导入的值替换轮次中已有的信息：不带值为全部替换，或列出项目名（如 part_one,sign_date）；"
                         "不加此项时只填入轮次中没有的信息")
    _db_arg(im)

    ex = sub.add_parser("export", help="导出通报、台账、整改方案或佐证材料汇编")
    ex.add_argument("what", choices=["notice", "ledger", "plan", "evidence"], help="导出什么")
    ex.add_argument("--round", type=int, required=True, metavar="ID")
    ex.add_argument("--format", choices=["docx", "pdf", "xlsx"], default=None, help="默认按 -o 的扩展名")
    ex.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    ex.add_argument("--internal", action="store_true", help="通报内部版（含责任人、进展、佐证材料名称和内部备注）")
    ex.add_argument("--unsealed", action="store_true", help="不加盖印章的署名格式（网上公开用）")
    ex.add_argument("--page-numbers", choices=["outside", "centre"], default="outside", help="页码位置")
    ex.add_argument("--no-bold-level3", action="store_true", help="三级标题“1.”不加粗")
    ex.add_argument("--mirror-margins", action="store_true", help="双面打印的对称页边距")
    ex.add_argument("--problems", default=None, metavar="N,N…", help="佐证材料汇编只含这些序号的问题，如 1,3,5")
    ex.add_argument("--date", default=None, metavar="日期",
                    help="整改方案的成文日期、佐证材料汇编封面的日期，如 2024-6-30；不给则不印日期（并给出警告），不用通报的成文日期")
    ex.add_argument("--hashes", action="store_true", help="佐证材料汇编附录列出每个文件的 SHA-256")
    ex.add_argument("--redact", default=None, metavar="姓名,姓名…",
                    help="通报公开版：把这些人名替换为“某”（如 张三→张某），导出前的检查会列出文中出现的人名")
    ex.add_argument("--redact-found", action="store_true", help="通报公开版：替换检查中找到的全部人名")
    _db_arg(ex)

    from app.collect.cli import add_parser as add_collect

    add_collect(sub, _db_arg)
    cli_server.add_parsers(sub, _db_arg)
    dm = sub.add_parser("demo", help="在一个新数据库中填入演示数据")
    _db_arg(dm)
    return parser


# -- commands ---------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return str(value)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1, default=_jsonable))


def cmd_list(args: argparse.Namespace, db: Database) -> int:
    from app.services import reading  # the plain read path: no SQLAlchemy, no ORM, to print a few rows

    if args.what == "rounds":
        rows = reading.list_rounds(db)
        if args.json:
            _print_json([r.__dict__ for r in rows])
        else:
            for r in rows:
                print(f"{r.id}\t{r.title}\t{r.kind}\t{r.unit_name}\t{r.inspection_group}")
        return 0
    rows_p = reading.list_problems(db, args.round)
    if args.json:
        _print_json([dict(number=p.number, id=p.id, category_path=list(p.category_path), text=p.text,
                          title=p.title, leaders=p.leaders, departments=p.departments, persons=p.persons,
                          deadline=p.effective_deadline, original_deadline=p.deadline, status=p.status.value,
                          warning=p.warning.value, days_left=p.days_left, evidence_count=p.evidence_count,
                          measure_count=p.measure_count) for p in rows_p])
    else:
        for p in rows_p:
            deadline = p.effective_deadline.isoformat() if p.effective_deadline else "—"
            print(f"{p.number}\t{p.status.value}\t{deadline}\t{p.departments or '—'}\t{p.text[:40]}")
    return 0


def cmd_attach(args: argparse.Namespace, db: Database) -> int:
    from app.numerals import parse_date
    from app.services import evidence, problems

    ids = [problems.find_problem_by_number(db, args.round, n).id for n in args.problem]
    doc_date = parse_date(args.doc_date) if args.doc_date else None
    failed = 0
    for f in args.files:
        try:
            res = evidence.attach_evidence(db, f, ids, description=args.description, doc_date=doc_date)
        except USER_ERRORS as exc:
            print(f"未添加 {f.name}：{exc}", file=sys.stderr)
            failed += 1
            continue
        how = "已在库中，已关联" if res.already_stored else "已存入"
        nums = "、".join(str(n) for n in args.problem)
        print(f"{how}：{res.original_name}（SHA-256 {res.sha256[:12]}…）→ 问题 {nums}")
    return 1 if failed else 0


def cmd_backup(args: argparse.Namespace, db: Database) -> int:
    from app.backup import write_backup

    target = write_backup(db, args.output)
    print(f"备份已写入：{target}")
    return 0


def cmd_check(args: argparse.Namespace, db: Database) -> int:
    from app.services.evidence import check_store

    report = check_store(db)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


def parse_file(path: Path) -> Any:
    from app.importing.parser import parse_notice
    from app.importing.readers import read_document

    return parse_notice(read_document(path))


def report_parse(parsed: Any, as_json: bool, changes: list[Any] | None = None) -> None:
    from app.importing.scheme import describe_scheme

    if as_json:
        data = parsed.to_json()
        if changes is not None:
            data["facts_changes"] = [c.__dict__ for c in changes]
        _print_json(data)
        return
    f = parsed.facts
    counts = parsed.category_counts()
    levels = "，".join(f"第{d}级分类 {n} 个" for d, n in enumerate(counts, 1)) or "无分类"
    print(f"标题：{f.title or '（无）'}")
    print(f"版式：{parsed.layout_style}　{levels}，问题 {len(parsed.all_problems())} 个")
    print(f"编号：{describe_scheme(parsed.scheme)}")
    print(f"巡察：{f.deciding_body} {f.inspection_group} {f.kind}　{f.inspection_start or '?'} 至 "
          f"{f.inspection_end or '?'}，反馈 {f.feedback_date or '?'}")
    print(f"署名：{f.signature or '（无）'}　成文日期：{f.sign_date or '（无）'}")
    _print_tree(parsed)
    for w in parsed.warnings:
        print(f"警告 第{w.line}行：{w.message}" if w.line else f"警告：{w.message}")
    for line, text in parsed.dropped:
        print(f"已略去 第{line}行（网页内容）：{text}")
    for c in changes or []:
        if c.action == "fill":
            print(f"将填入 {c.label}（{c.key}）：{c.imported[:60]}")
        else:
            print(f"未替换 {c.label}（{c.key}）：现有“{c.current[:30]}”，导入的是“{c.imported[:30]}”"
                  f"（加 --replace-facts {c.key} 替换）")


def _print_tree(parsed: Any) -> None:
    scheme = parsed.scheme

    def problems(items: list[Any], indent: str) -> None:
        for p in items:
            print(f"{indent}{scheme.problem_prefix(p.number) if p.number > 0 else ''}{p.text[:40] or '（缺少问题标题）'}")

    def walk(cats: list[Any], depth: int) -> None:
        for i, c in enumerate(cats, 1):
            print(f"{'  ' * (depth - 1)}[{depth}] {scheme.category_prefix(depth, c.number or i)}{c.text[:40]}")
            problems(c.problems, "  " * depth)
            walk(c.children, depth + 1)
    problems(parsed.problems, "")
    walk(parsed.categories, 1)


def cmd_import(args: argparse.Namespace, db: Database | None) -> int:
    if args.file.suffix.lower() in (".xlsx", ".xlsm"):
        from app.importing.ledger_xlsx import commit_ledger, read_ledger

        ledger = read_ledger(args.file)
        if args.json:
            _print_json(ledger.to_json())
        else:
            print(f"读到 {len(ledger.rows)} 行问题（工作表：{'、'.join(ledger.sheets)}）")
            for w in ledger.warnings:
                print(f"警告：{w}")
        if args.dry_run or db is None:
            return 0
        round_id = commit_ledger(db, ledger, round_id=args.round, title=args.round_title)
        print(f"已导入到轮次 {round_id}。")
        return 0
    from app.importing.fact_fields import FIELDS

    parsed = parse_file(args.file)
    replace = [k.strip() for k in (args.replace_facts or "").split(",") if k.strip()]
    unknown = [k for k in replace if k != "all" and k not in FIELDS]
    if unknown:
        print(f"错误：--replace-facts 中没有这些项目：{'、'.join(unknown)}（可用：{', '.join(FIELDS)}）", file=sys.stderr)
        return 2
    changes = None
    if db is not None and args.round is not None:
        from app.importing.merge import fact_changes

        changes = fact_changes(db, args.round, parsed)
    report_parse(parsed, args.json, changes)
    if args.dry_run or db is None:
        return 0
    from app.importing.commit import commit_notice  # the ORM is loaded only to write

    round_id = commit_notice(db, parsed, round_id=args.round, title=args.round_title,
                             split_measures=args.split_measures, replace_facts=replace)
    if not args.json:
        print(f"已导入到轮次 {round_id}。")
    return 0


def cmd_export(args: argparse.Namespace, db: Database) -> int:
    from app.errors import ValidationError
    from app.exporting.service import export

    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if not fmt:
        raise ValidationError("请用 --format 指定格式，或给输出文件加上扩展名（.docx/.pdf/.xlsx）。")
    extra: dict[str, Any] = {}
    warned: list[str] = []
    if args.date is not None:
        from app.cli_parser import full_date

        extra["sign_date"] = full_date(args.date)
    else:
        from app.exporting.service import date_preflight

        warned = date_preflight(args.what, None)
        for message in warned:   # said before writing: the clerk may stop and add --date
            print(f"警告：【缺少】{message}", file=sys.stderr)
    if args.what == "evidence":
        extra["include_hashes"] = args.hashes
        if args.problems:
            from app.services.problems import find_problem_by_number

            try:
                numbers = [int(n) for n in args.problems.replace("，", ",").split(",") if n.strip()]
            except ValueError as exc:
                raise ValidationError("--problems 请写问题序号，用逗号分隔，如 1,3,5。") from exc
            extra["problem_ids"] = [find_problem_by_number(db, args.round, n).id for n in numbers]
    if args.what == "notice":
        from app.exporting.compose_notice import compose_notice
        from app.exporting.service import notice_options

        names = tuple(n.strip() for n in (args.redact or "").replace("，", ",").replace("、", ",").split(",")
                      if n.strip())
        opts = notice_options(not args.internal, not args.unsealed, args.page_numbers, not args.no_bold_level3,
                              args.mirror_margins, redact_names=names)
        composed = compose_notice(db, args.round, opts)
        if args.redact_found and composed.found_names:
            opts.redact_names = names + tuple(composed.found_names)
            composed = compose_notice(db, args.round, opts)
        for item in composed.preflight:  # what the notice lacks: the clerk decides, nothing is made up
            print(f"警告：{item}", file=sys.stderr)
        extra["composed"] = composed
    result = export(db, args.what, args.round, fmt, args.output, public=not args.internal, sealed=not args.unsealed,
                    page_numbers=args.page_numbers, bold_level3=not args.no_bold_level3,
                    mirror_margins=args.mirror_margins, **extra)
    print(f"已导出：{result.path}")
    for line in result.notes:
        if not any(w in line for w in warned):
            print(line)
    return 0


def cmd_demo(args: argparse.Namespace, db: Database) -> int:
    from app.demo import load_demo

    round_ids = load_demo(db)
    print(f"演示数据已写入 {db.describe()}（轮次：{', '.join(map(str, round_ids))}）")
    return 0


def cmd_collect(args: argparse.Namespace, db: Database) -> int:
    from app.collect.cli import cmd_collect as run_collect

    return run_collect(args, db)


COMMANDS: dict[str, Callable[[argparse.Namespace, Any], int]] = {
    "collect": cmd_collect, "account": cli_server.cmd_account,
    "list": cmd_list, "attach": cmd_attach, "import": cmd_import, "export": cmd_export, "backup": cmd_backup, "check": cmd_check, "demo": cmd_demo,
}


GuiLauncher = Callable[[Path | None, bool], int]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Opening the window (no command) is the common case: a dozen sub-parsers take longer to build
    than the window's first screen takes to read, so they are built only when something is left over."""
    args, rest = build_parser(commands=False).parse_known_args(argv)
    return build_parser().parse_args(argv) if rest else args


def _dispatch(args: argparse.Namespace, command: str, db_path: str | Path, gui: GuiLauncher | None) -> int:
    if command == "gui":
        if gui is None:
            print("错误：此入口不含图形界面，请用 python main.py 启动。", file=sys.stderr)
            return 2
        return gui(args.db, args.demo)
    if command == "restore":
        from app.cli_restore import cmd_restore

        if cli_server.is_server(db_path):
            return cli_server.cmd_restore_server(args, db_path)
        return cmd_restore(args, Path(db_path))
    if command == "import" and args.dry_run and (args.round is None or not Path(db_path).exists()):
        return cmd_import(args, None)  # parsing only: the database is not even opened
    if command in ("server-init", "migrate-ledger"):
        return cli_server.cmd_server_init(args) if command == "server-init" else cli_server.cmd_migrate_ledger(args)
    with cli_server.open_for_command(db_path, getattr(args, "user", None)) as db:
        from app import local_settings

        db.clerk = local_settings.clerk_name(db.data_dir)  # signs the audit log as in the window (an account wins)
        return COMMANDS[command](args, db)


def run(argv: Sequence[str] | None = None, gui: GuiLauncher | None = None) -> int:
    """Run one command. `gui` starts the window; main.py passes it in, so app/ never imports ui/."""
    args = parse_args(argv)
    command = getattr(args, "command", None) or "gui"
    db_path = args.db or paths.default_db_path()
    paths.setup_logging(cli_server.log_folder(db_path))
    try:
        code = _dispatch(args, command, db_path, gui)
        sys.stdout.flush()  # here, so that a reader who stopped early is told apart below, not at exit
        return code
    except BrokenPipeError:  # the reader of our output stopped early (`list problems | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that flushing stdout at exit does not fail again
        return 0
    except USER_ERRORS as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: log it whole, tell the user politely
        log.exception("unexpected error in %s", command)
        print(f"程序内部错误：{exc}\n详细信息已记录到 {paths.log_path(cli_server.log_folder(db_path))}", file=sys.stderr)
        return 3


def main() -> None:
    """The `xuncha-ledger` console script: main.py's launcher, GUI included."""
    from main import launch_gui

    sys.exit(run(gui=launch_gui))
