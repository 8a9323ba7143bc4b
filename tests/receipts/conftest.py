"""Receipt test helpers: records pushed by a collector of Mường Lát, sign-in, state changes."""

import ctypes
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from flask import g
from flask.testing import FlaskClient

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.models import Record
from fieldapp.records.states import Action
from tests.support.builders import MUONG_LAT, Builders, household_data, item, person, session_id


@pytest.fixture
def collector(make: Builders) -> User:
    return make.user(Role.COLLECTOR, MUONG_LAT, full_name="Lò Văn Thu")


@pytest.fixture
def collector_token(make: Builders, collector: User) -> str:
    return make.token(collector)


@pytest.fixture
def clerk(make: Builders) -> User:
    return make.user(Role.CLERK, MUONG_LAT, full_name="Hà Thị Lan")


def household_of(head: str, village: str = "Bản Pù Toong", commune: str = MUONG_LAT) -> dict[str, Any]:
    members = [{**person(full_name=head), "relationship": "head"}]
    return household_data(commune, village=village, members=members)


def push_one(make: Builders, token: str, record: dict[str, Any]) -> dict[str, Any]:
    """Push one record; its answer (id, receipt_code, ...), which must be "created"."""
    answer = make.push(token, [record]).get_json()["results"][0]
    assert answer["status"] == "created", answer
    return answer


def push_household(make: Builders, token: str, head: str = "Nguyễn Thị Hoà", **kw: Any) -> dict[str, Any]:
    return push_one(make, token, item("household", data=household_of(head, **kw)))


def sign_in(client: FlaskClient, user: User) -> None:
    # the test holds an app context that requests reuse: forget the user Flask-Login cached in g
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session["_user_id"] = session_id(user)
        session["_fresh"] = True


def move(record_id: str, by: User, *actions: Action, comment: str | None = None) -> Record:
    record = db.session.get(Record, record_id)
    for action in actions:
        records.transition(record, action, by, comment=comment if action is actions[-1] else None)
    db.session.commit()
    return record


@dataclass
class PdfPage:
    text: str
    qr: list[str]
    width_mm: float
    #: names of the fonts the text is drawn with, without the subset tag ("Receipt-Sans-Bold")
    fonts: set[str]


def read_pdf(body: bytes) -> list[PdfPage]:
    """Each page's text layer and the QR codes found on its rendered image."""
    document = pdfium.PdfDocument(body)
    pages = []
    for page in document:
        image = page.render(scale=2).to_pil()
        found = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
        textpage = page.get_textpage()
        text = unicodedata.normalize("NFC", textpage.get_text_range())
        pages.append(PdfPage(text, found, page.get_width() / 72 * 25.4, _fonts(textpage)))
    return pages


def blank_mm_below_the_content(body: bytes) -> list[tuple[float, float]]:
    """(page height, white paper below the last inked row) in mm, for each page."""
    found = []
    for page in pdfium.PdfDocument(body):
        image = page.render(scale=2).to_pil().convert("L")
        inked = [
            y for y in range(image.height) if image.crop((0, y, image.width, y + 1)).getextrema()[0] < 200
        ]
        height_mm = page.get_height() / 72 * 25.4
        found.append((height_mm, (image.height - 1 - max(inked)) / image.height * height_mm))
    return found


def _fonts(textpage: pdfium.PdfTextPage) -> set[str]:
    names = set()
    for index in range(textpage.count_chars()):
        size = pdfium_c.FPDFText_GetFontInfo(textpage, index, None, 0, None)
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFText_GetFontInfo(textpage, index, buffer, size, None)
        if buffer.value:
            names.add(buffer.value.decode().partition("+")[2] or buffer.value.decode())
    return names


def csrf_token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
