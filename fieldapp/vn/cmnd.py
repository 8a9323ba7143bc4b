"""Old 9-digit identity card numbers (chứng minh nhân dân, CMND), issued until 2016.

A CMND number (the cards of Decree 05/1999/NĐ-CP and before) starts with the code of the provincial
police that issued it: 01 to 38, each code shared by the provinces that formed one province when
the codes were handed out; provinces split off later got a three-digit range inside their old code
(Bắc Kạn 095, Đắk Nông 245, Bình Dương 280, Bình Phước 285). The codes were never published in a
legal text; table as collected in Vietnamese Wikipedia, "Chứng minh nhân dân (Việt Nam)", section
on the number codes. No prefix outside 01-38 was issued, so such a number is mistyped.
"""

from __future__ import annotations

#: first two digits -> the provinces whose police issued numbers starting with them
CMND_PREFIXES: dict[str, str] = {
    "01": "Hà Nội",
    "02": "Hồ Chí Minh",
    "03": "Hải Phòng",
    "04": "Điện Biên, Lai Châu",
    "05": "Sơn La",
    "06": "Lào Cai, Yên Bái",
    "07": "Hà Giang, Tuyên Quang",
    "08": "Lạng Sơn, Cao Bằng",
    "09": "Thái Nguyên, Bắc Kạn",
    "10": "Quảng Ninh",
    "11": "Hà Tây (cũ), Hòa Bình",
    "12": "Bắc Giang, Bắc Ninh",
    "13": "Phú Thọ, Vĩnh Phúc",
    "14": "Hải Dương, Hưng Yên",
    "15": "Thái Bình",
    "16": "Nam Định, Hà Nam, Ninh Bình",
    "17": "Thanh Hóa",
    "18": "Nghệ An, Hà Tĩnh",
    "19": "Quảng Bình, Quảng Trị, Thừa Thiên Huế",
    "20": "Quảng Nam, Đà Nẵng",
    "21": "Quảng Ngãi, Bình Định",
    "22": "Khánh Hòa, Phú Yên",
    "23": "Gia Lai, Kon Tum",
    "24": "Đắk Lắk, Đắk Nông",
    "25": "Lâm Đồng",
    "26": "Ninh Thuận, Bình Thuận",
    "27": "Đồng Nai, Bà Rịa - Vũng Tàu",
    "28": "Bình Dương, Bình Phước",
    "29": "Tây Ninh",
    "30": "Long An",
    "31": "Tiền Giang",
    "32": "Bến Tre",
    "33": "Vĩnh Long, Trà Vinh",
    "34": "Đồng Tháp",
    "35": "An Giang",
    "36": "Cần Thơ, Hậu Giang, Sóc Trăng",
    "37": "Kiên Giang",
    "38": "Cà Mau, Bạc Liêu",
}


def is_cmnd_prefix(value: str) -> bool:
    """True when a 9-digit number starts with a code some provincial police issued."""
    return value[:2] in CMND_PREFIXES
