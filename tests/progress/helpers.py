"""Shared steps of the progress tests: signing in on the web, and counters written directly."""

import re
from collections import Counter
from datetime import date

from fieldapp.extensions import db
from fieldapp.progress import counters
from fieldapp.progress.models import Measure
from tests.support.builders import PASSWORD


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, user) -> str:
    """Sign the user in; returns a CSRF token for later forms."""
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return csrf_from(client.get("/").get_data(as_text=True))


def add_count(
    day: date, commune: str, user_id: int, measure: Measure, count: int, province: str = "38"
) -> None:
    """Counted work, through the same upsert the push and review paths use."""
    counters.add(Counter({(day, province, commune, user_id, measure): count}))
    db.session.commit()
