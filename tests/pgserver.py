"""A throwaway PostgreSQL cluster for the tests and benchmarks: made in a temporary folder with the
distribution's own `initdb`/`pg_ctl`, run as an unprivileged user, gone at the end.

`initdb` refuses to run as root: as root the cluster runs as the `postgres` user the Debian package
creates (through `runuser`). The cluster trades durability for speed (fsync off): it holds nothing worth
keeping. The program connects as an ordinary login role with a password over TCP, as on an office LAN.

Without the server binaries the PostgreSQL half of the tests is skipped on a developer's machine, but
fails when `XUNCHA_REQUIRE_POSTGRES=1` (set by `.ci/run`): CI always runs both engines.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REQUIRE_ENV = "XUNCHA_REQUIRE_POSTGRES"
SUPERUSER, SUPER_PASSWORD = "postgres", "super-secret-1"
APP_USER, APP_PASSWORD = "ledger_app", "app-secret-1"


class NoServer(RuntimeError):
    """The PostgreSQL server binaries are not installed, or the cluster would not start."""


def find_bindir() -> Path:
    """The newest installed server's bin folder (`XUNCHA_PG_BINDIR` overrides)."""
    given = os.environ.get("XUNCHA_PG_BINDIR")
    candidates = [given] if given else sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                              key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0)
    on_path = shutil.which("initdb")
    if on_path and not given:
        candidates.insert(0, str(Path(on_path).resolve().parent))  # the distribution's own folder comes last
    for c in reversed(candidates):
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    raise NoServer("PostgreSQL server binaries not found (Debian: apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One running cluster; `url(database)` is how the program is told to reach a ledger on it."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable  # fsync on, as a real server runs (benchmarks); the tests trade it for speed
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="xuncha-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.host = "127.0.0.1"
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as the package's own user
            try:
                shutil.chown(self.root, "postgres")
            except (LookupError, OSError) as exc:
                raise NoServer(f"running as root needs the 'postgres' user: {exc}") from exc
            self._as = ["runuser", "-u", "postgres", "--"]
        os.chmod(self.root, 0o700)

    def version(self) -> str:
        out = subprocess.run([str(self.bindir / "postgres"), "--version"], capture_output=True, text=True)
        return out.stdout.strip()

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120)

    def start(self) -> Cluster:
        pwfile = self.root / "pw"
        pwfile.write_text(SUPER_PASSWORD + "\n")
        if self._as:
            shutil.chown(pwfile, "postgres")
        out = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
                        "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                        "--no-sync")
        pwfile.unlink()
        if out.returncode:
            raise NoServer(f"initdb failed: {out.stderr[-800:]}")
        fast = "" if self.durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        options = f"-p {self.port} -k {self.root} -c listen_addresses={self.host} {fast}-c max_connections=120"
        out = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60",
                        "-l", str(self.root / "server.log"), "-o", options, "start")
        if out.returncode:
            log = (self.root / "server.log").read_text(errors="replace")[-800:] if (self.root / "server.log").exists() else ""
            raise NoServer(f"pg_ctl start failed: {out.stderr[-400:]} {log}")
        with self.admin() as conn:
            conn.execute(f"create role {APP_USER} login password '{APP_PASSWORD}' createdb")
        return self

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    # -- connections ------------------------------------------------------------------------
    def admin(self, database: str = "postgres"):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=SUPERUSER, password=SUPER_PASSWORD,
                               dbname=database, autocommit=True)

    def url(self, database: str, user: str = APP_USER) -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        with self.admin() as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')
            tpl = f' template "{template}" strategy file_copy' if template else ""
            conn.execute(f'create database "{name}" owner {APP_USER}{tpl}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def start_cluster(durable: bool = False) -> Cluster:
    """A started cluster, or NoServer saying why not."""
    t = time.monotonic()
    cluster = Cluster(durable)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    cluster.started_in = time.monotonic() - t  # type: ignore[attr-defined]
    return cluster


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")
