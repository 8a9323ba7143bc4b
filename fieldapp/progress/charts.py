"""Server-rendered SVG charts: no script, no inline style (CSP), presentation attributes only; they print.

Colours stay readable in greyscale: the three measures are light, middle and dark.
"""

from datetime import date

from markupsafe import Markup, escape

from fieldapp.progress.labels import MEASURE_LABELS, num, pct
from fieldapp.progress.models import Measure

COLOURS = {Measure.COLLECTED: "#9ec5ea", Measure.VERIFIED: "#3d85c6", Measure.TRANSFERRED: "#0b3d6b"}
MUTED = "#5b6470"
FONT, FONT_SIZE = "Noto Sans, sans-serif", 12
#: the series chart in pixels: its height, the plot's top and bottom, the y axis's width
CHART_HEIGHT, PLOT_TOP, PLOT_BOTTOM, AXIS_WIDTH = 220, 8, 196, 48

Series = list[tuple[date, dict[Measure, int]]]
Ticks = list[tuple[str, float]]  # a y-axis label and its height in pixels


def progress_bar(
    counts: dict[Measure, int], amount: int | None, measure: Measure, width: int = 220
) -> Markup:
    """Nested bars against the target: collected, verified within it, transferred within that. Nothing
    without a target: a bar filled by its own total would read as "done"."""
    if not amount:
        return Markup("")
    height = 14
    scale = max(amount, counts[Measure.COLLECTED], 1)
    label = escape(bar_label(counts, amount, measure))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef1f4" stroke="#c4cbd3"/>',
    ]
    for part, (y, h) in zip(Measure, ((0, 14), (3, 8), (5, 4)), strict=True):
        w = round(width * min(counts[part], scale) / scale, 1)
        parts.append(f'<rect x="0" y="{y}" width="{w}" height="{h}" fill="{COLOURS[part]}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_label(counts: dict[Measure, int], amount: int, measure: Measure) -> str:
    """What a screen reader says for a bar: its numbers, e.g. "Đã thu thập: 1.234 / 10.000 (12,3%);
    Đã đối chiếu: 600; Đã chuyển vào hệ thống: 100"."""
    share = pct(min(1.0, counts[measure] / amount))
    parts = [f"{MEASURE_LABELS[measure]}: {num(counts[measure])} / {num(amount)} ({share})"]
    parts += [f"{MEASURE_LABELS[other]}: {num(counts[other])}" for other in Measure if other is not measure]
    return "; ".join(parts)


def series_chart(
    series: Series, labels: dict[Measure, str], title: str, fmt, *, monthly: bool = False
) -> Markup:
    """Grouped bars per bucket (day, week or month) for the three measures, a y axis and a legend.

    The chart takes the width it is given and keeps its text at its own size (12 px) whatever that
    width: the plot's x positions are percentages, its y positions pixels, and the y axis is a second,
    fixed-width drawing beside it. A viewBox would shrink the labels with the chart (5 px on a phone).
    """
    peak = max([v for _, values in series for v in values.values()] + [1])
    step = _nice_step(peak)
    top_value = step * -(-peak // step)
    ticks = [(fmt(tick), _y(tick, top_value)) for tick in range(0, top_value + 1, step)]
    return Markup(
        f'<div class="series" role="img" aria-label="{escape(title)}">'
        f"{_y_axis(ticks)}{_plot(series, ticks, top_value, monthly)}</div>{_legend(labels)}"
    )


def _svg(css_class: str, width: str) -> str:
    # overflow: the first date label, centred under its bar, reaches left of the plot
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" width="{width}" height="{CHART_HEIGHT}"'
        f' font-family="{FONT}" font-size="{FONT_SIZE}" fill="{MUTED}" overflow="visible">'
    )


def _y_axis(ticks: Ticks) -> str:
    labels = "".join(
        f'<text x="{AXIS_WIDTH - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>'
        for label, y in ticks
    )
    return f"{_svg('y-axis', str(AXIS_WIDTH))}{labels}</svg>"


def _plot(series: Series, ticks: Ticks, top_value: int, monthly: bool) -> str:
    out = [_svg("plot", "100%")]
    out += [f'<line x1="0" y1="{y:.1f}" x2="100%" y2="{y:.1f}" stroke="#d5dae0"/>' for _, y in ticks]
    slot = 100 / max(len(series), 1)
    bar = slot / 4
    every = max(1, -(-len(series) // (6 if monthly else 7)))  # as many labels as fit a 360 px phone
    for i, (start, values) in enumerate(series):
        for j, measure in enumerate(Measure):
            y = _y(values[measure], top_value)
            out.append(
                f'<rect x="{i * slot + slot / 8 + j * bar:.2f}%" y="{y:.1f}" width="{bar:.2f}%"'
                f' height="{PLOT_BOTTOM - y:.1f}" fill="{COLOURS[measure]}"/>'
            )
        if i % every == 0:
            out.append(
                f'<text x="{i * slot + slot / 2:.2f}%" y="{PLOT_BOTTOM + 18}" text-anchor="middle">'
                f"{_tick_label(start, monthly)}</text>"
            )
    out.append(f'<line x1="0" y1="{PLOT_BOTTOM}" x2="100%" y2="{PLOT_BOTTOM}" stroke="{MUTED}"/></svg>')
    return "".join(out)


def _y(value: float, top_value: int) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top_value


def _legend(labels: dict[Measure, str]) -> str:
    items = "".join(
        f'<li><svg xmlns="http://www.w3.org/2000/svg" width="12" height="12" aria-hidden="true">'
        f'<rect width="12" height="12" fill="{COLOURS[measure]}"/></svg> {escape(labels[measure])}</li>'
        for measure in Measure
    )
    return f'<ul class="legend">{items}</ul>'


def _nice_step(peak: int) -> int:
    """The smallest round step (1, 2 or 5 times a power of ten) giving at most six ticks."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if peak <= 6 * magnitude * factor:
                return magnitude * factor
        magnitude *= 10


def _tick_label(start: date, monthly: bool) -> str:
    return f"{start.month:02d}/{start.year}" if monthly else f"{start.day:02d}/{start.month:02d}"
