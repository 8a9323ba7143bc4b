"""Downloads of a progress page and of the indicators: CSV (UTF-8 with BOM, for Excel), Excel, PDF."""

from datetime import date
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template
from flask_babel import gettext as _

from fieldapp import spreadsheets
from fieldapp.progress import charts
from fieldapp.progress.indicators import Indicator
from fieldapp.progress.labels import KIND_LABELS, MEASURE_LABELS, QUOTA_PERIOD_LABELS, STATUS_LABELS, num
from fieldapp.progress.models import Measure
from fieldapp.progress.projection import Status
from fieldapp.progress.reports import AreaReport, UnitLine

FORMATS = ("csv", "xlsx", "pdf")
MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FONT_DIR = "/usr/share/fonts/truetype/noto"

Table = tuple[str, list[str], list[list[Any]]]


def unit_row(line: UnitLine, today: date) -> list[Any]:
    projection = line.projection(today)
    target = line.target
    c = line.counts.total
    return [
        str(KIND_LABELS.get(line.kind, line.kind)),
        line.code,
        line.name,
        target.amount if target else None,
        _day(target.deadline) if target else None,
        str(MEASURE_LABELS[line.measure]),
        c[Measure.COLLECTED],
        c[Measure.VERIFIED],
        c[Measure.TRANSFERRED],
        round(projection.share * 100, 1) if projection else None,
        projection.pace_needed if projection else None,
        round(line.counts.last_7[line.measure] / 7, 1),
        round(line.counts.last_30[line.measure] / 30, 1),
        _day(projection.projected_finish) if projection else None,
        str(STATUS_LABELS[projection.status if projection else Status.NO_TARGET]),
    ]


def report_tables(report: AreaReport) -> list[Table]:
    unit_headers = [
        _("Loại"),
        _("Mã"),
        _("Đơn vị"),
        _("Chỉ tiêu"),
        _("Hạn"),
        _("Chỉ tiêu tính theo"),
        _("Đã thu thập"),
        _("Đã đối chiếu"),
        _("Đã chuyển vào hệ thống"),
        _("Tỷ lệ đạt (%)"),
        _("Cần mỗi ngày"),
        _("Bình quân 7 ngày"),
        _("Bình quân 30 ngày"),
        _("Dự kiến hoàn thành"),
        _("Tình trạng"),
    ]
    lines = [report.own, *report.units, *report.districts]
    tables: list[Table] = [
        (_("Tiến độ theo đơn vị"), unit_headers, [unit_row(x, report.today) for x in lines])
    ]
    series_headers = [_("Từ ngày"), *[str(MEASURE_LABELS[m]) for m in Measure]]
    series_rows = [[_day(start), *[values[m] for m in Measure]] for start, values in report.series]
    tables.append((_("Số hồ sơ theo thời gian"), series_headers, series_rows))
    if report.members:
        member_headers = [
            _("Tên đăng nhập"),
            _("Họ tên"),
            *[str(MEASURE_LABELS[m]) for m in Measure],
            _("Định mức"),
            _("Đã làm trong kỳ"),
            _("Tỷ lệ đạt định mức (%)"),
        ]
        rows = []
        for m in report.members:
            base = [m.user.username, m.user.full_name, *[m.counts.total[x] for x in Measure]]
            if not m.quotas:
                rows.append([*base, None, None, None])
            for q in m.quotas:
                label = (
                    f"{q.quota.amount} {QUOTA_PERIOD_LABELS[q.quota.period]} "
                    f"({str(MEASURE_LABELS[q.quota.measure]).lower()})"
                )
                rows.append([*base, label, q.done, round(q.attainment * 100, 1)])
        tables.append((_("Thành viên"), member_headers, rows))
    return tables


def indicator_tables(indicators: list[Indicator]) -> list[Table]:
    headers = [_("Chỉ tiêu"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ (%)"), _("Số hồ sơ"), _("Cách tính")]
    rows = [
        [
            str(i.label),
            i.numerator,
            i.denominator,
            round(i.share * 100, 1) if i.share is not None else None,
            i.records,
            str(i.definition),
        ]
        for i in indicators
    ]
    return [(_("Chỉ tiêu đăng ký hộ tịch"), headers, rows)]


def _day(value: date | None) -> str | None:
    return value.strftime("%d/%m/%Y") if value else None


def to_csv(tables: list[Table]) -> bytes:
    """A CSV holds one table, its header row first: the first table (the other ones are sheets of the
    Excel download and pages of the PDF)."""
    _title, headers, rows = tables[0]
    return spreadsheets.csv_bytes(headers, rows)


def to_xlsx(tables: list[Table]) -> bytes:
    return spreadsheets.xlsx_bytes(tables)


def to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    folder = Path(current_app.config.get("PROGRESS_FONT_DIR", FONT_DIR))
    fonts = CSS(
        string=(
            f'@font-face{{font-family:"Noto Sans";src:url("{(folder / "NotoSans-Regular.ttf").as_uri()}")}}'
            f'@font-face{{font-family:"Noto Sans";font-weight:bold;'
            f'src:url("{(folder / "NotoSans-Bold.ttf").as_uri()}")}}'
        )
    )
    return HTML(string=html).write_pdf(stylesheets=[fonts])


def download(body: bytes, fmt: str, name: str) -> Response:
    response = Response(body, mimetype=MIME[fmt].split(";")[0])
    if fmt == "csv":
        response.headers["Content-Type"] = MIME["csv"]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def respond(report: AreaReport, fmt: str) -> Response:
    name = f"tien-do-{report.area.code or 'toan-quoc'}-{report.today.isoformat()}"
    if fmt == "pdf":
        chart = charts.series_chart(report.series, MEASURE_LABELS, _("Số hồ sơ theo thời gian"), num)
        html = render_template(
            "progress/report_pdf.html",
            report=report,
            chart=chart,
            tables=report_tables(report),
            bar=charts.progress_bar,
        )
        return download(to_pdf(html), fmt, name)
    tables = report_tables(report)
    return download(to_csv(tables) if fmt == "csv" else to_xlsx(tables), fmt, name)


def respond_indicators(area: Any, year: int, indicators: list[Indicator], fmt: str) -> Response:
    name = f"chi-tieu-dang-ky-{area.code or 'toan-quoc'}-{year}"
    tables = indicator_tables(indicators)
    if fmt == "pdf":
        html = render_template("progress/indicators_pdf.html", area=area, year=year, rows=indicators)
        return download(to_pdf(html), fmt, name)
    return download(to_csv(tables) if fmt == "csv" else to_xlsx(tables), fmt, name)
