"""Deliver: a built briefing reaches its readers through channels, one module each.

`files` writes the text formats of `render.formats` and the archive index to `output_dir`,
`pdf` a one-page PDF beside them, `email` sends it over SMTP. `briefing run`, `briefing send`
and the service's daily job all deliver through `deliver_briefing`. To add a channel, write a
module with a `deliver(view, config)` function and register it in CHANNELS.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from briefing.config import Config
from briefing.deliver import email, files, pdf
from briefing.deliver.channel import Channel, Delivered, View
from briefing.errors import ConfigError, NotFoundError
from briefing.render import load_view

log = logging.getLogger(__name__)

CHANNELS: dict[str, Channel] = {
    "files": files.deliver,
    "pdf": pdf.deliver,
    "email": email.deliver,
}


def default_channels(config: Config) -> list[str]:
    """What a run delivers unless told more: the files, and the PDF if render.formats asks."""
    return ["files", *(["pdf"] if "pdf" in config.render.formats else [])]


def deliver_briefing(config: Config, view: View, channels: Sequence[str]) -> list[Delivered]:
    """Deliver the briefing `view` through each channel in turn; the first failure raises
    (the channels before it have delivered)."""
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise ConfigError(
            f"no delivery channel {', '.join(unknown)} (known: {', '.join(CHANNELS)})"
        )
    done = []
    for name in channels:
        started = time.perf_counter()
        done.append(CHANNELS[name](view, config))
        log.info("briefing %s: %s in %.1f s", view["name"], name, time.perf_counter() - started)
    return done


def written_view(config: Config, name: str) -> View:
    """The view of the briefing `name` that a run wrote (its JSON file)."""
    json_path = config.output_dir / f"{name}.json"
    if not json_path.exists():
        raise NotFoundError(
            f"no briefing {name} in {json_path.parent}; build it first with a run for that "
            "date range"
        )
    return load_view(json_path)


__all__ = [
    "CHANNELS",
    "Channel",
    "Delivered",
    "View",
    "default_channels",
    "deliver_briefing",
    "written_view",
]
