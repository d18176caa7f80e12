"""The `files` channel: the briefing's text formats and the archive index in `output_dir`."""

from __future__ import annotations

from briefing.archive import update_archive
from briefing.config import Config
from briefing.deliver.channel import Delivered, View
from briefing.render import write_view


def deliver(view: View, config: Config) -> Delivered:
    """Write every text format of render.formats (always the JSON), then the archive."""
    written = write_view(view, config.render.formats, config.output_dir, config.render.templates)
    if "html" in config.render.formats:
        update_archive(config.output_dir, config.render.templates, view["name"])
    return Delivered("files", tuple(written))
