"""The scheduled service: inbox job, daily job, misfire and restart, locking, SIGTERM.

Grouping uses the real MiniLM encoder; summaries use a tiny random model (its sentences are
refused by the guard, which is fine here: the service is under test, not the prose).
"""

from __future__ import annotations

import datetime as dt
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from click.testing import CliRunner
from tests.conftest import SEED_MOSCOW_TIMES, SEED_UPI
from tests.tiny_models import save_tiny_causal

from briefing import service
from briefing.cli import cli
from briefing.lock import briefing_lock
from briefing.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    return str(save_tiny_causal(tmp_path_factory.mktemp("tiny") / "model"))


@pytest.fixture
def project(make_project, tiny_model):
    def make(**schedule: object):
        config = make_project(
            [SEED_UPI, SEED_MOSCOW_TIMES],
            summary={"model": tiny_model},
            schedule={
                "inbox_poll_seconds": 0.5,
                "stable_seconds": 0,
                "lookback_days": 1,
                "jobstore": "state/jobs.sqlite",
                **schedule,
            },
        )
        return config, str(config.base_dir / "config.yaml")

    return make


def todays_article(config, name: str = "today.txt") -> Path:
    today = config.today()
    path = config.inbox / name
    path.write_text(
        f" date {today.isoformat()}\n\nHarbour council approves new ferry timetable\n\n"
        "By Ada Lind\n\nThe Caldmouth harbour council approved a new ferry timetable on "
        "Monday that adds two evening crossings to Westhaven from next month, after residents "
        "asked for later boats.\n",
        encoding="utf-8",
    )
    return path


def article_count(config) -> int:
    with Store(config.database) as store:
        return store.article_count()


def test_inbox_job_ingests_each_file_once_and_waits_for_stable_files(project) -> None:
    config, path = project(stable_seconds=60)
    for source in config.inbox.iterdir():
        os.utime(source, (time.time() - 120, time.time() - 120))
    service.inbox_job(path)
    assert article_count(config) == 2
    service.inbox_job(path)
    assert article_count(config) == 2
    fresh = todays_article(config)  # just written: may still be being copied
    service.inbox_job(path)
    assert article_count(config) == 2
    os.utime(fresh, (time.time() - 120, time.time() - 120))
    service.inbox_job(path)
    assert article_count(config) == 3


def test_daily_job_builds_the_briefing(project) -> None:
    config, path = project()
    service.daily_job(path, today=dt.date(2022, 3, 29))
    out = config.output_dir
    assert sorted(p.name for p in out.iterdir()) == [
        "2022-03-28_2022-03-29.html",
        "2022-03-28_2022-03-29.json",
        "2022-03-28_2022-03-29.md",
        "index.html",
    ]
    # Nothing for a day without articles: logged, no empty file.
    service.daily_job(path, today=dt.date(2023, 1, 1))
    assert len(list(out.iterdir())) == 4


def _events(config, path, seconds: float) -> list:
    events: list = []
    scheduler = service.start(config, path, listener=events.append)
    try:
        deadline = time.time() + seconds
        while time.time() < deadline and not any(
            e.code in (EVENT_JOB_EXECUTED, EVENT_JOB_MISSED) for e in daily(events)
        ):
            time.sleep(0.2)
        time.sleep(1.5)  # time for a second, wrong, run to show up
    finally:
        scheduler.shutdown(wait=True)
    return daily(events)


def daily(events: list) -> list:
    """Job events of the daily job (scheduler events have no job id)."""
    return [
        e
        for e in events
        if getattr(e, "job_id", None) == service.DAILY_JOB
        and e.code in (EVENT_JOB_EXECUTED, EVENT_JOB_MISSED)
    ]


def _half_a_day_from_now() -> dt.datetime:
    """A daily time (UTC, the projects' zone) with no scheduled run near the test's clock: at
    a fixed 07:00, a test run at 07:00:41 had a real 07:00 run within the grace time."""
    return dt.datetime.now(dt.UTC) + dt.timedelta(hours=12)


