"""The national system's answers imported by a background job, on SQLite and PostgreSQL: the upload is
kept, the rows are checked in steps the job page counts, every row or none is written (checked again
under lock), the refused rows come back as a file that imports once fixed, and a file that is not the
answers says so in words."""

import csv
import io

import pytest
from sqlalchemy import func, select, update

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.jobs.models import Job
from fieldapp.jobs.queue import job_queue, run_queued_jobs
from fieldapp.records.models import Record
from fieldapp.records.states import State
from fieldapp.review import transfers
from tests.receipts.conftest import sign_in
from tests.review.conftest import csrf_from, newborn
from tests.support.builders import MUONG_LAT
from tests.support.jobs import progress_reports, run_job

HEADER = "Mã hồ sơ,Số đăng ký,Ngày đăng ký\n"


@pytest.fixture
def clerk(make):
    return make.user(Role.CLERK, MUONG_LAT)


@pytest.fixture
def verified(office, clerk) -> list[str]:
    """Two verified births of Mường Lát."""
    token = office.make.token(clerk)
    ids = [office.push("birth", data=newborn(name)) for name in ("Lò Thị Ún", "Lò Văn Pọm")]
    for record_id in ids:
        for action in ("start", "verify"):
            assert office.review(token, record_id, action).status_code == 200
    return ids


def upload(client, body: bytes, name: str = "ket-qua.csv"):
    token = csrf_from(client.get("/review/handoff").get_data(as_text=True))
    data = {"csrf_token": token, "file": (io.BytesIO(body), name)}
    return client.post("/review/handoff/import", data=data, content_type="multipart/form-data")


def count(state: State) -> int:
    found = db.session.scalar(select(func.count()).where(Record.state == state))
    db.session.rollback()  # end the test's read: the worker's commits are then seen
    return found


def test_the_job_counts_rows_checked_then_transfers_them_all(app, client, clerk, verified, monkeypatch):
    first, second = verified
    sign_in(client, clerk)
    reports = progress_reports(monkeypatch)
    monkeypatch.setattr(transfers, "STEP", 1)
    answer = upload(client, f"{HEADER}{first},1/2025,02/01/2025\n{second},2/2025,02/01/2025\n".encode())
    job_page = answer.headers["Location"]
    assert "Đang chờ đến lượt" in client.get(job_page).get_data(as_text=True)
    assert count(State.TRANSFERRED) == 0  # nothing happens in the request
    assert run_queued_jobs(app) == 1

    assert reports == [(0, 2), (1, 2), (2, 2)]
    page = client.get(job_page).get_data(as_text=True)
    assert "Đã đánh dấu 2 hồ sơ là đã chuyển; 0 hồ sơ đã có sẵn số" in page
    assert count(State.TRANSFERRED) == 2
    assert db.session.get(Job, job_page.rsplit("/", 1)[1]).summary["transferred"] == 2


class ReopenAfterFirstLook:
    """A progress reporter that, once the first look is over, lets a colleague reopen a record."""

    def __init__(self, record_id: str) -> None:
        self.record_id, self.total, self.done = record_id, 0, 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.done == self.total:
            reopened = update(Record).where(Record.id == self.record_id).values(state=State.IN_REVIEW)
            db.session.execute(reopened)
        db.session.commit()


def test_a_record_changed_after_the_first_look_is_refused_and_nothing_is_written(app, clerk, verified):
    first, second = verified
    text = f"{HEADER}{first},1/2025,02/01/2025\n{second},2/2025,02/01/2025\n"
    with app.test_request_context(), pytest.raises(transfers.TransferRefused) as refused:
        transfers.import_transfers(clerk, text, ReopenAfterFirstLook(second))
    assert refused.value.errors == [
        "Dòng 3: hồ sơ đang ở trạng thái «Đang rà soát»; chỉ hồ sơ đã đối chiếu mới chuyển được."
    ]
    db.session.rollback()
    assert count(State.TRANSFERRED) == 0


def test_the_same_record_twice_is_named_across_steps(app, clerk, verified, monkeypatch):
    first, _second = verified
    monkeypatch.setattr(transfers, "STEP", 1)
    with app.test_request_context(), pytest.raises(transfers.TransferRefused) as refused:
        transfers.import_transfers(clerk, f"{HEADER}{first},1/2025,02/01/2025\n{first},1/2025,02/01/2025\n")
    assert refused.value.errors == ["Dòng 3: hồ sơ này đã có ở dòng 2."]


def test_the_refused_rows_come_back_as_a_file_that_imports_once_fixed(app, client, clerk, verified):
    first, second = verified
    sign_in(client, clerk)
    text = f"{HEADER}{first},1/2025,02/01/2025\n{second},2/2025,31/02/2025\n"
    job_page = run_job(app, upload(client, text.encode()))
    assert count(State.TRANSFERRED) == 0
    page = client.get(job_page).get_data(as_text=True)
    assert "Chưa nhập gì: 1 trong 2 dòng bị từ chối" in page and 'id="refusals-file"' in page
    assert "Xong." not in page  # the outcome is the summary, not a "done" above "nothing imported"
    refusals = client.get(f"{job_page}/file")
    assert 'filename="dong-bi-tu-choi.csv"' in refusals.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(refusals.data.decode("utf-8-sig"))))
    assert rows[1][:4] == [second, "2/2025", "31/02/2025", "3"]
    assert rows[1][4] == "ngày đăng ký: Ngày 31 không hợp lệ: tháng 2 năm 2025 có 28 ngày."

    rows[1][2] = "28/02/2025"  # the clerk fixes the date in the downloaded list and imports it
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    fixed_page = run_job(app, upload(client, out.getvalue().encode()))
    assert "Đã đánh dấu 1 hồ sơ là đã chuyển" in client.get(fixed_page).get_data(as_text=True)
    assert db.session.get(Record, second).state is State.TRANSFERRED


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"PK\x03\x04 an xlsx workbook", "Đây là tệp Excel, không phải CSV."),
        (f"{HEADER}Lò Thị Ún,1,02/01/2025\n".encode("utf-16"), "không phải CSV mã UTF-8"),
        (b"ho_ten,so,ngay\nA,1,02/01/2025\n", "Tệp không theo mẫu trả về của hệ thống hộ tịch"),
        (HEADER.encode(), "Tệp không có dòng dữ liệu nào."),
    ],
    ids=["excel", "not-utf8", "other-columns", "header-only"],
)
def test_a_file_that_is_not_the_answers_fails_in_words(app, client, clerk, verified, body, message):
    sign_in(client, clerk)
    job_page = run_job(app, upload(client, body))
    status = client.get(f"{job_page}.json").get_json()
    assert status["state"] == "failed" and message in status["message"]
    page = client.get(job_page).get_data(as_text=True)
    assert message in page and "Traceback" not in page
    assert "việc vẫn chạy trên máy chủ" not in page  # a failed job is not said to be running
    assert 'href="/review/handoff" id="job-back"' in page  # the way back to try another file
    assert count(State.TRANSFERRED) == 0


def test_no_file_or_a_file_too_big_is_refused_at_once_and_nothing_is_queued(app, client, clerk):
    sign_in(client, clerk)
    none = upload(client, b"", name="")
    assert none.status_code == 422 and "Hãy chọn tệp CSV" in none.get_data(as_text=True)
    big = upload(client, b"x" * (8 * 1024 * 1024 + 1))
    assert big.status_code == 413 and "Tệp lớn quá 8 MB" in big.get_data(as_text=True)
    assert job_queue(app).huey.pending_count() == 0 and db.session.query(Job).count() == 0
