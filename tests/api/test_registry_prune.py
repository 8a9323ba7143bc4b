"""Pruning the registry's change log: rows a later row of the same household and area repeats go, and
no phone can tell: every page, from every cursor, for every kind of area, is the same before and after."""

from sqlalchemy import func, select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.registry.models import RegistryChange
from tests.api.test_registry_feed import in_village
from tests.support.builders import TRUNG_LY, household_data, item


def every_page(make, tokens) -> dict:
    """What each caller gets from every cursor the log could have given out (ids and shapes)."""
    top = db.session.scalar(select(func.max(RegistryChange.id)))
    pages = {}
    for name, token in tokens.items():
        for cursor in range(top + 1):
            page = make.registry(token, str(cursor), limit="2").get_json()
            pages[name, cursor] = (page["households"], page["cursor"], page["more"], page.get("reset"))
    return pages


def change(record_id: str, **values) -> None:
    record = db.session.get(Record, record_id)
    for key, value in values.items():
        setattr(record, key, value)
    db.session.commit()


def test_pruning_keeps_one_row_per_household_and_area_and_changes_no_page(app, make):
    toong, lat = in_village("Bản Pù Toong"), in_village("Bản Lát")
    there = item("household", data=household_data(TRUNG_LY))
    make.push(make.collector_token(), [toong, lat])
    make.push(make.collector_token(TRUNG_LY), [there])
    change(toong["id"], village="Bản Lát")  # moved: a row for each village
    change(toong["id"], village="Bản Pù Toong")  # and back
    for address in ("Số 1", "Số 2", "Số 3"):
        record = db.session.get(Record, lat["id"])
        change(lat["id"], data={**record.data, "address": address})
    change(there["id"], commune_code="14845", village="Bản Lát")  # moved to another commune
    tokens = {
        "commune": make.collector_token(),
        "village": make.token(make.user(Role.COLLECTOR, villages=["Bản Lát"])),
        "province": make.token(make.user(Role.MANAGER, "38")),
        "other commune": make.collector_token(TRUNG_LY),
    }
    before = every_page(make, tokens)
    logged = db.session.scalar(select(func.count()).select_from(RegistryChange))

    result = app.test_cli_runner().invoke(args=["registry", "prune"])

    assert result.exit_code == 0, result.output
    log = RegistryChange
    areas = select(log.household_id, log.province_code, log.commune_code, log.village_key).distinct()
    kept = db.session.scalar(select(func.count()).select_from(RegistryChange))
    # Pù Toong's household in 2 villages, Bản Lát's in 1, Trung Lý's in 2 communes
    assert kept == len(db.session.execute(areas).all()) == 5
    assert f"change rows deleted: {logged - kept}" in result.output
    assert every_page(make, tokens) == before
    again = app.test_cli_runner().invoke(args=["registry", "prune"])
    assert "change rows deleted: 0" in again.output
