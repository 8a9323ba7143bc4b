"""Area scoping, the one place that says who may see which commune's records.

A user's area is a province (2-digit code: every commune in it) or a commune (5 digits); an
administrator without an area sees the whole country.
"""

from typing import Any

from sqlalchemy import ColumnElement, false, true

from fieldapp.accounts.models import Role, User


def covers(user: User, province_code: str | None, commune_code: str | None) -> bool:
    area = user.area_code
    if area is None:
        return user.role is Role.ADMIN
    if len(area) == 2:
        return province_code == area
    return commune_code == area


def area_clause(user: User, province_column: Any, commune_column: Any) -> ColumnElement[bool]:
    """A WHERE clause limiting rows to the user's area."""
    area = user.area_code
    if area is None:
        return true() if user.role is Role.ADMIN else false()
    if len(area) == 2:
        return province_column == area
    return commune_column == area
