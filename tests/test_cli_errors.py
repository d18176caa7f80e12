"""Every way a command can be used wrongly, through the real console script: one line that
names the option, file or briefing, and the documented exit code; never "Internal error"."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import SEED_MOSCOW_TIMES, SEED_UPI
from tests.servers import free_port


def briefing(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "300"}
    command = [sys.executable, "-m", "briefing", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.fixture
def project(make_project):
    config = make_project(
        [SEED_UPI, SEED_MOSCOW_TIMES],
        summary={"mode": "extract"},
        delivery={
            "email": {
                "host": "127.0.0.1",
                "port": free_port(),  # nothing listens there
                "security": "none",
                "recipients": ["reader@example.org"],
                "retries": 3,
                "backoff_seconds": 30,
            }
        },
    )
    return config, str(config.base_dir / "config.yaml")


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Internal error" not in lines[0] and "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--from", "2021-10-18", "--to", "2021-10-13"], "--to 2021-10-13 is before"),
        (["run", "--date", "2022-03-28", "--from", "2022-03-28"], "either --date or --from"),
        (["run", "--date", "28/03/2022"], "Invalid value for '--date'"),
        (["run", "--frm", "2022-03-28"], "No such option '--frm'"),
        (["nosuchcommand"], "No such command 'nosuchcommand'"),
        (["send", "--date", "2020-01-01"], "no briefing 2020-01-01"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(project, args: list[str], message: str) -> None:
    _, path = project
    result = briefing("--config", path, *args)
    assert result.returncode == 2, result.stderr
    assert message in one_line(result)


def test_nothing_to_send_to_is_a_config_error(make_project) -> None:
    config = make_project([SEED_UPI], summary={"mode": "extract"})
    path = str(config.base_dir / "config.yaml")
    assert briefing("--config", path, "run", "--date", "2022-03-29").returncode == 0
    result = briefing("--config", path, "send", "--date", "2022-03-29")
    assert result.returncode == 2
    assert "delivery.email.recipients is empty" in one_line(result)


def test_send_at_a_terminal_fails_fast_and_says_how_to_retry(project) -> None:
    _, path = project
    assert briefing("--config", path, "run", "--date", "2022-03-29").returncode == 0
    started = time.monotonic()
    result = briefing("--config", path, "send", "--date", "2022-03-29", "--no-retry")
    assert time.monotonic() - started < 15
    assert result.returncode == 5
    line = one_line(result)
    assert "(1 attempt)" in line and "resend with `briefing send`" in line


def test_without_a_config_file_nothing_is_created(tmp_path: Path) -> None:
    result = briefing("ingest", cwd=tmp_path)
    assert result.returncode == 2
    assert f"no config.yaml in {tmp_path}" in one_line(result)
    assert list(tmp_path.iterdir()) == []  # no inbox, store or briefings made here


@pytest.mark.parametrize("command", ["run", "list"])
def test_an_empty_range_names_the_dates_the_inbox_has(project, command: str) -> None:
    _, path = project
    result = briefing("--config", path, command, "--date", "2023-01-01")
    assert result.returncode == 3
    line = one_line(result)
    assert "no articles dated 2023-01-01 (2 articles dated 2022-03-28 to 2022-03-29)" in line
    assert "Try --from 2022-03-28 --to 2022-03-29" in line


def test_a_pdf_run_prints_no_library_warnings(project) -> None:
    config, path = project
    result = briefing(
        "--config", path, "run", "--from", "2022-03-28", "--to", "2022-03-29", "--pdf"
    )
    assert result.returncode == 0, result.stderr
    assert (config.output_dir / "2022-03-28_2022-03-29.pdf").exists()
    assert "WARNING" not in result.stderr and "Warning" not in result.stderr, result.stderr
