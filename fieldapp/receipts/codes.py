"""Receipt codes: short, unguessable, easy to read aloud and type, with a check character.

Alphabet: 29 symbols, no 0/O, 1/I/L or U/V confusion. Nine random symbols carry 29**9 ~ 2**43.7
possibilities (over the 40 bits required), and a tenth symbol is a weighted check sum modulo 29. The
modulus is prime and the weights 1..9 are distinct and non-zero, so any single wrong symbol and any swap
of two neighbouring symbols changes the sum: both are always caught.
Printed as two groups of five: "K7QX2-MP9RD".
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
BODY_LENGTH = 9
CODE_LENGTH = BODY_LENGTH + 1
_INDEX = {symbol: i for i, symbol in enumerate(ALPHABET)}


def check_symbol(body: str) -> str:
    total = sum(weight * _INDEX[symbol] for weight, symbol in enumerate(body, start=1))
    return ALPHABET[total % len(ALPHABET)]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_symbol(body)


def normalize_code(typed: str) -> str:
    """What a person typed or scanned, upper-cased, without spaces and dashes."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def is_valid_code(typed: str) -> bool:
    code = normalize_code(typed)
    if len(code) != CODE_LENGTH or any(ch not in _INDEX for ch in code):
        return False
    return check_symbol(code[:BODY_LENGTH]) == code[BODY_LENGTH]


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"
