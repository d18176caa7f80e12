"""What every delivery channel shares: its signature and what it reports back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from briefing.config import Config

# A briefing as the channels see it: the view model written to <name>.json.
View = dict[str, Any]


@dataclass(frozen=True)
class Delivered:
    """What one channel did with a briefing: the files it wrote, or where it sent it."""

    channel: str
    files: tuple[Path, ...] = ()
    detail: str = ""


class Channel(Protocol):
    """One way a briefing reaches its readers. Raises DeliveryError (or OSError, for a
    folder that cannot be written) when it cannot."""

    def __call__(self, view: View, config: Config, /) -> Delivered:
        """Deliver the briefing `view`; say what was done."""
