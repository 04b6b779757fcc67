"""Fixtures shared by the backup and restore tests."""
from tests.app.restore_fixtures import live, template  # noqa: F401
