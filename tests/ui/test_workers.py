"""The task runner on a real QThreadPool: hundreds of runs with results, failures, progress and cancel,
each with a progress dialog that opens and closes (issue 10, item 2: the window froze for good)."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from ui.workers import TaskRunner

RUNS = 300


class Job:
    """One of four kinds of work, chosen by the run's number."""

    def __init__(self, n: int) -> None:
        self.n, self.kind = n, ("result", "failure", "progress", "cancel")[n % 4]
        self.started = threading.Event()
        self.thread: threading.Thread | None = None

    def __call__(self, progress: Any, cancelled: Any) -> Any:
        self.thread = threading.current_thread()
        self.started.set()
        if self.kind == "failure":
            raise ValueError(f"第 {self.n} 次失败")
        if self.kind == "progress":
            for i in range(3):
                progress(i + 1, 3, f"第 {i + 1} 步")
        if self.kind == "cancel":
            deadline = time.monotonic() + 10
            while not cancelled():
                if time.monotonic() > deadline:
                    raise TimeoutError("never cancelled")
                time.sleep(0.001)
            return "cancelled"
        return self.n


def dialogs_of(parent: QWidget, n: int) -> list[QProgressDialog]:
    return [d for d in parent.findChildren(QProgressDialog) if d.isVisible() and d.labelText() == f"任务 {n}"]


def test_hundreds_of_runs_on_the_pool_with_a_progress_dialog(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    runner = TaskRunner(parent, show_after_ms=0)  # the dialog shows at once: it must close every time
    main = threading.current_thread()
    results: list[Any] = []
    errors: list[BaseException] = []
    for n in range(RUNS):
        job = Job(n)
        with qtbot.waitSignal(runner.settled, timeout=15000):
            cancel = runner.run(parent, f"任务 {n}", job, results.append, errors.append)
            if job.kind == "cancel":
                assert job.started.wait(10)
                if n % 8 == 3:
                    cancel.set()  # from the code
                else:  # the clerk presses 取消 in the dialog
                    qtbot.waitUntil(lambda n=n: bool(dialogs_of(parent, n)), timeout=5000)
                    button = dialogs_of(parent, n)[0].findChild(QPushButton)
                    assert button.text() == "取消"
                    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert job.thread is not None and job.thread is not main  # the work ran off the GUI thread
        assert runner.idle
        if job.kind == "failure":
            assert str(errors[-1]) == f"第 {n} 次失败"
        elif job.kind == "cancel":
            assert results[-1] == "cancelled"
        else:
            assert results[-1] == n
    assert len(results) == RUNS * 3 // 4 and len(errors) == RUNS // 4
    qtbot.waitUntil(lambda: not [d for d in parent.findChildren(QProgressDialog) if d.isVisible()], timeout=5000)


def test_progress_reaches_the_dialog_and_jobs_run_one_at_a_time(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent, show_after_ms=0)
    gate = threading.Event()
    running = []
    seen: list[str] = []

    def first(progress: Any, _cancelled: Any) -> str:
        running.append("first")
        progress(1, 4, "正在复制 甲.pdf")
        assert gate.wait(10)
        return "first"

    def second(_progress: Any, _cancelled: Any) -> str:
        running.append("second")
        return "second"

    runner.run(parent, "添加佐证材料", first, seen.append, pytest.fail)
    runner.run(parent, "添加佐证材料", second, seen.append, pytest.fail)
    qtbot.waitUntil(lambda: any("甲.pdf" in d.labelText() for d in parent.findChildren(QProgressDialog)),
                    timeout=5000)
    dialog = next(d for d in parent.findChildren(QProgressDialog) if "甲.pdf" in d.labelText())
    assert (dialog.value(), dialog.maximum()) == (1, 4)
    assert running == ["first"]  # database writes run one at a time
    gate.set()
    qtbot.waitUntil(lambda: runner.idle, timeout=10000)
    assert seen == ["first", "second"] and running == ["first", "second"]


def test_shutdown_cancels_and_waits(qtbot: Any) -> None:
    runner = TaskRunner()
    job = Job(3)  # waits for cancel
    done: list[Any] = []
    runner.run(None, "长任务", job, done.append, done.append)
    assert job.started.wait(10)
    assert runner.shutdown(10000)
    assert done == ["cancelled"] and runner.idle


def test_a_quick_job_leaves_no_progress_dialog_behind(qtbot: Any) -> None:
    """The dialog shows itself after a moment; a job done sooner must not let it appear afterwards,
    over the message that says the job is done (that message runs its own event loop)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    runner = TaskRunner(parent, show_after_ms=150)
    seen: list[int] = []

    def done(_result: Any) -> None:  # like "已导出" in a message box
        message = QDialog(parent)

        def look() -> None:
            seen.append(len([d for d in parent.findChildren(QProgressDialog) if d.isVisible()]))
            message.accept()

        QTimer.singleShot(400, look)
        message.exec()

    with qtbot.waitSignal(runner.settled, timeout=5000):
        runner.run(parent, "导出", lambda _p, _c: "done", done, pytest.fail)
    assert seen == [0]
