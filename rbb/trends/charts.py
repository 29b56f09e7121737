"""Charts of a series, drawn server-side with matplotlib: SVG for pages, PNG for DOCX.

matplotlib takes 40–80 ms per chart, so every chart is cached under a key made of what it
draws (the series' values, the language, the format): a page or a document asks again for
an unchanged chart and gets the stored bytes. Chinese labels need a CJK font: Debian's
fonts-noto-cjk gives Noto Sans CJK SC, named first in the font family; text is written as
glyph paths (svg.fonttype "path"), so the SVG shows the same glyphs on every viewer.
"""

from __future__ import annotations

import hashlib
import io
import threading
from decimal import Decimal

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from indicators.series import ACCEPTED, Series

CJK_FAMILY = "Noto Sans CJK SC"
FONT_FAMILY = [CJK_FAMILY, "DejaVu Sans"]
CACHE_SECONDS = 60 * 60 * 24 * 30
CHART_VERSION = "2"  # bump when the drawing changes, so cached charts are redrawn
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
SIZE = (4.6, 2.3)  # inches: a small chart beside its table

# pyplot's global state is not thread-safe, and even the object API shares the font cache:
# one chart is drawn at a time per process.
_lock = threading.Lock()
_configured = False


def _matplotlib():
    """Import and configure matplotlib once (the import costs ~0.3 s: not at start-up)."""
    global _configured
    import matplotlib

    if not _configured:
        matplotlib.use("Agg")
        matplotlib.rcParams.update({
            "font.family": FONT_FAMILY,
            "font.size": 8,
            "svg.fonttype": "path",
            "svg.hashsalt": "rbb",  # stable ids: equal charts are equal bytes
            "axes.spines.top": False,
            "axes.spines.right": False,
        })
        _configured = True
    return matplotlib


def resolved_font_file() -> str:
    """The file matplotlib uses for the chart text: a Noto CJK face where fonts-noto-cjk is installed."""
    _matplotlib()
    from matplotlib import font_manager

    return font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=True)


def chart_key(series: Series, *, file_format: str, language: str) -> str:
    payload = repr((CHART_VERSION, file_format, language, series.key()))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def chart_render(series: Series, *, file_format: str = "svg", language: str | None = None) -> bytes:
    """The chart of a series in `file_format` (svg or png), from the cache when drawn before."""
    language = language or translation.get_language() or "en"
    key = f"rbb:chart:{chart_key(series, file_format=file_format, language=language)}"
    data = cache.get(key)
    if data is None:
        with translation.override(language):
            data = _draw(series, file_format=file_format)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)  # drawing only; figures are printed from Decimals


def _draw(series: Series, *, file_format: str) -> bytes:
    _matplotlib()
    from matplotlib.figure import Figure

    with _lock:
        figure = Figure(figsize=SIZE, dpi=110)
        axes = figure.add_subplot()
        periods = series.periods
        positions = list(range(len(periods)))
        if series.kind == "indicator":
            _indicator_lines(axes, series, positions)
        else:
            _output_bars(axes, series, positions)
        axes.set_xticks(positions, periods)
        axes.tick_params(axis="x", labelsize=7)
        if len(periods) > 5:  # ten labels of "2019/20" do not fit side by side
            for label in axes.get_xticklabels():
                label.set_rotation(40)
                label.set_horizontalalignment("right")
        axes.grid(axis="y", linewidth=0.3, alpha=0.5)
        handles, labels = axes.get_legend_handles_labels()
        if handles:
            axes.legend(fontsize=7, frameon=False, loc="best")
        figure.tight_layout(pad=0.4)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=file_format, metadata={"Date": None} if file_format == "svg" else None)
        return buffer.getvalue()


def _plot(axes, positions, values, **style):
    xs = [x for x, v in zip(positions, values) if v is not None]
    ys = [v for v in values if v is not None]
    if ys:
        axes.plot(xs, ys, **style)


def _indicator_lines(axes, series: Series, positions: list[int]) -> None:
    points = series.points
    # A period's baseline is, as a rule, that period's actual printed again: drawn only where no actual is known.
    baselines = [None if p.actual_value is not None else _float(p.baseline_value) for p in points]
    _plot(axes, positions, baselines, marker="s", linestyle="none", color="#888888", label=_("Baseline"))
    _plot(axes, positions, [_float(p.target_value) for p in points], marker="o", linestyle="--", color="#1f5fa8", label=_("Target"))
    _plot(axes, positions, [_float(p.estimate_value) for p in points], marker="^", linestyle=":", color="#8a6d00", label=_("Estimate"))
    actual = [_float(p.actual_value) for p in points]
    _plot(axes, positions, actual, linestyle="-", color="#2a7d2a", label=_("Actual"))
    # An actual not yet accepted is drawn hollow.
    for x, value, point in zip(positions, actual, points):
        if value is not None:
            accepted = point.actual_kind == ACCEPTED
            axes.plot([x], [value], marker="o", color="#2a7d2a", markerfacecolor="#2a7d2a" if accepted else "white")


def _output_bars(axes, series: Series, positions: list[int]) -> None:
    width = 0.38
    planned = [_float(p.planned_value) or 0.0 for p in series.points]
    completed = [_float(p.completed_value) or 0.0 for p in series.points]
    axes.bar([x - width / 2 for x in positions], planned, width, color="#9db9dc", label=_("Planned"))
    axes.bar([x + width / 2 for x in positions], completed, width, color="#2a7d2a", label=_("Completed"))
