"""The report chart: a valid PNG, Chinese labels with a Chinese font, English ones without."""

from __future__ import annotations

import asyncio
import struct
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import matplotlib
import pytest
from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
from matplotlib import font_manager

from bot import texts
from bot.assessment import chart as report_chart
from bot.assessment.chart import _chinese_sample, covers, labels_for, render_chart
from bot.assessment.reports import ChartData
from storage.models import CATEGORIES

ROOT = Path(__file__).resolve().parents[3]
CHART = ChartData(
    label="2026年9月 至 2026年11月",
    start=date(2026, 9, 1),
    end=date(2026, 11, 30),
    months=("2026-09", "2026-10", "2026-11"),
    by_category={
        CATEGORIES[0]: (3, 5, 2),
        CATEGORIES[4]: (0, 2, 1),
        texts.REPORT_UNCATEGORISED: (1, 0, 0),
        "某个旧类别": (0, 1, 0),
    },
    hours_by_tier={1: (1.0, 2.5, 8.0), 2: (4.0,), 3: ()},
)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def no_font_found() -> Iterator[None]:
    report_chart.cjk_font.cache_clear()
    yield
    report_chart.cjk_font.cache_clear()


@pytest.fixture
def no_chinese_fonts(monkeypatch: pytest.MonkeyPatch, no_font_found: None) -> None:
    """matplotlib's font list without any font that draws Chinese, and none on disk either."""
    sample = _chinese_sample()
    manager = font_manager.fontManager
    kept = [f for f in manager.ttflist if not covers(f.fname, sample)]
    monkeypatch.setattr(manager, "ttflist", kept)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])


def test_the_agg_backend_is_selected() -> None:
    assert matplotlib.get_backend().lower() == "agg"


def test_without_a_chinese_font_the_chart_is_in_english_and_warns_nothing() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = render_chart(CHART, font=None)
    width, height = _png_size(data)
    assert 800 <= width <= 2000 and 300 <= height <= 1000
    labels = labels_for(False)
    drawn = [labels.title, labels.drafts_title, labels.hours_title, labels.no_drafts]
    drawn += [*labels.tiers.values(), *labels.categories.values(), labels.other]
    assert all(word.isascii() for word in drawn)
    assert set(CATEGORIES) <= set(labels.categories)
    assert report_chart._category_label("某个旧类别", labels, None) == labels.other


def test_the_bundled_last_resort_font_is_not_taken_for_a_chinese_one(no_font_found: None) -> None:
    found = report_chart.cjk_font()
    if found is not None:
        entry = next(f for f in font_manager.fontManager.ttflist if f.name == found)
        assert covers(entry.fname, _chinese_sample())
    assert found is None or "last resort" not in found.lower()


def test_a_font_that_is_not_installed_falls_back_to_english_quietly() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = render_chart(CHART, font="No Such Font Hei")
    assert data == render_chart(CHART, font=None)


def test_covers_checks_every_character() -> None:
    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    assert covers(dejavu, "Report 2026")
    assert not covers(dejavu, "审核")
    assert not covers("/nonexistent/font.ttf", "a")


def _chinese_font(path: Path, family: str, chars: str) -> None:
    """A tiny TrueType font with a box for each of ``chars``."""
    names = [".notdef", *(f"uni{ord(c):04X}" for c in chars)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((900, 700))
        pen.lineTo((900, 0))
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (1000, 100) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))


def test_an_installed_chinese_font_is_found_and_used(
    tmp_path: Path, no_chinese_fonts: None
) -> None:
    assert report_chart.cjk_font() is None
    report_chart.cjk_font.cache_clear()
    family = "Report Test Hei"
    path = tmp_path / "report-test-hei.ttf"
    _chinese_font(path, family, _chinese_sample())
    font_manager.fontManager.addfont(str(path))
    assert report_chart.cjk_font() == family
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = render_chart(CHART)
    _png_size(data)
    assert data != render_chart(CHART, font=None)


def test_a_font_missing_one_character_is_not_chosen(tmp_path: Path, no_chinese_fonts: None) -> None:
    path = tmp_path / "partial.ttf"
    _chinese_font(path, "Partial Hei", _chinese_sample()[1:])
    font_manager.fontManager.addfont(str(path))
    assert report_chart.cjk_font() is None


def test_a_chinese_font_installed_after_matplotlib_listed_its_fonts_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_chinese_fonts: None
) -> None:
    path = tmp_path / "late-hei.ttf"
    _chinese_font(path, "Late Hei", _chinese_sample())
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [str(path)])
    assert report_chart.cjk_font() == "Late Hei"
    assert any(f.fname == str(path) for f in font_manager.fontManager.ttflist)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _png_size(render_chart(CHART))


async def test_charts_render_in_worker_threads_at_once() -> None:
    many = ChartData(
        label="十年",
        start=date(2016, 12, 1),
        end=date(2026, 11, 30),
        months=tuple(f"{2016 + (m + 11) // 12:04d}-{(m + 11) % 12 + 1:02d}" for m in range(120)),
        by_category={CATEGORIES[1]: tuple(m % 7 for m in range(120))},
        hours_by_tier={1: (), 2: (), 3: ()},
    )
    empty = ChartData("空", date(2026, 11, 1), date(2026, 11, 30), ("2026-11",), {}, {})
    results = await asyncio.gather(
        *(asyncio.to_thread(render_chart, chart, None) for chart in (CHART, many, empty, CHART))
    )
    for data in results:
        _png_size(data)
    assert results[0] == results[3]


def test_the_bot_starts_without_importing_matplotlib() -> None:
    code = "import sys, bot.app, commands; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0
