"""The admin commands: users (with a password prompt), devices, units, demo data."""

import pytest
from sqlalchemy import func, select

from fieldapp.accounts.models import Device, User
from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.vn.models import AdminUnit

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_user_create_prompts_for_the_password(runner):
    result = runner.invoke(
        args=["user", "create", "canbo.x", "--role", "clerk", "--area", "14845"],
        input="mat-khau-dai\nmat-khau-dai\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "canbo.x"))
    assert user.role.value == "clerk" and user.area_code == "14845"
    assert "mat-khau-dai" not in user.password_hash


def test_user_create_refuses_an_unknown_area(runner):
    result = runner.invoke(
        args=["user", "create", "x", "--role", "clerk", "--area", "99999", "--password", "mat-khau-dai"]
    )
    assert result.exit_code != 0
    assert "99999" in result.output


def test_device_list_and_revoke(runner, make):
    user = make.user(username="thuthap.x")
    make.token(user, "Redmi 9A")
    device = db.session.scalar(select(Device))
    listed = runner.invoke(args=["device", "list"])
    assert "Redmi 9A" in listed.output and "active" in listed.output
    assert runner.invoke(args=["device", "revoke", str(device.id)]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Device, device.id).revoked_at is not None
    assert "revoked" in runner.invoke(args=["device", "list"]).output


def test_units_load_is_idempotent(runner):
    before = db.session.scalar(select(func.count()).select_from(AdminUnit))
    result = runner.invoke(args=["units", "load"])
    assert result.exit_code == 0, result.output
    assert "communes: 3321" in result.output
    assert db.session.scalar(select(func.count()).select_from(AdminUnit)) == before == 3355


def test_demo_loads_records_and_prints_the_logins(runner):
    result = runner.invoke(args=["demo", "--records", "40", "--campaign-scale", "0.02"])
    assert result.exit_code == 0, result.output
    assert "thuthap1" in result.output and "canbo1" in result.output and "lua-chin-vang-dong" in result.output
    assert db.session.scalar(select(func.count()).select_from(Record)) >= 40
