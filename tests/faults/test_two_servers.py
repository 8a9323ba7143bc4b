"""Two gunicorn servers on one PostgreSQL, 20 devices pushing overlapping batches at once; Redis limits."""

import hashlib
import os
import random
import re
import threading
import uuid
from collections import Counter
from itertools import cycle

import pytest
import redis
import requests

from fieldapp.accounts.models import Role
from tests.faults.consistency import check_exactly_once
from tests.faults.harness import Device, Server, household_batch, running
from tests.support.builders import MUONG_LAT, PASSWORD
from tests.support.requirements import require

pytestmark = [
    pytest.mark.faults,
    pytest.mark.timeout(900),
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
COLLECTORS = 10  # two phones each: 20 devices
RECORDS_EACH = 100


@pytest.fixture
def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError:
        require(False, f"Redis at {REDIS_URL}", "(set TEST_REDIS_URL)")
    yield REDIS_URL
    client.flushdb()


def overlapping_batches(records: list, seed: int) -> list[list]:
    """Batches of random size, each re-sending the tail of the one before (a lost answer)."""
    chance, batches, start = random.Random(seed), [], 0
    while start < len(records):
        size = chance.randint(15, 40)
        batches.append(records[max(0, start - chance.randint(0, 10)) : start + size])
        start += size
    return batches


def test_twenty_devices_on_two_servers_store_every_record_once(
    database_url, upload_dir, redis_url, collector_tokens
):
    phones = collector_tokens(COLLECTORS, devices_each=2)
    outboxes = [household_batch(RECORDS_EACH, MUONG_LAT, f"thiết bị {n}") for n in range(COLLECTORS)]
    servers = [Server(database_url, upload_dir, workers=2, REDIS_URL=redis_url) for _ in range(2)]
    devices, threads, start = [], [], threading.Barrier(COLLECTORS * 2)
    with running(servers[0]) as first, running(servers[1]) as second:
        urls = [first.url, second.url]
        for n, (tokens, outbox) in enumerate(zip(phones, outboxes, strict=True)):
            for k, token in enumerate(tokens):  # both phones of a collector hold the same outbox
                device = Device(urls[k], token)
                devices.append(device)
                batches = overlapping_batches(outbox, seed=n * 2 + k)
                threads.append(threading.Thread(target=_push_all, args=(device, batches, urls, k, start)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not any(thread.is_alive() for thread in threads)
    pushed = [record for outbox in outboxes for record in outbox]
    answers = {i: a for device in devices for i, a in device.answers.items()}
    check_exactly_once(database_url, pushed, answers)
    created = Counter(a["id"] for device in devices for a in device.history if a["status"] == "created")
    # No record is ever created twice. A device may never see "created" for a record whose answer it
    # lost to a client time-out (its retry is then answered "duplicate"), so this is <=, not ==.
    assert set(created) <= {r["id"] for r in pushed} and set(created.values()) <= {1}
    codes = {
        device.answers[r["id"]]["receipt_code"]
        for device in devices
        for r in pushed
        if r["id"] in device.answers
    }
    assert len(codes) == len(pushed)  # both phones hold the same code for a record, no code twice
    requests_sent = sum(device.attempts for device in devices)
    print(f"\n20 devices, {len(pushed)} records, {requests_sent} requests, retries: {_failures(devices)}")


def _push_all(
    device: Device, batches: list[list], urls: list[str], offset: int, start: threading.Barrier
) -> None:
    start.wait()
    servers = cycle(urls[offset:] + urls[:offset])
    for batch in batches:
        device.push(batch, base_url=next(servers))


def _failures(devices: list[Device]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for device in devices:
        total.update(device.failures)
    return dict(total)


def _failed_logins(urls: list[str], attempts: int) -> list[int]:
    statuses = []
    for n in range(attempts):
        response = requests.post(  # a new name each time: the per-account back-off is not under test
            f"{urls[n % 2]}/api/v1/auth/token",
            json={"username": f"ke-gian-{n}", "password": "doan-mat-khau", "device_name": "?"},
            timeout=10,
        )
        statuses.append(response.status_code)
    return statuses


def test_login_limit_counts_across_both_servers(database_url, upload_dir, redis_url):
    env = {
        "FIELDAPP_LOGIN_RATE_LIMIT": "6 per minute",
        "REDIS_URL": redis_url,
        "FIELDAPP_RATELIMIT_KEY_PREFIX": f"two-servers-{uuid.uuid4().hex[:8]}",
    }
    servers = [Server(database_url, upload_dir, workers=1, **env) for _ in range(2)]
    with running(servers[0]) as first, running(servers[1]) as second:
        statuses = _failed_logins([first.url, second.url], 8)
    assert statuses == [401] * 6 + [429] * 2  # six tries in all, whichever server answers


def test_gunicorn_refuses_to_start_with_limits_counted_per_worker(database_url, upload_dir):
    """The control of the test above: without shared storage each worker would count alone (twice the
    tries with two workers), so the documented production start refuses to run at all."""
    server = Server(database_url, upload_dir, workers=2, REDIS_URL="")
    with pytest.raises(RuntimeError, match="REDIS_URL must be set"):
        server.start(timeout=20)
    server.stop()


def test_a_photo_sent_through_one_server_is_seen_through_the_other(
    database_url, upload_dir, redis_url, collector_tokens, make, s3_config, tmp_path
):
    """Two servers share PostgreSQL and a bucket, no folder: an upload cut on one is finished on the other."""
    photo = b"\xff\xd8\xff\xe0" + os.urandom(48 * 1024)
    sha = hashlib.sha256(photo).hexdigest()
    env = {"REDIS_URL": redis_url, **{f"FIELDAPP_{key}": value for key, value in s3_config.items()}}
    servers = [Server(database_url, tmp_path / f"server-{n}" / "uploads", workers=1, **env) for n in (1, 2)]
    for n in (1, 2):
        (tmp_path / f"server-{n}" / "uploads").mkdir(parents=True)
    (token,) = collector_tokens(1, devices_each=1)[0]
    clerk_name = make.user(Role.CLERK, MUONG_LAT).username
    half = len(photo) // 2
    with running(servers[0]) as first, running(servers[1]) as second:
        auth = {"Authorization": f"Bearer {token}"}
        phone = {**auth, "Content-Type": "image/jpeg"}
        cut = {**phone, "Content-Range": f"bytes 0-{half - 1}/{len(photo)}"}
        assert (
            requests.put(f"{first.url}/api/v1/attachments/{sha}", data=photo[:half], headers=cut).status_code
            == 202
        )
        rest = {**phone, "Content-Range": f"bytes {half}-{len(photo) - 1}/{len(photo)}"}
        finished = requests.put(f"{second.url}/api/v1/attachments/{sha}", data=photo[half:], headers=rest)
        assert finished.status_code == 201
        record = household_batch(1, MUONG_LAT, "ảnh qua hai máy chủ")[0] | {"attachments": [sha]}
        pushed = requests.post(f"{first.url}/api/v1/sync/push", json={"records": [record]}, headers=auth)
        assert pushed.json()["results"][0]["status"] == "created"
        clerk = _web_login(second.url, clerk_name, PASSWORD)
        seen = clerk.get(f"{second.url}/review/attachments/{sha}", timeout=10)
    assert seen.status_code == 200 and seen.content == photo
    assert not any((tmp_path / f"server-{n}" / "uploads" / "objects").exists() for n in (1, 2))


def _web_login(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base_url}/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    return session
