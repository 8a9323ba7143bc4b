"""The public status of a receipt: what a household may learn from its code, and nothing more."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.receipts.codes import display_code, is_valid_code, normalize_code
from fieldapp.receipts.models import CommuneOffice
from fieldapp.records.documents import document_labels
from fieldapp.records.models import Record
from fieldapp.records.states import State
from fieldapp.vn.models import AdminUnit

#: never a stored code (0 is not in the alphabet): a malformed code costs the same query as an unknown one
DECOY_CODE = "0000000000"

#: the record's state as the household sees it: (key, heading, what it means)
PUBLIC_STATES = {
    State.SUBMITTED: ("received", _l("Đã tiếp nhận"), _l("Hồ sơ đã đến xã và đang chờ rà soát.")),
    State.IN_REVIEW: (
        "in_review",
        _l("Đang rà soát"),
        _l("Công chức tư pháp - hộ tịch đang đối chiếu hồ sơ với sổ hộ tịch."),
    ),
    State.RETURNED: (
        "more_documents",
        _l("Cần bổ sung giấy tờ"),
        _l("Xin mang giấy tờ dưới đây đến xã, hoặc báo cán bộ thu thập của thôn, bản."),
    ),
    State.VERIFIED: ("completed", _l("Đã hoàn thành"), _l("Hồ sơ đã được đối chiếu và xác nhận.")),
    State.TRANSFERRED: (
        "completed",
        _l("Đã hoàn thành"),
        _l("Hồ sơ đã được cập nhật vào cơ sở dữ liệu hộ tịch điện tử."),
    ),
    State.REJECTED: (
        "rejected",
        _l("Không được chấp nhận"),
        _l("Xin liên hệ Ủy ban nhân dân xã để biết lý do và cách làm lại."),
    ),
}


#: returned without a document ticked (a mistake in the data, say): where to ask, with no detail
NOTHING_TICKED = _l("Xin liên hệ cán bộ thu thập của thôn, bản hoặc UBND xã để bổ sung hồ sơ.")


@dataclass(frozen=True)
class PublicStatus:
    code: str
    key: str
    heading: str
    meaning: str
    #: the kinds of document the clerk ticked, by label; never the clerk's free text
    needed: list[str]
    masked_name: str
    commune: str
    office_address: str
    office_phone: str
    office_hours: str


def mask_name(name: str) -> str:
    """ "Nguyễn Thị Hương" -> "N*** T** H***": initials only, word lengths blurred."""
    words = []
    for word in name.split():
        if not word[0].isalpha():
            words.append(word[0])  # "&" between husband and wife
            continue
        words.append(word[0].upper() + ("***" if len(word) > 3 else "**"))
    return " ".join(words)


def lookup(typed: str) -> PublicStatus | None:
    """The status for a typed or scanned code; None for malformed and unknown codes alike."""
    code = normalize_code(typed)
    valid = is_valid_code(code)
    query = (
        select(Record.state, Record.subject_name, Record.missing_documents, AdminUnit.name, CommuneOffice)
        .join(AdminUnit, AdminUnit.code == Record.commune_code)
        .outerjoin(CommuneOffice, CommuneOffice.commune_code == Record.commune_code)
        .where(Record.receipt_code == (code if valid else DECOY_CODE))
    )
    row = db.session.execute(query).first()
    if row is None or not valid:
        return None
    state, subject, documents, commune, office = row
    key, heading, meaning = PUBLIC_STATES[state]
    needed = document_labels(documents) if state is State.RETURNED else []
    if state is State.RETURNED and not needed:
        meaning = NOTHING_TICKED
    return PublicStatus(
        code=display_code(code),
        key=key,
        heading=str(heading),
        meaning=str(meaning),
        needed=needed,
        masked_name=mask_name(subject),
        commune=commune,
        office_address=office.address if office else "",
        office_phone=office.phone if office else "",
        office_hours=office.hours if office else "",
    )
