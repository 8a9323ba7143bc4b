"""How every API blueprint reads its JSON body: a body that is not JSON is a clear 400, never a 500.

Python refuses to turn more than 4,300 digits into an int (a guard against slow parsing) by raising
a plain ValueError from inside `json.loads`; webargs only expects JSONDecodeError there.
"""

import json
from typing import Any, NoReturn

import flask_smorest
from flask import Request
from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema
from webargs.flaskparser import FlaskParser


class JsonBodyParser(FlaskParser):
    def load_json(self, req: Request, schema: Schema) -> Any:
        try:
            return super().load_json(req, schema)
        except ValueError:
            abort(400, message=_("Dữ liệu gửi lên có một số quá dài; không đọc được."))

    def _handle_invalid_json_error(
        self, error: json.JSONDecodeError | UnicodeDecodeError, req: Request, *args: Any, **kwargs: Any
    ) -> NoReturn:
        abort(400, message=_("Dữ liệu gửi lên không phải JSON hợp lệ."))


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with the JSON parser above (the documented way to swap the parser)."""

    ARGUMENTS_PARSER = JsonBodyParser()
