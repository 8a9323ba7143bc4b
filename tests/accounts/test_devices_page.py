"""The office's device page: administrators see every phone, managers their area's, clerks none;
a revocation needs a reason and ends the phone's token at once."""

import re

import pytest

from fieldapp.accounts import services as accounts
from fieldapp.accounts.models import Device, Role
from fieldapp.extensions import db
from tests.progress.helpers import sign_in
from tests.support.builders import HA_NOI_COMMUNE, MUONG_LAT, THANH_HOA, TRUNG_LY


@pytest.fixture
def phones(make):
    """One collector's phone in each of two Thanh Hóa communes and one in Hà Nội."""
    tokens = {}
    for area, name in (
        (MUONG_LAT, "may-muong-lat"),
        (TRUNG_LY, "may-trung-ly"),
        (HA_NOI_COMMUNE, "may-ha-noi"),
    ):
        user = make.user(Role.COLLECTOR, area, username=f"tt-{area}")
        tokens[name] = make.token(user, device_name=name)
    return tokens


def listed(client) -> set[str]:
    html = client.get("/devices/").get_data(as_text=True)
    return {name for name in ("may-muong-lat", "may-trung-ly", "may-ha-noi") if name in html}


def device_named(name: str) -> Device:
    return db.session.query(Device).filter_by(name=name).one()


def revoke(client, device: Device, reason: str, csrf: str | None) -> int:
    """Post the revoke form; the status code, with the device re-read from the database."""
    form = {"reason": reason} if csrf is None else {"reason": reason, "csrf_token": csrf}
    status = client.post(f"/devices/{device.id}/revoke", data=form).status_code
    db.session.refresh(device)
    return status


def test_administrator_sees_every_device(client, make, phones):
    sign_in(client, make.user(Role.ADMIN, None))
    assert listed(client) == {"may-muong-lat", "may-trung-ly", "may-ha-noi"}


def test_province_manager_sees_only_their_provinces_devices(client, make, phones):
    sign_in(client, make.user(Role.MANAGER, THANH_HOA))
    assert listed(client) == {"may-muong-lat", "may-trung-ly"}


def test_commune_manager_sees_only_their_commune(client, make, phones):
    sign_in(client, make.user(Role.MANAGER, MUONG_LAT))
    assert listed(client) == {"may-muong-lat"}


@pytest.mark.parametrize("role", [Role.CLERK, Role.COLLECTOR])
def test_clerks_and_collectors_see_no_device(client, make, phones, role):
    sign_in(client, make.user(role, MUONG_LAT))
    response = client.get("/devices/")
    assert response.status_code == 403
    assert "may-muong-lat" not in response.get_data(as_text=True)


def test_the_page_shows_what_the_phone_reported(client, make, phones):
    headers = make.headers(
        phones["may-muong-lat"], **{"X-App-Version": "0f1e2d3c4b5a", "X-Outbox-Count": "7"}
    )
    assert client.get("/api/v1/sync/pull?cursor=0", headers=headers).status_code == 200
    sign_in(client, make.user(Role.MANAGER, THANH_HOA))
    html = client.get("/devices/").get_data(as_text=True)
    row = re.search(r'<tr id="device-\d+"[^>]*>.*?may-muong-lat.*?</tr>', html, re.S).group(0)
    assert "0f1e2d3c4b5a" in row and '<span class="waiting">7</span>' in row
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", row)  # last sync as a clerk reads dates


def test_manager_revokes_a_device_of_their_area_with_a_reason(client, make, phones):
    csrf = sign_in(client, make.user(Role.MANAGER, THANH_HOA, username="quanly"))
    device = device_named("may-muong-lat")
    response = client.post(
        f"/devices/{device.id}/revoke", data={"reason": "Mất máy ở chợ", "csrf_token": csrf}
    )
    assert response.status_code == 303
    db.session.refresh(device)
    assert device.revoke_reason == "Mất máy ở chợ" and device.revoked_by.username == "quanly"
    assert client.get("/api/v1/records", headers=make.headers(phones["may-muong-lat"])).status_code == 401
    assert "Mất máy ở chợ" in client.get("/devices/").get_data(as_text=True)


def test_revoking_without_a_reason_is_refused_and_changes_nothing(client, make, phones):
    csrf = sign_in(client, make.user(Role.ADMIN, None))
    device = device_named("may-muong-lat")
    response = client.post(f"/devices/{device.id}/revoke", data={"reason": "   ", "csrf_token": csrf})
    assert response.status_code == 400
    assert "lý do" in response.get_data(as_text=True)
    db.session.refresh(device)
    assert not device.is_revoked


def test_manager_cannot_revoke_another_areas_device(client, make, phones):
    csrf = sign_in(client, make.user(Role.MANAGER, THANH_HOA))
    device = device_named("may-ha-noi")
    assert revoke(client, device, "thử", csrf) == 404
    assert not device.is_revoked


def test_clerk_cannot_revoke(client, make, phones):
    csrf = sign_in(client, make.user(Role.CLERK, MUONG_LAT))
    device = device_named("may-muong-lat")
    assert revoke(client, device, "thử", csrf) == 403
    assert not device.is_revoked


def test_revoke_needs_the_csrf_token(client, make, phones):
    sign_in(client, make.user(Role.ADMIN, None))
    device = device_named("may-muong-lat")
    assert revoke(client, device, "mất máy", None) == 400
    assert not device.is_revoked


def test_revoking_twice_says_so(client, make, phones):
    csrf = sign_in(client, make.user(Role.ADMIN, None))
    device = device_named("may-muong-lat")
    accounts.revoke_device(device, None, "mất máy")
    db.session.commit()
    assert revoke(client, device, "lần hai", csrf) == 409
    assert device.revoke_reason == "mất máy"
