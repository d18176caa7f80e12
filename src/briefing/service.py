"""`briefing serve`: the scheduled background service (APScheduler 3).

Jobs in a SQLite job store: `inbox` ingests new files every few seconds (only files whose
mtime has been still for `schedule.stable_seconds`), `daily-briefing` builds the briefing at
`schedule.time` on `schedule.days` in the schedule's time zone and e-mails it when delivery is
configured. The job store keeps each job's next run time across restarts: a run missed while
the machine slept or the service was down is run once (coalesce) when it comes back, if within
`schedule.misfire_grace_seconds`; it is never run twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

from apscheduler.events import EVENT_ALL, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from briefing.config import Config, load_config
from briefing.errors import BriefingError, BusyError, NoArticlesError
from briefing.handoff import JOBSTORE as HANDOFF_JOBSTORE
from briefing.handoff import HandoffServer

log = logging.getLogger(__name__)

INBOX_JOB, DAILY_JOB, FETCH_JOB = "inbox", "daily-briefing", "fetch-feeds"
# Fetching runs on its own worker: a slow or stuck feed never delays the inbox scan or the
# daily briefing. Set when the service stops, so a fetch run ends at its next read.
FETCH_EXECUTOR = "fetch"
STOPPING = threading.Event()


def inbox_job(config_path: str | None) -> None:
    """Ingest new inbox files. The ingest module logs one line per file; this adds the scan's
    count and time."""
    from briefing.ingest.inbox import scan_inbox

    config = load_config(config_path)
    started = time.perf_counter()
    scan = scan_inbox(config, stable_seconds=config.schedule.stable_seconds)
    if scan.new:
        log.info(
            "inbox scan: %d new file(s) in %.2f s", len(scan.new), time.perf_counter() - started
        )


def fetch_job(config_path: str | None) -> None:
    """Read the configured feeds into the inbox (the inbox job then ingests them)."""
    from briefing.fetch import fetch_into_inbox

    report = fetch_into_inbox(load_config(config_path), stop=STOPPING)
    for outcome in report.problems:
        log.warning("feeds: %s", outcome.message)
    log.info("feeds: %s", report.summary())


def daily_job(config_path: str | None, today: dt.date | None = None) -> None:
    """Build today's briefing (with `lookback_days` before it) and deliver it."""
    from briefing.daterange import DateRange
    from briefing.deliver import also_email, deliver_briefing
    from briefing.pipeline import run_briefing

    config = load_config(config_path)
    day = today or config.today()
    dates = DateRange(day - dt.timedelta(days=config.schedule.lookback_days), day)
    try:
        result = run_briefing(config, dates)
    except (NoArticlesError, BusyError) as exc:
        log.warning("daily briefing %s not built: %s", dates.name, exc)
        return
    log.info(
        "daily briefing %s built: %d stories in %.1f s",
        dates.name,
        len(result.briefing.stories),
        result.briefing.seconds,
    )
    if also_email(config, config.delivery.email.enabled):
        try:
            deliver_briefing(config, result.view, ["email"])
        except BriefingError as exc:
            log.error("daily briefing %s not delivered: %s", dates.name, exc)


def _triggers(config: Config) -> dict[str, BaseTrigger]:
    hour, minute = (int(part) for part in config.schedule.time.split(":"))
    triggers: dict[str, BaseTrigger] = {
        INBOX_JOB: IntervalTrigger(seconds=config.schedule.inbox_poll_seconds),
        DAILY_JOB: CronTrigger(
            hour=hour, minute=minute, day_of_week=config.schedule.days, timezone=config.tz
        ),
    }
    if (config.fetch.feeds or config.fetch.opml) and config.fetch.every_minutes:
        triggers[FETCH_JOB] = IntervalTrigger(minutes=config.fetch.every_minutes)
    return triggers


