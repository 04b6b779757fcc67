"""Long work off the GUI thread: an `app/` function with progress and cancel, run on a QThreadPool.

The job is plain Python taking `progress(done, total, label)` and `cancelled()`. The worker thread
touches no Python Qt object: what it reports (progress, the result, the error) goes into a plain
queue, and the worker asks the runner — a QObject made and kept on the GUI thread — to read that
queue by a queued `QMetaObject.invokeMethod` without arguments. The callable handed to the pool
holds no Qt object and never the last reference to anything (see `_work`), so nothing of Qt's or
PySide's is released on the worker thread. (Before, a Python signal object released on the worker
after `run()` deadlocked against the GUI thread closing the progress dialog: issue 10, item 2.)
"""
from __future__ import annotations

import itertools
import logging
import queue
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QMetaObject, QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger("xuncha.ui")

Progress = Callable[[int, int, str], None]
Job = Callable[[Progress, Callable[[], bool]], Any]
_PROGRESS, _DONE, _FAILED = "progress", "done", "failed"


@dataclass
class _Task:
    """The GUI side of one job: its dialog and callbacks (never seen by the worker thread)."""

    title: str
    job: Job                                  # kept here until the outcome is handled (see `_work`)
    on_done: Callable[[Any], object]
    on_error: Callable[[BaseException], object]
    cancel: threading.Event
    dialog: QProgressDialog | None = None
    progress: list[tuple[int, int, str]] = field(default_factory=list)


class _ProgressDialog(QProgressDialog):
    """A job's progress dialog. One that cannot be cancelled (a restore, with the database closed) has no
    取消 button and is not closed by Escape or the title bar: it goes only when its job has ended."""

    locked = False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if self.locked and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.locked:
            event.ignore()
            return
        super().closeEvent(event)


class TaskRunner(QObject):
    """Runs jobs one at a time (database writes are serialised), each with a progress dialog that
    appears when the job takes longer than a moment and closes when it ends.

    `settled` is emitted on the GUI thread after a job's `on_done` or `on_error` has run.
    """

    settled = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None,
                 show_after_ms: int = 400) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.show_after_ms = show_after_ms
        self._inbox: queue.SimpleQueue[tuple[int, str, Any]] = queue.SimpleQueue()
        self._tasks: dict[int, _Task] = {}
        self._ids = itertools.count(1)
        self._draining = False

    @property
    def idle(self) -> bool:
        return not self._tasks

    def run(self, parent: QWidget | None, title: str, job: Job, on_done: Callable[[Any], object],
            on_error: Callable[[BaseException], object], *, cancellable: bool = True,
            block_now: bool = False) -> threading.Event:
        """Start `job` on the pool; returns the event that cancels it (the dialog's 取消 sets it too).

        `cancellable=False`: the dialog has no 取消 and cannot be closed while the job runs. `block_now`: the
        dialog shows at once, so the window takes no input from the start (a job that closed the database)."""
        task_id = next(self._ids)
        cancel = threading.Event()
        task = _Task(title, job, on_done, on_error, cancel)
        if parent is not None:
            dialog = _ProgressDialog(title, self.tr("取消"), 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0 if block_now else self.show_after_ms)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if cancellable:
                dialog.canceled.connect(cancel.set)
            else:
                dialog.setCancelButton(None)
                dialog.locked = True
            dialog.setValue(0)  # starts the timer that shows the dialog after `show_after_ms`
            if block_now:
                dialog.show()
            task.dialog = dialog
        self._tasks[task_id] = task
        self.pool.start(_work(task_id, [job], cancel, self._inbox, self))
        return cancel

    @Slot()
    def _drain(self) -> None:
        """On the GUI thread: act on what the workers reported. A modal QProgressDialog's setValue runs
        the event loop, which may call this again: the inner call leaves the queue to the outer one."""
        if self._draining:
            return
        self._draining = True
        try:
            self._drain_queue()
        finally:
            self._draining = False

    def _drain_queue(self) -> None:
        while True:
            try:
                task_id, kind, payload = self._inbox.get_nowait()
            except queue.Empty:
                return
            task = self._tasks.get(task_id)
            if task is None:
                continue
            if kind == _PROGRESS:
                self._progressed(task, *payload)
                continue
            del self._tasks[task_id]
            self._close(task)
            try:
                if kind == _DONE:
                    task.on_done(payload)
                else:
                    task.on_error(payload)
            finally:
                self.settled.emit()

    @staticmethod
    def _progressed(task: _Task, done: int, total: int, label: str) -> None:
        dialog = task.dialog
        if dialog is None:
            return
        dialog.setLabelText(f"{task.title}\n{label}" if label else task.title)
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    @staticmethod
    def _close(task: _Task) -> None:
        if task.dialog is not None:
            if isinstance(task.dialog, _ProgressDialog) and task.dialog.locked:
                task.dialog.locked = False  # nothing was connected to its (absent) 取消
            else:
                task.dialog.canceled.disconnect()
            task.dialog.reset()  # stops the timer that would show it later (a quick job ends before it fires)
            task.dialog.hide()
            task.dialog.deleteLater()
            task.dialog = None

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel what is running or waiting and wait for the pool (closing the window). True if idle."""
        for task in self._tasks.values():
            task.cancel.set()
        done = self.pool.waitForDone(timeout_ms)
        self._drain()
        return done


def _work(task_id: int, holder: list[Job], cancel: threading.Event,
          inbox: queue.SimpleQueue[tuple[int, str, Any]], runner: QObject) -> Callable[[], None]:
    """The callable the pool runs, holding no Qt object and never the last reference to anything.

    PySide releases a Python wrapper whose last reference goes on a worker thread by deferring its
    deletion to the main thread, which crashed or hung here: so the job (whose closure may hold a
    dialog) is also kept by the GUI side until the outcome is handled there, the worker drops its own
    references to the job and the outcome before it reports, and it reaches the runner by a weak
    reference."""
    runner_ref = weakref.ref(runner)

    def wake() -> None:
        target = runner_ref()
        if target is None:  # the program is closing: nobody waits for the news
            return
        try:
            QMetaObject.invokeMethod(target, "_drain", Qt.ConnectionType.QueuedConnection)
        except RuntimeError:  # deleted on the C++ side meanwhile
            pass
        del target

    def progress(done: int, total: int, label: str) -> None:
        inbox.put((task_id, _PROGRESS, (done, total, label)))
        wake()

    def run() -> None:
        job = holder.pop()
        try:
            outcome: tuple[str, Any] = (_DONE, job(progress, cancel.is_set))
        except BaseException as exc:  # delivered to the GUI thread, shown there
            outcome = (_FAILED, exc)
        del job
        inbox.put((task_id, *outcome))
        del outcome
        wake()

    return run
