"""On PostgreSQL the registry's change ids become visible in commit order within a province: a writer that
took an id waits to commit until the one before it has, so a phone reading "after id N" skips nothing."""

import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.registry.models import RegistryChange
from tests.support.builders import TRUNG_LY, household_data, item

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.mark.parametrize("first_writer", ["office edit", "push"])
def test_a_later_change_of_the_province_waits_for_an_earlier_one_to_commit(app, make, first_writer):
    """The first writer is an ORM flush (a clerk's edit) or the push's one-statement insert, whose
    change rows take the lock in the statement that writes them."""
    first, second = item("household"), item("household", data=household_data(TRUNG_LY))
    token = make.collector_token()
    if first_writer == "office edit":
        make.push(token, [first])
    make.push(make.collector_token(TRUNG_LY), [second])
    logged = db.session.scalar(select(func.max(RegistryChange.id)))
    paused, release = threading.Event(), threading.Event()
    local = threading.local()

    @event.listens_for(Session, "before_commit")
    def hold(_session):  # runs after the registry's own hook: the change row is written, not committed
        if getattr(local, "hold", False):
            paused.set()
            release.wait(10)

    def move(record_id, village, hold_commit=False):
        """Two households of two communes, nothing else shared: only the registry's lock can order them."""
        local.hold = hold_commit
        with app.app_context():
            db.session.get(Record, record_id).village = village
            db.session.commit()
            db.session.remove()

    def push_new(record):
        local.hold = True
        assert make.push(token, [record]).get_json()["results"][0]["status"] == "created"

    try:
        if first_writer == "push":
            slow = threading.Thread(target=push_new, args=(first,))
        else:
            slow = threading.Thread(target=move, args=(first["id"], "Bản Ón", True))
        slow.start()
        assert paused.wait(10)
        fast = threading.Thread(target=move, args=(second["id"], "Bản Ón"))
        fast.start()
        fast.join(1.0)
        assert fast.is_alive(), "the second commit did not wait for the first one's"
        release.set()
        slow.join(10)
        fast.join(10)
    finally:
        release.set()
        event.remove(Session, "before_commit", hold)
    db.session.expire_all()
    later = select(RegistryChange.household_id).where(RegistryChange.id > logged).order_by(RegistryChange.id)
    order = list(dict.fromkeys(db.session.scalars(later)))
    assert order == [first["id"], second["id"]]
