"""What bench/pwa_bench.py has the phone send: households as a collector records them (varied names,
partial dates, ID numbers, four members) and a phone-camera photo of a handwritten register page."""

import random
from pathlib import Path
from typing import Any

from PIL import Image

SURNAMES = ["Giàng", "Vàng", "Sùng", "Thào", "Lò", "Hà", "Lường", "Phạm", "Nguyễn", "Lê", "Hờ", "Mùa"]
MIDDLE_MALE = ["A", "Văn", "Đức", "Minh", "Công"]
MIDDLE_FEMALE = ["Thị", "Thị Thu", "Ngọc", "Thị Hồng"]
GIVEN = [
    "Páo",
    "Lử",
    "Chứ",
    "Dế",
    "Pản",
    "Sính",
    "Dua",
    "Mua",
    "Sua",
    "Pâng",
    "Ún",
    "Lan",
    "Hùng",
    "Tuấn",
    "Mai",
    "Hoa",
    "Vư",
    "Tủa",
    "Chống",
    "Nhìa",
    "Xá",
    "Cở",
    "Dìa",
    "Khu",
]
ETHNIC = ["01", "03", "08", "13"]


def household(index: int, commune: str, rng: random.Random) -> dict[str, Any]:
    """A household as a collector records it: varied names, dates and ID numbers (not repetitive)."""
    surname = rng.choice(SURNAMES)
    ethnicity = rng.choice(ETHNIC)

    def member(relationship: str, sex: str, year: int, family: str) -> dict[str, Any]:
        middle = rng.choice(MIDDLE_MALE if sex == "male" else MIDDLE_FEMALE)
        born = rng.choice(
            [
                str(year),
                f"{year}-{rng.randint(1, 12):02d}",
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            ]
        )
        century = (0 if sex == "male" else 1) + (2 if year >= 2000 else 0)
        person = {
            "relationship": relationship,
            "full_name": f"{family} {middle} {rng.choice(GIVEN)}",
            "sex": sex,
            "date_of_birth": born,
            "ethnicity": ethnicity,
        }
        if year < 2015:
            person["personal_id"] = f"038{century}{year % 100:02d}{rng.randint(0, 999999):06d}"
        return person

    head_year = rng.randint(1950, 1995)
    return {
        "commune_code": commune,
        "village": rng.choice(["Bản Pù Toong", "Bản Lát", "Bản Ón", "Bản Con Cha", "Bản Sài Khao"]),
        "members": [
            member("head", "male", head_year, surname),
            member("spouse", "female", head_year + rng.randint(-3, 6), rng.choice(SURNAMES)),
            member("child", rng.choice(["male", "female"]), head_year + rng.randint(20, 28), surname),
            member("child", rng.choice(["male", "female"]), head_year + rng.randint(22, 32), surname),
        ],
    }


def document_photo(path: Path) -> None:
    """A phone-camera photo of a handwritten register page: paper, lines of ink, sensor noise."""
    from PIL import ImageDraw, ImageFilter

    rng = random.Random(7)
    page = Image.new("L", (2400, 1800), 228)
    draw = ImageDraw.Draw(page)
    for y in range(120, 1700, 55):
        x = 150
        while x < 2200:
            width = rng.randint(40, 220)
            draw.line([(x, y), (x + width, y + rng.randint(-4, 4))], fill=rng.randint(30, 90), width=5)
            x += width + rng.randint(20, 60)
    noise = Image.effect_noise((2400, 1800), 10)
    photo = Image.blend(page, noise, 0.15).filter(ImageFilter.GaussianBlur(1.2)).convert("RGB")
    photo.save(path, quality=92)
