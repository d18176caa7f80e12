"""The days a briefing covers. Its own small module, so the command line can read a range
without importing the pipeline (grouping's scientific libraries take half a second)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.errors import DateRangeError


@dataclass(frozen=True)
class DateRange:
    """The days a briefing covers, first and last included."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise DateRangeError(
                f"the date range ends on {self.last}, before it starts on {self.first}"
            )

    @property
    def name(self) -> str:
        """The briefing's name: the day, or `<first>_<last>`."""
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}_{self.last.isoformat()}"

    @classmethod
    def single(cls, day: dt.date) -> DateRange:
        """The range of one day."""
        return cls(day, day)

    @classmethod
    def spanning(cls, first: dt.date | None, last: dt.date | None, today: dt.date) -> DateRange:
        """From `first` to `last`; one of them alone is a single day, neither is `today`."""
        return cls(first or last or today, last or first or today)