class ShutdownSafeScheduler(BackgroundScheduler):
    """APScheduler 3 wakes its loop after shutdown() has closed the executors and runs one last
    round of due jobs (only a *paused* scheduler skips it). The submissions fail ("cannot
    schedule new futures after shutdown", agronholm/apscheduler#285) and the jobs are moved to
    their next run time, so a run due at shutdown would be lost. Skip that round: the run stays
    due in the job store and is made up, once, at the next start."""

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        result: float | None = super()._process_jobs()
        return result


def create_scheduler(config: Config) -> BackgroundScheduler:
    """The scheduler with its SQLite job store, one worker and the schedule's time zone."""
    store_path = config.schedule.jobstore
    store_path.parent.mkdir(parents=True, exist_ok=True)
    return ShutdownSafeScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(url=f"sqlite:///{store_path}"),
            HANDOFF_JOBSTORE: MemoryJobStore(),  # runs handed over by `briefing run`
        },
        # One worker: building a briefing uses every core; jobs queue instead of competing.
        executors={
            "default": ThreadPoolExecutor(max_workers=1),
            FETCH_EXECUTOR: ThreadPoolExecutor(max_workers=1),
        },
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": config.schedule.misfire_grace_seconds,
        },
        timezone=config.tz,
    )


def install_jobs(scheduler: BackgroundScheduler, config: Config, config_path: str | None) -> None:
    """Add the jobs, keeping a stored job (and so its pending run) if its trigger is unchanged."""
    functions = {INBOX_JOB: inbox_job, DAILY_JOB: daily_job, FETCH_JOB: fetch_job}
    for job_id, trigger in _triggers(config).items():
        executor = FETCH_EXECUTOR if job_id == FETCH_JOB else "default"
        existing = scheduler.get_job(job_id)
        if (
            existing is not None
            and str(existing.trigger) == str(trigger)
            and list(existing.args) == [config_path]
            and existing.executor == executor
        ):
            log.info("job %s kept, next run %s", job_id, existing.next_run_time)
            continue
        job = scheduler.add_job(
            functions[job_id],
            trigger,
            args=[config_path],
            id=job_id,
            name=job_id,
            replace_existing=True,
            executor=executor,
        )
        log.info("job %s scheduled (%s)", job_id, job.trigger)


def start(
    config: Config, config_path: str | None, listener: Callable[[JobEvent], None] | None = None
) -> BackgroundScheduler:
    """Start the scheduler; `listener` (for tests and monitoring) sees every job event."""
    scheduler = create_scheduler(config)
    if listener is not None:
        scheduler.add_listener(listener, EVENT_ALL)
    # Paused first: jobs from the store are looked at and kept before anything runs.
    scheduler.start(paused=True)
    install_jobs(scheduler, config, config_path)
    scheduler.resume()
    return scheduler


def hand_to_worker(scheduler: BackgroundScheduler, run: Callable[[], None]) -> None:
    """Queue a run handed over by `briefing run` on the one worker, after the job running
    now; it runs however long it waits."""
    scheduler.add_job(run, jobstore=HANDOFF_JOBSTORE, name="on-demand run", misfire_grace_time=None)


def serve(config: Config, config_path: str | None) -> None:
    """Run in the foreground until SIGTERM/SIGINT; the running job is allowed to finish."""
    stop = threading.Event()
    signals_seen = 0

    def on_signal(number: int, frame: FrameType | None) -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen > 1:
            raise SystemExit(1)  # a second signal: abandon (writes are atomic; nothing is torn)
        log.info(
            "received %s: finishing the current job, then stopping", signal.Signals(number).name
        )
        stop.set()
        STOPPING.set()

    STOPPING.clear()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler = start(config, config_path)
    handoff = HandoffServer(config, config_path, lambda run: hand_to_worker(scheduler, run))
    handoff.open()
    daily = scheduler.get_job(DAILY_JOB)
    log.info(
        "briefing service started: inbox every %ss, daily briefing at %s (%s, %s); next %s",
        config.schedule.inbox_poll_seconds,
        config.schedule.time,
        config.timezone,
        config.schedule.days,
        daily.next_run_time if daily else "?",
    )
    while not stop.wait(1.0):
        pass
    handoff.close()
    scheduler.shutdown(wait=True)
    log.info("briefing service stopped")
