"""Vietnamese text: normalization, search folding, name parts and name sorting.

Everything stored goes through :func:`normalize_text` (NFC, one space between words);
searches compare :func:`fold` keys; lists of people sort by :func:`name_sort_key`.
"""

from __future__ import annotations

import re
import threading
import unicodedata

import icu

# Look-alikes people type for Đ/đ: Icelandic eth (U+00D0/U+00F0) and African D (U+0189/U+0256).
_D_LOOKALIKES = str.maketrans(
    {"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110", "\u0256": "\u0111"}
)
# Invisible characters that are deleted rather than read as a space.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_NOT_WORD = re.compile(r"[^\w ]|_")

_local = threading.local()


def normalize_text(value: str) -> str:
    """Return ``value`` in NFC with Đ look-alikes fixed and all whitespace runs as one space."""
    value = _ZERO_WIDTH.sub("", value)
    value = unicodedata.normalize("NFC", value).translate(_D_LOOKALIKES)
    # str.split() with no argument splits on every Unicode space (NBSP, tabs, newlines, U+3000...).
    return " ".join(value.split())


def fold(value: str) -> str:
    """Return a search key: lower case, no diacritics, đ -> d, only letters, digits and single spaces."""
    value = normalize_text(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def split_name(full_name: str) -> tuple[str, str, str]:
    """Split a Vietnamese full name into (family, middle, given): first word, the rest, last word."""
    words = normalize_text(full_name).split(" ")
    if len(words) == 1:
        return ("", "", words[0])
    return (words[0], " ".join(words[1:-1]), words[-1])


def _collator() -> icu.Collator:
    """One ICU collator for locale ``vi`` per thread (ICU collators must not be shared concurrently)."""
    collator = getattr(_local, "collator", None)
    if collator is None:
        collator = icu.Collator.createInstance(icu.Locale("vi"))
        _local.collator = collator
    return collator


def name_sort_key(full_name: str) -> bytes:
    """Return bytes that sort names the Vietnamese way: given name, then family name, then middle name.

    Each ICU sort key ends with one 0x00 byte and holds none inside, so the concatenation compares
    part by part with plain byte comparison (SQLite BLOB, PostgreSQL bytea, Python ``bytes``).
    """
    family, middle, given = split_name(full_name)
    collator = _collator()
    return b"".join(collator.getSortKey(part) for part in (given, family, middle))
