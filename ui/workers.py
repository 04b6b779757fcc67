"""Long work off the GUI thread: an `app/` function with progress and cancel, run on a QThreadPool.

The job is plain Python taking `progress(done, total, label)` and `cancelled()`;
the result or the error comes back to the main thread by a signal.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Job = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, job: Job, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.job, self.signals, self.cancel = job, signals, cancel

    def run(self) -> None:
        try:
            result = self.job(lambda d, t, label: self.signals.progressed.emit(d, t, label), self.cancel.is_set)
        except BaseException as exc:  # delivered to the GUI thread, shown there
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class TaskRunner:
    """Runs one job at a time (database writes are serialised) with a progress dialog."""

    def __init__(self, pool: QThreadPool | None = None, inline: bool = False) -> None:
        self.pool = pool or QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.inline = inline  # tests: run in the calling thread (Picard's FakeThreadPool)
        self._keep: list[_Signals] = []

    def run(self, parent: QWidget | None, title: str, job: Job, on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None]) -> threading.Event:
        cancel = threading.Event()
        signals = _Signals()
        self._keep.append(signals)
        dialog = QProgressDialog(title, "取消", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(cancel.set)

        def progressed(done: int, total: int, label: str) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            dialog.setLabelText(f"{title}\n{label}")

        def finish(result: Any) -> None:
            dialog.reset()
            dialog.close()
            self._keep.remove(signals)
            on_done(result)

        def fail(exc: BaseException) -> None:
            dialog.reset()
            dialog.close()
            self._keep.remove(signals)
            on_error(exc)

        signals.progressed.connect(progressed)
        signals.finished.connect(finish)
        signals.failed.connect(fail)
        runnable = _Runnable(job, signals, cancel)
        if self.inline:
            runnable.run()
        else:
            self.pool.start(runnable)
        return cancel
