"""The tests' fixtures and Hypothesis profiles; the helpers they use live in :mod:`tests.helpers`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import TARGETS_YAML, clean_postgres, driver_url, postgres_url

# Hypothesis: "ci" (the default) is derandomized, so a CI failure reproduces
# on any machine; "dev" tries fewer examples for the quick loop. Tests that
# set max_examples themselves keep it.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=10, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def targets():  # type: ignore[no-untyped-def]
    from qbplan.config.targets import load_targets

    return load_targets(TARGETS_YAML)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty intake database URL on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'intake.db'}"
        return
    url = driver_url(postgres_url())
    clean_postgres(url)
    yield url
    clean_postgres(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def history_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A history database not made yet, as ``--db`` takes it: an SQLite file's path, or a server's URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "h.db")
        return
    url = postgres_url()
    clean_postgres(driver_url(url))
    yield url
    clean_postgres(driver_url(url))


@pytest.fixture
def history_server() -> Iterator[str]:
    """The PostgreSQL test server as ``--db`` takes it, with no table in it: for a server's own cases."""
    url = postgres_url()
    clean_postgres(driver_url(url))
    yield url
    clean_postgres(driver_url(url))
