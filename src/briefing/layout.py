"""The page: stories in order of importance, a "Top stories" strip, full summaries for as
many stories as fit one printed page (A4 or Letter), the rest listed under "Also today" with
their headline and sources.

Importance: a story the reader boosted first; then its distinct sources and outlets, its
section's weight (`sections.<name>.weight`) and how recent it is within the range. What fits
is estimated in lines of body text from each story's length, the sizes the print style sheet
sets (templates/partials/style.css.html); `benchmarks/page_fit.py` prints the estimate beside
WeasyPrint's real page count for briefings of 5 to 40 stories, which is what the constants
are set from, and the PDF channel counts the pages it printed and says when a briefing
does not fit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import Any

# The Top stories strip: this many headlines, when the page has more stories than that.
TOP_STORIES = 4
# One printed page, in lines of body text: both columns, less the masthead and the footer.
PAGE_LINES = 126.0
# Body characters per column line, and the sizes of the other parts in body lines.
CHARS_PER_LINE = 58
HEADLINE_CHARS_PER_LINE = 44
HEADLINE_LINE = 1.3
SOURCE_CHARS_PER_LINE = 80
SOURCE_LINE = 0.85
STORY_GAP = 1.2
HEADING_LINES = 1.6  # a day's or a section's heading
ALSO_LINE = 1.4  # one story under "Also today": its headline and sources, small
TOP_LINE = 1.1  # one headline of the Top stories strip
# The masthead, the footer and the list of unchanged stories are counted apart.
FOOTER_LINES = 6.0

View = dict[str, Any]


def importance(story: Mapping[str, Any], weights: Mapping[str, float], last_day: str) -> float:
    """How prominent a story is: sources and outlets, its section's weight, recency."""
    days_old = (dt.date.fromisoformat(last_day) - dt.date.fromisoformat(story["date"])).days
    recency = 1.0 / (1.0 + 0.25 * max(days_old, 0))
    reach = story["source_count"] + story["outlet_count"]
    return (1000.0 if story.get("boosted") else 0.0) + weights.get(
        story["section"], 1.0
    ) * reach * recency


def _lines(text: str, per_line: int) -> int:
    return max(1, math.ceil(len(text) / per_line))


def story_lines(story: Mapping[str, Any]) -> float:
    """The printed height of a story with its full summary, in body lines."""
    summary = " ".join(s["text"] for s in story["sentences"]) + " [1]" * len(story["sentences"])
    sources = sum(
        _lines(
            " · ".join(
                str(v) for v in (s["outlet"], s.get("byline"), s["date"], s.get("title")) if v
            ),
            SOURCE_CHARS_PER_LINE,
        )
        for s in story["sources"]
    )
    return (
        HEADLINE_LINE * _lines(story["headline"] + " 3 sources", HEADLINE_CHARS_PER_LINE)
        + _lines(summary, CHARS_PER_LINE)
        + SOURCE_LINE * sources
        + STORY_GAP
    )


def lay_out(
    stories: Sequence[View],
    weights: Mapping[str, float],
    last_day: str,
    one_page: bool,
    reserved_lines: float = 0.0,
) -> tuple[list[View], list[View]]:
    """The days of the page (each with its sections of full stories and its `also` list)
    and the Top stories strip. `reserved_lines`: what the page must hold besides (notices,
    unchanged stories)."""
    ranked = sorted(stories, key=lambda s: -importance(s, weights, last_day))
    full = _fitting(ranked, one_page, reserved_lines)
    rank = {s["id"]: i for i, s in enumerate(ranked)}
    days = []
    by_date = sorted(stories, key=lambda s: s["date"], reverse=True)
    for date, day_stories in groupby(by_date, key=lambda s: s["date"]):
        shown = sorted(day_stories, key=lambda s: rank[s["id"]])
        first_of_section: dict[str, int] = {}
        for s in shown:
            if s["id"] in full:
                first_of_section.setdefault(s["section"], rank[s["id"]])
        leading = sorted(
            (s for s in shown if s["id"] in full),
            key=lambda s: (first_of_section[s["section"]], rank[s["id"]]),
        )
        sections = [
            {"name": name, "stories": list(items)}
            for name, items in groupby(leading, key=lambda s: s["section"])
        ]
        also = [s for s in shown if s["id"] not in full]
        days.append({"date": date, "sections": sections, "also": also})
    top = ranked[:TOP_STORIES] if len(ranked) > TOP_STORIES else []
    return days, top


def may_show_in_full(
    stories: Sequence[View],
    weights: Mapping[str, float],
    last_day: str,
    one_page: bool,
    reserved_lines: float = 0.0,
) -> set[str]:
    """The stories `lay_out` may give a full summary, before any is written: those that fit
    with the shortest summary (one line). The stories it does give one are among them, since
    a real summary is never shorter; so only these need summarising."""
    shortest = [{**s, "sentences": [{"text": "."}]} for s in stories]
    ranked = sorted(shortest, key=lambda s: -importance(s, weights, last_day))
    return _fitting(ranked, one_page, reserved_lines)


def _fitting(ranked: Sequence[View], one_page: bool, reserved_lines: float) -> set[str]:
    """The stories that get their full summary: the most important, while the page holds
    them (always the first); every story when the briefing need not fit one page."""
    if not one_page:
        return {s["id"] for s in ranked}
    strip = TOP_LINE * TOP_STORIES + HEADING_LINES if len(ranked) > TOP_STORIES else 0.0
    used = FOOTER_LINES + reserved_lines + strip + ALSO_LINE * len(ranked)
    days = {s["date"] for s in ranked}
    used += HEADING_LINES * len(days) if len(days) > 1 else 0.0
    full: set[str] = set()
    headed: set[tuple[str, str]] = set()
    for story in ranked:
        heading = 0.0 if (story["date"], story["section"]) in headed else HEADING_LINES
        cost = story_lines(story) + heading - ALSO_LINE
        if full and used + cost > PAGE_LINES:
            break
        full.add(story["id"])
        headed.add((story["date"], story["section"]))
        used += cost
    return full
