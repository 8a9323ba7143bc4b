"""Languages: Vietnamese by default, English on request; marshmallow's messages in the user's language."""

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate

LANGUAGES = ("vi", "en")
LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The user's own setting, then the language cookie; Vietnamese otherwise.

    Accept-Language counts only for the API (a program asks for its language on purpose): an office PC or
    a phone whose system is in English still shows the pages in Vietnamese until the user picks English.
    """
    if not has_request_context():  # the CLI: messages of the services in the default language
        return "vi"
    user = g.get("api_user")
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    if user is not None and getattr(user, "locale", None) in LANGUAGES:
        return user.locale
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(LANGUAGES) or "vi"
    return "vi"


_FIELD_MESSAGES = {
    fields.Field: {
        "required": _l("Bắt buộc nhập."),
        "null": _l("Không được để trống."),
        "validator_failed": _l("Giá trị không hợp lệ."),
    },
    fields.String: {"invalid": _l("Phải là chuỗi ký tự."), "invalid_utf8": _l("Chuỗi ký tự không hợp lệ.")},
    fields.Integer: {"invalid": _l("Phải là số nguyên.")},
    fields.Number: {"invalid": _l("Phải là số."), "too_large": _l("Số quá lớn.")},
    fields.Float: {"special": _l("Không chấp nhận giá trị NaN hoặc vô cực.")},
    fields.Boolean: {"invalid": _l("Phải là đúng hoặc sai (true/false).")},
    fields.DateTime: {
        "invalid": _l("Ngày giờ không hợp lệ (cần dạng ISO 8601, ví dụ 2025-12-01T08:30:00+07:00)."),
        "invalid_awareness": _l("Ngày giờ không hợp lệ: thiếu hoặc thừa múi giờ."),
        "format": _l("Không định dạng được ngày giờ."),
    },
    fields.Date: {
        "invalid": _l("Ngày không hợp lệ (cần dạng YYYY-MM-DD)."),
        "format": _l("Ngày không hợp lệ."),
    },
    fields.UUID: {"invalid_uuid": _l("Mã định danh (UUID) không hợp lệ.")},
    fields.List: {"invalid": _l("Phải là một danh sách.")},
    fields.Dict: {"invalid": _l("Phải là một đối tượng.")},
    fields.Mapping: {"invalid": _l("Phải là một đối tượng.")},
    fields.Nested: {"type": _l("Kiểu dữ liệu không hợp lệ.")},
    fields.Email: {"invalid": _l("Địa chỉ thư điện tử không hợp lệ.")},
}


def localize_validation_messages() -> None:
    """Swap marshmallow's English messages for translatable Vietnamese ones.

    Runs when the fieldapp package is imported, before any schema class is defined, because
    marshmallow copies a field's messages when the field is created.
    """
    for field_class, messages in _FIELD_MESSAGES.items():
        field_class.default_error_messages = {**field_class.default_error_messages, **messages}
    Schema._default_error_messages = {
        "type": _l("Kiểu dữ liệu không hợp lệ."),
        "unknown": _l("Trường này không được hỗ trợ."),
    }
    validate.Length.message_min = _l("Cần ít nhất {min}.")
    validate.Length.message_max = _l("Nhiều nhất {max}.")
    validate.Length.message_all = _l("Phải từ {min} đến {max}.")
    validate.Length.message_equal = _l("Phải đúng {equal}.")
    validate.OneOf.default_message = _l("Phải là một trong: {choices}.")
    validate.Regexp.default_message = _l("Không đúng định dạng.")
    validate.Range.message_min = _l("Phải {min_op} {{min}}.")
    validate.Range.message_max = _l("Phải {max_op} {{max}}.")
    validate.Range.message_all = _l("Phải {min_op} {{min}} và {max_op} {{max}}.")
    validate.Range.message_gte = _l("lớn hơn hoặc bằng")
    validate.Range.message_gt = _l("lớn hơn")
    validate.Range.message_lte = _l("nhỏ hơn hoặc bằng")
    validate.Range.message_lt = _l("nhỏ hơn")


def compile_stale_catalogs(translations_dir: Path) -> None:
    """Compile a .po catalog to .mo when the .mo is missing or older (the .mo files are not committed)."""
    for po_path in translations_dir.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp_path = mo_path.with_suffix(f".mo.{os.getpid()}")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(tmp_path, mo_path)
