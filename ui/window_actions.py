"""The window's menus and toolbar, in one list: each action's place, text, shortcut and handler."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

from ui.actions import ActionSpec
from ui.problem_tools import ProblemTools
from ui.window_tools import WindowTools

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class ViewActions:
    """What the window does itself (its pages, filters and docks)."""

    quit: Callable[[], object]
    find: Callable[[], object]
    refresh: Callable[[], object]
    ledger: Callable[[], object]
    dashboard: Callable[[], object]
    clear_filters: Callable[[], object]
    inbox: Callable[[], object]


def window_actions(t: WindowTools, p: ProblemTools, v: ViewActions) -> list[ActionSpec | None]:
    """None is a separator in the menu of the action before it."""
    A = ActionSpec  # noqa: N806 - a table of rows reads better short
    return [
        A("new_round", "文件", "新建巡察轮次…", t.new_round, Key.New, True),
        A("edit_round", "文件", "轮次信息…", t.edit_round, needs_round=True),
        A("import", "文件", "导入通报、反馈意见或台账…", t.import_file, "Ctrl+I", True),
        A("export", "文件", "导出…", t.export, "Ctrl+E", True, needs_round=True),
        A("export_notice", "文件/导出为", "通报（Word / PDF）…", lambda: t.export("notice"), needs_round=True),
        A("export_ledger", "文件/导出为", "整改台账（Excel / PDF / Word）…", lambda: t.export("ledger"), needs_round=True),
        A("export_plan", "文件/导出为", "整改方案（Word）…", lambda: t.export("plan"), needs_round=True),
        A("export_evidence", "文件/导出为", "佐证材料汇编（PDF）…", lambda: t.export("evidence"), needs_round=True),
        A("print", "文件", "打印预览…", t.print_preview, Key.Print, needs_round=True),
        A("collect", "文件", "部门填报（下发、回执、催办）…", t.collect, needs_round=True,
          tip="向责任部门下发填报表、导入回执、催办"),
        A("delete_round", "文件", "删除本轮…", t.delete_round, needs_round=True),
        None,
        A("backup", "文件", "备份…", t.backup, tip="把数据库和全部佐证材料备份成一个文件"),
        A("restore", "文件", "从备份恢复…", t.restore),
        A("safety_copies", "文件", "恢复前的安全副本…", t.safety_copies, tip="列出恢复备份前自动另存的数据库，可以换回"),
        A("check", "文件", "检查数据完整性", t.check),
        None,
        A("quit", "文件", "退出", v.quit, Key.Quit),
        A("new_problem", "编辑", "新建问题…", p.new_problem, "Ctrl+Shift+N", True, needs_round=True),
        A("delete_problem", "编辑", "删除问题…", p.delete_problems, Key.Delete, needs_round=True),
        A("status", "编辑", "更改状态 / 销号…", t.change_status, "Ctrl+D", True, needs_round=True),
        A("attach", "编辑", "添加佐证材料…", p.choose_files, "Ctrl+Shift+A", True, needs_round=True),
        None,
        A("find", "编辑", "查找", v.find, Key.Find),
        A("refresh", "视图", "刷新", v.refresh, Key.Refresh, True),
        A("ledger", "视图", "整改台账", v.ledger, "Ctrl+1"),
        A("dashboard", "视图", "仪表盘", v.dashboard, "Ctrl+2", True),
        A("clear_filters", "视图", "清除筛选", v.clear_filters, "Ctrl+Shift+L"),
        A("inbox", "视图", "扫描收件箱", v.inbox, "Ctrl+3", True),
        A("unit", "设置", "单位信息与联系方式…", t.edit_unit, needs_round=True),
        A("directory", "设置", "人员与部门…", t.edit_directory),
        A("categories", "设置", "问题分类…", t.edit_categories, needs_round=True),
        A("figures", "设置", "纪律处分与经济数据…", t.edit_figures, needs_round=True),
        A("regulations", "设置", "制度建设…", t.edit_regulations, needs_round=True),
        A("notice", "设置", "通报文本…", t.edit_notice, needs_round=True),
        A("recycle", "设置", "回收站…", t.recycle_bin),
        A("clerk", "设置", "我的姓名…", t.edit_clerk_name, tip="进展记录、销号申请和操作日志的署名"),
        A("fonts", "设置", "PDF 字体…", t.edit_fonts),
        A("size_limit", "设置", "佐证材料大小上限…", t.edit_size_limit),
        A("about", "帮助", "关于", t.about),
    ]
