"""Loading today's and the pre-2025 administrative units into a database."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fieldapp.extensions import db
from fieldapp.vn.models import AdminUnit, LegacyUnit, LegacyUnitMapping
from fieldapp.vn.units import load_units, read_current_units, read_legacy_mapping, split_unit_type

TABLES = [AdminUnit.__table__, LegacyUnit.__table__, LegacyUnitMapping.__table__]


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")

    @event.listens_for(engine, "connect")
    def _foreign_keys(conn: Any, _record: Any) -> None:
        conn.execute("PRAGMA foreign_keys=ON")

    db.metadata.create_all(engine, tables=TABLES)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def loaded(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        counts = load_units(session)
        session.commit()
    return counts


def count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))  # type: ignore[arg-type]


def test_counts(loaded: dict[str, int]) -> None:
    assert loaded["provinces"] == 34
    assert loaded["communes"] == 3321
    assert loaded["legacy_provinces"] == 63
    assert loaded["legacy_districts"] == 696
    assert loaded["legacy_communes"] == 10035
    assert loaded["unmapped_legacy_communes"] == 0
    assert loaded["mappings"] > 10035


def test_current_units(engine: Engine, loaded: dict[str, int]) -> None:
    with Session(engine) as session:
        assert count(session, AdminUnit, AdminUnit.level == "province") == 34
        assert count(session, AdminUnit, AdminUnit.level == "commune") == 3321
        thanh_hoa = session.get(AdminUnit, "38")
        assert thanh_hoa is not None
        assert (thanh_hoa.name, thanh_hoa.short_name, thanh_hoa.unit_type) == (
            "Tỉnh Thanh Hóa",
            "Thanh Hóa",
            "Tỉnh",
        )
        assert thanh_hoa.province_code is None
        assert thanh_hoa.name_folded == "tinh thanh hoa"
        assert count(session, AdminUnit, AdminUnit.province_code == "38") == 166
        hanoi = session.get(AdminUnit, "01")
        assert hanoi is not None and hanoi.unit_type == "Thành phố"
        ba_dinh = session.get(AdminUnit, "00004")
        assert ba_dinh is not None
        assert (ba_dinh.name, ba_dinh.unit_type, ba_dinh.province_code) == ("Phường Ba Đình", "Phường", "01")


def test_unit_types_match_names() -> None:
    provinces, communes = read_current_units()
    for row in provinces + communes:
        assert row["name"] == f"{row['unit_type']} {row['short_name']}"
    assert {row["unit_type"] for row in communes} == {"Xã", "Phường", "Đặc khu"}
    assert split_unit_type("Thị Xã Mường Lay") == ("Thị xã", "Mường Lay")


def test_legacy_units(engine: Engine, loaded: dict[str, int]) -> None:
    with Session(engine) as session:
        assert count(session, LegacyUnit, LegacyUnit.level == "province") == 63
        old_thanh_hoa = session.scalars(
            select(LegacyUnit).where(LegacyUnit.level == "province", LegacyUnit.code == "38")
        ).one()
        assert old_thanh_hoa.name == "Tỉnh Thanh Hóa"
        communes = count(session, LegacyUnit, LegacyUnit.level == "commune", LegacyUnit.province_code == "38")
        assert 500 <= communes < 600
        phuc_xa = session.scalars(
            select(LegacyUnit).where(LegacyUnit.level == "commune", LegacyUnit.code == "00001")
        ).one()
        assert (phuc_xa.name, phuc_xa.district_code, phuc_xa.province_code) == ("Phường Phúc Xá", "001", "01")


def test_every_old_thanh_hoa_commune_maps_into_thanh_hoa(engine: Engine, loaded: dict[str, int]) -> None:
    with Session(engine) as session:
        old = select(LegacyUnit.id).where(LegacyUnit.level == "commune", LegacyUnit.province_code == "38")
        old_ids = set(session.scalars(old))
        rows = session.execute(
            select(LegacyUnitMapping.legacy_unit_id, AdminUnit.province_code)
            .join(AdminUnit, AdminUnit.code == LegacyUnitMapping.commune_code)
            .where(LegacyUnitMapping.legacy_unit_id.in_(old_ids))
        ).all()
    assert {legacy_id for legacy_id, _ in rows} == old_ids
    assert {province for _, province in rows} == {"38"}


def test_split_old_commune_maps_to_several() -> None:
    rows, unmapped = read_legacy_mapping()
    assert unmapped == []
    targets: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        targets.setdefault((row["legacy_level"], row["legacy_code"]), set()).add(row["commune_code"])
    assert any(len(codes) > 1 for codes in targets.values())
    # The island district Côn Đảo had no communes; it became Đặc khu Côn Đảo.
    assert ("district", "755") in targets


def test_loading_twice_changes_nothing(engine: Engine, loaded: dict[str, int]) -> None:
    with Session(engine) as session:
        before = [count(session, model) for model in (AdminUnit, LegacyUnit, LegacyUnitMapping)]
        assert load_units(session) == loaded
        session.commit()
        after = [count(session, model) for model in (AdminUnit, LegacyUnit, LegacyUnitMapping)]
    assert before == after
    assert before[2] == loaded["mappings"]


def test_reload_restores_changed_names(engine: Engine, loaded: dict[str, int]) -> None:
    with Session(engine) as session:
        session.execute(update(AdminUnit).where(AdminUnit.code == "38").values(name="Sai tên"))
        session.execute(update(LegacyUnit).where(LegacyUnit.code == "00001").values(name="Sai tên"))
        session.commit()
        load_units(session)
        session.commit()
        assert session.get(AdminUnit, "38").name == "Tỉnh Thanh Hóa"  # type: ignore[union-attr]
        names = session.scalars(select(LegacyUnit.name).where(LegacyUnit.code == "00001"))
        assert list(names) == ["Phường Phúc Xá"]
