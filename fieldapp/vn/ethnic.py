"""Vietnam's 54 ethnic groups with the General Statistics Office codes, and the two codes beyond them.

Codes and order from the list "Danh mục các dân tộc Việt Nam" (Decision 121-TCTK/PPCĐ of
2 March 1979), still used by the population censuses; names as the GSO writes them today.

Registers also hold people with no Vietnamese ethnic group: foreigners who married or died in the
commune, and old entries that record none. The national catalogs in use carry them as extra codes:
- "55 Người nước ngoài": the code the sector catalogs built on the GSO list use (the health
  insurance data-exchange catalog, MA_DANTOC 01-54 + 55, and the systems fed from it).
- "Không xác định": no published national code was found (the same catalogs use "0 Không rõ",
  other systems 56 or 99). This project uses "00": two digits like the rest, sorts before 01, and
  can never be mistaken for a group. Change :data:`UNKNOWN` if the Ministry publishes one.
Neither is an ethnic group: lists count them apart (:func:`is_ethnic_code` is False for both).
"""

from __future__ import annotations

ETHNIC_GROUPS: dict[str, str] = {
    "01": "Kinh",
    "02": "Tày",
    "03": "Thái",
    "04": "Hoa",
    "05": "Khơ-me",
    "06": "Mường",
    "07": "Nùng",
    "08": "Hmông (Mông)",
    "09": "Dao",
    "10": "Gia-rai",
    "11": "Ngái",
    "12": "Ê-đê",
    "13": "Ba-na",
    "14": "Xơ-đăng",
    "15": "Sán Chay",
    "16": "Cơ-ho",
    "17": "Chăm",
    "18": "Sán Dìu",
    "19": "Hrê",
    "20": "Mnông",
    "21": "Ra-glai",
    "22": "Xtiêng",
    "23": "Bru-Vân Kiều",
    "24": "Thổ",
    "25": "Giáy",
    "26": "Cơ-tu",
    "27": "Gié-Triêng",
    "28": "Mạ",
    "29": "Khơ-mú",
    "30": "Co",
    "31": "Tà-ôi",
    "32": "Chơ-ro",
    "33": "Kháng",
    "34": "Xinh-mun",
    "35": "Hà Nhì",
    "36": "Chu-ru",
    "37": "Lào",
    "38": "La Chí",
    "39": "La Ha",
    "40": "Phù Lá",
    "41": "La Hủ",
    "42": "Lự",
    "43": "Lô Lô",
    "44": "Chứt",
    "45": "Mảng",
    "46": "Pà Thẻn",
    "47": "Cờ Lao",
    "48": "Cống",
    "49": "Bố Y",
    "50": "Si La",
    "51": "Pu Péo",
    "52": "Brâu",
    "53": "Ơ Đu",
    "54": "Rơ-măm",
}


KINH = "01"
FOREIGN = "55"
UNKNOWN = "00"

#: What a form may record: the 54 groups, then a foreigner, then "not known"; code -> (vi, en).
ETHNICITIES: dict[str, tuple[str, str]] = {
    **{code: (name, name) for code, name in ETHNIC_GROUPS.items()},
    FOREIGN: ("Người nước ngoài", "Foreign national"),
    UNKNOWN: ("Không xác định", "Not known"),
}
#: The groups other than Kinh: the ethnic minorities (dân tộc thiểu số).
MINORITY_CODES: tuple[str, ...] = tuple(code for code in ETHNIC_GROUPS if code != KINH)


def is_ethnic_code(code: str) -> bool:
    """True for one of the 54 two-digit codes "01".."54" (not for a foreigner or "not known")."""
    return code in ETHNIC_GROUPS


def is_ethnicity(code: str) -> bool:
    """True for a code a form may record: one of the 54 groups, "55" (foreigner) or "00" (not known)."""
    return code in ETHNICITIES
