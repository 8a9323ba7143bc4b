"""Receipt PDFs with WeasyPrint: A5 and 80 mm thermal receipts, and A4 sheets of pad codes.

The fast path (the default): the stylesheets and the font configuration are parsed once per thread
and reused, and the receipt font is Noto Sans already cut down to Latin + Vietnamese
(static/receipts/fonts, built by fieldapp/receipts/fonts.py), which WeasyPrint (HarfBuzz) subsets
further per PDF in little time. Measured (bench/receipts_bench.py): embedding that small font whole
(`full_fonts`) is slower than subsetting it, because a PDF then compresses 100 KB of font; a batch
is one document, so its fonts are subset once. `fast=False` is WeasyPrint's ordinary use with the full
Debian Noto Sans and everything rebuilt per PDF, kept for the benchmark.
"""

import enum
import threading
from pathlib import Path

from flask import current_app, render_template
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration

from fieldapp.config import project_root
from fieldapp.receipts.parallel import join_pdfs, render_in_processes, split
from fieldapp.receipts.slips import Slip

STATIC_DIR = project_root() / "static" / "receipts"
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/noto")


class Format(enum.StrEnum):
    A5 = "a5"
    THERMAL = "thermal"
    PAD = "pad"  # an A4 sheet of blank slips to tear off


#: the stylesheets of each format, after the common receipt.css
FORMAT_CSS = {Format.A5: "receipt-a5.css", Format.THERMAL: "receipt-thermal.css", Format.PAD: "pad.css"}


def _system_font_css() -> str:
    """The baseline's font: the same family name, pointed at the full Debian Noto Sans files."""
    faces = []
    for weight, name in ((400, "NotoSans-Regular.ttf"), (700, "NotoSans-Bold.ttf")):
        url = (SYSTEM_FONT_DIR / name).as_uri()
        faces.append(f'@font-face{{font-family:"Receipt Sans";font-weight:{weight};src:url("{url}")}}')
    return "\n".join(faces)


class Renderer:
    """Turns receipt HTML into PDF bytes; holds the parsed stylesheets when fast."""

    def __init__(self, *, fast: bool = True, full_fonts: bool = False) -> None:
        self.fast = fast
        self.full_fonts = full_fonts
        self._font_config = FontConfiguration()
        self._stylesheets: dict[Format, list[CSS]] = {}

    def stylesheets(self, fmt: Format) -> tuple[list[CSS], FontConfiguration]:
        if not self.fast:
            font_config = FontConfiguration()
            return self._load(fmt, font_config, extra=_system_font_css()), font_config
        if fmt not in self._stylesheets:
            self._stylesheets[fmt] = self._load(fmt, self._font_config)
        return self._stylesheets[fmt], self._font_config

    @staticmethod
    def _load(fmt: Format, font_config: FontConfiguration, extra: str = "") -> list[CSS]:
        sheets = [
            CSS(filename=str(STATIC_DIR / "receipt.css"), font_config=font_config),
            CSS(filename=str(STATIC_DIR / FORMAT_CSS[fmt]), font_config=font_config),
        ]
        if extra:
            sheets.append(CSS(string=extra, font_config=font_config))
        return sheets

    def pdf(self, html: str, fmt: Format) -> bytes:
        stylesheets, font_config = self.stylesheets(fmt)
        document = HTML(string=html, base_url=str(STATIC_DIR) + "/").render(
            stylesheets=stylesheets, font_config=font_config
        )
        if fmt is Format.THERMAL:
            fit_to_content(document)
        return document.write_pdf(full_fonts=self.full_fonts)


#: below a thermal receipt's last line: its bottom margin (3 mm in receipt-thermal.css) and 1 mm more
ROLL_TAIL_PX = 4 / 25.4 * 96


def fit_to_content(document: Document) -> None:
    """A roll has no page length: cut each page where its receipt ends (the `end-N` anchor that closes
    each slip), not at the tall page receipt-thermal.css lays it out on. Only the page's height
    changes; WeasyPrint draws from the top, so what is above the cut stays where it was."""
    for page in document.pages:
        # an anchor is (x, y) in older WeasyPrint, (x1, y1, x2, y2) since 6x: the last is its bottom
        ends = [place[-1] for name, place in page.anchors.items() if name.startswith("end-")]
        if ends:
            page.height = min(page.height, max(ends) + ROLL_TAIL_PX)


_local = threading.local()


def renderer() -> Renderer:
    """This thread's fast renderer (WeasyPrint's font configuration is not shared across threads)."""
    if getattr(_local, "renderer", None) is None:
        _local.renderer = Renderer()
    return _local.renderer


def receipts_html(slips: list[Slip], fmt: Format, *, collector: str = "") -> str:
    template = "receipts/pad_sheet.html" if fmt is Format.PAD else "receipts/receipt.html"
    return render_template(template, slips=slips, fmt=fmt.value, collector=collector)


def receipts_pdf(
    slips: list[Slip],
    fmt: Format,
    *,
    collector: str = "",
    engine: Renderer | None = None,
    processes: int | None = None,
) -> bytes:
    """One PDF, a page per receipt (or a sheet of pad slips); a big batch in several processes."""
    if processes is None:
        config = current_app.config
        big = len(slips) >= config.get("RECEIPT_PARALLEL_MIN", 150) and engine is None
        processes = config.get("RECEIPT_RENDER_PROCESSES", 1) if big else 1
    if processes > 1 and fmt is not Format.PAD and len(slips) > 1:
        htmls = [receipts_html(part, fmt) for part in split(slips, processes)]
        return join_pdfs(render_in_processes(htmls, fmt.value))
    return (engine or renderer()).pdf(receipts_html(slips, fmt, collector=collector), fmt)
