"""What a printed receipt says: one Slip per record (or per blank pad code), ready for the template."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from fieldapp.receipts.codes import display_code
from fieldapp.receipts.models import CommuneOffice
from fieldapp.receipts.qr import qr_data_uri
from fieldapp.receipts.services import offices_by_commune, units_by_code
from fieldapp.records.models import Record, RecordType
from fieldapp.vn.models import AdminUnit

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

TYPE_LABELS = {
    RecordType.HOUSEHOLD: _l("Thông tin hộ gia đình"),
    RecordType.BIRTH: _l("Khai sinh"),
    RecordType.DEATH: _l("Khai tử"),
    RecordType.MARRIAGE: _l("Kết hôn"),
}

#: what the household should bring to the commune office, per record type
TO_BRING = {
    RecordType.HOUSEHOLD: _l(
        "Căn cước hoặc giấy tờ tùy thân của các thành viên; sổ hộ khẩu hoặc giấy tờ cư trú cũ (nếu còn)."
    ),
    RecordType.BIRTH: _l(
        "Giấy chứng sinh hoặc giấy khai sinh cũ (nếu có); căn cước của cha, mẹ; giấy chứng nhận kết hôn "
        "của cha mẹ (nếu có)."
    ),
    RecordType.DEATH: _l(
        "Giấy báo tử hoặc giấy tờ thay thế (nếu có); căn cước của người chết (nếu còn) và của người đi khai."
    ),
    RecordType.MARRIAGE: _l("Giấy chứng nhận kết hôn cũ (nếu có); căn cước của hai vợ chồng."),
}


@dataclass(frozen=True)
class Slip:
    code: str
    display: str
    status_url: str
    qr: str
    type_label: str = ""
    subject: str = ""
    village: str = ""
    commune: str = ""
    province: str = ""
    date: str = ""
    to_bring: str = ""
    office_address: str = ""
    office_phone: str = ""
    office_hours: str = ""


def status_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/r/{code}"


def local_date(moment: datetime) -> str:
    """A stored naive-UTC time as the day it was in Vietnam, dd/mm/yyyy."""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL_TIME).strftime("%d/%m/%Y")


def record_slips(records: list[Record], base_url: str) -> list[Slip]:
    communes = {r.commune_code for r in records}
    units = units_by_code(communes | {r.province_code for r in records})
    offices = offices_by_commune(communes)
    return [_record_slip(r, units, offices.get(r.commune_code), base_url) for r in records]


def _record_slip(
    record: Record, units: dict[str, AdminUnit], office: CommuneOffice | None, base_url: str
) -> Slip:
    code = record.receipt_code or ""
    url = status_url(base_url, code)
    commune, province = units.get(record.commune_code), units.get(record.province_code)
    return Slip(
        code=code,
        display=display_code(code),
        status_url=url,
        qr=qr_data_uri(url),
        type_label=str(TYPE_LABELS[record.type]),
        subject=record.subject_name,
        village=record.village,
        commune=commune.name if commune else record.commune_code,
        province=province.name if province else record.province_code,
        date=local_date(record.captured_at),
        to_bring=str(TO_BRING[record.type]),
        office_address=office.address if office else "",
        office_phone=office.phone if office else "",
        office_hours=office.hours if office else "",
    )


def pad_slips(codes: list[str], base_url: str) -> list[Slip]:
    slips = []
    for code in codes:
        url = status_url(base_url, code)
        slips.append(Slip(code=code, display=display_code(code), status_url=url, qr=qr_data_uri(url)))
    return slips
