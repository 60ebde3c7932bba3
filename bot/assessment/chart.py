"""The report's chart as PNG: drafts per month by category, and review time per tier.

Headless: the Agg backend is selected before anything else of matplotlib is imported, and
the figure is drawn with the object API (no pyplot state), so it may run in a worker thread.
Labels are Chinese when an installed font covers them (found with matplotlib's font
manager); otherwise the chart uses English labels, which every font draws, so no glyph is
missing and matplotlib has nothing to warn about.
"""

from __future__ import annotations

import functools
import io
import logging
import statistics
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from bot import texts
from bot.assessment.reports import TIERS, ChartData
from bot.assessment.units import in_minutes

__all__ = ["Labels", "cjk_font", "covers", "labels_for", "render_chart"]

logger = logging.getLogger(__name__)

# Names of fonts that usually cover Chinese: tried first, so the search is quick.
_CJK_HINTS = (
    "cjk",
    "han sans",
    "han serif",
    "wenquanyi",
    "wqy",
    "hei",
    "song",
    "kai",
    "ming",
    "yahei",
    "pingfang",
    "hiragino",
    "fallback",
    "sc",
    "fang",
)
_PALETTE = ("#2f6db5", "#e08a2c", "#3a9b5c", "#c2423f", "#7f5fb0", "#8c6d4f", "#5aa5b8", "#999999")
# matplotlib's font cache and text layout are shared state: one chart at a time.
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Labels:
    """Every word drawn on the chart, in one language."""

    title: str
    drafts_title: str
    drafts_axis: str
    hours_title: str
    hours_axis: str
    minutes_axis: str
    no_drafts: str
    tiers: Mapping[int, str]
    categories: Mapping[str, str]
    other: str
    count: str


def covers(path: str, sample: str) -> bool:
    """Whether the font file at ``path`` has a glyph for every character of ``sample``."""
    try:
        font = FT2Font(path)
        return all(font.get_char_index(ord(char)) for char in sample if not char.isspace())
    except (OSError, RuntimeError, ValueError):
        return False


def _chinese_sample() -> str:
    words = list(texts.REPORT_CHART_ZH.values())
    words += list(texts.REPORT_TIER_SHORT.values()) + list(texts.REPORT_CATEGORY_EN)
    words += [
        texts.REPORT_LABEL_MONTH,
        texts.REPORT_LABEL_YEAR,
        texts.REPORT_LABEL_DAY,
        texts.REPORT_LABEL_RANGE,
    ]
    return "".join(sorted({c for word in words for c in word if ord(c) > 0x2E7F}))


@functools.cache
def cjk_font() -> str | None:
    """The family name of an installed font that draws every Chinese word the chart uses."""
    sample = _chinese_sample()
    # matplotlib's own fonts draw no Chinese; its "Last Resort" font claims every character
    # but draws a placeholder box for each.
    bundled = str(Path(matplotlib.get_data_path()).resolve())
    entries = sorted(
        (
            f
            for f in font_manager.fontManager.ttflist
            if not str(Path(f.fname).resolve()).startswith(bundled)
            and "last resort" not in f.name.lower()
        ),
        key=lambda f: not any(hint in f.name.lower() for hint in _CJK_HINTS),
    )
    for entry in entries:
        if covers(entry.fname, sample):
            logger.info("report charts use the font %s (%s)", entry.name, entry.fname)
            return str(entry.name)
    # matplotlib lists the fonts it found when it built its cache; one installed since then
    # (say, a Chinese font added for these charts) is only on disk.
    known = {str(Path(f.fname).resolve()) for f in font_manager.fontManager.ttflist}
    for path in sorted(font_manager.findSystemFonts()):
        if str(Path(path).resolve()) in known or not covers(path, sample):
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue
        # A collection (.ttc) adds several faces: prefer a proportional one.
        faces = [f.name for f in font_manager.fontManager.ttflist if f.fname == path]
        name = str(min(faces, key=lambda face: ("mono" in face.lower(), face)))
        logger.info("report charts use the font %s (%s), installed since the cache", name, path)
        return name
    logger.info("no installed font covers Chinese: report charts use English labels")
    return None


