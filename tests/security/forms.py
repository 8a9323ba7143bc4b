"""Valid bodies for every state-changing web form, aimed at one data set of the world.

A body that passes validation is the point: with an empty body a 422 hides whether the area check exists.
The CSRF test sends each body without a token (must be refused) and with one (must be accepted), and the
access matrix aims the bodies at other communes' objects (must be refused with nothing changed).

A new form fails both tests until its body is added to BODIES.
"""

import base64
import hashlib
import io
import json
import re
from collections.abc import Callable
from typing import Any

from flask import g
from flask.testing import FlaskClient
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.security.world import World
from tests.support.builders import PASSWORD, item, person

#: a form field holding a file: (bytes, filename)
Upload = tuple[bytes, str]
Body = dict[str, str | Upload]
#: (the world, the data set the body aims at, the path arguments of the call) -> the form
BodyBuilder = Callable[[World, str, dict[str, Any]], Body]

PNG = b"\x89PNG\r\n\x1a\n" + b"page scan" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"photo from an export file" * 20


def _version(record_id: str) -> str:
    return str(db.session.scalar(select(Record.version).where(Record.id == record_id)))


#: a legal next step from each state a clerk can move a record out of
NEXT_STEP = {
    "submitted": {"action": "start"},
    "in_review": {"action": "verify"},
    "verified": {"action": "transfer", "registration_number": "12/2026", "registration_date": "2026-01-05"},
}


def _next_step(record_id: str) -> dict[str, str]:
    state = db.session.scalar(select(Record.state).where(Record.id == record_id))
    return NEXT_STEP.get(state.value if state else "", {"action": "start"})


def _login(world: World, target: str, args: dict[str, Any]) -> Body:
    return {"username": world.users["clerk"].username, "password": PASSWORD}


def _export_file(world: World, target: str, args: dict[str, Any]) -> Body:
    """A phone's export file of the data set's collector: one household of its commune and one photo."""
    data_set = world.data[target]
    collector = db.session.get(User, data_set.author_ids[0])
    members = [{**person(full_name="Mè Văn Xuất", personal_id="038085000555"), "relationship": "head"}]
    record = item("household", data={"commune_code": data_set.communes[0], "members": members})
    photo = {"sha256": hashlib.sha256(JPEG).hexdigest(), "type": "image/jpeg"}
    content = {
        "format": "fieldapp-outbox",
        "version": 1,
        "collector": {"id": collector.id, "username": collector.username},
        "records": [record],
        "photos": [{**photo, "data": base64.b64encode(JPEG).decode()}],
    }
    return {"file": (json.dumps(content).encode(), "hotich.json")}


def _target(world: World, target: str, args: dict[str, Any]) -> Body:
    code = world.data[target].communes[0]
    return {"kind": "commune", "code": code, "amount": "1.234", "deadline": "31/12/2026"}


def _targets_file(world: World, target: str, args: dict[str, Any]) -> Body:
    code = world.data[target].communes[0]
    return {"file": (f"kind,code,amount,deadline\ncommune,{code},2345,2026-12-31\n".encode(), "chi-tieu.csv")}


def _quota(world: World, target: str, args: dict[str, Any]) -> Body:
    return {"user_id": str(world.data[target].author_ids[0]), "period": "month", "amount": "80"}


def _pad(world: World, target: str, args: dict[str, Any]) -> Body:
    return {"collector_id": str(world.data[target].author_ids[0]), "size": "3"}


def _book(world: World, target: str, args: dict[str, Any]) -> Body:
    code = world.data[target].communes[0]
    return {"commune_code": code, "type": "death", "year": "1999", "book_number": f"{target}-2"}


def _entry(world: World, target: str, args: dict[str, Any]) -> Body:
    return {
        "page": "1",
        "entry_number": "1",
        "d:village": "Bản Sổ",
        "d:child.full_name": "Lò Thị Sổ",
        "d:child.sex": "female",
        "d:child.date_of_birth": "03022001",
        "d:child.ethnicity": "03",
        "d:mother.full_name": "Hà Thị Sổ",
    }


def _push(world: World, target: str, args: dict[str, Any]) -> Body:
    members = [
        {**person(full_name="Mè Thị Đẩy", sex="female", personal_id="038186000666"), "relationship": "head"}
    ]
    record = item("household", data={"commune_code": world.data[target].communes[0], "members": members})
    return {"records": [record]}


def _action(world: World, target: str, args: dict[str, Any]) -> Body:
    return {**_next_step(args["record_id"]), "version": _version(args["record_id"])}


def _edit(world: World, target: str, args: dict[str, Any]) -> Body:
    return {"version": _version(args["record_id"]), "f:village": "Bản Sửa"}


