"""Receipt pads: sheets of fresh codes for a collector; a pad code typed into a record is accepted once."""

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.receipts.models import ReceiptCode, ReceiptPad
from fieldapp.records.models import Record
from tests.receipts.conftest import csrf_token_of, household_of, push_one, read_pdf, sign_in
from tests.support.builders import THANH_HOA, TRUNG_LY, item


def print_pad(client, collector, size: int = 4):
    token = csrf_token_of(client.get("/receipts/pad").get_data(as_text=True))
    return client.post(
        "/receipts/pad", data={"collector_id": collector.id, "size": size, "csrf_token": token}
    )


def pad_codes(response) -> list[str]:
    return [qr.rsplit("/", 1)[1] for page in read_pdf(response.get_data()) for qr in page.qr]


def stored(code: str) -> ReceiptCode:
    db.session.expire_all()
    row = db.session.get(ReceiptCode, code)
    assert row is not None, f"{code} printed but not stored"
    return row


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_clerk_prints_a_pad_of_fresh_codes_each_with_its_qr(
    client, clerk, collector, collector_token, make
):
    sign_in(client, clerk)
    response = print_pad(client, collector, size=4)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    [page] = read_pdf(response.get_data())
    codes = [qr.rsplit("/", 1)[1] for qr in page.qr]
    assert len(set(codes)) == 4
    assert "Lò Văn Thu" in page.text
    assert not set(codes) & set(make.pool(collector_token))  # never also in a phone's pool
    # stored as printed: the collector's, on this pad, no phone's, not used yet
    [pad] = db.session.scalars(select(ReceiptPad)).all()
    assert (pad.user_id, pad.created_by_id, pad.size) == (collector.id, clerk.id, 4)
    rows = [stored(code) for code in codes]
    assert {(r.user_id, r.pad_id, r.device_id, r.used_at, r.record_id) for r in rows} == {
        (collector.id, pad.id, None, None, None)
    }


def test_a_pad_code_typed_into_a_record_is_accepted_once(
    app, client, clerk, collector, collector_token, make
):
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(client, clerk)
    code = pad_codes(client.post("/receipts/pad", data={"collector_id": collector.id, "size": 1}))[0]
    created = push_one(
        make, collector_token, item("household", data=household_of("Lò Văn Em"), receipt_code=code)
    )
    assert created["receipt_code"] == code
    assert db.session.get(Record, created["id"]).receipt_code == code
    row = stored(code)
    assert row.record_id == created["id"] and row.used_at is not None
    assert client.get(f"/r/{code}").status_code == 200
    again = make.push(collector_token, [item("household", data=household_of("Lò Văn Út"), receipt_code=code)])
    assert again.get_json()["results"][0]["status"] == "invalid"
    assert stored(code).record_id == created["id"]  # still the first record's


def test_a_pad_code_works_from_the_collectors_new_phone(app, client, clerk, collector, make):
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(client, clerk)
    code = pad_codes(client.post("/receipts/pad", data={"collector_id": collector.id, "size": 1}))[0]
    new_phone = make.token(collector, "Điện thoại mới")
    created = push_one(make, new_phone, item("household", data=household_of("Lò Văn Em"), receipt_code=code))
    assert created["receipt_code"] == code
    assert db.session.get(Record, created["id"]).receipt_code == code
    assert stored(code).record_id == created["id"]


def test_another_collector_cannot_use_the_pad(app, client, clerk, collector, make):
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(client, clerk)
    code = pad_codes(client.post("/receipts/pad", data={"collector_id": collector.id, "size": 1}))[0]
    other = make.collector_token()
    answer = make.push(other, [item("household", data=household_of("Lò Văn Em"), receipt_code=code)])
    result = answer.get_json()["results"][0]
    assert result["status"] == "invalid"
    assert "receipt_code" in result["errors"]
    assert stored(code).used_at is None and stored(code).user_id == collector.id


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_collector_prints_their_own_pad_with_a_bearer_token(client, collector, collector_token, make):
    headers = make.headers(collector_token)
    own = client.post("/receipts/pad", json={"collector_id": collector.id, "size": 2}, headers=headers)
    assert own.status_code == 200
    codes = pad_codes(own)
    assert len(set(codes)) == 2 and all(stored(code).user_id == collector.id for code in codes)
    other = make.user(Role.COLLECTOR)
    refused = client.post("/receipts/pad", json={"collector_id": other.id, "size": 2}, headers=headers)
    assert refused.status_code == 404
    assert db.session.scalar(select(ReceiptCode).where(ReceiptCode.user_id == other.id)) is None


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_pads_stay_in_the_area_and_managers_do_not_allocate(client, collector, make):
    sign_in(client, make.user(Role.CLERK, TRUNG_LY))
    assert print_pad(client, collector).status_code == 404
    sign_in(client, make.user(Role.MANAGER, THANH_HOA))
    assert client.get("/receipts/pad").status_code == 403
    assert db.session.scalar(select(ReceiptPad)) is None


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_pad_form_needs_its_csrf_token(client, clerk, collector):
    sign_in(client, clerk)
    assert client.post("/receipts/pad", data={"collector_id": collector.id, "size": 2}).status_code == 400
    assert db.session.scalar(select(ReceiptCode)) is None


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_pad_prints_again_with_its_unused_codes(app, client, clerk, collector, collector_token, make):
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(client, clerk)
    codes = pad_codes(client.post("/receipts/pad", data={"collector_id": collector.id, "size": 3}))
    push_one(make, collector_token, item("household", data=household_of("Lò Văn Em"), receipt_code=codes[0]))
    pad_id = db.session.query(ReceiptPad.id).scalar()
    again = client.get(f"/receipts/pad.pdf?pad={pad_id}")
    assert sorted(pad_codes(again)) == sorted(codes[1:])
    sign_in(client, make.user(Role.CLERK, TRUNG_LY))
    assert client.get(f"/receipts/pad.pdf?pad={pad_id}").status_code == 404


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_pad_form_offers_the_collectors_of_the_area_only(client, clerk, collector, make):
    make.user(Role.COLLECTOR, TRUNG_LY, full_name="Cầm Văn Xa")
    sign_in(client, clerk)
    page = client.get("/receipts/pad").get_data(as_text=True)
    assert "Lò Văn Thu" in page
    assert "Cầm Văn Xa" not in page


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_collector_finds_the_pad_page_in_the_menu(client, collector):
    sign_in(client, collector)
    page = client.get("/receipts/pad").get_data(as_text=True)
    assert 'href="/receipts/pad" aria-current="page"' in page
    assert "Lò Văn Thu" in page


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("collector_id", ["9" * 40, "0", "-3"])
def test_a_pad_for_a_collector_id_that_cannot_exist_is_refused(app, client, clerk, collector_id):
    """Regression (found by fuzzing the form): 40 digits overflowed the database integer, a 500."""
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(client, clerk)
    response = client.post("/receipts/pad", data={"collector_id": collector_id, "size": 2})
    assert response.status_code == 422
    assert db.session.scalar(select(ReceiptPad)) is None
