"""The app runs under the site's Content Security Policy: no inline script or style anywhere."""

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

pytestmark = pytest.mark.browser


def test_login_form_and_receipt_run_without_csp_violations(live, playwright) -> None:
    user = live.user()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        page = browser.new_page(viewport=PHONE)  # no bypass_csp: the browser enforces the policy
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{live.url}/field/")
        page.fill("input[name=username]", user["username"])
        page.fill("input[name=password]", user["password"])
        page.click("#login button[type=submit]")
        page.fill("#pin-setup input[name=pin]", "246813")
        page.fill("#pin-setup input[name=pin2]", "246813")
        page.click("#pin-setup button[type=submit]")
        page.click("#new-household")
        page.fill("[data-key=village]", "Bản Lát")
        page.fill("[data-key=full_name]", "Lò Văn Pản")
        page.select_option("[data-key=sex]", "male")
        page.fill("[data-key=date_of_birth]", "1975")
        page.select_option("[data-key=ethnicity]", "03")
        page.click("#save")
        page.wait_for_selector("#receipt svg.qr")
        page.click("text=Về trang chính")
        page.click("#lang")
        page.wait_for_selector("text=Sync now")
        assert problems == []
    finally:
        browser.close()
