"""Receipt codes: unguessable, unambiguous to read aloud, and a check symbol that catches typos."""

import itertools
import math
import random

from fieldapp.receipts.codes import (
    ALPHABET,
    BODY_LENGTH,
    CODE_LENGTH,
    check_symbol,
    display_code,
    is_valid_code,
    new_code,
    normalize_code,
)

SAMPLE = [new_code() for _ in range(300)]


def test_codes_carry_at_least_40_bits_of_randomness():
    assert math.log2(len(ALPHABET) ** BODY_LENGTH) >= 40
    assert len(set(SAMPLE)) == len(SAMPLE)


def test_lookalike_symbols_are_not_in_the_alphabet():
    for lookalike in "0O1IL":
        assert lookalike not in ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET) == 29


def test_new_codes_are_valid_and_ten_symbols_long():
    for code in SAMPLE:
        assert len(code) == CODE_LENGTH
        assert is_valid_code(code)


def test_every_single_symbol_typo_is_caught():
    for code in SAMPLE[:60]:
        for position, wrong in itertools.product(range(CODE_LENGTH), ALPHABET):
            if wrong != code[position]:
                typo = code[:position] + wrong + code[position + 1 :]
                assert not is_valid_code(typo), (code, typo)


def test_every_swap_of_neighbours_is_caught():
    for code in SAMPLE:
        for position in range(CODE_LENGTH - 1):
            a, b = code[position], code[position + 1]
            if a != b:
                swapped = code[:position] + b + a + code[position + 2 :]
                assert not is_valid_code(swapped), (code, swapped)


def test_swaps_that_include_the_check_symbol_are_caught_for_every_body_pair():
    """Exhaustive over the last body symbol and the check symbol (the weight-9 / check pair)."""
    rng = random.Random(6)
    body = "".join(rng.choice(ALPHABET) for _ in range(BODY_LENGTH - 1))
    for last in ALPHABET:
        code = body + last + check_symbol(body + last)
        if code[-1] != code[-2]:
            assert not is_valid_code(code[:-2] + code[-1] + code[-2])


def test_typed_codes_are_normalized_from_lowercase_spaces_and_dashes():
    code = SAMPLE[0]
    typed = f" {display_code(code).lower()} "
    assert normalize_code(typed) == code
    assert is_valid_code(typed)
    assert display_code(code) == f"{code[:5]}-{code[5:]}"


def test_malformed_codes_are_invalid():
    for typed in ("", "ABC", SAMPLE[0] + "2", "0" * 10, "O" * 10, SAMPLE[0][:9] + "1", "ĐĐĐĐĐĐĐĐĐĐ"):
        assert not is_valid_code(typed)
