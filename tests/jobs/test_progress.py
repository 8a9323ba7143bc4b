"""A job's progress report on SQLite, where a phone's push may write between the job's read and its report."""

import pytest
from sqlalchemy import select, update

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.jobs import services
from fieldapp.jobs.models import Job

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_a_report_after_a_read_is_not_refused_when_someone_wrote_meanwhile(app, clerk):
    job = services.submit(clerk, "receipts.batch", {}, "vi")
    db.session.commit()
    progress = services.Progress(job.id)
    db.session.execute(select(User.id)).all()  # the job reads: its transaction sees the file as it is now
    with db.engine.connect() as phone:  # a push commits on another connection
        phone.execute(update(User).where(User.id == clerk.id).values(full_name="Đã đổi"))
        phone.commit()
    progress.start(10)  # a read transaction cannot start writing after that: the report starts afresh
    progress.advance(4)
    db.session.expire_all()
    assert (db.session.get(Job, job.id).done, db.session.get(Job, job.id).total) == (4, 10)
