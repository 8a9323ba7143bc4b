"""Fault tests run real gunicorn servers against the test database; users are made in-process first."""

from pathlib import Path

import pytest

from fieldapp.accounts.models import Role
from tests.support.builders import MUONG_LAT, Builders


@pytest.fixture
def upload_dir(tmp_path: Path) -> Path:
    path = tmp_path / "uploads"
    path.mkdir()
    return path


@pytest.fixture
def collector_tokens(make: Builders):
    """tokens(n): n devices, each of its own collector in Mường Lát, committed before a server starts."""

    def tokens(count: int, devices_each: int = 1) -> list[list[str]]:
        result = []
        for _ in range(count):
            user = make.user(Role.COLLECTOR, MUONG_LAT)
            result.append([make.token(user, f"Điện thoại {n}") for n in range(devices_each)])
        return result

    return tokens
