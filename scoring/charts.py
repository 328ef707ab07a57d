"""Server-rendered SVG line charts: readable without JavaScript, hover titles per point."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from scoring.trends import TrendPoint

WIDTH, HEIGHT = 640, 200
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 36, 12, 12, 28


def line_chart(
    points: Sequence[TrendPoint], *, label: str, unit: str = "", css_class: str = ""
) -> str:
    """An SVG of values 0-100 over time. Every text is escaped; numbers are formatted here."""
    title = escape(label)
    if not points:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css_class)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="{title}: no data yet"><text x="{WIDTH / 2}" y="{HEIGHT / 2}" '
            f'text-anchor="middle" class="chart-empty">No scores yet</text></svg>'
        )
    first, last = points[0].at, points[-1].at
    span = (last - first).total_seconds() or 1.0
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(point: TrendPoint) -> float:
        if len(points) == 1:
            return PAD_LEFT + plot_w / 2
        return PAD_LEFT + plot_w * (point.at - first).total_seconds() / span

    def y(value: float) -> float:
        return PAD_TOP + plot_h * (1 - max(0.0, min(100.0, value)) / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css_class)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{title}">',
        f"<title>{title}</title>",
    ]
    for tick in (0, 50, 100):
        parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text class="axis" x="{PAD_LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    for at, anchor in ((first, "start"), (last, "end")):
        xpos = PAD_LEFT if anchor == "start" else WIDTH - PAD_RIGHT
        parts.append(
            f'<text class="axis" x="{xpos}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
            f"{at:%Y-%m-%d}</text>"
        )
    coords = " ".join(f"{x(p):.1f},{y(p.value):.1f}" for p in points)
    parts.append(f'<polyline class="line" fill="none" points="{coords}"/>')
    for p in points:
        parts.append(
            f'<circle class="point" cx="{x(p):.1f}" cy="{y(p.value):.1f}" r="3.5">'
            f"<title>{p.at:%Y-%m-%d %H:%M}: {p.value:.1f}{escape(unit)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
