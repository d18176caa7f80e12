"""The scheduled service: inbox job, daily job, misfire and restart, locking, SIGTERM, and the
runs `briefing run` hands to it.

Grouping uses the real MiniLM encoder; summaries use a tiny random model (its sentences are
refused by the guard, which is fine here: the service is under test, not the prose).
"""

from __future__ import annotations

import datetime as dt
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from click.testing import CliRunner
from tests.conftest import SEED_MOSCOW_TIMES, SEED_UPI
from tests.tiny_models import save_tiny_causal

from briefing import handoff, service
from briefing.cli import cli
from briefing.config import load_config
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


# Per process: the whole lines read from its pipe and not yet looked at, then its last,
# unfinished line.
_UNREAD: dict[int, tuple[list[str], str]] = {}


def _read_until(process: subprocess.Popen[str], text: str, seconds: float) -> tuple[str, float]:
    """The process's log lines up to the first holding `text`. Read from the pipe itself: a
    buffered readline would keep lines where select() cannot see them."""
    assert process.stderr is not None
    lines, partial = _UNREAD.get(process.pid, ([], ""))
    seen = ""
    deadline = time.time() + seconds
    while True:
        while lines:
            line = lines.pop(0)
            seen += line
            if text in line:
                _UNREAD[process.pid] = (lines, partial)
                return seen, time.time()
        if time.time() >= deadline:
            break
        ready, _, _ = select.select([process.stderr.fileno()], [], [], 0.2)
        if ready:
            chunk = os.read(process.stderr.fileno(), 65536).decode(errors="replace")
            if not chunk:
                break
            *complete, partial = (partial + chunk).split("\n")
            lines.extend(line + "\n" for line in complete)
    raise AssertionError(f"{text!r} not seen in {seconds} s; output so far:\n{seen}{partial}")


def _serve(path: str) -> subprocess.Popen[str]:
    """`briefing serve` in a process of its own, its log lines wide enough to read whole."""
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", "--config", path, "serve"],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_serve_ingests_dropped_files_and_stops_cleanly_on_sigterm(project) -> None:
    config, path = project(time="06:00")
    process = _serve(path)
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


def _briefing(path: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefing", "--config", path, *arguments]
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


RANGE = ("--from", "2022-03-28", "--to", "2022-03-29")


def test_a_run_is_handed_to_the_running_service_with_the_same_settings(project) -> None:
    config, path = project(time="06:00")
    process = _serve(path)
    try:
        _read_until(process, "on-demand runs", 60)
        handed = _briefing(path, "run", *RANGE)
        assert handed.returncode == 0, handed.stderr
        assert f"built by the running service (pid {process.pid})" in handed.stderr
        assert "Briefing 2022-03-28_2022-03-29: 1 stories from 2 articles" in handed.stdout
        assert "wrote " + str(config.output_dir / "2022-03-28_2022-03-29.html") in handed.stdout
        _read_until(process, "on-demand briefing 2022-03-28_2022-03-29 built", 30)
        assert handoff.probe(config) == handoff.ServiceAnswer(process.pid)

        # The service's error is the command's: its line and its exit code.
        empty = _briefing(path, "run", "--date", "2001-01-01")
        assert empty.returncode == 3
        assert "Error: no articles dated 2001-01-01" in empty.stderr

        # --here, or settings other than the service's: the command builds by itself.
        here = _briefing(path, "run", "--here", *RANGE)
        other = config.base_dir / "other.yaml"
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        other.write_text(yaml.safe_dump({**raw, "output_dir": "other"}), encoding="utf-8")
        elsewhere = _briefing(str(other), "run", *RANGE)
        refused = handoff.probe(load_config(other))
        assert refused is not None and refused.pid is None
        assert refused.reason == "the command's settings are not the service's"
        for result in (here, elsewhere):
            assert result.returncode == 0, result.stderr
            assert "built by the running service" not in result.stderr
        assert (config.base_dir / "other" / "2022-03-28_2022-03-29.html").exists()

        process.send_signal(signal.SIGTERM)
        _read_until(process, "briefing service stopped", 60)
        assert process.wait(timeout=30) == 0
        assert not handoff.socket_path(config).exists()
    finally:
        if process.poll() is None:
            process.kill()


def test_without_a_live_service_the_command_builds_the_briefing_itself(project) -> None:
    config, path = project()
    where = handoff.socket_path(config)
    where.parent.mkdir(parents=True, exist_ok=True)
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # a killed service's socket file
    left.bind(str(where))
    left.close()
    assert handoff.probe(config) is None
    result = CliRunner().invoke(cli, ["--config", path, "run", *RANGE])
    assert result.exit_code == 0, result.output
    assert "stories from 2 articles" in result.output
    assert "built by the running service" not in result.output

    # A service that takes the run and dies before it ends: the command builds it.
    where.unlink()
    dying = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dying.bind(str(where))
    dying.listen()

    def take_and_die() -> None:
        connection, _ = dying.accept()
        with connection:
            connection.makefile("r").readline()
            connection.sendall(b'{"event": "accepted", "pid": 1}\n{"event": "total", "total": 1}\n')

    taker = threading.Thread(target=take_and_die)
    taker.start()
    try:
        result = CliRunner().invoke(cli, ["--config", path, "run", *RANGE])
    finally:
        taker.join(timeout=30)
        dying.close()
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the log line as wrapped by the terminal
    assert "the service (pid 1) stopped before the run ended: building here" in said
    assert "stories from 2 articles" in result.output


def test_a_handed_run_waits_for_the_job_running_now_instead_of_being_refused(project) -> None:
    config, path = project(time="06:00")
    scheduler = service.start(config, path)
    server = handoff.HandoffServer(config, path, lambda run: service.hand_to_worker(scheduler, run))
    assert server.open()
    running, release = threading.Event(), threading.Event()

    def daily_build_in_progress() -> None:  # holds the briefing's lock, as a daily run would
        with briefing_lock(config.locks, "2022-03-28_2022-03-29"):
            running.set()
            release.wait(120)

    try:
        scheduler.add_job(daily_build_in_progress, jobstore=handoff.JOBSTORE)
        assert running.wait(30)
        command = subprocess.Popen(
            [sys.executable, "-m", "briefing", "--config", path, "run", *RANGE],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert command.poll() is None  # queued behind the job, not refused (exit 6)
        release.set()
        out, err = command.communicate(timeout=300)
    finally:
        release.set()
        server.close()
        scheduler.shutdown(wait=True)
    assert command.returncode == 0, err
    assert f"built by the running service (pid {os.getpid()})" in " ".join(err.split())
    assert "stories from 2 articles" in out
