"""The province of each commune a push names, read from the database once per process.

A unit's code and province never change while the server runs (units are loaded by a migration or
`flask units load`, and a code keeps its province), so a code read once is kept for the process's
life; a code not found is asked again next time (units loaded since are seen at once).
"""

from flask import current_app
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.vn.models import AdminUnit

_KEY = "fieldapp.unit_provinces"


def provinces_of(codes: set[str]) -> dict[str, str | None]:
    """code -> its province's code (None for a province itself), for the codes that exist."""
    known: dict[str, str | None] = current_app.extensions.setdefault(_KEY, {})
    missing = codes - known.keys()
    if missing:
        query = select(AdminUnit.code, AdminUnit.province_code).where(AdminUnit.code.in_(missing))
        known.update((code, province) for code, province in db.session.execute(query))
    return {code: known[code] for code in codes if code in known}
