"""The server password, kept in the operating system's keyring (Windows 凭据管理器, the Secret Service
on Linux desktops, macOS Keychain) through the `keyring` library; never in a plain file.

A machine without a usable keyring keeps nothing: the password is asked at each start. `PGPASSWORD`
(libpq's own variable) is honoured for scripts and CI.
"""
from __future__ import annotations

import logging
import os

from db.target import ServerAddress

SERVICE = "xuncha-ledger"
log = logging.getLogger("xuncha.db")


def stored_password(address: ServerAddress) -> str | None:
    """The password kept for this server, database and user, or None."""
    env = os.environ.get("PGPASSWORD")
    if env:
        return env
    try:
        import keyring

        return keyring.get_password(SERVICE, address.key)
    except Exception as exc:  # no backend, a locked keyring, D-Bus missing: ask instead
        log.warning("keyring unavailable: %s", exc)
        return None


def keyring_usable() -> bool:
    """Whether this machine has a keyring to keep a password in (keyring's own answer when it has none is a
    backend that refuses everything)."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception as exc:  # D-Bus missing, a broken backend
        log.warning("keyring unavailable: %s", exc)
        return False


def keep_password(address: ServerAddress, password: str) -> bool:
    """Store the password in the keyring; False when this machine has no usable keyring."""
    if not keyring_usable():
        return False
    try:
        import keyring

        keyring.set_password(SERVICE, address.key, password)
        return True
    except Exception as exc:  # a locked keyring the clerk did not open, a full one
        log.warning("could not keep the password in the keyring: %s", exc)
        return False


def forget_password(address: ServerAddress) -> None:
    try:
        import keyring

        keyring.delete_password(SERVICE, address.key)
    except Exception as exc:  # nothing stored, or no keyring
        log.info("no password to forget: %s", exc)
