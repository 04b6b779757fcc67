"""Where a ledger lives: a SQLite file on this desk, or a database on the office's PostgreSQL server.

`--db` takes either a path (`D:\\台账\\ledger.sqlite`) or a server address
(`postgresql://clerk@192.168.1.10/ledger`, `postgresql://clerk@srv:5433/ledger?evidence=//srv/台账`).
A password never travels in the address or a file: it is kept in the operating system's keyring
(`db/secrets.py`). Parsed with the standard library alone: the window decides which engine to start
before SQLAlchemy is imported.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
DEFAULT_PORT = 5432


class BadAddress(ValueError):
    """An address that names no server or no database; `str()` says what is wrong in Chinese."""


@dataclass(frozen=True)
class ServerAddress:
    """A ledger on a PostgreSQL server (the password is not part of it)."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    evidence_dir: str = ""   # the ledger's shared folder as this machine sees it ('' = as the ledger says)

    @property
    def url(self) -> str:
        """The address as the clerk writes it, without the password."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        query = f"?evidence={quote(self.evidence_dir, safe='/:')}" if self.evidence_dir else ""
        return f"postgresql://{quote(self.user, safe='')}@{host}{port}/{quote(self.database, safe='')}{query}"

    @property
    def key(self) -> str:
        """The name the password is kept under in the keyring (one per server, database and user)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def with_database(self, database: str) -> ServerAddress:
        return replace(self, database=database)

    def __str__(self) -> str:
        return self.url


def is_server(target: object) -> bool:
    """Whether `target` (a `--db` value) names a server rather than a file."""
    if isinstance(target, ServerAddress):
        return True
    text = str(target)
    return any(text.lower().startswith(f"{s}://") for s in SCHEMES)


def parse_server(target: str | ServerAddress) -> ServerAddress:
    if isinstance(target, ServerAddress):
        return target
    parts = urlsplit(target)
    if parts.scheme.lower() not in SCHEMES:
        raise BadAddress(f"“{target}”不是 PostgreSQL 服务器地址（应以 postgresql:// 开头）。")
    if parts.password:
        raise BadAddress("地址中不能写密码：密码保存在本机的系统密钥环中，连接时会询问。")
    database = unquote(parts.path.lstrip("/"))
    if not parts.hostname:
        raise BadAddress(f"地址“{target}”中缺少服务器名称或 IP 地址。")
    if not database or "/" in database:
        raise BadAddress(f"地址“{target}”中缺少数据库名称（如 postgresql://用户名@服务器/ledger）。")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError as exc:
        raise BadAddress(f"地址“{target}”中的端口号无效。") from exc
    user = unquote(parts.username or "")
    if not user:
        raise BadAddress(f"地址“{target}”中缺少数据库用户名（如 postgresql://用户名@服务器/ledger）。")
    evidence = parse_qs(parts.query).get("evidence", [""])[0]
    return ServerAddress(parts.hostname, database, user, port, evidence)


def describe(target: object) -> str:
    """The ledger's location for titles and messages."""
    if is_server(target):
        a = parse_server(target if isinstance(target, ServerAddress) else str(target))
        return f"服务器 {a.host} 上的台账 {a.database}（用户 {a.user}）"
    return str(Path(str(target)))
