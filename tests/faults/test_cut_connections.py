"""Connections cut at random points while a device pushes 1,000 records: nothing lost, nothing doubled."""

import pytest

from tests.faults.consistency import check_exactly_once
from tests.faults.harness import CuttingProxy, Device, Server, chunks, household_batch, running
from tests.support.builders import MUONG_LAT

pytestmark = pytest.mark.faults


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_cut_connections_lose_and_double_nothing(database_url, upload_dir, collector_tokens):
    [[token]] = collector_tokens(1)
    records = household_batch(1000, MUONG_LAT, "cắt")
    with (
        running(Server(database_url, upload_dir)) as server,
        CuttingProxy(server.port, cut_rate=0.35) as proxy,
    ):
        device = Device(proxy.url, token)
        for batch in chunks(records, 25):
            device.push(batch)
    stats = proxy.stats
    # Every kind of cut happened, including answers lost after the server had committed.
    assert stats.cut_before and stats.cut_midway and stats.cut_after, stats
    check_exactly_once(database_url, records, device.answers)
    print(f"\n1,000 records, {device.attempts} requests, cuts: {stats}")
