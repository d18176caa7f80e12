"""Where a cold run's time goes besides generation: one `briefing run` (store empty, models
cached: the everyday cold case) in a new process on a generated inbox of N articles, its stages
timed by wrapping the pipeline's own functions. Prints a table; asserts nothing.

    python -m benchmarks.overhead              # N = 100
    python -m benchmarks.overhead --n 300 --repeat 2
    python -m benchmarks.overhead --plus-one   # a run after one new article (the store kept)

Each stage's time is its own: a stage timed inside another (the embeddings inside grouping, the
backend's calls inside the summariser) is not counted twice. "backend calls" is the bare limit
of benchmarks/speed.py (the generator's compress/generate calls); everything else is the
project's overhead, which issue 11 wants at most 15 % of it.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.speed import FIRST_DAY, LAST_DAY, add_article, make_project, table

BACKEND_CALLS = "backend calls (bare limit)"


class Stages:
    """Own (exclusive) wall time per label of the functions it wraps."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.own: dict[str, float] = defaultdict(float)
        self._nested: list[float] = []  # per open call: time of the timed calls inside it

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._nested.append(0.0)
            started = self.clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent = self.clock() - started
                self.own[label] += spent - self._nested.pop()
                if self._nested:
                    self._nested[-1] += spent

        return timed

    def patch(self, label: str, owner: Any, name: str) -> None:
        setattr(owner, name, self.wrap(label, getattr(owner, name)))


def child(config_path: Path) -> None:
    """One timed run in this (new) process; prints {stage: seconds} as JSON."""
    started = time.perf_counter()
    import briefing.cli  # noqa: F401 - what `briefing run` imports before it works
    import briefing.embedding as embedding
    import briefing.embedding.onnx_encoder as onnx_encoder
    import briefing.pipeline as pipeline
    import briefing.summarise.compressor as compressor
    import briefing.summarise.summariser as summarise
    from briefing.config import load_config
    from briefing.daterange import DateRange
    from briefing.summarise.parser import SentenceParser

    stages = Stages()
    stages.own["imports"] = time.perf_counter() - started
    stages.patch("ingest (parse and store files)", pipeline, "ingest_inbox")
    stages.patch("grouping (without embeddings)", pipeline, "group_articles")
    stages.patch("embedding model load", embedding, "get_encoder")
    stages.patch("embeddings (grouping, ranking, sections)", embedding, "encode_shortest_first")
    stages.patch("embeddings (grouping, ranking, sections)", onnx_encoder, "encode_shortest_first")
    stages.patch("continuity (earlier briefings)", pipeline, "mark_stories")
    stages.patch("summariser (ranking, guard, cache)", summarise.Summariser, "summarise_all")
    stages.patch("parser load (spaCy)", compressor, "get_parser")
    stages.patch("sentence parsing (deletion plans)", SentenceParser, "plans")
    stages.patch("render and write", pipeline, "briefing_view")
    stages.patch("render and write", pipeline, "deliver_briefing")
    load_model = stages.wrap("summary model load", summarise.get_model)

    def get_model(*args: Any) -> Any:
        generator = load_model(*args)
        for method in ("compress", "generate"):
            if not hasattr(getattr(generator, method), "__wrapped__"):
                setattr(generator, method, stages.wrap(BACKEND_CALLS, getattr(generator, method)))
        return generator

    setattr(summarise, "get_model", get_model)  # noqa: B010 - mypy: another signature
    run = stages.wrap("store, locks and the rest", pipeline.run_briefing)
    run(load_config(config_path), DateRange(FIRST_DAY, LAST_DAY))
    stages.own["total"] = time.perf_counter() - started
    print(json.dumps(stages.own))


def timed_run(config_path: Path, plus_one: bool = False) -> dict[str, float]:
    """The stages of one cold run (a new store, the models cached) in a new process; with
    `plus_one`, of a run after one new article, from the store `keep_store` kept."""
    folder = config_path.parent
    for made in ("state", "briefings"):
        shutil.rmtree(folder / made, ignore_errors=True)
        if plus_one:
            shutil.copytree(folder / f"{made}.kept", folder / made)
    if plus_one:
        for added in (folder / "inbox").glob("new*"):
            added.unlink()
        add_article(folder, sum(1 for _ in (folder / "inbox").iterdir()), 1)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.overhead", "--child", str(config_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise SystemExit(f"the timed run failed:\n{done.stderr[-3000:]}")
    stages: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return stages


def keep_store(config_path: Path) -> None:
    """Keep the store and briefings of the run just made, for the runs after one article."""
    folder = config_path.parent
    for made in ("state", "briefings"):
        shutil.copytree(folder / made, folder / f"{made}.kept")


def report(n: int, runs: list[dict[str, float]], what: str) -> None:
    bare = [r.get(BACKEND_CALLS, 0.0) for r in runs]

    def cells(seconds: list[float]) -> list[str]:
        return [
            f"{s:.2f} s ({s / b:.0%})" if b else f"{s:.2f} s"
            for s, b in zip(seconds, bare, strict=True)
        ]

    labels = [label for label in runs[0] if label not in ("total", BACKEND_CALLS)]
    rows = [
        [label, *cells([r.get(label, 0.0) for r in runs])]
        for label in sorted(labels, key=lambda label: -runs[0][label])
    ]
    overhead = [r["total"] - b for r, b in zip(runs, bare, strict=True)]
    rows.append(["overhead (all but the backend)", *cells(overhead)])
    rows.append([BACKEND_CALLS, *[f"{b:.2f} s" for b in bare]])
    rows.append(["total (new process)", *[f"{r['total']:.2f} s" for r in runs]])
    print(f"\n{what}, N = {n}: own time per stage (% of the backend calls)")
    table(rows, ["stage", *[f"run {i + 1}" for i in range(len(runs))]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="articles in the generated inbox")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs")
    parser.add_argument("--backend", default="auto", help="summary.backend")
    parser.add_argument(
        "--plus-one", action="store_true", help="time runs after one new article instead"
    )
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="briefing-overhead-") as scratch:
        config_path = make_project(Path(scratch), args.n, args.backend)
        timed_run(config_path)  # fills the model cache (the ONNX export), untimed
        if args.plus_one:
            keep_store(config_path)
        runs = [timed_run(config_path, args.plus_one) for _ in range(args.repeat)]
        what = "one new article, in a new process" if args.plus_one else "cold run, models cached"
        report(args.n, runs, what)


if __name__ == "__main__":
    main()