def _paper_household(world: World, target: str, args: dict[str, Any]) -> Body:
    data = world.data[target]
    return {
        "collector": str(data.author_ids[0]),
        "d:commune_code": data.communes[0],
        "d:village": "Bản Giấy",
        "d:members.0.relationship": "head",
        "d:members.0.full_name": "Giàng A Giấy",
        "d:members.0.sex": "male",
        "d:members.0.date_of_birth": "1980",
        "d:members.0.ethnicity": "hmong",
        "d:receipt_code": data.pad_codes[0],
    }


def _transfer_answers(world: World, target: str, args: dict[str, Any]) -> Body:
    code = world.data[target].receipt_codes[-1]
    csv = f"mã biên nhận,số đăng ký,ngày đăng ký\n{code},125/2025,02/03/2025\n".encode()
    return {"file": (csv, "tra-ve.csv")}


BODIES: dict[str, BodyBuilder] = {
    "accounts.login": _login,
    "accounts.logout": lambda world, target, args: {},
    "field.import_file": _export_file,
    "progress.save_target": _target,
    "progress.delete_target": lambda world, target, args: {},
    "progress.import_targets": _targets_file,
    "progress.save_quota": _quota,
    "progress.delete_quota": lambda world, target, args: {},
    "receipts.pad_create": _pad,
    "receipts.batch_job": lambda world, target, args: {"village": "Bản Thử", "format": "a5"},
    "review.book_create": _book,
    "review.book_complete": lambda world, target, args: {"complete": "1"},
    "review.book_entry": _entry,
    "review.book_page": lambda world, target, args: {"page": "2", "scan": (PNG, "trang-2.png")},
    "review.resolve": lambda world, target, args: {"verdict": "distinct"},
    "review.take_turn": lambda world, target, args: {"verdict": "distinct"},
    "review.act": _action,
    "review.comment": lambda world, target, args: {"body": "Đã gọi điện cho gia đình."},
    "review.edit": _edit,
    "review.undo": lambda world, target, args: {"version": _version(args["record_id"])},
    "review.paper_household_save": _paper_household,
    "review.handoff_import": _transfer_answers,
    "devices.revoke": lambda world, target, args: {"reason": "Máy bị mất khi đi bản"},
    "users.save": lambda world, target, args: {"villages": "Bản Thử\nBản Pù Toong"},
    # the API (bearer tokens): the matrix sends these too
    "auth.issue_token": lambda world, target, args: {**_login(world, target, args), "device_name": "Máy thử"},
    "auth.sign_out": lambda world, target, args: {},
    "sync.push": _push,
    "sync.put_attachment": lambda world, target, args: {},
    "review_api.review_record": lambda world, target, args: _next_step(args["record_id"]),
}
#: forms whose body, not their path, names the area object: the matrix aims them at each data set
AIMED_BY_BODY = {
    "field.import_file",
    "progress.save_target",
    "progress.import_targets",
    "progress.save_quota",
    "receipts.pad_create",
    "review.book_create",
    "review.handoff_import",
    "review.paper_household_save",
    "sync.push",
}


#: Who uses each blueprint's forms: a user of this role, in the body's own commune, is accepted.
ROLE_OF_BLUEPRINT = {
    "accounts": "clerk",
    "devices": "manager",
    "users": "admin",
    "field": "clerk",
    "progress": "manager",
    "receipts": "clerk",
    "review": "clerk",
    "review_api": "clerk",
    "sync": "collector",
}
ROLE_OF_ENDPOINT = {
    "accounts.login": "anonymous",
    "auth.issue_token": "anonymous",
    "auth.sign_out": "collector",
}
#: bodies that are not valid on purpose (an upload's bytes must hash to its path: see tests/api)
NOT_VALID = {
    "sync.put_attachment",
    # the world holds no verified record to transfer, and no decision of the last seconds to undo
    "review.handoff_import",
    "review.undo",
}


def role_for(endpoint: str) -> str | None:
    return ROLE_OF_ENDPOINT.get(endpoint) or ROLE_OF_BLUEPRINT.get(endpoint.split(".")[0])


def body_for(endpoint: str, world: World, target: str, args: dict[str, Any]) -> Body:
    if endpoint not in BODIES:
        raise LookupError(f"no valid body known for {endpoint}: add one to BODIES in {__file__}")
    return BODIES[endpoint](world, target, args)


def as_request_data(body: Body) -> dict[str, Any]:
    """The body in the form FlaskClient takes (files as fresh streams, so a body can be sent twice)."""
    return {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in body.items()}


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign in through the login form, as a browser does (any session rule of the app applies)."""
    sign_out(client)
    form = {"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(client)}
    response = client.post("/login", data=form)
    assert response.status_code in (302, 303), f"{user.username} could not sign in: {response.status}"
    forget_cached(client)


def sign_out(client: FlaskClient) -> None:
    forget_cached(client)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    forget_cached(client)


def csrf_token(client: FlaskClient) -> str:
    """A token for the client's session, read from the login page's form."""
    g.pop("csrf_token", None)
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    return found.group(1) if found else ""


def forget_cached(client: FlaskClient) -> None:
    """The test's app context is shared by its requests: forget what Flask-Login and flask-wtf cached."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
