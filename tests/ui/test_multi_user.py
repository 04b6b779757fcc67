"""Two clerks' windows on one server ledger: another clerk's change appears, a stale save asks whether
to reload or keep mine, the role decides what the window offers; the connection and login dialogs."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QPushButton

from app.services import accounts, categories, problems, rounds, status
from db.enums import Role, Status
from db.session import Database
from tests.conftest import _reset, open_server_ledger
from tests.keyrings import MemoryKeyring
from tests.pgserver import APP_PASSWORD, APP_USER
from ui.main_window import MainWindow

PASSWORDS = {"管理员甲": "admin-pass-1", "张三": "zhang-pass-1", "李四": "li-pass-1", "赵只读": "reader-pass-1",
             "孙审核": "review-pass-1"}  # 孙审核 is made by the tests that need a reviewer


@pytest.fixture
def ledger(pg_cluster: Any, pg_ledger: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A server ledger with one round of two problems and four accounts; two programs open on it."""
    _reset(pg_cluster, pg_ledger)
    first = open_server_ledger(pg_cluster, pg_ledger, tmp_path / "shared")
    second = open_server_ledger(pg_cluster, pg_ledger, tmp_path / "shared")
    accounts.create_account(first, "管理员甲", Role.ADMIN, PASSWORDS["管理员甲"])
    accounts.sign_in(first, "管理员甲", PASSWORDS["管理员甲"])
    for name, role in (("张三", Role.CLERK), ("李四", Role.CLERK), ("赵只读", Role.READER)):
        accounts.create_account(first, name, role, PASSWORDS[name])
    unit = rounds.create_unit(first, "某区行政审批服务局")
    r = rounds.create_round(first, unit.id, "2024年区委巡察")
    aspect = categories.add_category(first, r.id, "政治建设方面")
    p1 = problems.create_problem(first, r.id, "学习计划性不强。", category_id=aspect.id, leaders="王局长",
                                 departments="办公室")
    p2 = problems.create_problem(first, r.id, "制度不健全。", category_id=aspect.id)
    yield dict(first=first, second=second, round=r.id, p1=p1, p2=p2)
    first.close()
    second.close()


def _window(qtbot: Any, db: Database, tmp_path: Path, name: str) -> MainWindow:
    accounts.sign_in(db, name, PASSWORDS[name])
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    w = MainWindow(db, settings=settings)
    qtbot.addWidget(w)
    w.show()
    return w


def _leaders(w: MainWindow, pid: int) -> str:
    row = w.table_model.row_for(pid)
    assert row is not None
    return str(w.table_model.problem_at(row).leaders)


def test_another_clerks_change_appears_within_seconds(qtbot: Any, ledger: dict[str, Any], tmp_path: Path) -> None:
    a = _window(qtbot, ledger["first"], tmp_path, "张三")
    b = _window(qtbot, ledger["second"], tmp_path, "李四")
    b.multi_user.watcher.timer.setInterval(300)
    assert _leaders(b, ledger["p1"]) == "王局长"
    a.select_problem(ledger["p1"])
    a.editor.form.leaders.setEditText("赵书记")
    a.editor.form._save("leaders", "赵书记")                 # 张三 saves in his window …
    qtbot.waitUntil(lambda: _leaders(b, ledger["p1"]) == "赵书记", timeout=5000)   # … and 李四 sees it
    assert "已载入其他同事的修改" in b.statusBar().currentMessage()
    assert a.windowTitle().endswith("张三（录入员）") and "李四（录入员）" in b.windowTitle()
    assert a.windowTitle().startswith("2024年区委巡察")  # the round stays in the title


def test_a_server_out_of_reach_is_told_once_and_its_return_too(
        qtbot: Any, ledger: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from db.errors import ConnectionLost
    from ui.change_watch import BACK, LOST

    w = _window(qtbot, ledger["second"], tmp_path, "李四")
    watcher = w.multi_user.watcher

    def lost() -> int:
        raise ConnectionLost()
    monkeypatch.setattr(watcher, "_number", lost)
    watcher.poll()
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == LOST, timeout=5000)
    assert "本次修改未保存" not in w.statusBar().currentMessage()   # nothing was being saved
    monkeypatch.undo()
    watcher.poll()
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == BACK, timeout=5000)


