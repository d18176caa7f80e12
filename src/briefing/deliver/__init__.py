"""Deliver: a built briefing reaches its readers through channels, one module each.

`files` writes the text formats of `render.formats` and the archive index to `output_dir`,
`pdf` a one-page PDF beside them, `email` sends it over SMTP. `briefing run`, `briefing send`
and the service's daily job all deliver through `deliver_briefing`. Channels are found by name
in `briefing.plugins.channels`: a new one is a module with a `deliver(view, config)` function
and one registration (docs/extending.md); `delivery.channels` chooses them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from briefing import plugins
from briefing.config import Config
from briefing.deliver.channel import Channel, Delivered, View
from briefing.errors import NotFoundError
from briefing.render import load_view

log = logging.getLogger(__name__)


def configured_channels(config: Config) -> list[str]:
    """What every run delivers: `delivery.channels`, by default the files, and the PDF if
    render.formats asks."""
    if config.delivery.channels is not None:
        return config.delivery.channels
    return ["files", *(["pdf"] if "pdf" in config.render.formats else [])]


def also_email(config: Config, asked: bool) -> bool:
    """Whether to e-mail a briefing after its run (asked, or the service with
    delivery.email.enabled) when the run's own channels have not e-mailed it already."""
    return asked and "email" not in configured_channels(config)


def deliver_briefing(config: Config, view: View, channels: Sequence[str]) -> list[Delivered]:
    """Deliver the briefing `view` through each channel in turn; the first failure raises
    (the channels before it have delivered)."""
    parts: list[Channel] = [plugins.channels.get(name) for name in channels]
    done = []
    for name, deliver in zip(channels, parts, strict=True):
        started = time.perf_counter()
        done.append(deliver(view, config))
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
    "Channel",
    "Delivered",
    "View",
    "also_email",
    "configured_channels",
    "deliver_briefing",
    "written_view",
]
