"""Grouping at scale: a heavy reader's month, N generated articles over 30 days.

    python -m benchmarks.scale --articles 5000,20000,50000 [--json FILE]

Each size runs in a process of its own (its peak RSS is that process's). The inbox comes from
`generated_news` with every event's place, person and organisation its own (`varied`), about
four outlets per event. Vectors are kept in a SQLite store, as `briefing` keeps them. Printed
per size, in seconds: reading the files, embedding them, grouping them (embeddings stored),
the same grouping read back from a store; the stories and the peak RSS; and one more day of
2,000 articles: reading and embedding them and grouping the daily briefing's days (that day
and the schedule's `lookback_days` before it), then grouping the whole range with them.

`--run` first times `briefing run --from … --to …` end to end on a new store, with
`summary.stories: shown` (only the stories the page may show in full are summarised), then
the same run again with nothing new (the stories read back from the store, the summaries
cached), each in a process of its own, and that process's peak RSS. The measurements above
then take their vectors from the run's store instead of embedding the inbox a second time
(`embed_seconds` is then the time to read them back).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.generated_news import write_inbox

START = dt.date(2026, 10, 1)
DAYS = 30
ADD_DAY = 2000
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
RUN_DATABASE = "state/briefing.sqlite"


def _parse(paths: list[Path]) -> list[Any]:
    from briefing.config import Config
    from briefing.ingest import parse_article

    config = Config()
    return [parse_article(p, p.read_bytes(), p.stat().st_mtime, config) for p in paths]


def one_size(size: int, run: bool) -> dict[str, Any]:
    """The figures of one size, measured in this process."""
    from briefing.config import Config
    from briefing.embedding import configured_encoder
    from briefing.grouping import group_articles
    from briefing.similarity import article_vectors
    from briefing.store import Store

    config = Config()
    encoder = configured_encoder(config)
    figures: dict[str, Any] = {"articles": size, "vectors_from_run": run}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        inbox = root / "inbox"
        paths = write_inbox(inbox, size, days=DAYS, varied=True, start=START)
        runs = _run(root, inbox) if run else (None, None)
        figures["run_seconds"], figures["rerun_seconds"] = runs
        figures["run_peak_rss_mb"] = _children_peak_rss_mb() if run else None
        vectors = root / (RUN_DATABASE if run else "vectors.sqlite")
        with Store(vectors) as cache, Store(root / "groupings.sqlite") as store:
            started = time.perf_counter()
            articles = _parse(paths)
            figures["read_seconds"] = time.perf_counter() - started
            started = time.perf_counter()
            article_vectors(articles, encoder, config.grouping, cache)
            figures["embed_seconds"] = time.perf_counter() - started
            started = time.perf_counter()
            stories = group_articles(articles, config, encoder, cache, stored=store)
            figures["grouping_seconds"] = time.perf_counter() - started
            figures["stories"] = len(stories)
            started = time.perf_counter()
            group_articles(articles, config, encoder, cache, stored=store)
            figures["stored_seconds"] = time.perf_counter() - started
            figures.update(_add_day(root, size, articles, config, encoder, cache))
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def _add_day(
    root: Path, size: int, articles: list[Any], config: Any, encoder: Any, cache: Any
) -> dict[str, float]:
    """One more day of ADD_DAY articles: read, embedded and the daily briefing's days grouped;
    then the whole range grouped again with them."""
    from briefing.grouping import group_articles
    from briefing.similarity import article_vectors

    new = write_inbox(
        root / "day",
        ADD_DAY,
        seed=11,
        days=1,
        varied=True,
        start=START + dt.timedelta(days=DAYS),
        first_number=size,
    )
    figures = {}
    started = time.perf_counter()
    added = _parse(new)
    article_vectors(added, encoder, config.grouping, cache)
    first = START + dt.timedelta(days=DAYS - config.schedule.lookback_days)
    daily = [a for a in articles if a.date >= first] + added
    group_articles(daily, config, encoder, cache)
    figures["add_day_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    group_articles(articles + added, config, encoder, cache)
    figures["regroup_seconds"] = time.perf_counter() - started
    return figures


def _children_peak_rss_mb() -> float:
    """The largest peak RSS of the child processes waited for so far."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _run(root: Path, inbox: Path) -> tuple[float, float]:
    """`briefing run` over the 30 days from a new store, then again with nothing new (the
    stories read back, the summaries cached), each in a process of its own."""
    (root / "config.yaml").write_text(
        f"inbox: {inbox}\noutput_dir: briefings\ndatabase: {RUN_DATABASE}\n"
        f"summary:\n  stories: shown\nrender:\n  formats: [html, json]\n  templates: {TEMPLATES}\n",
        encoding="utf-8",
    )
    last = START + dt.timedelta(days=DAYS - 1)
    seconds = []
    for _ in range(2):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "briefing", "run", "--from", str(START), "--to", str(last)],
            cwd=root,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"briefing run failed ({done.returncode}): {done.stderr[-2000:]}")
        seconds.append(time.perf_counter() - started)
    return seconds[0], seconds[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="5000,20000,50000", help="sizes, comma-separated")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--run", action="store_true", help="also time `briefing run`")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a size, in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, args.run)))
        return
    results = []
    for size in (int(s) for s in args.articles.split(",")):
        command = [sys.executable, "-m", "benchmarks.scale", "--one", str(size)]
        output = subprocess.run(
            [*command, *(["--run"] if args.run else [])], check=True, capture_output=True, text=True
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        results.append(figures)
        per_article = 1000 * figures["grouping_seconds"] / size
        print(
            f"{size:>6} articles: read {figures['read_seconds']:.0f} s, embed "
            f"{figures['embed_seconds']:.0f} s, grouping {figures['grouping_seconds']:.1f} s "
            f"({per_article:.2f} ms an article), {figures['stories']} stories, peak RSS "
            f"{figures['peak_rss_mb']:.0f} MB, read back {figures['stored_seconds']:.1f} s; "
            f"one more day of {ADD_DAY}: {figures['add_day_seconds']:.0f} s (the whole range "
            f"again {figures['regroup_seconds']:.0f} s)"
            + (
                f"; briefing run {figures['run_seconds']:.0f} s (peak RSS "
                f"{figures['run_peak_rss_mb']:.0f} MB), again with nothing new "
                f"{figures['rerun_seconds']:.1f} s; the vectors above read from its store"
                if figures["run_seconds"]
                else ""
            ),
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
