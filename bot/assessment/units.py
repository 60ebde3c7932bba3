"""The unit the report's review times are shown in, decided once for the chart and its caption."""

from __future__ import annotations

import logging
import statistics

from bot.assessment.reports import ChartData

__all__ = ["in_minutes"]

logger = logging.getLogger(__name__)


def in_minutes(chart: ChartData) -> bool:
    """Whether review times read better in minutes: every tier's median is under an hour.
    The chart's axis and its caption both follow this, so they always name the same unit."""
    medians = [statistics.median(h) for h in chart.hours_by_tier.values() if h]
    return max(medians, default=0.0) < 1
