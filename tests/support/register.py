"""Register entries of realistic shape (a birth register of Mường Lát, Thanh Hóa, 1985) and their scan.

Each entry is what a clerk reads off the page and types: the keys typed into each field (digits for dates,
names without diacritics for lists) and the value the field then shows. Used by the keying browser test
and bench/keying_bench.py.
"""

import io
import random
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

FAMILY = ["Lò", "Hà", "Lương", "Vi", "Phạm", "Giàng", "Vàng", "Sùng", "Thào", "Cao", "Bùi", "Lê"]
MALE = ["Thắng", "Pao", "Minh", "Chử", "Dế", "Tủa", "Bình", "Khăm", "Phong", "Sơn"]
FEMALE = ["Xuân", "Sua", "Mỷ", "Hoa", "Lan", "Ún", "Pâng", "Mai", "Dung", "Chi"]
ETHNIC = [("thai", "Thái"), ("hmong", "Hmông (Mông)"), ("muong", "Mường"), ("kinh", "Kinh"), ("dao", "Dao")]
VILLAGES = ["Bản Lát", "Bản Pù Toong", "Bản Ón", "Bản Mờng"]
PLACE = "UBND xã Mường Lát"
OFFICIAL = "Lò Văn Minh"


@dataclass
class Value:
    keys: str  # what the clerk types ("" for a carried value accepted with Tab)
    shown: str  # what the field shows afterwards
    lunar: bool = False  # typed with the "a" key in the date box


@dataclass
class Entry:
    number: str
    values: dict[str, Value] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.values["child.full_name"].shown

    def characters(self) -> int:
        """Characters of the entry's own data as the register writes it (entry number included)."""
        return len(self.number) + sum(len(v.shown) for v in self.values.values())


def _date(rng: random.Random, year: int, precision: str) -> Value:
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    if precision == "year":
        return Value(str(year), str(year))
    if precision == "month":
        return Value(f"{month:02d}{year}", f"{month:02d}/{year}")
    return Value(f"{day:02d}{month:02d}{year}", f"{day:02d}/{month:02d}/{year}")


def _name(rng: random.Random, male: bool, family: str | None = None) -> str:
    middle = rng.choice(["Văn", "A"]) if male else "Thị"
    return f"{family or rng.choice(FAMILY)} {middle} {rng.choice(MALE if male else FEMALE)}"


def entries(count: int, seed: int = 1985, year: int = 1985) -> list[Entry]:
    """`count` consecutive entries: villages in runs, a registration date kept for a few entries, the
    same official throughout; parents' years of birth, some of them lunar or month and year only."""
    rng = random.Random(seed)
    out, village, registered = [], rng.choice(VILLAGES), None
    for n in range(1, count + 1):
        entry = Entry(str(n))
        if n == 1 or rng.random() < 0.25:
            village = rng.choice(VILLAGES)
        if registered is None or rng.random() < 0.4:
            registered = _date(rng, year, "day")
        male = rng.random() < 0.5
        family = rng.choice(FAMILY)
        keys_ethnic, ethnic = rng.choice(ETHNIC)
        born = _date(rng, year, "day" if rng.random() < 0.8 else "month")
        mother = _date(rng, rng.randint(1950, 1966), rng.choice(["year", "year", "month", "day"]))
        mother.lunar = mother.shown.count("/") == 2 and rng.random() < 0.5
        entry.values = {
            "village": Value(village, village),
            "register.registered_on": registered,
            "register.place": Value(PLACE, PLACE),
            "register.official": Value(OFFICIAL, OFFICIAL),
            "child.full_name": Value(name := _name(rng, male, family), name),
            "child.sex": Value("n" if male else "nn", "Nam" if male else "Nữ"),
            "child.date_of_birth": born,
            "child.ethnicity": Value(keys_ethnic, ethnic),
            "mother.full_name": Value(mname := _name(rng, False), mname),
            "mother.date_of_birth": mother,
            "mother.ethnicity": Value(keys_ethnic, ethnic),
        }
        if rng.random() < 0.85:
            father = _date(rng, rng.randint(1945, 1964), rng.choice(["year", "year", "day"]))
            entry.values["father.full_name"] = Value(fname := _name(rng, True, family), fname)
            entry.values["father.date_of_birth"] = father
        out.append(entry)
    return out


def scan_png(page_entries: list[Entry], page: int) -> bytes:
    """A page of the register as a scan: ruled lines, one row per entry (for people to look at)."""
    image = Image.new("L", (1240, 1750), 238)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 22)
    except OSError:
        font = ImageFont.load_default()
    draw.text((60, 40), f"SỔ ĐĂNG KÝ KHAI SINH — năm 1985 — quyển 01 — trang {page}", fill=30, font=font)
    y = 110
    for entry in page_entries:
        v = entry.values
        father = v.get("father.full_name")
        lines = [
            f"Số {entry.number}  ngày {v['register.registered_on'].shown}  {v['village'].shown}",
            f"{v['child.full_name'].shown}, {v['child.sex'].shown}, sinh {v['child.date_of_birth'].shown}, "
            f"{v['child.ethnicity'].shown}",
            f"Mẹ: {v['mother.full_name'].shown} ({v['mother.date_of_birth'].shown}"
            f"{' âm lịch' if v['mother.date_of_birth'].lunar else ''})"
            + (f"  Cha: {father.shown} ({v['father.date_of_birth'].shown})" if father else ""),
        ]
        for line in lines:
            draw.text((60, y), line, fill=40, font=font)
            y += 32
        draw.line((50, y + 6, 1190, y + 6), fill=150, width=2)
        y += 24
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
