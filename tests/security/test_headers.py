"""Security headers on every kind of answer, and pages that keep to the CSP (no inline code)."""

import re

import pytest
from flask import Flask

from fieldapp.accounts.models import Role
from tests.support.builders import MUONG_LAT, THANH_HOA, session_id

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

ANSWERS = [
    "/login",
    "/healthz",
    "/api/v1/records",
    "/api/v1/openapi.json",
    "/no-such-page",
]
INLINE = [
    # a JSON data block (type="application/json") is never run, so the CSP has nothing to block there
    (re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("path", ANSWERS)
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored anyway


def test_static_assets_carry_nosniff_but_not_the_page_policies(client):
    headers = client.get("/static/css/app.css").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in headers  # bytes a 2G phone would pay on every asset


def test_hsts_behind_https(client):
    response = client.get("/login", base_url="https://fieldapp.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_api_answers_are_not_cached(client):
    assert client.get("/api/v1/records").headers["Cache-Control"] == "no-store"


def page_paths(app: Flask) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(("/api/", "/static"))
    )


@pytest.mark.parametrize("role", ["anonymous", "collector", "clerk", "manager", "admin"])
def test_no_page_has_inline_code_the_csp_would_block(app, make, role):
    """Every argument-free page, for each role: no inline script, style or handler (they would break)."""
    client = app.test_client()
    if role != "anonymous":
        area = THANH_HOA if role in ("manager", "admin") else MUONG_LAT
        user = make.user(Role(role), area)
        with client.session_transaction() as session:
            session["_user_id"] = session_id(user)
    found = []
    for path in page_paths(app):
        response = client.get(path, follow_redirects=True)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        found += [f"{path}: {what}" for pattern, what in INLINE if pattern.search(html)]
    assert not found, found
