"""The intake's fixtures: the service on the sample register, on each engine, and a client of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from qbplan.serve.app import ServeConfig, create_app
from tests.serve.intake import serve_config


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> ServeConfig:
    """The service on the sample register, its records on each engine."""
    return serve_config(tmp_path, db_url)


@pytest.fixture
def client(config: ServeConfig) -> TestClient:
    return TestClient(create_app(config), follow_redirects=True)
