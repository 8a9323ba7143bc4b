"""Public lookups are rate-limited per client, with a small 429 page."""

from pathlib import Path

import pytest

from tests.support import databases

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict:
    return {**databases.base_config(database_url, tmp_path), "PUBLIC_LOOKUP_RATE_LIMIT": "3 per minute"}


def test_too_many_lookups_get_a_429_page(client):
    paths = ["/r/ABCDE23456", "/r", "/r?code=K7QX2-MP9RD"]
    assert [client.get(p).status_code for p in paths] == [404, 200, 404]
    refused = client.get("/r/ABCDE23457")
    assert refused.status_code == 429
    assert "Quá nhiều lượt tra cứu" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers or "X-RateLimit-Reset" in refused.headers
    assert len(refused.get_data()) < 3000


def test_the_limit_is_per_client(client):
    for _ in range(3):
        client.get("/r/ABCDE23456")
    assert client.get("/r/ABCDE23456").status_code == 429
    other = client.get("/r/ABCDE23456", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 404
