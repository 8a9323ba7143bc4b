"""Administrative units from the MIT-licensed ``vietnamadminunits`` package, and loading them.

The package ships ``data/dataset.db`` (SQLite): table ``admin_units`` holds the 34 provinces and
3,321 communes in force since 1 July 2025, table ``admin_units_legacy`` the 63 provinces, 696
districts and 10,035 communes before (plus one row for each of the five island districts that
had no communes). ``data/converter_2025.json`` says which of today's communes each old commune
(or island district) became, by exact keys: an old commune that was split lists every commune it
went to. The ``read_*`` functions return plain row dicts; :func:`load_units` upserts them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from operator import itemgetter
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from fieldapp.vn.models import AdminUnit, LegacyUnit, LegacyUnitMapping
from fieldapp.vn.text import fold, normalize_text

Row = dict[str, Any]

# Longest first, so "Thành phố" wins over shorter words.
_UNIT_TYPES = ("Thành phố", "Thị trấn", "Đặc khu", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


@contextmanager
def _dataset() -> Iterator[sqlite3.Connection]:
    """Open the package's dataset.db read-only."""
    resource = files("vietnamadminunits") / "data" / "dataset.db"
    with as_file(resource) as path:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            yield conn
        finally:
            conn.close()


def _converter() -> dict[str, Any]:
    resource = files("vietnamadminunits") / "data" / "converter_2025.json"
    return json.loads(resource.read_text(encoding="utf-8"))


def split_unit_type(name: str) -> tuple[str, str]:
    """("Xã", "Nga Sơn") from "Xã Nga Sơn"; the type word is read case-insensitively."""
    name = normalize_text(name)
    for unit_type in _UNIT_TYPES:
        if name.lower().startswith(unit_type.lower() + " "):
            return unit_type, name[len(unit_type) + 1 :]
    return "", name


def _unit_row(code: str, level: str, name: str, fallback_type: str, **extra: Any) -> Row:
    """One row with the type word and name made consistent (the name's own type word wins)."""
    unit_type, short_name = split_unit_type(name)
    unit_type = unit_type or normalize_text(fallback_type)
    full_name = f"{unit_type} {short_name}" if unit_type else short_name
    return {
        "code": code,
        "level": level,
        "name": full_name,
        "short_name": short_name,
        "unit_type": unit_type,
        "name_folded": fold(full_name),
        **extra,
    }


# --- reading the package's data -----------------------------------------------------------


def read_current_units() -> tuple[list[Row], list[Row]]:
    """Today's (provinces, communes) as row dicts for :class:`AdminUnit`, ordered by code."""
    with _dataset() as conn:
        rows = conn.execute(
            "SELECT provinceCode, province, ward, wardType, wardCode FROM admin_units ORDER BY wardCode"
        ).fetchall()
    provinces: dict[str, Row] = {}
    communes: list[Row] = []
    for row in rows:
        code = row["provinceCode"]
        if code not in provinces:
            provinces[code] = _unit_row(code, "province", row["province"], "", province_code=None)
        communes.append(
            _unit_row(row["wardCode"], "commune", row["ward"], row["wardType"], province_code=code)
        )
    return sorted(provinces.values(), key=lambda r: r["code"]), communes


def _legacy_row(code: str, level: str, name: str, unit_type: str, **extra: Any) -> Row:
    row = _unit_row(code, level, name, unit_type, **extra)
    del row["short_name"]  # LegacyUnit has no short name column
    return row


def read_legacy_units() -> list[Row]:
    """The pre-2025 provinces, districts and communes as row dicts for :class:`LegacyUnit`.

    Provinces first, then districts, then communes (each by code), so parents come before children.
    """
    with _dataset() as conn:
        rows = conn.execute(
            "SELECT provinceCode, province, districtCode, district, districtType, wardCode, ward, wardType"
            " FROM admin_units_legacy ORDER BY wardCode"
        ).fetchall()
    provinces: dict[str, Row] = {}
    districts: dict[str, Row] = {}
    communes: list[Row] = []
    for row in rows:
        pcode, dcode = row["provinceCode"], row["districtCode"]
        if pcode not in provinces:
            provinces[pcode] = _legacy_row(
                pcode, "province", row["province"], "", province_code=None, district_code=None
            )
        if dcode not in districts:
            districts[dcode] = _legacy_row(
                dcode,
                "district",
                row["district"],
                row["districtType"],
                province_code=pcode,
                district_code=None,
            )
        if row["wardCode"]:
            communes.append(
                _legacy_row(
                    row["wardCode"],
                    "commune",
                    row["ward"],
                    row["wardType"],
                    province_code=pcode,
                    district_code=dcode,
                )
            )
    by_code = itemgetter("code")
    return sorted(provinces.values(), key=by_code) + sorted(districts.values(), key=by_code) + communes


