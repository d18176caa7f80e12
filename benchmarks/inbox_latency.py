"""How long from a file landing in the inbox to its ingestion by `briefing serve`.

    python -m benchmarks.inbox_latency [--poll 5] [--stable 1] [--files 5]

Starts the real service on a temporary project, drops files one at a time and prints the
delay until the service logs each one. Expected: about stable + up to one poll interval.
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "inbox" / "110_riverton_herald.txt"


def wait_for(process: subprocess.Popen[str], text: str, seconds: float) -> float:
    assert process.stderr is not None
    deadline = time.time() + seconds
    while time.time() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.05)
        if ready and text in process.stderr.readline():
            return time.time()
    raise SystemExit(f"{text!r} not logged within {seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--poll", type=float, default=5.0, help="schedule.inbox_poll_seconds")
    parser.add_argument("--stable", type=float, default=1.0, help="schedule.stable_seconds")
    parser.add_argument("--files", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "inbox").mkdir()
        shutil.copytree(REPO / "templates", root / "templates")
        (root / "config.yaml").write_text(
            f"schedule:\n  inbox_poll_seconds: {args.poll}\n  stable_seconds: {args.stable}\n",
            encoding="utf-8",
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "--config", str(root / "config.yaml"), "serve"],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "COLUMNS": "300"},
        )
        try:
            wait_for(process, "briefing service started", 60)
            delays = []
            for n in range(args.files):
                text = ARTICLE.read_text().replace("Riverton", f"Riverton{n}")
                target = root / "inbox" / f"drop{n}.txt"
                target.write_text(text, encoding="utf-8")
                landed = time.time()
                delays.append(wait_for(process, target.name, 60 + args.poll) - landed)
            print(
                f"poll {args.poll} s, stable {args.stable} s, {args.files} files: landing -> "
                f"ingested mean {statistics.mean(delays):.2f} s, min {min(delays):.2f} s, "
                f"max {max(delays):.2f} s"
            )
        finally:
            process.terminate()
            process.wait(timeout=60)


if __name__ == "__main__":
    main()
