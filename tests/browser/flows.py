"""What a collector does in the app, step by step, waiting on the app's own state (body data-*)."""

from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Page
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordAttachment
from fieldapp.sync.models import Attachment

PIN = "246813"


def open_app(page: Page, url: str, pin: str | None = PIN) -> None:
    """Open the app; a phone that has a PIN is unlocked with it (pin=None leaves the lock showing)."""
    page.goto(f"{url}/field/")
    page.wait_for_selector("body[data-ready=true]")
    if pin and page.locator("#unlock").count():
        unlock(page, pin)


def unlock(page: Page, pin: str = PIN) -> None:
    """Type the PIN on the lock screen (waiting for it: after a reload or an update it comes back)."""
    page.wait_for_selector("#unlock input[name=pin]")
    page.fill("#unlock input[name=pin]", pin)
    page.click("#unlock button[type=submit]")
    page.wait_for_selector("body[data-lock=open]")


def log_in(page: Page, user: dict[str, Any], pin: str = PIN) -> None:
    """The password login; then the PIN is chosen when the app asks for one (first login, locked)."""
    page.wait_for_selector("#login")
    page.fill("input[name=username]", user["username"])
    page.fill("input[name=password]", user["password"])
    page.click("#login button[type=submit]")
    page.wait_for_selector("#pin-setup, body[data-lock=open], #login .error:not([hidden])")
    error = page.locator("#login .error:not([hidden])")
    assert error.count() == 0, error.inner_text()
    if page.locator("#pin-setup").count():
        page.fill("#pin-setup input[name=pin]", pin)
        page.fill("#pin-setup input[name=pin2]", pin)
        page.click("#pin-setup button[type=submit]")
        page.wait_for_selector("body[data-lock=open]")
    wait_synced(page)


def first_login(page: Page, url: str, user: dict[str, Any]) -> None:
    """Log in online and wait until the service worker controls the page (the app then opens offline)."""
    open_app(page, url)
    log_in(page, user)
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def wait_synced(page: Page) -> None:
    page.wait_for_function("document.body.dataset.sync === 'done' && document.body.dataset.outbox === '0'")


def outbox(page: Page) -> int:
    page.wait_for_function("document.body.dataset.outbox !== undefined")
    return int(page.evaluate("document.body.dataset.outbox"))


def photo_file(folder: Path, name: str = "giay-to.jpg", size: tuple[int, int] = (2400, 1800)) -> Path:
    path = folder / name
    image = Image.new("RGB", size, (200, 190, 170))
    for x in range(0, size[0], 40):
        for y in range(0, size[1], 40):
            image.putpixel((x, y), (x % 255, y % 255, 90))
    image.save(path, quality=90)
    return path


def add_household(page: Page, head: str, *, photo: Path | None = None) -> None:
    """Fill the household form (head only) and save; lands on the receipt."""
    page.click("#new-household")
    page.wait_for_selector("body[data-form=household]")
    form = page.locator("#record-form")
    form.locator("[data-key=village]").fill("Bản Pù Toong")
    member = form.locator("[data-item]").first
    member.locator("[data-key=full_name]").fill(head)
    member.locator("[data-key=sex]").select_option("male")
    member.locator("[data-key=date_of_birth]").fill("15/03/1980")
    member.locator("[data-key=ethnicity]").select_option("08")
    member.locator("[data-key=personal_id]").fill("038 080 001 234")
    if photo is not None:
        assert page.inner_text("#photo-state") == "Chưa có ảnh"  # the app's words, not the browser's
        page.set_input_files("#photo", str(photo))
        page.wait_for_selector("body[data-photos='1']")
        assert page.inner_text("#photo-state") == "Đã có ảnh: 1"
    save_new(page, "#receipt")  # shown once the record is in the outbox (IndexedDB)
    page.click("text=Về trang chính")
    page.wait_for_selector("#new-household")


def save_new(page: Page, landing: str) -> None:
    """Save a new record and wait for `landing`. The households earlier tests left in the area's registry
    may look like this one: then the phone asks at the door first, and the worker keeps it new."""
    page.click("#save")
    page.wait_for_selector(f"#door-check, {landing}")
    if page.locator("#door-check").count():
        page.click("#door-new")
        page.wait_for_selector(landing)


def records_of(user_id: int) -> list[Record]:
    return list(db.session.scalars(select(Record).where(Record.captured_by_id == user_id)))


def count_by_head(user_id: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records_of(user_id):
        counts[record.subject_name] = counts.get(record.subject_name, 0) + 1
    return counts


def attachments_of(user_id: int) -> list[Attachment]:
    query = (
        select(Attachment)
        .join(RecordAttachment, RecordAttachment.sha256 == Attachment.sha256)
        .join(Record, Record.id == RecordAttachment.record_id)
        .where(Record.captured_by_id == user_id)
    )
    return list(db.session.scalars(query))


def record_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Record).where(Record.captured_by_id == user_id))


def expire_devices(user_id: int) -> None:
    from datetime import timedelta

    from fieldapp.accounts.models import Device
    from fieldapp.timeutil import utcnow

    for device in db.session.scalars(select(Device).where(Device.user_id == user_id)):
        device.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


def go_online(page: Page) -> None:
    page.context.set_offline(False)
    wait_synced(page)


def return_for_correction(record_id: str, clerk_id: int, comment: str) -> None:
    """What a clerk does from the review page: start the review, send the record back with a comment."""
    from fieldapp.accounts.models import User
    from fieldapp.records.services import transition
    from fieldapp.records.states import Action

    record = db.session.get(Record, record_id)
    clerk = db.session.get(User, clerk_id)
    transition(record, Action.START, clerk)
    transition(record, Action.RETURN, clerk, comment=comment)
    db.session.commit()


def office_import(app: Any, clerk: dict[str, Any], content: bytes) -> str:
    """A clerk signs in on the office pages and uploads the phone's file; returns the result page."""
    import io
    import re

    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    form = {"username": clerk["username"], "password": clerk["password"], "csrf_token": token}
    assert client.post("/login", data=form).status_code == 302
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/field/import").text).group(1)
    answer = client.post(
        "/field/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), "hotich.json")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303, answer.text  # the import runs as a background job
    from fieldapp.jobs.queue import run_queued_jobs

    assert run_queued_jobs(app) == 1
    return client.get(answer.headers["Location"]).text


def imported_count(page_html: str, status: str) -> int:
    import re

    return int(re.search(rf'data-count="{status}">(\d+)<', page_html).group(1))
