"""The receipt font: Noto Sans cut down to Latin + Vietnamese, shipped in static/receipts/fonts/.

A font that is already small (every Vietnamese letter, Latin, digits, punctuation: a few hundred glyphs,
50 KB a weight instead of 500 KB) is quick for WeasyPrint to load and subset for each receipt, and names
its own family, so a receipt never depends on which fonts a server happens to have. Rebuild it from the
Debian font with `python -m fieldapp.receipts.fonts` (fonts-noto-core; licence: SIL Open Font License
1.1, see static/receipts/fonts/OFL.txt).
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from fieldapp.config import project_root

SOURCE_DIR = Path("/usr/share/fonts/truetype/noto")
FONT_DIR = project_root() / "static" / "receipts" / "fonts"
#: (source file, shipped file)
FACES = (("NotoSans-Regular.ttf", "ReceiptSans-Regular.ttf"), ("NotoSans-Bold.ttf", "ReceiptSans-Bold.ttf"))

#: Basic Latin, Latin-1, Latin Extended-A (ă, đ, ĩ, ũ), ơ and ư, combining marks, Latin Extended
#: Additional (ạ..ỹ), general punctuation, the đồng sign, and the few symbols a receipt prints.
UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    0x1A0,
    0x1A1,
    0x1AF,
    0x1B0,
    *range(0x300, 0x324),
    *range(0x1EA0, 0x1EFA),
    *range(0x2010, 0x2030),
    0x20AB,
    0x2116,
    0x2192,
    0x25A1,
]
#: letters a Vietnamese name or address may need; build() refuses a font missing one of them
VIETNAMESE = "ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


def build(source_dir: Path = SOURCE_DIR, target_dir: Path = FONT_DIR) -> list[Path]:
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source, target in FACES:
        font = TTFont(source_dir / source)
        options = subset.Options()
        # the default features keep mark positioning (mark, mkmk, ccmp) for stacked Vietnamese diacritics
        options.name_IDs = ["*"]  # keep the copyright and licence names
        options.hinting = False
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=UNICODES)
        subsetter.subset(font)
        _rename(font, target.removesuffix(".ttf"))
        missing = [ch for ch in VIETNAMESE + VIETNAMESE.upper() if ord(ch) not in font.getBestCmap()]
        if missing:
            raise RuntimeError(f"{source} lacks {''.join(missing)}")
        font.save(target_dir / target)
        written.append(target_dir / target)
    return written


def _rename(font: TTFont, postscript_name: str) -> None:
    """A family name of its own, so fontconfig never confuses it with the full system Noto Sans."""
    family = "Receipt Sans"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {'Bold' if 'Bold' in postscript_name else 'Regular'}"
        elif record.nameID == 6:
            record.string = postscript_name


if __name__ == "__main__":
    for path in build():
        print(path, path.stat().st_size)
