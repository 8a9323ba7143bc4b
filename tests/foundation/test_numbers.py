"""The one parser of whole numbers typed by people: ASCII digits 0-9, within bounds."""

import pytest

from fieldapp.numbers import whole_number

SUPERSCRIPT_TWO = "²"  # isdigit() is True, int() raises
ARABIC_THREE = "٣"  # isdigit() is True, int() reads 3


@pytest.mark.parametrize("text", [SUPERSCRIPT_TWO, ARABIC_THREE, "-1", "1.5", " ", "", "1e3", "12a", None])
def test_only_ascii_digits_make_a_whole_number(text):
    assert whole_number(text) is None


def test_whole_numbers_keep_their_bounds():
    assert whole_number(" 42 ") == 42
    assert whole_number("0", low=1) is None
    assert whole_number("2025", low=2020, high=2030) == 2025
    assert whole_number("99999999999") is None
