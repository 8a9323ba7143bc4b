"""Server-rendered SVG charts: no script, no inline style (CSP), presentation attributes only; they print.

Colours stay readable in greyscale: the three measures are light, middle and dark.
"""

from datetime import date

from markupsafe import Markup, escape

from fieldapp.progress.models import Measure

COLOURS = {Measure.COLLECTED: "#9ec5ea", Measure.VERIFIED: "#3d85c6", Measure.TRANSFERRED: "#0b3d6b"}


def progress_bar(counts: dict[Measure, int], amount: int | None, label: str, width: int = 220) -> Markup:
    """Nested bars: collected, verified within it, transferred within that, against the target (or the
    collected total when there is no target)."""
    height = 14
    scale = max(amount or 0, counts[Measure.COLLECTED], 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef1f4" stroke="#c4cbd3"/>',
    ]
    for measure, (y, h) in zip(Measure, ((0, 14), (3, 8), (5, 4)), strict=True):
        w = round(width * min(counts[measure], scale) / scale, 1)
        parts.append(f'<rect x="0" y="{y}" width="{w}" height="{h}" fill="{COLOURS[measure]}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def series_chart(
    series: list[tuple[date, dict]], labels: dict[Measure, str], title: str, fmt, *, monthly: bool = False
) -> Markup:
    """Grouped bars per bucket (day, week or month) for the three measures, with a y axis and a legend."""
    width, height, left, bottom, top = 720, 240, 48, 36, 28
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max([v for _, values in series for v in values.values()] + [1])
    step = _nice_step(peak)
    top_value = step * -(-peak // step)
    slot = plot_w / max(len(series), 1)
    bar = max(1.0, slot / 4)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="Noto Sans, sans-serif">'
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * tick / top_value
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#d5dae0"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#5b6470">'
            f"{escape(fmt(tick))}</text>"
        )
    every = max(1, len(series) // 10)
    for i, (start, values) in enumerate(series):
        x0 = left + i * slot + (slot - 3 * bar) / 2
        for j, measure in enumerate(Measure):
            h = plot_h * values[measure] / top_value
            out.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[measure]}"><title>{escape(start.isoformat())} '
                f"{escape(labels[measure])}: {escape(fmt(values[measure]))}</title></rect>"
            )
        if i % every == 0:
            out.append(
                f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="11" fill="#5b6470">{_tick_label(start, monthly)}</text>'
            )
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" stroke="#5b6470"/>'
    )
    x = left
    for measure in Measure:
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[measure]}"/>')
        out.append(
            f'<text x="{x + 16}" y="16" font-size="12" fill="#1b1f24">{escape(labels[measure])}</text>'
        )
        x += 24 + 7 * len(str(labels[measure]))
    out.append("</svg>")
    return Markup("".join(out))


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
