"""The office layout: a skip link past the menu, first on the page, in the user's language."""

import re

import pytest

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("language", "text"), [("vi", "Chuyển đến nội dung chính"), ("en", "Skip to main content")]
)
def test_the_sign_in_page_starts_with_a_skip_link_to_the_main_content(client, language, text):
    client.get(f"/lang/{language}")
    page = client.get("/login").get_data(as_text=True)
    body = page.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>[^<]*</a>", body).group(0)
    assert 'class="skip"' in first_link and 'href="#main"' in first_link and text in first_link
    assert '<main id="main"' in body


def test_an_english_browser_still_gets_the_sign_in_page_in_vietnamese(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="vi">' in page and "Chuyển đến nội dung chính" in page


def test_an_english_program_gets_api_errors_in_english(client):
    answer = client.get("/api/v1/sync/pull", headers={"Accept-Language": "en"})
    assert answer.status_code == 401 and answer.get_json()["message"].startswith("Please sign in")
