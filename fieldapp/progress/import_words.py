"""The targets file in Vietnamese: column names and values a manager writes ("Loại", "xã", "mỗi ngày"),
read as the file format's own words (kind, commune, day). Either is accepted, with or without diacritics."""

from fieldapp.vn.text import fold

#: folded Vietnamese column name -> the format's column
COLUMNS = {
    "loai": "kind",
    "loai don vi": "kind",
    "ma": "code",
    "ma don vi": "code",
    "so ho so": "amount",
    "chi tieu": "amount",
    "han": "deadline",
    "han hoan thanh": "deadline",
    "tinh theo": "measure",
    "ky": "period",
}
#: folded Vietnamese value -> the format's value (kinds, measures, periods)
VALUES = {
    "tinh": "province",
    "xa": "commune",
    "huyen": "district",
    "huyen cu": "district",
    "dinh muc": "quota",
    "thu thap": "collected",
    "da thu thap": "collected",
    "doi chieu": "verified",
    "da doi chieu": "verified",
    "chuyen": "transferred",
    "da chuyen": "transferred",
    "da chuyen vao he thong": "transferred",
    "ngay": "day",
    "moi ngay": "day",
    "tuan": "week",
    "moi tuan": "week",
    "thang": "month",
    "moi thang": "month",
}


def column(header: str) -> str:
    """A column's name in the format ("Hạn hoàn thành" -> "deadline"; "deadline" as it is)."""
    text = header.strip().lstrip("\ufeff")
    return COLUMNS.get(fold(text), text.lower())


def value(text: str) -> str:
    """A kind, measure or period in the format's word ("Đã đối chiếu" -> "verified")."""
    return VALUES.get(fold(text), text.strip().lower())