def _stop_with_missed_run(config, path, late: dt.timedelta) -> None:
    """Run the service once, then leave its daily run due `late` ago, as if the machine had
    been asleep (or the service down) at the scheduled time."""
    scheduler = service.create_scheduler(config)
    scheduler.start(paused=True)
    service.install_jobs(scheduler, config, path)
    scheduler.modify_job(service.DAILY_JOB, next_run_time=dt.datetime.now(dt.UTC) - late)
    scheduler.shutdown(wait=False)


def test_restart_runs_a_missed_daily_briefing_exactly_once(project) -> None:
    daily_at = _half_a_day_from_now()
    config, path = project(time=daily_at.strftime("%H:%M"))
    todays_article(config)
    _stop_with_missed_run(config, path, late=dt.timedelta(minutes=20))
    events = _events(config, path, seconds=120)
    assert [e.code for e in events] == [EVENT_JOB_EXECUTED]
    today = config.today()
    name = f"{today - dt.timedelta(days=1)}_{today}"
    assert (config.output_dir / f"{name}.html").exists()
    # The job store kept the schedule: the next run is the next daily time, not a catch-up.
    scheduler = service.create_scheduler(config)
    scheduler.start(paused=True)
    next_run = scheduler.get_job(service.DAILY_JOB).next_run_time
    scheduler.shutdown(wait=False)
    assert next_run > dt.datetime.now(dt.UTC)
    assert (next_run.hour, next_run.minute) == (daily_at.hour, daily_at.minute)


def test_a_run_missed_beyond_the_grace_time_is_skipped(project) -> None:
    config, path = project(time=_half_a_day_from_now().strftime("%H:%M"), misfire_grace_seconds=60)
    _stop_with_missed_run(config, path, late=dt.timedelta(hours=2))
    events = _events(config, path, seconds=30)
    assert [e.code for e in events] == [EVENT_JOB_MISSED]
    assert not config.output_dir.exists()


def test_a_briefing_being_built_elsewhere_is_not_built_again(project) -> None:
    config, path = project()
    with briefing_lock(config.locks, "2022-03-28_2022-03-29"):
        result = CliRunner().invoke(
            cli, ["--config", path, "run", "--from", "2022-03-28", "--to", "2022-03-29"]
        )
        # The service's daily job says so in its log and builds nothing either.
        service.daily_job(path, today=dt.date(2022, 3, 29))
    assert result.exit_code == 6
    assert "being built by another process" in result.output
    assert not config.output_dir.exists()


def test_two_processes_never_build_the_same_briefing_at_once(project) -> None:
    config, path = project()
    command = [
        sys.executable,
        "-m",
        "briefing",
        "--config",
        path,
        "run",
        "--from",
        "2022-03-28",
        "--to",
        "2022-03-29",
    ]
    results: list[subprocess.CompletedProcess[str]] = []

    def run() -> None:
        results.append(subprocess.run(command, capture_output=True, text=True, timeout=300))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(r.returncode for r in results)
    # Either they overlapped (one refused with exit 6) or ran one after the other.
    assert codes in ([0, 6], [0, 0]), [r.stderr[-500:] for r in results]
    for result in results:
        if result.returncode == 6:
            assert "being built by another process" in result.stderr


def _read_until(process: subprocess.Popen[str], text: str, seconds: float) -> tuple[str, float]:
    assert process.stderr is not None
    seen = ""
    deadline = time.time() + seconds
    while time.time() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.2)
        if ready:
            line = process.stderr.readline()
            seen += line
            if text in line:
                return seen, time.time()
    raise AssertionError(f"{text!r} not seen in {seconds} s; output so far:\n{seen}")


def test_serve_ingests_dropped_files_and_stops_cleanly_on_sigterm(project) -> None:
    config, path = project(time="06:00")
    env = {**os.environ, "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "--config", path, "serve"],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        _read_until(process, "briefing service started", 60)
        outside = todays_article(config, "draft.txt").rename(config.base_dir / "draft.txt")
        shutil.copy(outside, config.inbox / "dropped.txt")
        # How fast is measured by benchmarks/inbox_latency.py, not asserted here.
        _read_until(process, "dropped.txt", 30)
        assert article_count(config) == 3
        process.send_signal(signal.SIGTERM)
        output, _ = _read_until(process, "briefing service stopped", 30)
        assert process.wait(timeout=30) == 0
        assert "received SIGTERM" in output
    finally:
        if process.poll() is None:
            process.kill()
