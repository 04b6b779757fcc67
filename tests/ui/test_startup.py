"""Start-up: the first screen comes from plain sqlite3, the rest loads after it is painted; parts made on demand."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QChartView

from app.services import evidence, status
from db.enums import Status
from db.session import Database
from tests.conftest import ROOT, make_pdf
from ui.main_window import MainWindow

# Run in a fresh interpreter (this test process has long since imported SQLAlchemy), as the program starts:
# `show_window`, then the event loop while the rest loads on the runner's thread.
START = """
import json, sys
from PySide6.QtCore import QSettings
from ui.app import make_application, show_window
from ui.main_window import MainWindow
from ui.workers import TaskRunner
from db.session import open_database
app = make_application([])
db = open_database(sys.argv[1])
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
w = MainWindow(db, settings=settings, quick_start=True)
show_window(w)
narrative = lambda: {r.text: r.narrative for r in w.table_model.rows()}["学习计划性不强。"]
first = dict(narrative=narrative(), orm="sqlalchemy" in sys.modules, engine=db.engine_loaded, charts="PySide6.QtCharts" in sys.modules,
             rows=w.table_model.rowCount(), tree=w.tree_model.rowCount(), counts=w.counts.text(),
             visible=w.isVisible(), title=w.round_combo.currentText())
from PySide6.QtCore import QEventLoop, QTimer
loop, poll = QEventLoop(), QTimer()  # the program's event loop, while the rest loads on the runner's thread
poll.timeout.connect(lambda: w._loaded and loop.quit()); poll.start(10); QTimer.singleShot(60000, loop.quit)
loop.exec()
ready = dict(orm="sqlalchemy" in sys.modules, engine=db.engine_loaded, narrative=narrative(),
             found=w.filters.search.setText("学习计划已印发") or w.proxy.rowCount())
w.filters.search.setText("")
w.select_problem(w.table_model.problem_at(0).id)
w.editor.form._save("leaders", "赵书记")  # an edit through the undo stack, now with the ORM
from app.services import problems
edited = problems.get_problem(db, w.table_model.problem_at(0).id).leaders
db.close()
print(json.dumps(dict(first=first, ready=ready, edited=edited)))
"""


def test_first_screen_is_shown_before_the_orm_loads_then_edits_work(db: Database, seeded: dict[str, int],
                                                                     tmp_path: Path) -> None:
    from app.services import problems

    problems.update_problem(db, seeded["p1"], narrative="学习计划已印发，按月开展集中学习。")
    path = db.path
    db.close()  # the child process takes the instance lock
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", START, str(path), str(tmp_path / "s.ini")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    first = result["first"]
    assert (first["orm"], first["engine"], first["charts"]) == (False, False, False)
    assert first["narrative"] == ""  # not shown on the first screen, so not read for it
    assert first["visible"] and first["rows"] == 3 and first["tree"] == 1  # one 方面 at the top of the tree
    assert first["counts"] == "显示 3 / 共 3 个问题" and first["title"].startswith("2024年区委巡察")
    assert result["ready"] == {"orm": True, "engine": True, "narrative": "学习计划已印发，按月开展集中学习。",
                               "found": 1}  # and searched
    assert result["edited"] == "赵书记"


def test_dashboard_chart_is_made_when_the_dashboard_is_first_shown(window: MainWindow, db: Database,
                                                                   seeded: dict[str, int], tmp_path: Path) -> None:
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    status.change_status(db, seeded["p1"], Status.IN_PROGRESS)
    window.reload_rounds(seeded["round"])
    assert window.dashboard.chart is None
    window.actions["dashboard"].trigger()
    chart = window.dashboard.chart
    assert chart is not None and window.dashboard.findChild(QChartView) is not None
    [series] = chart.series()
    sets = {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}
    assert list(sets) == [s.value for s in Status]
    assert sum(sum(v) for v in sets.values()) == 3
    assert sum(sets[Status.IN_PROGRESS.value]) == 1 and sum(sets[Status.NOT_STARTED.value]) == 2
    window.actions["ledger"].trigger()
    window.actions["dashboard"].trigger()
    assert window.dashboard.chart is chart  # made once, refilled after


def test_scan_inbox_is_made_when_its_dock_is_first_shown(window: MainWindow, qtbot: Any) -> None:
    assert window._inbox is None and window.inbox_dock.widget() is None
    window.actions["inbox"].trigger()
    qtbot.waitUntil(lambda: window._inbox is not None)
    assert window.inbox_dock.widget() is window.inbox


def test_editor_tabs_are_made_when_opened_and_follow_the_selection(window: MainWindow, db: Database,
                                                                   seeded: dict[str, int]) -> None:
    from app.services import measures

    measures.add_measure(db, seeded["p1"], "制定年度学习计划")
    window.reload_rounds(seeded["round"])
    window.select_problem(seeded["p2"])
    assert window.editor._panes == {} and window._thumbs is None
    assert window.editor.tabs.tabText(1) == "整改措施"  # p2 has none
    window.select_problem(seeded["p1"])
    assert window.editor.tabs.tabText(1) == "整改措施（1）"
    window.editor.tabs.setCurrentIndex(1)  # opening the tab makes the pane, showing the selected problem
    pane = window.editor._panes[1]
    assert pane.model.rowCount() == 1 and pane.model.index(0, 1).data() == "制定年度学习计划"
    window.select_problem(seeded["p2"])  # once made, it follows the selection
    assert pane.model.rowCount() == 0
    window.editor.tabs.setCurrentIndex(3)
    assert window._thumbs is not None  # the evidence pane brings the thumbnails


def test_a_quick_start_never_shows_a_problem_without_its_details(qtbot: Any, db: Database, seeded: dict[str, int],
                                                                  tmp_path: Path) -> None:
    """Even before `finish_loading`, selecting a problem first adds the fields the first screen left out."""
    from PySide6.QtCore import QSettings

    from app.services import problems

    problems.update_problem(db, seeded["p1"], narrative="已印发学习计划。", internal_notes="请办公室跟进")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("last_round", seeded["round"])
    w = MainWindow(db, settings=settings, quick_start=True)
    qtbot.addWidget(w)
    row = w.table_model.problem_at(w.table_model.row_for(seeded["p1"]) or 0)
    assert (row.narrative, row.internal_notes) == ("", "")
    w.select_problem(seeded["p1"])
    assert w.editor.row is not None and w.editor.row.narrative == "已印发学习计划。"
    assert w.editor.narrative.narrative.toPlainText() == "已印发学习计划。"


def test_the_progress_tab_counts_its_entries_as_they_are_added_and_undone(window: MainWindow, db: Database,
                                                                          seeded: dict[str, int]) -> None:
    """QA: 进展记录 shows its count like 整改措施（1） and 佐证材料（2）, and keeps it up to date."""
    from app.services import measures

    measures.log_progress(db, seeded["p1"], "已印发学习计划")
    window.reload_rounds(seeded["round"])
    window.select_problem(seeded["p1"])
    tabs = window.editor.tabs
    assert tabs.tabText(2) == "进展记录（1）"     # before the tab is ever opened
    window.select_problem(seeded["p2"])
    assert tabs.tabText(2) == "进展记录"
    tabs.setCurrentIndex(2)
    pane = window.editor.progress
    pane.note.setText("召开专题研讨会")
    pane.add()
    assert tabs.tabText(2) == "进展记录（1）" and pane.model.rowCount() == 1
    window.undo_action.trigger()
    assert tabs.tabText(2) == "进展记录" and pane.model.rowCount() == 0
    window.undo.stack.redo()
    assert tabs.tabText(2) == "进展记录（1）"
