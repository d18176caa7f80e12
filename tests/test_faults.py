"""Faults an unattended service meets: the model fails, the disk is full or read-only,
the process is killed. The briefing still appears (or a clear error), and nothing is lost."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import SAMPLE_INBOX, SEED_MOSCOW_TIMES, SEED_UPI

from briefing.cli import cli
from briefing.config import Config
from briefing.ingest import parse_article
from briefing.records import Story
from briefing.store import Store

pytestmark = pytest.mark.slow


def invoke(config, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config.base_dir / "config.yaml"), *args])


def test_a_model_that_cannot_be_loaded_gives_extracts_and_says_so(make_project, tmp_path) -> None:
    config = make_project(
        [SEED_UPI, SEED_MOSCOW_TIMES], summary={"model": str(tmp_path / "no-such-model")}
    )
    result = invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-29")
    assert result.exit_code == 0, result.output
    out = config.output_dir
    data = json.loads((out / "2022-03-28_2022-03-29.json").read_text())
    assert data["model"] == "extractive (the summary model failed)"
    assert len(data["notices"]) == 1 and "could not be used" in data["notices"][0]
    assert "no-such-model" in data["notices"][0]
    sentences = [s for story in data["stories"] for s in story["sentences"]]
    assert sentences and all(s["origin"] in ("extract", "note") for s in sentences)
    assert "could not be used" in (out / "2022-03-28_2022-03-29.html").read_text()
    # The fallback is not cached: the model writes these summaries once it works again.
    with Store(config.database) as store:
        assert store.summary_count() == 0


class OutOfMemory:
    """A model that loads but runs out of memory when it writes, as torch reports it."""

    name = "out-of-memory"

    def generate(self, *args: object) -> str:
        raise RuntimeError(
            "[enforce fail at alloc_cpu.cpp:114] DefaultCPUAllocator: not enough memory"
        )

    def compress(self, *args: object) -> list:
        raise RuntimeError(
            "[enforce fail at alloc_cpu.cpp:114] DefaultCPUAllocator: not enough memory"
        )


def test_out_of_memory_while_writing_falls_back_to_extracts() -> None:
    from briefing.embedding import configured_encoder
    from briefing.summarise import Summariser

    config = Config()
    upi, mt = (parse_article(p, p.read_bytes(), 0.0, config) for p in (SEED_UPI, SEED_MOSCOW_TIMES))
    story = Story("s1", upi.title or "", "World", (mt, upi))
    summariser = Summariser(config, configured_encoder(config), OutOfMemory)
    summary = summariser.summarise_all([story])["s1"]
    assert summariser.model_failure and "not enough memory" in summariser.model_failure
    assert summary.model == "extractive (the summary model failed)"
    assert summary.sentences and all(s.origin in ("extract", "note") for s in summary.sentences)


@pytest.fixture(params=["disk full", "read-only"])
def unwritable_output(request, tmp_path: Path):
    """A real output folder that cannot take the briefing: a 64 KB file system filled up, or
    one mounted read-only (needs root, as in CI and on the development machines)."""
    folder = tmp_path / "mounted"
    folder.mkdir()
    options = "size=64k" if request.param == "disk full" else "size=64k,ro"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.decode().strip()}")
    if request.param == "disk full":
        with (folder / "filler").open("wb") as filler, contextlib.suppress(OSError):
            filler.write(b"x" * 200_000)
    yield request.param, folder
    subprocess.run(["umount", str(folder)], check=False)


def test_an_unwritable_output_folder_is_a_clear_error_and_loses_nothing(
    make_project, unwritable_output
) -> None:
    kind, folder = unwritable_output
    config = make_project(
        [SEED_UPI, SEED_MOSCOW_TIMES], summary={"mode": "extract"}, output_dir=str(folder)
    )
    before = sorted(p.name for p in folder.iterdir())
    result = invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-29")
    assert result.exit_code == 1, result.output
    reason = "No space left on device" if kind == "disk full" else "Read-only file system"
    assert f"cannot write the briefing to {folder}: {reason}" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in folder.iterdir()) == before  # no partial file, no temp file
    with Store(config.database) as store:
        assert store.article_count() == 2  # ingested: the next run writes the briefing
    inbox = config.inbox
    assert sorted(p.name for p in inbox.iterdir()) == sorted(
        [SEED_UPI.name, SEED_MOSCOW_TIMES.name]
    )


STAGES = {
    # stage -> the log line after which the process is killed
    "ingest": "ingested ",
    "summarisation": "Summarising ",
    "rendering": "writing briefing ",
}


def start_run(config) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "briefing",
            "--config",
            str(config.base_dir / "config.yaml"),
            "-v",
            "run",
            "--from",
            "2022-03-28",
            "--to",
            "2022-03-30",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def kill_at(process: subprocess.Popen[str], marker: str, timeout: float = 300) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            process.send_signal(signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "".join(seen)
    process.wait(timeout=60)
    return seen


def assert_consistent(config, files: int) -> None:
    database = config.database
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = [row[0] for row in connection.execute("SELECT id FROM articles")]
        assert len(ids) == len(set(ids)) <= files
        records = [row[0] for row in connection.execute("SELECT path FROM files")]
        assert len(records) == len(set(records))
    finally:
        connection.close()
    out = config.output_dir
    for path in out.iterdir() if out.exists() else []:
        if path.name.startswith("."):
            continue  # a temporary file of the killed run: never under a briefing's name
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            json.loads(text)
        elif path.suffix == ".html":
            assert text.rstrip().endswith("</html>")


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_kill_9_at_each_stage_loses_and_doubles_nothing(make_project, stage: str) -> None:
    samples = sorted(p for p in SAMPLE_INBOX.iterdir() if p.is_file())
    config = make_project(samples, summary={"model_cache_dir": "~/.cache/briefing/models"})
    process = start_run(config)
    output = kill_at(process, STAGES[stage])
    assert process.returncode == -signal.SIGKILL, "".join(output)
    assert_consistent(config, len(samples))

    result = invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-30")
    assert result.exit_code == 0, result.output
    assert_consistent(config, len(samples))
    with Store(config.database) as store:
        assert store.article_count() == len(samples)  # every file, once
    out = config.output_dir
    data = json.loads((out / "2022-03-28_2022-03-30.json").read_text())
    assert data["article_count"] == len(samples)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
