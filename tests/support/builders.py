"""Builders of test data: users, device tokens and push payloads that pass the rules unless overridden."""

import copy
import itertools
import uuid
from datetime import timedelta
from typing import Any

from flask import Flask

from fieldapp.accounts import services as accounts
from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db

THANH_HOA = "38"
MUONG_LAT = "14845"  # Xã Mường Lát, Thanh Hóa
TRUNG_LY = "14857"  # Xã Trung Lý, Thanh Hóa
HA_NOI_COMMUNE = "00004"  # Phường Ba Đình, Hà Nội
PASSWORD = "mat-khau-thu-nghiem"

_counter = itertools.count(1)


def deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def person(**overrides: Any) -> dict[str, Any]:
    base = {
        "full_name": "Giàng A Páo",
        "sex": "male",
        "date_of_birth": "1980-03-15",
        "ethnicity": "08",
        "nationality": "VN",
        "personal_id": "038080001234",
    }
    return {**base, **overrides}


def household_data(commune: str = MUONG_LAT, **overrides: Any) -> dict[str, Any]:
    base = {
        "commune_code": commune,
        "village": "Bản Pù Toong",
        "members": [
            {**person(), "relationship": "head"},
            {
                **person(
                    full_name="Vàng Thị Mua", sex="female", date_of_birth="1983", personal_id="038183004321"
                ),
                "relationship": "spouse",
            },
            {
                **person(full_name="Giàng A Dế", date_of_birth="2010-09-02", personal_id="038210000111"),
                "relationship": "child",
            },
        ],
    }
    return deep_merge(base, overrides)


def birth_data(commune: str = MUONG_LAT, **overrides: Any) -> dict[str, Any]:
    base = {
        "commune_code": commune,
        "village": "Bản Lát",
        "child": person(
            full_name="Lò Thị Ún",
            sex="female",
            date_of_birth="2023-05-20",
            ethnicity="03",
            personal_id="038323000777",
        ),
        "place_of_birth": "Trạm y tế xã Mường Lát",
        "mother": {"full_name": "Hà Thị Pâng", "date_of_birth": "1998", "ethnicity": "03"},
        "father": {"full_name": "Lò Văn Pản", "date_of_birth": "1995", "ethnicity": "03"},
    }
    return deep_merge(base, overrides)


def death_data(commune: str = MUONG_LAT, **overrides: Any) -> dict[str, Any]:
    base = {
        "commune_code": commune,
        "village": "Bản Ón",
        "deceased": person(
            full_name="Sùng A Chứ", date_of_birth="1940", dob_calendar="lunar", personal_id="038040009999"
        ),
        "date_of_death": "2021-11-02",
        "place_of_death": "Tại nhà",
        "cause_of_death": "Già yếu",
    }
    return deep_merge(base, overrides)


def marriage_data(commune: str = MUONG_LAT, **overrides: Any) -> dict[str, Any]:
    base = {
        "commune_code": commune,
        "village": "Bản Con Cha",
        "husband": person(full_name="Thào A Lử", date_of_birth="1996-02-01", personal_id="038096001111"),
        "wife": person(
            full_name="Hờ Thị Dua", sex="female", date_of_birth="1999-07-07", personal_id="038199002222"
        ),
        "marriage_date": "2019-12-20",
    }
    return deep_merge(base, overrides)


DATA_BUILDERS = {
    "household": household_data,
    "birth": birth_data,
    "death": death_data,
    "marriage": marriage_data,
}


def item(
    kind: str = "household", *, id: str | None = None, data: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """One record of a push batch."""
    return {
        "id": id or str(uuid.uuid4()),
        "type": kind,
        "captured_at": "2025-11-20T09:30:00+07:00",
        "data": data if data is not None else DATA_BUILDERS[kind](),
        **fields,
    }


class Builders:
    """make.user(...), make.token(...), make.push(...): bound to one app."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()

    def user(
        self,
        role: Role | str = Role.COLLECTOR,
        area: str | None = MUONG_LAT,
        *,
        username: str | None = None,
        password: str = PASSWORD,
        **extra: Any,
    ) -> User:
        name = username or f"{Role(role).value}{next(_counter)}"
        user = accounts.create_user(
            name, password, role, area, hash_method=self.app.config["PASSWORD_HASH_METHOD"]
        )
        for key, value in extra.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    def token(self, user: User, device_name: str = "Điện thoại thử") -> str:
        _, token = accounts.issue_device(user, device_name, timedelta(days=30))
        db.session.commit()
        return token

    def collector_token(self, area: str = MUONG_LAT) -> str:
        return self.token(self.user(Role.COLLECTOR, area))

    @staticmethod
    def headers(token: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", **extra}

    def push(self, token: str, records: list[dict[str, Any]], **headers: str) -> Any:
        return self.client.post(
            "/api/v1/sync/push", json={"records": records}, headers=self.headers(token, **headers)
        )

    def pull(self, token: str, cursor: str = "0") -> Any:
        return self.client.get(f"/api/v1/sync/pull?cursor={cursor}", headers=self.headers(token))

    def registry(self, token: str, cursor: str = "0", **query: Any) -> Any:
        """GET /api/v1/sync/registry, uncompressed (the test client sends no Accept-Encoding)."""
        args = "&".join(f"{k}={v}" for k, v in {"cursor": cursor, **query}.items())
        return self.client.get(f"/api/v1/sync/registry?{args}", headers=self.headers(token))

    def pool(self, token: str) -> list[str]:
        return self.pull(token).get_json()["receipt_codes"]


def session_id(user: User) -> str:
    """What a signed-in browser's session cookie names the user by (the user's session token included):
    for tests that put a user into a session directly."""
    accounts.open_web_session(user)
    db.session.commit()
    return user.get_id()
