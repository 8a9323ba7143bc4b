"""The kinds of document a clerk may ask a household for when returning a record.

The one list, for the return form, the review API and the public status page: the public page names
these kinds and nothing else, so no free text (names, ID numbers) ever reaches someone holding a receipt.
"""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

#: key (stored on the record, sent by the API) -> label; in the order the form shows them
DOCUMENT_KINDS = {
    "personal_id": _l("Thẻ căn cước hoặc căn cước công dân"),
    "birth_certificate": _l("Giấy khai sinh"),
    "birth_notice": _l("Giấy chứng sinh của cơ sở y tế"),
    "parents_papers": _l("Giấy tờ tùy thân của cha, mẹ"),
    "marriage_certificate": _l("Giấy chứng nhận kết hôn"),
    "marital_status": _l("Giấy xác nhận tình trạng hôn nhân"),
    "death_notice": _l("Giấy báo tử"),
    "residence": _l("Giấy xác nhận thông tin về cư trú"),
    "other_proof": _l("Giấy tờ chứng minh khác (hỏi UBND xã)"),
}


def known_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds in the order of the list, repeats and unknown keys left out."""
    wanted = set(kinds)
    return [key for key in DOCUMENT_KINDS if key in wanted]


def document_labels(kinds: Iterable[str] | None) -> list[str]:
    return [str(DOCUMENT_KINDS[key]) for key in known_kinds(kinds or [])]
