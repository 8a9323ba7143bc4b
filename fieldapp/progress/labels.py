"""Words and number formats the progress pages, downloads and PDF share (Vietnamese msgids)."""

from datetime import date
from functools import lru_cache

from babel.numbers import format_decimal
from flask import Blueprint, g
from flask_babel import format_date, format_percent, get_locale
from flask_babel import lazy_gettext as _l

from fieldapp.progress.models import AreaKind, Measure, Period
from fieldapp.progress.projection import Status

MEASURE_LABELS = {
    Measure.COLLECTED: _l("Đã thu thập"),
    Measure.VERIFIED: _l("Đã đối chiếu"),
    Measure.TRANSFERRED: _l("Đã chuyển vào hệ thống"),
}
PERIOD_LABELS = {Period.DAY: _l("Theo ngày"), Period.WEEK: _l("Theo tuần"), Period.MONTH: _l("Theo tháng")}
QUOTA_PERIOD_LABELS = {Period.DAY: _l("mỗi ngày"), Period.WEEK: _l("mỗi tuần"), Period.MONTH: _l("mỗi tháng")}
STATUS_LABELS = {
    Status.MET: _l("Đã đạt chỉ tiêu"),
    Status.ON_TRACK: _l("Kịp tiến độ"),
    Status.BEHIND: _l("Chậm tiến độ"),
    Status.STALLED: _l("Không có tiến triển 7 ngày qua"),
    Status.OVERDUE: _l("Quá hạn, chưa đạt"),
    Status.NO_TARGET: _l("Chưa giao chỉ tiêu"),
}
KIND_LABELS = {
    "country": _l("Toàn quốc"),
    AreaKind.PROVINCE: _l("Tỉnh"),
    AreaKind.COMMUNE: _l("Xã"),
    AreaKind.DISTRICT: _l("Huyện (cũ)"),
}


def num(value: float | int | None, digits: int = 0) -> str:
    """18125 -> "18.125" in Vietnamese, "18,125" in English (the locale's symbols, from Babel)."""
    if value is None:
        return "–"
    symbols = g.get("progress_number_symbols")
    if symbols is None:  # once per request: looking the locale up costs more than formatting
        symbols = g.progress_number_symbols = _symbols(str(get_locale() or "vi"))
    group, decimal = symbols
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


@lru_cache(maxsize=16)
def _symbols(locale: str) -> tuple[str, str]:
    """The thousands and decimal separators, as Babel's format_decimal writes them for the locale."""
    sample = format_decimal(12345.5, format="#,##0.0", locale=locale)
    return sample[2], sample[-2]


def pct(value: float | None) -> str:
    return "–" if value is None else format_percent(value, format="#,##0.0%")


def day(value: date | None) -> str:
    return "–" if value is None else format_date(value, format="dd/MM/yyyy")


def register_filters(bp: Blueprint) -> None:
    bp.add_app_template_filter(num, "num")
    bp.add_app_template_filter(pct, "pct")
    bp.add_app_template_filter(day, "vday")

    @bp.context_processor
    def _labels() -> dict:
        # translated once per page, not once per table cell
        return {
            "measure_labels": _plain(MEASURE_LABELS),
            "status_labels": _plain(STATUS_LABELS),
            "period_labels": _plain(PERIOD_LABELS),
            "quota_period_labels": _plain(QUOTA_PERIOD_LABELS),
            "kind_labels": _plain(KIND_LABELS),
            "no_target": Status.NO_TARGET,
        }


def _plain(labels: dict) -> dict:
    return {key: str(value) for key, value in labels.items()}
