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


def keep_password(address: ServerAddress, password: str) -> bool:
    """Store the password in the keyring; False when this machine has no usable keyring."""
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return False
        keyring.set_password(SERVICE, address.key, password)
        return True
    except Exception as exc:
        log.warning("could not keep the password in the keyring: %s", exc)
        return False


def forget_password(address: ServerAddress) -> None:
    try:
        import keyring

        keyring.delete_password(SERVICE, address.key)
    except Exception as exc:  # nothing stored, or no keyring
        log.info("no password to forget: %s", exc)
