"""Nationalities: ISO 3166-1 alpha-2 codes with their Vietnamese names (CLDR's, through ICU)."""

from __future__ import annotations

from typing import Any

import icu
import pycountry

from fieldapp.vn.text import fold

#: Shown first on the phone, in this order, with the names Vietnamese clerks use.
_COMMON: list[tuple[str, str]] = [
    ("VN", "Việt Nam"),
    ("LA", "Lào"),
    ("KH", "Campuchia"),
    ("CN", "Trung Quốc"),
    ("TH", "Thái Lan"),
    ("KR", "Hàn Quốc"),
    ("JP", "Nhật Bản"),
    ("TW", "Đài Loan"),
    ("KP", "Triều Tiên"),
    ("MY", "Malaysia"),
    ("SG", "Singapore"),
    ("PH", "Philippines"),
    ("ID", "Indonesia"),
    ("MM", "Myanmar"),
    ("IN", "Ấn Độ"),
    ("US", "Hoa Kỳ"),
    ("CA", "Canada"),
    ("AU", "Úc"),
    ("FR", "Pháp"),
    ("DE", "Đức"),
    ("GB", "Anh"),
    ("RU", "Nga"),
    ("CZ", "Séc"),
    ("PL", "Ba Lan"),
]

_CODES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)


def _vietnamese_name(country: Any) -> str:
    """CLDR's Vietnamese name ("Áo", "Argentina", "Cộng hòa Trung Phi"), as the Unicode project keeps it."""
    return str(icu.Locale("", country.alpha_2).getDisplayCountry(icu.Locale("vi")))


def _build() -> list[tuple[str, str]]:
    common = dict(_COMMON)
    rest = [(c.alpha_2, _vietnamese_name(c)) for c in pycountry.countries if c.alpha_2 not in common]
    rest.sort(key=lambda pair: fold(pair[1]))
    return _COMMON + rest


#: (code, Vietnamese name) for every ISO 3166-1 country: Việt Nam, neighbours and common ones first,
#: then the rest in Vietnamese alphabetical order.
NATIONALITIES: list[tuple[str, str]] = _build()


def is_nationality(code: str) -> bool:
    """True for an upper-case ISO 3166-1 alpha-2 code ("VN", "LA"...); "vn" is not accepted."""
    return code in _CODES
