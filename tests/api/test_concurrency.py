"""Several phones pushing overlapping batches at once: every record stored exactly once."""

import random
import threading

import pytest
from sqlalchemy import func, select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.receipts.models import ReceiptCode
from fieldapp.records.models import Record, RecordVersion
from tests.support.builders import item

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

DEVICES = 6
RECORDS = 60
ROUNDS = 4


def test_overlapping_batches_from_many_threads_store_each_record_once(app, make):
    collector = make.user(Role.COLLECTOR)
    tokens = [make.token(collector, f"máy {n}") for n in range(DEVICES)]
    records = [item("household") for _ in range(RECORDS)]
    answers: list[dict] = []
    failures: list[str] = []
    lock = threading.Lock()

    def device(n: int) -> None:
        rng = random.Random(n)
        client = app.test_client()
        for _ in range(ROUNDS):
            batch = rng.sample(records, 20)
            response = client.post(
                "/api/v1/sync/push", json={"records": batch}, headers=make.headers(tokens[n])
            )
            with lock:
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.get_data(as_text=True)[:200]}")
                else:
                    answers.extend(response.get_json()["results"])

    threads = [threading.Thread(target=device, args=(n,)) for n in range(DEVICES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"{stuck} still pushing after 120 s: a deadlock or a lost wake-up"
    assert failures == []
    assert len(answers) == DEVICES * ROUNDS * 20  # every batch answered, item by item
    assert {a["status"] for a in answers} <= {"created", "duplicate"}
    created = [a for a in answers if a["status"] == "created"]
    stored_ids = {a["id"] for a in answers}
    assert len(created) == len(stored_ids)  # each record created exactly once
    assert db.session.scalar(select(func.count()).select_from(Record)) == len(stored_ids)
    assert db.session.scalar(select(func.count()).select_from(RecordVersion)) == len(stored_ids)
    codes = {a["id"]: a["receipt_code"] for a in created}
    for answer in answers:  # every duplicate answer names the same code the creation gave
        assert answer["receipt_code"] == codes[answer["id"]]
    assert len(set(codes.values())) == len(codes)
    assert db.session.scalar(select(func.count(func.distinct(ReceiptCode.code)))) == db.session.scalar(
        select(func.count()).select_from(ReceiptCode)
    )
