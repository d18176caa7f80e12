"""Deliver: a written briefing leaves the machine by e-mail, or on paper as a PDF."""

from __future__ import annotations

import logging
import time

from briefing.config import Config
from briefing.errors import DeliveryError

log = logging.getLogger(__name__)


def email_briefing(config: Config, name: str) -> int:
    """E-mail the written briefing `name` (from its JSON file); returns the attempts made."""
    from briefing.deliver.email import compose
    from briefing.deliver.smtp import send
    from briefing.render import load_view

    json_path = config.path(config.output_dir) / f"{name}.json"
    if not json_path.exists():
        raise DeliveryError(
            f"no briefing {name} in {json_path.parent}; build it first with "
            f"`briefing run` for that date range"
        )
    started = time.perf_counter()
    message = compose(
        load_view(json_path), config.delivery.email, config.path(config.render.templates)
    )
    attempts = send(message, config.delivery.email)
    log.info("delivered briefing %s by e-mail in %.1f s", name, time.perf_counter() - started)
    return attempts
