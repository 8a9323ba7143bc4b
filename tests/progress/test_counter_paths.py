"""Every path that changes a record moves the counters as a recount from history would count them."""

import pytest
from flask import current_app
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.progress import counters
from fieldapp.progress.models import Measure
from fieldapp.records.models import Record
from fieldapp.review import books, keying, services, transfers
from fieldapp.review.models import DuplicatePair
from fieldapp.review.pairs import resolve_pair
from tests.progress.test_counters import counted, rolled_up
from tests.review.conftest import newborn
from tests.support.builders import MUONG_LAT, item

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def assert_same_as_recount() -> dict:
    db.session.commit()
    maintained = {key: n for key, n in counted().items() if n}
    counters.rebuild()
    db.session.commit()
    assert {key: n for key, n in counted().items() if n} == maintained
    assert {key: n for key, n in rolled_up().items() if n} == maintained
    return maintained


@pytest.fixture
def work(make):
    """A collector's two pushed records and the clerk of their commune."""
    collector, clerk = make.user("collector"), make.user("clerk")
    make.push(make.token(collector), [item("household"), item("marriage")])
    first, second = db.session.scalars(select(Record).order_by(Record.id)).all()
    return collector, clerk, first, second


def verified(record, clerk):
    services.review(record, clerk, "start")
    services.review(record, clerk, "verify")


def test_reopen_takes_the_verification_back(work):
    _collector, clerk, first, second = work
    verified(first, clerk)
    verified(second, clerk)
    services.review(first, clerk, "reopen", comment="Sai năm sinh của vợ so với sổ")
    counts = assert_same_as_recount()
    assert counts[(MUONG_LAT, clerk.id, Measure.VERIFIED)] == 1


def test_verify_again_after_reopen_counts_once(work):
    _collector, clerk, first, _second = work
    verified(first, clerk)
    services.review(first, clerk, "reopen", comment="Kiểm tra lại")
    services.review(first, clerk, "verify")
    assert assert_same_as_recount()[(MUONG_LAT, clerk.id, Measure.VERIFIED)] == 1


def test_undo_of_a_verify_and_of_a_transfer(work):
    _collector, clerk, first, second = work
    verified(first, clerk)
    services.undo(first, clerk)
    verified(second, clerk)
    services.review(second, clerk, "transfer", registration_number="12/2024", registration_date=_today())
    services.undo(second, clerk)
    counts = assert_same_as_recount()
    assert counts[(MUONG_LAT, clerk.id, Measure.VERIFIED)] == 1
    assert (MUONG_LAT, clerk.id, Measure.TRANSFERRED) not in counts


def test_bulk_transfer(work):
    _collector, clerk, first, second = work
    verified(first, clerk)
    verified(second, clerk)
    text = "Mã hồ sơ,Số đăng ký,Ngày đăng ký\n"
    text += f"{first.id},01/2024,02/01/2024\n{second.id},02/2024,02/01/2024\n"
    assert transfers.import_transfers(clerk, text).transferred == 2
    assert assert_same_as_recount()[(MUONG_LAT, clerk.id, Measure.TRANSFERRED)] == 2


def test_register_keying(make):
    clerk = make.user("clerk")
    book = books.create_book(clerk, {"type": "birth", "year": 1998, "book_number": "01", "entries_total": 2})
    typed = {"child.full_name": "Lò Thị Ún", "child.sex": "female", "child.date_of_birth": "03021998",
             "child.ethnicity": "03", "mother.full_name": "Hà Thị Pâng", "village": "Bản Lát"}  # fmt: skip
    record_id, errors, _message = keying.key_entry(clerk, book, 3, "7", typed)
    assert record_id and not errors
    assert assert_same_as_recount()[(MUONG_LAT, clerk.id, Measure.COLLECTED)] == 1


def test_merge(make):
    collector, clerk = make.user("collector"), make.user("clerk")
    token = make.token(collector)
    make.push(token, [item("birth", data=newborn("Lò Thị Ún"))])
    make.push(token, [item("birth", data=newborn("Lò Thị Ún"))])
    pair = db.session.scalars(select(DuplicatePair)).one()
    with current_app.test_request_context():  # the merge writes a sentence in the user's language
        resolve_pair(clerk, pair.id, "duplicate", pair.record_a)
    assert assert_same_as_recount()[(MUONG_LAT, collector.id, Measure.COLLECTED)] == 2


def _today():
    from fieldapp.progress.counters import local_day

    return local_day()