def labels_for(chinese: bool) -> Labels:
    """The chart's words in Chinese, or in English for a machine without a Chinese font."""
    words = texts.REPORT_CHART_ZH if chinese else texts.REPORT_CHART_EN
    return Labels(
        title=words["title"],
        drafts_title=words["drafts_title"],
        drafts_axis=words["drafts_axis"],
        hours_title=words["hours_title"],
        hours_axis=words["hours_axis"],
        minutes_axis=words["minutes_axis"],
        no_drafts=words["no_drafts"],
        tiers=texts.REPORT_TIER_SHORT if chinese else texts.REPORT_TIER_EN,
        categories={} if chinese else texts.REPORT_CATEGORY_EN,
        other=words["other"],
        count=words["count"],
    )


def _drawable(family: str) -> Callable[[str], bool] | None:
    """Whether the font of ``family`` (or DejaVu, for ASCII) draws a text; None if not found."""
    try:
        path = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
    except ValueError:
        logger.warning("the font %r is not installed: report charts use English labels", family)
        return None
    return lambda text: covers(path, "".join(c for c in text if not c.isascii()))


def _category_label(name: str, labels: Labels, drawable: Callable[[str], bool] | None) -> str:
    if drawable is not None:
        return name if drawable(name) else labels.other
    return labels.categories.get(name) or (name if name.isascii() else labels.other)


def render_chart(chart: ChartData, font: str | Literal["auto"] | None = "auto") -> bytes:
    """The chart as PNG bytes; ``font`` is a family covering Chinese, None for English labels."""
    with _LOCK:
        family = cjk_font() if font == "auto" else font
        drawable = _drawable(family) if family else None
        fonts = [family, "DejaVu Sans"] if family and drawable else ["DejaVu Sans"]
        with matplotlib.rc_context({"font.family": fonts}):
            return _render(chart, labels_for(drawable is not None), drawable)


def _render(chart: ChartData, labels: Labels, drawable: Callable[[str], bool] | None) -> bytes:
    figure = Figure(figsize=(11, 4.8), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, width_ratios=(2.2, 1))
    _drafts(left, chart, labels, drawable)
    _hours(right, chart, labels)
    title = chart.label if drawable and drawable(chart.label) else f"{chart.start} - {chart.end}"
    figure.suptitle(labels.title.format(period=title), fontsize=13)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _drafts(
    axes: Axes, chart: ChartData, labels: Labels, drawable: Callable[[str], bool] | None
) -> None:
    axes.set_title(labels.drafts_title, fontsize=11)
    axes.set_ylabel(labels.drafts_axis)
    positions = list(range(len(chart.months)))
    bottoms = [0] * len(chart.months)
    drawn = False
    for index, (name, counts) in enumerate(chart.by_category.items()):
        if not any(counts):
            continue
        axes.bar(
            positions,
            counts,
            bottom=bottoms,
            color=_PALETTE[index % len(_PALETTE)],
            label=_category_label(name, labels, drawable),
            width=0.7,
        )
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
        drawn = True
    step = max(1, len(positions) // 12)
    # A month or two would make each bar as wide as the chart: keep room for four.
    spare = max(0, 4 - len(positions)) / 2
    axes.set_xlim(-0.6 - spare, len(positions) - 0.4 + spare)
    axes.set_xticks(positions[::step], [chart.months[i] for i in positions[::step]])
    if len(positions) > 6:
        axes.tick_params(axis="x", labelrotation=45)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if drawn:
        axes.legend(fontsize=8, loc="upper left", frameon=False)
        axes.set_ylim(0, max(bottoms) * 1.25 + 1)
    else:
        axes.text(
            0.5, 0.5, labels.no_drafts, transform=axes.transAxes, ha="center", color="#777777"
        )
        axes.set_ylim(0, 1)


def _hours(axes: Axes, chart: ChartData, labels: Labels) -> None:
    axes.set_title(labels.hours_title, fontsize=11)
    medians = [
        statistics.median(hours) if (hours := chart.hours_by_tier.get(tier, ())) else 0.0
        for tier in TIERS
    ]
    # Reviews decided within the hour read better in minutes than in fractions of an hour.
    minutes = in_minutes(chart)
    if minutes:
        medians = [median * 60 for median in medians]
    axes.set_ylabel(labels.minutes_axis if minutes else labels.hours_axis)
    bars = axes.bar(
        [labels.tiers[tier] for tier in TIERS], medians, color=_PALETTE[: len(TIERS)], width=0.6
    )
    top = max(max(medians, default=0.0), 1.0)
    for bar, tier, median in zip(bars, TIERS, medians, strict=True):
        count = len(chart.hours_by_tier.get(tier, ()))
        text = f"{median:.1f}\n{labels.count.format(n=count)}" if count else "—"
        axes.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    axes.set_ylim(0, top * 1.35)
