"""The command line: parses arguments, calls one library function per command, and turns the
project's errors into one line on stderr and an exit code. Nothing else knows the terminal.

Exit codes: 0 ok, 1 error (or files rejected by `ingest`), 2 bad config or usage,
3 no articles in the range, 4 model cannot be loaded, 5 delivery failed, 6 another process is
building the same briefing.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from briefing.config import Config, load_config
from briefing.terminal import (
    err,
    handle_errors,
    print_built,
    print_deliveries,
    print_fetch,
    print_outcome,
    say,
    setup_logging,
)

F = TypeVar("F", bound=Callable[..., Any])

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Config file (default: ./config.yaml).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="briefing")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int) -> None:
    """A daily news briefing from your inbox folder, summarised on your own CPU.

    Example: briefing run --from 2022-03-28 --to 2022-03-30
    """
    setup_logging(verbose)
    ctx.obj = config_path


def command(name: str | None = None) -> Callable[[F], F]:
    """A subcommand that gets the click context and whose errors become one line."""

    def decorate(func: F) -> F:
        return cli.command(name=name)(click.pass_context(handle_errors(func)))  # type: ignore[return-value]

    return decorate


def _config(ctx: click.Context) -> Config:
    return load_config(ctx.obj)


def _range_options(func: F) -> F:
    """--date, or --from/--to: the command gets them as `date`, `first`, `last`."""
    func = click.option("--to", "last", type=DATE, help="Last day of the range (YYYY-MM-DD).")(func)
    func = click.option("--from", "first", type=DATE, help="First day of the range.")(func)
    return click.option(
        "--date", type=DATE, help="A single day; default today in the configured time zone."
    )(func)


def _date_range(config: Config, date: Any, first: Any, last: Any) -> Any:
    from briefing.daterange import DateRange

    if date and (first or last):
        raise click.UsageError("use either --date or --from/--to, not both")
    if first and last and last < first:
        raise click.UsageError(f"--to {last:%Y-%m-%d} is before --from {first:%Y-%m-%d}")
    start, end = (date or first), (date or last)
    return DateRange.spanning(start and start.date(), end and end.date(), config.today())


@command()
@_range_options
@click.option("--no-ingest", is_flag=True, help="Do not scan the inbox first.")
@click.option("--pdf", is_flag=True, help="Also write a one-page PDF (WeasyPrint).")
@click.option("--send", "send_email", is_flag=True, help="E-mail the briefing afterwards.")
@click.option(
    "--here",
    is_flag=True,
    help="Build in this process even when `briefing serve` runs with the same settings.",
)
def run(
    ctx: click.Context, no_ingest: bool, pdf: bool, send_email: bool, here: bool, **span: Any
) -> None:
    """Ingest the inbox and write the briefing for a day or a date range.

    Writes briefings/<date>.html, .md and .json (or <from>_<to>.*); --send e-mails it
    (delivery.email settings). When `briefing serve` runs on the same settings, the run is
    handed to it (its models are loaded already, and it never builds two briefings at once).

    Example: briefing run --from 2022-03-28 --to 2022-03-30
    """
    from briefing.handoff import run_in_service
    from briefing.ondemand import RunListener, RunRequest, carry_out

    config = _config(ctx)
    request = RunRequest(_date_range(config, **span), not no_ingest, pdf, send_email)
    # The progress line names each phase (and counts the stories as they are summarised);
    # the report waits until the line is gone, so nothing is printed glued to it.
    reports: list[Callable[[], None]] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task("Starting", total=None, visible=err.is_terminal)

        def phase(name: str) -> None:
            progress.update(task, description=name, total=None, completed=0)

        listener = RunListener(
            print_outcome,
            lambda total: progress.update(task, total=total, completed=0),
            lambda: progress.advance(task),
            lambda report, files: reports.append(lambda: print_built(report, files)),
            lambda lines: reports.append(lambda: print_deliveries(lines)),
            phase,
        )
        pid = None if here else run_in_service(config, request, listener)
        if pid is None:
            carry_out(config, request, listener)
        else:
            reports.append(lambda: say(f"[dim]built by the running service (pid {pid})[/]", err))
    for report in reports:
        report()


# Someone waiting at a terminal gets one attempt with this timeout (seconds), not the
# service's patient retries; tests/test_delivery.py times `send` against a closed port.
INTERACTIVE_SMTP_TIMEOUT = 10


def _patient(retry: bool | None) -> bool:
    """Retry as delivery.email says (--retry), or try once (--no-retry); by default patient
    only when no one is waiting at a terminal (cron, the service, a script)."""
    return retry if retry is not None else not (sys.stdin.isatty() and sys.stderr.isatty())


def _impatient(config: Config) -> None:
    email = config.delivery.email
    config.delivery.email = email.model_copy(
        update={
            "retries": 0,
            "timeout_seconds": min(email.timeout_seconds, INTERACTIVE_SMTP_TIMEOUT),
        }
    )


@command()
@_range_options
@click.option(
    "--retry/--no-retry",
    default=None,
    help="Retry as delivery.email says (default when not at a terminal), or try once.",
)
def send(ctx: click.Context, retry: bool | None, **span: Any) -> None:
    """E-mail a briefing that `run` already wrote (or resend one whose delivery failed).

    Uses the delivery.email settings; the SMTP password comes from the environment variable
    named by delivery.email.password_env. At a terminal it tries once (a few seconds at most)
    and says how to retry; elsewhere it retries as delivery.email.retries says. Exits 2 if
    there is no such briefing or the settings are wrong, 5 if delivery fails.

    Example: briefing send --date 2022-03-29
    """
    from briefing.deliver import deliver_briefing, written_view

    config = _config(ctx)
    dates = _date_range(config, **span)
    view = written_view(config, dates.name)
    if not _patient(retry):
        _impatient(config)
    print_deliveries(deliver_briefing(config, view, ["email"]))


@command()
def serve(ctx: click.Context) -> None:
    """Run the scheduled service in the foreground: ingest new inbox files as they arrive and
    build (and e-mail) the daily briefing at schedule.time. Stops cleanly on SIGTERM/SIGINT.

    Example: briefing serve
    """
    from briefing.service import serve as run_service

    config = _config(ctx)
    if logging.getLogger().level > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)  # a service logs what it does
    run_service(config, str(ctx.obj.resolve()) if ctx.obj else None)


@command()
def ingest(ctx: click.Context) -> None:
    """Ingest new or changed inbox files only, with one line per file.

    Exits 1 if any file was rejected (the others are still ingested).

    Example: briefing ingest
    """
    from briefing.ingest.inbox import scan_inbox

    scan = scan_inbox(_config(ctx), on_file=print_outcome)
    say(scan.summary())
    if scan.count("rejected"):
        sys.exit(1)


@command()
def rebuild(ctx: click.Context) -> None:
    """Build a new store from the inbox, when the old one is corrupt or lost. The old file is
    kept beside it (renamed .broken-<time>); written briefings are untouched. Stop
    `briefing serve` first.

    Example: briefing rebuild
    """
    from briefing.rebuild import rebuild_store

    say(rebuild_store(_config(ctx), on_file=print_outcome).summary())


@command()
def fetch(ctx: click.Context) -> None:
    """Read the feeds of config.yaml (fetch.feeds, fetch.opml) into the inbox, one line per
    new item or problem. Exits 1 if a feed or page could not be read (the rest are saved).

    Example: briefing fetch
    """
    from briefing.fetch import fetch_into_inbox

    config = _config(ctx)
    if not config.fetch.feeds and not config.fetch.opml:
        say("No feeds configured: add URLs to fetch.feeds (or OPML files to fetch.opml).")
        return
    report = fetch_into_inbox(config, on_outcome=print_fetch)
    say(report.summary())
    if report.problems:
        sys.exit(1)


@command()
def doctor(ctx: click.Context) -> None:
    """Check what a run needs, one line each: inbox and output folders, the store, the models,
    PDF support, the SMTP server (connect only, no mail sent), the feeds. Exits 1 if any fails.

    Example: briefing doctor
    """
    from briefing.doctor import run_checks

    failed = 0
    for check in run_checks(_config(ctx)):
        mark = "[green]ok[/]  " if check.ok else "[red]FAIL[/]"
        fix = f" — fix: {check.fix}" if check.fix and not check.ok else ""
        say(f"{mark} {check.name}: {escape(check.detail + fix)}")
        failed += not check.ok
    if failed:
        sys.exit(1)


@command(name="embedding-gguf")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def embedding_gguf(ctx: click.Context, destination: Path) -> None:
    """Write the embedding model (grouping.embedding_model) as a GGUF file for llama.cpp's
    server, which then serves grouping.embedding_server.

    Example: briefing embedding-gguf all-minilm-l6-v2.gguf
    """
    from briefing.embedding.gguf_export import SERVE_ARGS, write_gguf

    model = _config(ctx).grouping.embedding_model
    written = escape(str(write_gguf(destination, model)))
    say(f"wrote {written} ({model}); serve it with:")
    say(f"  python -m llama_cpp.server --model {written} {' '.join(SERVE_ARGS)}")


@command()
@click.argument("story_id")
@click.option("--undo", is_flag=True, help="Show the story again.")
def hide(ctx: click.Context, story_id: str, undo: bool) -> None:
    """Hide one story from every new briefing (it stays hidden when new sources join it).
    STORY_ID is the story's id, from `briefing list --ids` or the briefing's JSON.

    Example: briefing hide 3f2a9c1d0b7e
    """
    from briefing.reader import hide_story

    headline = hide_story(_config(ctx), story_id, undo)
    say(f"shown again: {escape(headline)}" if undo else f"hidden: {escape(headline)}")


@command(name="list")
@_range_options
@click.option("--ids", is_flag=True, help="Start each line with the story's id.")
def list_stories(ctx: click.Context, ids: bool, **span: Any) -> None:
    """List the stories of a day or range (the inbox ingested first): date, section, sources,
    headline.

    Example: briefing list --from 2022-03-28 --to 2022-03-30
    """
    from briefing.pipeline import stories_between

    config = _config(ctx)
    for story in stories_between(config, _date_range(config, **span)):
        outlets = ", ".join(sorted({a.outlet or "?" for a in story.articles}))
        say(
            (f"{story.id}  " if ids else "")
            + f"{story.date}  {story.section:<24} {len(story.distinct_articles)} src  "
            f"{escape(story.headline)}  [dim]({escape(outlets)})[/]"
        )


def main() -> None:
    """The `briefing` console script: a usage error (an unknown option, a bad date) is one
    line and exit 2, like every error of the project."""
    try:
        cli.main(prog_name="briefing", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        say("Interrupted.", err)
        sys.exit(130)
    except click.ClickException as exc:
        say(f"[bold red]Error:[/] {escape(exc.format_message())}", err)
        sys.exit(exc.exit_code)
