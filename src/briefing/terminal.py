"""The terminal: how the CLI prints outcomes, errors and log lines (rich). Only `cli.py`
uses it; the library reports through return values, errors and logging."""

from __future__ import annotations

import functools
import logging
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from briefing.errors import BriefingError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])

# Libraries whose own log lines are noise unless something fails (shown with -v): WeasyPrint
# warns of the template's screen-only CSS and of its fonts on every PDF.
NOISY_LOGGERS = (
    "transformers",
    "httpx",
    "httpcore",
    "urllib3",
    "trafilatura",
    "htmldate",
    "accelerate",
    "weasyprint",
    "fontTools",
)


def say(text: str, console: Console = out) -> None:
    """Print one line of rich markup, wrapped by the terminal, never cut."""
    console.print(text, soft_wrap=True)


def handle_errors(func: F) -> F:
    """Wrap a command: the project's errors become one line and their exit code, a bug one
    line (the traceback with -vv) and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise  # a usage error: `cli.main` prints it in one line, exit 2
        except BriefingError as exc:
            say(f"[bold red]Error:[/] {escape(str(exc))}", err)
            sys.exit(exc.exit_code)
        except sqlite3.DatabaseError as exc:  # the store failed in the middle of a run
            say(
                f"[bold red]Error:[/] the store cannot be used ({exc}): `briefing doctor` checks "
                "it; `briefing rebuild` rebuilds it from the inbox",
                err,
            )
            sys.exit(1)
        except KeyboardInterrupt:
            say("Interrupted.", err)
            sys.exit(130)
        except Exception as exc:  # a bug, not bad input: one line, the traceback on request
            logging.getLogger("briefing").debug("unexpected error", exc_info=True)
            say(
                f"[bold red]Internal error:[/] {type(exc).__name__}: {exc} (run with -vv "
                "for the traceback, and please report it)",
                err,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def setup_logging(verbose: int) -> None:
    """Log lines to stderr: warnings, -v info, -vv debug. At a terminal through rich; into a
    file or a journal as plain lines (a time stamp, never wrapped, no colour). Libraries'
    chatter only with -v (their warnings) or -vv (all of it)."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler: logging.Handler
    if err.is_terminal:
        handler = RichHandler(console=err, show_path=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
        )
    logging.basicConfig(level=level, handlers=[handler], force=True)
    library_level = {0: logging.ERROR, 1: logging.WARNING}.get(verbose, logging.DEBUG)
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(library_level)
    # APScheduler logs every job it runs at INFO (the service logs what its jobs did), and
    # warns each time the inbox scan waits for a briefing on the one worker, as designed; its
    # other warnings (a run missed) stay.
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    scheduler = logging.getLogger("apscheduler.scheduler")
    # One filter object, so that setting up again (each command of a test run) adds none.
    if verbose < 2:
        scheduler.addFilter(_NOT_A_SKIPPED_RUN)
    else:
        scheduler.removeFilter(_NOT_A_SKIPPED_RUN)


class _NotASkippedRun(logging.Filter):
    """Drops APScheduler's line for a periodic job skipped while the worker is busy."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances" not in str(record.msg)


_NOT_A_SKIPPED_RUN = _NotASkippedRun()


# How each inbox outcome is shown: its label's style, and where it is printed.
_INGEST_STYLE = {
    "rejected": ("red", err),
    "ingested": ("green", out),
    "duplicate": ("dim", out),
    "waiting": ("yellow", err),
    "updated": ("green", out),
    "removed": ("yellow", out),
}
# How each feed outcome is shown: its label, the label's style, and where it is printed.
_FETCH_STYLE = {
    "saved": ("saved", "green", out),
    "from-feed": ("saved", "yellow", err),
    "failed": ("failed", "red", err),
    "feed-failed": ("failed", "red", err),
}


def print_outcome(outcome: Any) -> None:
    """One line for an inbox file that was read (and one for its warning, if any)."""
    if outcome.outcome in _INGEST_STYLE:
        style, console = _INGEST_STYLE[outcome.outcome]
        shown = {
            "ingested": outcome.path,
            "updated": f"{outcome.path} (this version replaces the earlier one in new briefings)",
        }.get(outcome.outcome, outcome.message)
        say(f"[{style}]{outcome.outcome}[/] {escape(shown)}", console)
    if outcome.outcome in ("ingested", "updated") and outcome.message:
        say(f"[yellow]warning[/] {escape(outcome.message)}", err)


def print_fetch(outcome: Any) -> None:
    """One line for a feed item saved, or a feed or page that failed."""
    if outcome.status in _FETCH_STYLE:
        label, style, console = _FETCH_STYLE[outcome.status]
        shown = ": ".join(part for part in (outcome.file, outcome.message) if part)
        say(f"[{style}]{label}[/] {escape(shown)}", console)


def print_built(report: str, files: list[str]) -> None:
    """The run's one-line report and the files it wrote."""
    say(report)
    for path in files:
        say(f"  wrote {escape(str(path))}")


def print_deliveries(delivered: Any) -> None:
    """One line per channel that delivered the briefing."""
    for delivery in delivered:
        say(f"{delivery.channel}: {escape(delivery.detail)}")
