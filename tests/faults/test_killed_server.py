"""kill -9 of a gunicorn worker, and of the whole server, in the middle of a batch."""

import random
import threading
import time

import pytest

from tests.faults.consistency import check_exactly_once
from tests.faults.harness import Device, Server, chunks, household_batch, running
from tests.support.builders import MUONG_LAT

pytestmark = [
    pytest.mark.timeout(900),
    pytest.mark.faults,
    pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True),
]

BATCHES = 4
BATCH_SIZE = 200  # the largest batch a device may send: the longest window for a kill


def timed_push(device: Device, batch: list) -> float:
    """Push one batch undisturbed; how long a batch takes tells when to strike the next ones."""
    started = time.perf_counter()
    device.push(batch)
    return time.perf_counter() - started


def test_worker_killed_mid_batch_then_the_retry_completes(database_url, upload_dir, collector_tokens):
    [[token]] = collector_tokens(1)
    records = household_batch(BATCHES * BATCH_SIZE, MUONG_LAT, "giết-worker")
    chance = random.Random(9)
    # One worker: the worker killed is the one serving the batch; the master starts a new one.
    with running(Server(database_url, upload_dir, workers=1)) as server:
        device = Device(server.url, token)
        first, *rest = chunks(records, BATCH_SIZE)
        took = timed_push(device, first)
        for batch in rest:
            timer = threading.Timer(chance.uniform(0.1, 0.8) * took, server.kill_worker)
            timer.start()
            device.push(batch)
            timer.join()
    assert sum(device.failures.values()) >= 1, "no kill landed during a request"
    check_exactly_once(database_url, records, device.answers)
    print(f"\nworker kills: {BATCHES - 1}, failed requests retried: {dict(device.failures)}")


def test_whole_server_killed_mid_batch_then_restarted(database_url, upload_dir, collector_tokens):
    [[token]] = collector_tokens(1)
    records = household_batch(BATCHES * BATCH_SIZE, MUONG_LAT, "mất-điện")
    chance = random.Random(10)
    server = Server(database_url, upload_dir, workers=2).start()
    try:
        device = Device(server.url, token, max_attempts=60)
        first, *rest = chunks(records, BATCH_SIZE)
        took = timed_push(device, first)
        for batch in rest:
            pusher = threading.Thread(target=device.push, args=(batch,))
            pusher.start()
            time.sleep(chance.uniform(0.1, 0.8) * took)
            server.kill_all()  # power cut: master and workers, no cleanup
            server.start()  # the same database, the same port
            pusher.join(timeout=180)  # a loaded 2-core machine restarts gunicorn slowly
            assert not pusher.is_alive()
    finally:
        server.stop()
    assert sum(device.failures.values()) >= 1, "no kill landed during a request"
    check_exactly_once(database_url, records, device.answers)
    print(f"\nserver kills: {BATCHES - 1}, failed requests retried: {dict(device.failures)}")
