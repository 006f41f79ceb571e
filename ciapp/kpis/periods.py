"""Periods of a KPI: a day, a week (from Monday) or a month, each named by its first day.
Pure: no Flask, no database."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np


def start_of(day: date, frequency: str) -> date:
    """The first day of the period that holds ``day``."""
    if frequency == "weekly":
        return day - timedelta(days=day.weekday())
    if frequency == "monthly":
        return day.replace(day=1)
    return day


def previous(period: date, frequency: str) -> date:
    if frequency == "weekly":
        return period - timedelta(days=7)
    if frequency == "monthly":
        return (period - timedelta(days=1)).replace(day=1)
    return period - timedelta(days=1)


def last_complete(today: date, frequency: str) -> date:
    """The newest period that has ended by ``today``: a KPI without a value for it has no
    data this period (today's own value may still be on its way)."""
    return previous(start_of(today, frequency), frequency)


def starts(days: np.ndarray, frequency: str) -> np.ndarray:
    """``start_of`` for an array of numpy dates (datetime64[D])."""
    if frequency == "weekly":
        # 1970-01-01 was a Thursday: shift so that weeks begin on Monday
        return days - ((days.astype("int64") + 3) % 7).astype("timedelta64[D]")
    if frequency == "monthly":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    return days


def label(period: date, frequency: str) -> str:
    if frequency == "weekly":
        year, week, _ = period.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == "monthly":
        return period.strftime("%Y-%m")
    return period.isoformat()


def index_of(periods: list[date], frequency: str) -> np.ndarray:
    """A running number of each period (days, weeks or months since 1970), so that the
    distance between two periods counts the periods between them."""
    days = np.array(periods, dtype="datetime64[D]")
    if frequency == "monthly":
        return days.astype("datetime64[M]").astype("int64")
    number = days.astype("int64")
    return (number + 3) // 7 if frequency == "weekly" else number
