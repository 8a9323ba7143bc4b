"""Which passwords are too easy to guess: a minimum length, then zxcvbn's estimate of guessing effort.

zxcvbn knows common passwords, keyboard walks, dates, repeats and the user's own name; "12345678",
"demo1234" or the username with a year score 0-2 and are refused.
"""

from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 10
#: zxcvbn's 0-4 scale; 3 is "safely unguessable" against an online attack that is rate-limited
MIN_SCORE = 3
#: zxcvbn's cost grows with length; the first characters are enough to judge (its authors cap at 100)
JUDGED_LENGTH = 100


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why the password is refused, in the user's language; None when it is strong enough."""
    if len(password) < MIN_LENGTH:
        return _("Mật khẩu phải có ít nhất %(n)s ký tự.", n=MIN_LENGTH)
    words = [word for value in user_inputs for word in value.split() if word]
    if zxcvbn(password[:JUDGED_LENGTH], user_inputs=words)["score"] < MIN_SCORE:
        return _(
            "Mật khẩu quá dễ đoán (dãy số, từ thông dụng, ngày tháng hoặc tên đăng nhập). "
            "Hãy dùng một câu ngắn gồm vài từ, ví dụ «trau-an-co-ben-suoi»."
        )
    return None