def _answer(qtbot: Any, button_text: str, seen: list[str]) -> None:
    """Click `button_text` in the message box that is about to open."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        for button in box.findChildren(QPushButton):
            if button.text() == button_text:
                button.click()
                return
    QTimer.singleShot(50, click)


@pytest.mark.parametrize("choice", ["重新载入", "保留我的修改"])
def test_a_stale_save_says_who_changed_what_and_lets_the_clerk_choose(
        qtbot: Any, ledger: dict[str, Any], tmp_path: Path, choice: str) -> None:
    a = _window(qtbot, ledger["first"], tmp_path, "张三")
    b = _window(qtbot, ledger["second"], tmp_path, "李四")
    b.multi_user.watcher.stop()           # 李四's window has not reloaded yet
    b.select_problem(ledger["p1"])
    a.select_problem(ledger["p1"])
    a.editor.form._save("departments", "人事科")
    seen: list[str] = []
    _answer(qtbot, choice, seen)
    b.editor.form._save("leaders", "钱主任")
    assert seen and "张三" in seen[0] and "责任部门：办公室 → 人事科" in seen[0]
    assert "您的修改：责任领导 → 钱主任" in seen[0]                     # and what 李四's own change was
    now = problems.get_problem(ledger["second"], ledger["p1"])
    assert now.departments == "人事科"                               # 张三's change is never lost
    assert now.leaders == ("钱主任" if choice == "保留我的修改" else "王局长")
    assert _leaders(b, ledger["p1"]) == now.leaders                   # the window shows what is stored
    assert b.editor.form.row is not None and b.editor.form.row.version == now.version


def test_the_window_reflects_the_role(qtbot: Any, ledger: dict[str, Any], tmp_path: Path) -> None:
    reader = _window(qtbot, ledger["second"], tmp_path, "赵只读")
    acts = reader.actions.actions
    assert not acts["new_problem"].isEnabled() and not acts["status"].isEnabled()
    assert not acts["accounts"].isEnabled()
    reader.select_problem(ledger["p1"])
    form = reader.editor.form
    assert form.text.isReadOnly() and not form.leaders.isEnabled() and not form.long_term.isEnabled()
    reader.editor.tabs.setCurrentIndex(reader.editor.tabs.count() - 1)   # a tab made now is read-only too
    assert all(w.isReadOnly() for w in reader.editor.findChildren(QPlainTextEdit))
    assert reader.editor.tabs.isEnabled()                                # the tabs can still be browsed
    assert acts["export"].isEnabled() and acts["print"].isEnabled()
    assert "赵只读（只读）" in reader.multi_user.who.text()
    assert not acts["inbox"].isEnabled()  # the scan inbox adds scans to problems: not for 只读
    reader.inbox_dock.show()              # as a window state kept from a clerk's session would show it
    reader.multi_user.apply_role()
    assert not reader.inbox_dock.isVisible()
    clerk = _window(qtbot, ledger["first"], tmp_path, "张三")
    assert clerk.actions.actions["inbox"].isEnabled()
    assert clerk.actions.actions["new_problem"].isEnabled() and not clerk.actions.actions["new_round"].isEnabled()
    assert not clerk.actions.actions["accounts"].isEnabled()
    accounts.sign_in(ledger["first"], "管理员甲", PASSWORDS["管理员甲"])
    clerk.multi_user.apply_role()
    assert clerk.actions.actions["accounts"].isEnabled() and clerk.actions.actions["new_round"].isEnabled()


def test_the_status_dialog_offers_the_decision_only_to_another_reviewer(
        qtbot: Any, ledger: dict[str, Any], tmp_path: Path) -> None:
    from ui.dialogs.status_dialog import StatusDialog

    accounts.create_account(ledger["first"], "孙审核", Role.REVIEWER, PASSWORDS["孙审核"])
    clerk = _window(qtbot, ledger["second"], tmp_path, "张三")
    status.change_status(ledger["second"], ledger["p1"], Status.DONE, override_reason="会议纪要已印发")
    mine = StatusDialog(clerk.undo, problems.get_problem(ledger["second"], ledger["p1"]), clerk)
    qtbot.addWidget(mine)
    assert not mine.approve_button.isEnabled() and not mine.return_button.isEnabled()
    assert mine.withdraw_button.isEnabled()                       # the clerk may take it back
    assert mine.review_note.text() == "只有审核人可以审核销号申请。"
    assert mine.reviewer.text() == "张三" and mine.reviewer.isReadOnly()   # the account signs, nobody types

    reviewer = _window(qtbot, ledger["first"], tmp_path, "孙审核")
    status.change_status(ledger["first"], ledger["p2"], Status.DONE, override_reason="制度已印发")
    own = StatusDialog(reviewer.undo, problems.get_problem(ledger["first"], ledger["p2"]), reviewer)
    qtbot.addWidget(own)
    assert not own.approve_button.isEnabled() and "本人提交" in own.review_note.text()
    theirs = StatusDialog(reviewer.undo, problems.get_problem(ledger["first"], ledger["p1"]), reviewer)
    qtbot.addWidget(theirs)
    assert theirs.approve_button.isEnabled() and theirs.review_note.text() == ""
    theirs.approve()
    assert "已审核通过" in theirs.feedback.text()
    [review] = status.list_reviews(ledger["first"], ledger["p1"])
    assert (review.submitted_by, review.reviewer) == ("张三", "孙审核")


def test_accounts_dialog_lists_and_adds(qtbot: Any, qtmodeltester: Any, ledger: dict[str, Any]) -> None:
    from ui.dialogs.accounts_dialog import AccountsDialog

    dlg = AccountsDialog(ledger["first"])
    qtbot.addWidget(dlg)
    qtmodeltester.check(dlg.model)
    assert [dlg.model.account_at(i).name for i in range(dlg.model.rowCount())] == \
        ["管理员甲", "张三", "李四", "赵只读"]
    accounts.create_account(ledger["first"], "孙审核", Role.REVIEWER, PASSWORDS["孙审核"])
    dlg.refresh()
    assert dlg.model.rowCount() == 5 and dlg.model.data(dlg.model.index(4, 1)) == "审核人"


def test_connection_dialog_tells_a_wrong_password_and_connects(qtbot: Any, pg_cluster: Any, pg_ledger: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.connect_dialog import ConnectDialog

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setattr("db.server.stored_password", lambda _a: None)
    kept: list[str] = []
    monkeypatch.setattr("db.secrets.keep_password", lambda _a, pw: kept.append(pw) or True)
    monkeypatch.setattr("ui.dialogs.connect_dialog.keyring_usable", lambda: True)
    dlg = ConnectDialog(None, pg_cluster.url(pg_ledger))
    qtbot.addWidget(dlg)
    assert (dlg.host.text(), dlg.port.value(), dlg.user.text()) == (pg_cluster.host, pg_cluster.port, APP_USER)
    dlg.password.setText("wrong")
    dlg.try_connect()
    assert dlg.opened is None and "用户名或密码不正确" in dlg.status.text()
    dlg.password.setText(APP_PASSWORD)
    dlg.try_connect()
    assert dlg.opened is not None and dlg.opened.is_server and kept == [APP_PASSWORD]
    dlg.opened.close()


@pytest.fixture
def use_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Any], None]]:
    import keyring

    previous = keyring.get_keyring()
    monkeypatch.delenv("PGPASSWORD", raising=False)
    yield keyring.set_keyring
    keyring.set_keyring(previous)


@pytest.mark.parametrize("case", ["none", "locked", "kept"])
def test_remembering_the_password_says_what_this_machine_can_do(
        qtbot: Any, pg_cluster: Any, pg_ledger: str, use_keyring: Callable[[Any], None],
        messages: list[tuple[str, str]], case: str) -> None:
    """No keyring: the box says so before the clerk relies on it. A keyring that refuses: told after
    connecting. A keyring that keeps it: kept, nothing said."""
    from keyring.backends import fail

    from ui.dialogs.connect_dialog import ConnectDialog

    backend = fail.Keyring() if case == "none" else MemoryKeyring(locked=case == "locked")
    use_keyring(backend)
    dlg = ConnectDialog(None, pg_cluster.url(pg_ledger))
    qtbot.addWidget(dlg)
    if case == "none":
        assert not dlg.remember.isEnabled() and not dlg.remember.isChecked()
        assert "本机没有可用的系统密钥环" in dlg.remember.text() and dlg.password.placeholderText() == "请输入密码"
    else:
        assert dlg.remember.isEnabled() and dlg.remember.isChecked()
    dlg.password.setText(APP_PASSWORD)
    dlg.try_connect()
    assert dlg.opened is not None and dlg.result() == dlg.DialogCode.Accepted
    dlg.opened.close()
    if case == "locked":
        assert len(messages) == 1 and "没有记住密码" in messages[0][1]
    else:
        assert messages == []
    if case == "kept":
        assert list(backend.kept.values()) == [APP_PASSWORD]  # type: ignore[union-attr]


def test_login_dialog(qtbot: Any, ledger: dict[str, Any]) -> None:
    from ui.dialogs.login_dialog import LoginDialog

    db = ledger["second"]
    dlg = LoginDialog(db, db.describe())
    qtbot.addWidget(dlg)
    dlg.name.setText("张三")
    dlg.password.setText("nope-nope")
    dlg.try_sign_in()
    assert dlg.account is None and dlg.status.text() == "用户名或密码不正确。"
    dlg.password.setText(PASSWORDS["张三"])
    dlg.try_sign_in()
    assert dlg.account.name == "张三" and db.account.role == Role.CLERK


def test_the_menu_moves_a_desk_ledger_to_the_server_and_opens_it(
        qtbot: Any, window: MainWindow, seeded: dict[str, int], pg_cluster: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, messages: list[tuple[str, str]]) -> None:
    from ui import server_actions

    pg_cluster.create_database("from_menu")
    dest = open_server_ledger(pg_cluster, "from_menu", tmp_path / "share")
    monkeypatch.setattr(server_actions.ServerActions, "_choose_dest", lambda self: dest)
    opened: list[MainWindow] = []
    real_open = server_actions.open_window
    monkeypatch.setattr(server_actions, "open_window", lambda db, old: opened.append(real_open(db, old)) or opened[-1])
    window.actions.actions["move_ledger"].trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=30000)     # the move runs on the window's task runner
    [(kind, text)] = [m for m in messages if "迁移" in m[1]]
    assert kind == "question" and "SHA-256 与台账记录一致" in text
    [new] = opened
    qtbot.addWidget(new)
    assert new.db is dest and dest.is_server and new.table_model.rowCount() == 3
    assert not window.isVisible() and not window.db.is_open     # the desk's window and file are closed
    dest.close()