def _legacy_keys(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """Converter key "province_district_ward" -> (level, code) of the old unit it names."""
    keys: dict[str, tuple[str, str]] = {}
    query = "SELECT provinceKey, districtKey, wardKey, districtCode, wardCode FROM admin_units_legacy"
    for row in conn.execute(query):
        key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        keys[key] = ("commune", row["wardCode"]) if row["wardCode"] else ("district", row["districtCode"])
    return keys


def _converter_pairs(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(new province key, new commune key, old unit key) for every link in converter_2025.json."""
    for province_key, communes in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for commune_key, old_keys in communes.items():
            for old_key in old_keys:
                yield province_key, commune_key, old_key
    for province_key, old_units in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in old_units.items():
            for target in targets:
                yield province_key, target["newWardKey"], old_key


def read_legacy_mapping() -> tuple[list[Row], list[Row]]:
    """(mapping rows, unmapped old units) from converter_2025.json, matched by exact keys.

    A mapping row is ``{"legacy_level", "legacy_code", "commune_code"}``: the old unit by its
    natural key (the database id is only known when loading). Old units are communes, plus the
    five island districts that had none (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo).
    """
    with _dataset() as conn:
        old_units = _legacy_keys(conn)
        query = "SELECT provinceKey, wardKey, wardCode FROM admin_units"
        new_units = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in conn.execute(query)}
    pairs: set[tuple[str, str, str]] = set()
    for province_key, commune_key, old_key in _converter_pairs(_converter()):
        old = old_units.get(old_key)
        new = new_units.get((province_key, commune_key))
        if old is not None and new is not None:
            pairs.add((*old, new))
    rows = [
        {"legacy_level": lvl, "legacy_code": code, "commune_code": new} for lvl, code, new in sorted(pairs)
    ]
    mapped = {(lvl, code) for lvl, code, _ in pairs}
    unmapped = [{"level": lvl, "code": code} for lvl, code in sorted(set(old_units.values()) - mapped)]
    return rows, unmapped


# --- loading into the database --------------------------------------------------------------


def _changed(rows: Iterable[Row], existing: dict[Any, Row], key: Any) -> tuple[list[Row], list[Row]]:
    """Split rows into (new ones, changed ones) against ``existing`` (natural key -> stored row)."""
    new: list[Row] = []
    changed: list[Row] = []
    for row in rows:
        stored = existing.get(key(row))
        if stored is None:
            new.append(row)
        elif any(stored[name] != value for name, value in row.items()):
            # Bulk UPDATE finds rows by primary key: LegacyUnit's is the stored id.
            changed.append({**row, "id": stored["id"]} if "id" in stored else row)
    return new, changed


def _write(session: Session, model: type, new: list[Row], changed: list[Row]) -> None:
    if new:
        session.execute(insert(model), new)
    if changed:
        session.execute(update(model), changed)


def _stored(session: Session, model: type, columns: list[str]) -> list[Row]:
    table = model.__table__  # type: ignore[attr-defined]
    result = session.execute(select(*(table.c[name] for name in columns)))
    return [dict(row._mapping) for row in result]


def _load_current(session: Session, provinces: list[Row], communes: list[Row]) -> None:
    columns = list(provinces[0])
    existing = {row["code"]: row for row in _stored(session, AdminUnit, columns)}
    for rows in (provinces, communes):  # provinces first: communes refer to them
        new, changed = _changed(rows, existing, lambda r: r["code"])
        _write(session, AdminUnit, new, changed)


def _load_legacy(session: Session, units: list[Row]) -> dict[tuple[str, str], int]:
    columns = ["id", *units[0]]
    existing = {(r["level"], r["code"]): r for r in _stored(session, LegacyUnit, columns)}
    new, changed = _changed(units, existing, lambda r: (r["level"], r["code"]))
    _write(session, LegacyUnit, new, changed)
    return {(r["level"], r["code"]): r["id"] for r in _stored(session, LegacyUnit, ["id", "level", "code"])}


def _load_mapping(session: Session, rows: list[Row], ids: dict[tuple[str, str], int]) -> int:
    wanted = {(ids[(r["legacy_level"], r["legacy_code"])], r["commune_code"]) for r in rows}
    stored = {
        (r["legacy_unit_id"], r["commune_code"])
        for r in _stored(session, LegacyUnitMapping, ["legacy_unit_id", "commune_code"])
    }
    stale = stored - wanted
    for legacy_unit_id, commune_code in stale:
        session.execute(
            delete(LegacyUnitMapping).where(
                LegacyUnitMapping.legacy_unit_id == legacy_unit_id,
                LegacyUnitMapping.commune_code == commune_code,
            )
        )
    new = [{"legacy_unit_id": i, "commune_code": c} for i, c in sorted(wanted - stored)]
    if new:
        session.execute(insert(LegacyUnitMapping), new)
    return len(wanted)


def load_units(session: Session) -> dict[str, int]:
    """Insert or update today's units, the pre-2025 units and the mapping; does not commit.

    Idempotent: a second run changes nothing; a newer package version updates names, adds new
    units and replaces stale mapping links. Units the package dropped are kept (records may
    still refer to them). Returns how many of each the package holds.
    """
    provinces, communes = read_current_units()
    legacy = read_legacy_units()
    mapping, unmapped = read_legacy_mapping()
    _load_current(session, provinces, communes)
    ids = _load_legacy(session, legacy)
    mapping_count = _load_mapping(session, mapping, ids)
    levels = [row["level"] for row in legacy]
    return {
        "provinces": len(provinces),
        "communes": len(communes),
        "legacy_provinces": levels.count("province"),
        "legacy_districts": levels.count("district"),
        "legacy_communes": levels.count("commune"),
        "mappings": mapping_count,
        "unmapped_legacy_communes": sum(1 for unit in unmapped if unit["level"] == "commune"),
    }
