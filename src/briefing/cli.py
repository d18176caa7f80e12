"""The command line: parses arguments, calls one library function per command, and turns the
project's errors into one line on stderr and an exit code. Nothing else knows the terminal.

Exit codes: 0 ok, 1 error (or files rejected by `ingest`), 2 bad config or usage,
3 no articles in the range, 4 model cannot be loaded, 5 delivery failed, 6 another process is
building the same briefing.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from briefing.config import Config, load_config
from briefing.errors import BriefingError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BriefingError as exc:
            err.print(f"[bold red]Error:[/] {exc}", markup=True, soft_wrap=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            err.print("Interrupted.")
            sys.exit(130)
        except Exception as exc:  # a bug, not bad input: one line, the traceback on request
            logging.getLogger("briefing").debug("unexpected error", exc_info=True)
            err.print(
                f"[bold red]Internal error:[/] {type(exc).__name__}: {exc} (run with -vv "
                "for the traceback, and please report it)",
                markup=True,
                soft_wrap=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(
        level=level,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=err, show_path=False)],
        force=True,
    )
    for noisy in ("transformers", "httpx", "urllib3", "trafilatura", "htmldate", "accelerate"):
        logging.getLogger(noisy).setLevel(max(level, logging.ERROR))


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
    _setup_logging(verbose)
    ctx.obj = config_path


def _config(ctx: click.Context) -> Config:
    config = load_config(ctx.obj)
    # Offline by design: never let transformers try to reach a model hub for the packaged models.
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return config


def _date_range(
    config: Config, date: dt.datetime | None, first: dt.datetime | None, last: dt.datetime | None
) -> Any:
    from briefing.pipeline import DateRange, today

    if date and (first or last):
        raise click.UsageError("use either --date or --from/--to, not both")
    if date:
        return DateRange.single(date.date())
    start = first.date() if first else None
    end = last.date() if last else None
    if start is None and end is None:
        return DateRange.single(today(config))
    return DateRange(start or end, end or start)  # type: ignore[arg-type]


def _range_options(func: F) -> F:
    func = click.option("--to", "last", type=DATE, help="Last day of the range (YYYY-MM-DD).")(func)
    func = click.option("--from", "first", type=DATE, help="First day of the range (YYYY-MM-DD).")(
        func
    )
    return click.option(
        "--date",
        "date",
        type=DATE,
        help="A single day (YYYY-MM-DD); default today in the configured time zone.",
    )(func)


def _print_outcome(outcome: Any) -> None:
    if outcome.outcome == "rejected":
        err.print(f"[red]rejected[/] {outcome.message}", soft_wrap=True)
    elif outcome.outcome == "ingested":
        out.print(f"[green]ingested[/] {outcome.path}", soft_wrap=True)
        if outcome.message:
            err.print(f"[yellow]warning[/] {outcome.message}", soft_wrap=True)
    elif outcome.outcome == "duplicate":
        out.print(f"[dim]duplicate[/] {outcome.message}", soft_wrap=True)
    elif outcome.outcome == "waiting":
        err.print(f"[yellow]waiting[/] {outcome.message}", soft_wrap=True)


@cli.command()
@_range_options
@click.option("--no-ingest", is_flag=True, help="Do not scan the inbox first.")
@click.option("--pdf", is_flag=True, help="Also write a one-page PDF (WeasyPrint).")
@click.option(
    "--send",
    "send_email",
    is_flag=True,
    help="E-mail the briefing afterwards (delivery.email settings).",
)
@click.pass_context
@_handle_errors
def run(
    ctx: click.Context,
    date: dt.datetime | None,
    first: dt.datetime | None,
    last: dt.datetime | None,
    no_ingest: bool,
    pdf: bool,
    send_email: bool,
) -> None:
    """Ingest the inbox and write the briefing for a day or a date range.

    Writes briefings/<date>.html, .md and .json (or <from>_<to>.*).

    Example: briefing run --from 2022-03-28 --to 2022-03-30
    """
    from briefing.pipeline import RunHooks, run_briefing

    config = _config(ctx)
    dates = _date_range(config, date, first, last)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("Summarising stories", total=None, visible=False)

        def started(total: int) -> None:
            progress.update(task, total=total, visible=True)

        def story_done(story: Any, summary: Any) -> None:
            progress.advance(task)

        formats: list[str] = list(config.render.formats)
        if pdf and "pdf" not in formats:
            formats.append("pdf")
        result = run_briefing(
            config,
            dates,
            RunHooks(_print_outcome, started, story_done),
            ingest=not no_ingest,
            formats=formats,
        )
    briefing = result.briefing
    c = briefing.counts
    out.print(
        f"Briefing {briefing.name}: {len(briefing.stories)} stories from "
        f"{sum(len(s.articles) for s in briefing.stories)} articles in {briefing.seconds:.1f} s; "
        f"guard kept {c.kept} of {c.generated} model sentences, replaced {c.replaced}, "
        f"dropped {c.dropped}.",
        soft_wrap=True,
    )
    for path in result.files:
        out.print(f"  wrote {path}", soft_wrap=True)
    if send_email:
        _send(config, briefing.name)


def _send(config: Config, name: str) -> None:
    from briefing.deliver import email_briefing

    attempts = email_briefing(config, name)
    recipients = ", ".join(config.delivery.email.recipients)
    out.print(
        f"Sent briefing {name} to {recipients} via {config.delivery.email.host}"
        + (f" after {attempts} attempts" if attempts > 1 else ""),
        soft_wrap=True,
    )


@cli.command()
@_range_options
@click.pass_context
@_handle_errors
def send(
    ctx: click.Context,
    date: dt.datetime | None,
    first: dt.datetime | None,
    last: dt.datetime | None,
) -> None:
    """E-mail a briefing that `run` already wrote (or resend one whose delivery failed).

    Uses the delivery.email settings; the SMTP password comes from the environment variable
    named by delivery.email.password_env. Exits 5 if delivery fails.

    Example: briefing send --date 2022-03-29
    """
    config = _config(ctx)
    _send(config, _date_range(config, date, first, last).name)


@cli.command()
@click.pass_context
@_handle_errors
def serve(ctx: click.Context) -> None:
    """Run the scheduled service in the foreground: ingest new inbox files as they arrive and
    build (and e-mail) the daily briefing at schedule.time. Stops cleanly on SIGTERM/SIGINT.

    Example: briefing serve
    """
    from briefing.service import serve as run_service

    config = _config(ctx)
    if logging.getLogger().level > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)  # a service logs what it does
    config_path = str(ctx.obj.resolve()) if ctx.obj else None
    run_service(config, config_path)


@cli.command()
@click.pass_context
@_handle_errors
def ingest(ctx: click.Context) -> None:
    """Ingest new or changed inbox files only, with one line per file.

    Exits 1 if any file was rejected (the others are still ingested).

    Example: briefing ingest
    """
    from briefing.ingest.inbox import ingest_inbox
    from briefing.store import Store

    config = _config(ctx)
    with Store(config.path(config.database)) as store:
        outcomes = ingest_inbox(config, store, on_file=_print_outcome)
    counts = {
        k: sum(o.outcome == k for o in outcomes)
        for k in ("ingested", "duplicate", "rejected", "waiting", "unchanged")
    }
    still_rejected = sum(o.outcome == "unchanged" and bool(o.message) for o in outcomes)
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    if still_rejected:
        summary += f" ({still_rejected} of them still rejected: fix or remove to retry)"
    out.print(f"{summary} in {config.path(config.inbox)}", soft_wrap=True)
    if counts["rejected"]:
        sys.exit(1)


@cli.command()
@click.pass_context
@_handle_errors
def fetch(ctx: click.Context) -> None:
    """Read the feeds of config.yaml (fetch.feeds, fetch.opml) into the inbox, one line per
    new item or problem. Exits 1 if a feed or page could not be read (the rest are saved).

    Example: briefing fetch
    """
    from briefing.fetch import fetch_feeds
    from briefing.store import Store

    config = _config(ctx)
    if not config.fetch.feeds and not config.fetch.opml:
        out.print("No feeds configured: add URLs to fetch.feeds (or OPML files to fetch.opml).")
        return
    with Store(config.path(config.database)) as store:
        outcomes = fetch_feeds(config, store, on_outcome=_print_fetch)
    saved = sum(o.status in ("saved", "from-feed") for o in outcomes)
    problems = sum(o.status in ("failed", "feed-failed") for o in outcomes)
    out.print(
        f"{saved} new item(s) saved to {config.path(config.inbox) / config.fetch.folder}, "
        f"{problems} problem(s)",
        soft_wrap=True,
    )
    if problems:
        sys.exit(1)


def _print_fetch(outcome: Any) -> None:
    if outcome.status == "saved":
        out.print(f"[green]saved[/] {outcome.file}", soft_wrap=True)
    elif outcome.status == "from-feed":
        err.print(f"[yellow]saved[/] {outcome.file}: {outcome.message}", soft_wrap=True)
    elif outcome.status in ("failed", "feed-failed"):
        err.print(f"[red]failed[/] {outcome.message}", soft_wrap=True)


@cli.command()
@click.pass_context
@_handle_errors
def doctor(ctx: click.Context) -> None:
    """Check what a run needs, one line each: inbox and output folders, the store, the models,
    PDF support, the SMTP server (connect only, no mail sent), the feeds. Exits 1 if any fails.

    Example: briefing doctor
    """
    from briefing.doctor import run_checks

    config = _config(ctx)
    failed = 0
    for check in run_checks(config):
        mark = "[green]ok[/]  " if check.ok else "[red]FAIL[/]"
        fix = f" — fix: {check.fix}" if check.fix and not check.ok else ""
        out.print(f"{mark} {check.name}: {check.detail}{fix}", soft_wrap=True)
        failed += not check.ok
    if failed:
        sys.exit(1)


@cli.command(name="list")
@_range_options
@click.pass_context
@_handle_errors
def list_stories(
    ctx: click.Context,
    date: dt.datetime | None,
    first: dt.datetime | None,
    last: dt.datetime | None,
) -> None:
    """List the stories of a day or range: date, section, sources, headline.

    Example: briefing list --from 2022-03-28 --to 2022-03-30
    """
    from briefing.embedding import LazyEncoder
    from briefing.errors import NoArticlesError
    from briefing.grouping import group_articles
    from briefing.store import Store

    config = _config(ctx)
    dates = _date_range(config, date, first, last)
    with Store(config.path(config.database)) as store:
        articles = store.articles_between(dates.first, dates.last)
        if not articles:
            raise NoArticlesError(
                f"no articles stored for {dates.name}; run `briefing ingest` first"
            )
        stories = group_articles(
            articles, config, LazyEncoder(config.grouping.embedding_model), store
        )
    for story in stories:
        outlets = ", ".join(sorted({a.outlet or "?" for a in story.articles}))
        out.print(
            f"{story.date}  {story.section:<24} {len(story.distinct_articles)} src  "
            f"{story.headline}  [dim]({outlets})[/]",
            soft_wrap=True,
        )


def main() -> None:
    cli(prog_name="briefing")
