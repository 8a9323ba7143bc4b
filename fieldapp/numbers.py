"""Whole numbers typed by people or sent in a URL: the ASCII digits 0-9 and nothing else.

`str.isdigit()` is true for "²" and "٣", and `int()` accepts "٣" but raises on "²"; every number read
from a request goes through `whole_number` instead, so odd digits are a refusal, never a 500.
"""

import re

ASCII_DIGITS = frozenset("0123456789")
_ASCII_DIGITS = re.compile(r"[0-9]+")

#: the largest id or amount any form or query string carries (fits a 32-bit integer column)
MAX_WHOLE = 2**31 - 1


def whole_number(text: object, *, low: int = 0, high: int = MAX_WHOLE) -> int | None:
    """The number written in ASCII digits, if it lies in [low, high]; None for anything else."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > len(str(high)) or not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def is_whole_number(text: object) -> bool:
    """ "12" yes; "", "²", "٣", "-1", "1.5", "12a" no."""
    return whole_number(text) is not None
