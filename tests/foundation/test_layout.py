"""The office layout: a skip link past the menu, first on the page, in the user's language."""

import re

import pytest

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("language", "text"), [("vi", "Chuyển đến nội dung chính"), ("en", "Skip to main content")]
)
def test_the_sign_in_page_starts_with_a_skip_link_to_the_main_content(client, language, text):
    page = client.get("/login", headers={"Accept-Language": language}).get_data(as_text=True)
    body = page.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>[^<]*</a>", body).group(0)
    assert 'class="skip"' in first_link and 'href="#main"' in first_link and text in first_link
    assert '<main id="main"' in body
