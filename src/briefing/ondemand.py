"""An on-demand run (`briefing run`): what it asks for and what it reports as it goes, the
same whether this process builds the briefing or the running service does (`handoff.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from briefing.config import Config
from briefing.daterange import DateRange


@dataclass(frozen=True)
class RunRequest:
    """What `briefing run` asks for."""

    dates: DateRange
    ingest: bool = True
    pdf: bool = False
    send: bool = False


@dataclass(frozen=True)
class FileLine:
    """An inbox file's outcome, as the terminal prints it."""

    path: str
    outcome: str
    message: str = ""


@dataclass(frozen=True)
class DeliveryLine:
    """Where a channel delivered the briefing, as the terminal prints it."""

    channel: str
    detail: str


@dataclass
class RunListener:
    """What the caller does as the run goes: each inbox file, the number of stories, each
    story summarised, the briefing built (its report and files), its delivery, and each
    phase as it starts."""

    on_file: Callable[[FileLine], None]
    on_total: Callable[[int], None]
    on_story: Callable[[], None]
    on_built: Callable[[str, list[str]], None]
    on_delivered: Callable[[list[DeliveryLine]], None]
    on_phase: Callable[[str], None] = field(default=lambda phase: None)


def carry_out(config: Config, request: RunRequest, listener: RunListener) -> None:
    """Build the briefing asked for, write it, and e-mail it if asked. Raises BriefingError."""
    from briefing.deliver import also_email, configured_channels, deliver_briefing
    from briefing.pipeline import RunHooks, run_briefing

    def on_file(outcome: Any) -> None:
        listener.on_file(FileLine(outcome.path, outcome.outcome, outcome.message))

    channels = configured_channels(config) + (["pdf"] if request.pdf else [])
    hooks = RunHooks(
        on_file,
        listener.on_total,
        lambda story, summary: listener.on_story(),
        listener.on_phase,
    )
    result = run_briefing(
        config, request.dates, hooks, request.ingest, list(dict.fromkeys(channels))
    )
    listener.on_built(result.briefing.report(), [str(path) for path in result.files])
    remarks = [DeliveryLine(d.channel, d.detail) for d in result.delivered if d.detail]
    if remarks:  # e.g. the PDF did not fit one page
        listener.on_delivered(remarks)
    if also_email(config, request.send):
        listener.on_phase("Sending the briefing")
        delivered = deliver_briefing(config, result.view, ["email"])
        listener.on_delivered([DeliveryLine(d.channel, d.detail) for d in delivered])
