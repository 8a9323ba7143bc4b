"""`flask records rekey` after the folding rules change: households whose village folds differently now
come again to a collector given that village, on a full download and to a phone that already synced."""

from sqlalchemy import func, select, update

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.registry.models import RegistryChange
from tests.api.test_registry_feed import households, ids_of, in_village


def log_size() -> int:
    return db.session.scalar(select(func.count()).select_from(RegistryChange))


def test_households_logged_under_an_old_village_key_come_again_under_todays(app, make):
    toong, other = in_village("Bản Pù Toong"), in_village("Bản Ón")
    make.push(make.collector_token(), [toong, other])
    assigned = make.token(make.user(Role.COLLECTOR, villages=["Bản Pù Toong"]))
    synced = households(make, assigned)
    assert ids_of(synced) == [toong["id"]]
    # as if the key had been folded by older rules: the assigned collector's scope no longer meets it
    db.session.execute(update(RegistryChange).values(village_key="ban pu\u200btoong"))
    db.session.commit()
    assert ids_of(households(make, assigned)) == []

    result = app.test_cli_runner().invoke(args=["records", "rekey"])
    assert result.exit_code == 0, result.output
    assert "households announced under a new village key: 2" in result.output

    assert ids_of(households(make, assigned)) == [toong["id"]]  # a full download
    assert ids_of(households(make, assigned, synced["cursor"])) == [toong["id"]]  # a phone that synced
    size = log_size()
    again = app.test_cli_runner().invoke(args=["records", "rekey"])
    assert "households announced under a new village key: 0" in again.output
    assert log_size() == size
