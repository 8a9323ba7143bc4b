"""Vietnamese text: normalization, search folding, name parts and name sorting.

Everything stored goes through :func:`normalize_text` (NFC, one space between words);
searches compare :func:`fold` keys; lists of people sort by :func:`name_sort_key`.

Two spellings of one syllable are both in use: the old tone-mark placement ("Hòa", "Thủy",
"khỏe") and the new one ("Hoà", "Thuỷ", "khoẻ"). Stored text keeps what was written; keys for
sorting and matching first move the mark to the old place (:func:`unify_tone_marks`), the one the
administrative-unit names and most registers use, so both spellings sort and match as one name.
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
# Invisible characters that are deleted rather than read as a space (joiners, BOM, soft hyphen).
_ZERO_WIDTH = re.compile("[\u200c\u200d\u2060\ufeff\u00ad]")
# A zero-width space separates words (text pasted from web pages and PDFs): it reads as a space.
_ZERO_WIDTH_SPACE = "\u200b"
# In NFD: "oa", "oe", "uy" (not after q: in "quý" the u belongs to the consonant) with the tone mark
# on the second vowel and nothing after it (no final consonant, no other mark): "hoà", "thuỷ".
_NEW_TONE_PLACE = re.compile(
    "(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![^\\W\\d_]|[\u0300-\u036f])"
)
_NOT_WORD = re.compile(r"[^\w ]|_")

_local = threading.local()


def normalize_text(value: str) -> str:
    """Return ``value`` in NFC with Đ look-alikes fixed and all whitespace runs as one space."""
    value = _ZERO_WIDTH.sub("", value).replace(_ZERO_WIDTH_SPACE, " ")
    value = unicodedata.normalize("NFC", value).translate(_D_LOOKALIKES)
    # str.split() with no argument splits on every Unicode space (NBSP, tabs, newlines, U+3000...).
    return " ".join(value.split())


def drop_separators(value: str) -> str:
    """A number as people type it, without the spaces, dots and dashes they group digits with."""
    return "".join(ch for ch in value if ch not in " .-\u00a0")


def unify_tone_marks(value: str) -> str:
    """``value`` (NFC) with tone marks in the old place: "Hoà" -> "Hòa", "Thuỷ" -> "Thủy"; for keys only."""
    decomposed = unicodedata.normalize("NFD", normalize_text(value))
    return unicodedata.normalize("NFC", _NEW_TONE_PLACE.sub(r"\1\3\2", decomposed))


def fold(value: str) -> str:
    """Return a search key: lower case, no diacritics, đ -> d, only letters, digits and single spaces."""
    value = unify_tone_marks(value).lower().replace("đ", "d")
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
    family, middle, given = split_name(unify_tone_marks(full_name))
    collator = _collator()
    return b"".join(collator.getSortKey(part) for part in (given, family, middle))
