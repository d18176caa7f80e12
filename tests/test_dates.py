"""Dates from datelines: every common way outlets print a date, generated (hypothesis)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.ingest.dates import dateline_date, dateline_prefix, find_date

MONTHS = "January February March April May June July August September October November December"
MONTH_NAMES = MONTHS.split()


def _abbr(d: dt.date) -> str:
    return "Sept" if d.month == 9 else MONTH_NAMES[d.month - 1][:3]


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# How outlets print a date: 24 formats.
FORMATS: dict[str, Callable[[dt.date], str]] = {
    "iso": lambda d: d.isoformat(),
    "iso-datetime": lambda d: f"{d.isoformat()}T09:30:00Z",
    "iso-offset": lambda d: f"{d.isoformat()}T23:59:59-05:00",
    "iso-slashes": lambda d: f"{d:%Y/%m/%d}",
    "rfc2822": lambda d: f"{d:%a}, {d.day:02d} {d:%b %Y} 07:12:00 +0000",
    "month-first": lambda d: f"{d:%B} {d.day}, {d.year}",
    "month-first-weekday": lambda d: f"{d:%A}, {d:%B} {d.day}, {d.year}",
    "month-abbr-dot": lambda d: f"{_abbr(d)}. {d.day}, {d.year}",
    "month-abbr-no-comma": lambda d: f"{d:%b} {d.day} {d.year}",
    "month-ordinal": lambda d: f"{d:%B} {_ordinal(d.day)}, {d.year}",
    "day-first": lambda d: f"{d.day} {d:%B} {d.year}",
    "day-first-weekday": lambda d: f"{d:%A} {d.day} {d:%B} {d.year}",
    "day-first-weekday-comma": lambda d: f"{d:%a}, {d.day} {d:%b} {d.year}",
    "day-first-abbr": lambda d: f"{d.day:02d} {d:%b} {d.year}",
    "day-ordinal-of": lambda d: f"{_ordinal(d.day)} of {d:%B}, {d.year}",
    "day-month-dashes": lambda d: f"{d.day:02d}-{d:%b}-{d.year}",
    "numeric-dots-day-first": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "numeric-us-slashes": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "upper-case": lambda d: f"{d:%B} {d.day}, {d.year}".upper(),
    "guardian": lambda d: f"{d:%a} {d.day} {d:%b %Y} 14.03 BST",
    "with-time-after": lambda d: f"{d:%B} {d.day}, {d.year} / 7:43 AM",
    "time-before": lambda d: f"9:40 p.m. ET, {_abbr(d)}. {d.day}, {d.year}",
    "markdown-emphasis": lambda d: f"_{d.day} {d:%B} {d.year}_",
    "bold": lambda d: f"**{d:%B} {d.day}, {d.year}**",
}
PREFIXES = ["", "Updated ", "Published: ", "Posted on ", "Date: ", "date "]
OUTLETS = ["", "New York Times | ", "USA TODAY | ", "The Daily Courant · ", "site.com | "]

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


def test_at_least_twenty_formats() -> None:
    assert len(FORMATS) >= 20


@settings(max_examples=400, deadline=None)
@given(
    date=dates,
    fmt=st.sampled_from(sorted(FORMATS)),
    label=st.sampled_from(PREFIXES),
    outlet=st.sampled_from(OUTLETS),
)
def test_every_format_is_read_as_a_dateline(date: dt.date, fmt: str, label: str, outlet: str):
    line = f"{outlet}{label}{FORMATS[fmt](date)}"
    assert dateline_date(line) == date, line


@settings(max_examples=200, deadline=None)
@given(date=dates, fmt=st.sampled_from(sorted(FORMATS)), outlet=st.sampled_from(OUTLETS[1:]))
def test_the_outlet_before_a_bar_is_read(date: dt.date, fmt: str, outlet: str) -> None:
    line = f"{outlet}{FORMATS[fmt](date)}"
    assert dateline_prefix(line) == outlet.rstrip(" |·")


@given(st.text(max_size=300))
def test_any_text_gives_a_date_or_none(text: str) -> None:
    found = dateline_date(text)
    assert found is None or isinstance(found, dt.date)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("New York Times | Wednesday, August 11, 2021", dt.date(2021, 8, 11)),
        ("USA TODAY | 9 August 2021", dt.date(2021, 8, 9)),
        # The publication date, not the update.
        ("Published Aug. 10, 2021 · Updated Aug. 11, 2021", dt.date(2021, 8, 10)),
        ("Updated Aug. 11, 2021 (published Aug. 10, 2021)", dt.date(2021, 8, 10)),
        # The date the outlet wrote, whatever the time zone.
        ("Tue, 10 Aug 2021 23:30:00 -0400", dt.date(2021, 8, 10)),
        # A first number over 12 cannot be a month.
        ("13/08/2021", dt.date(2021, 8, 13)),
    ],
)
def test_datelines(line: str, expected: dt.date) -> None:
    assert dateline_date(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Remembering the Aug. 29, 2005 landfall of Hurricane Katrina",  # a headline
        "The talks, first held on March 29, 2022 in Istanbul, resumed on Monday after a pause.",
        "February 30, 2021",  # no such day
        "Call 555-0100 by 12/31",  # no year
    ],
)
def test_not_datelines(line: str) -> None:
    assert dateline_date(line) is None


def test_find_date_reads_the_first_date_of_a_text() -> None:
    assert find_date("Filed 2021-08-11, corrected 2021-08-12") == dt.date(2021, 8, 11)
