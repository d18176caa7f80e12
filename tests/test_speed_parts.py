"""What makes repeated runs cheap: vectors kept in the store, models loaded only when needed,
and the generated inbox the speed benchmark times."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from benchmarks.generated_news import write_inbox
from tests.conftest import SEED_MOSCOW_TIMES, SEED_UPI
from tests.test_summarise_parts import WordEncoder

from briefing.config import Config
from briefing.embedding import CachedEncoder
from briefing.ingest import parse_article
from briefing.store import Store


class Counting(WordEncoder):
    def __init__(self, vocabulary: list[str]) -> None:
        super().__init__(vocabulary)
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        return super().encode(texts)


def test_cached_encoder_encodes_each_text_once_across_runs(tmp_path: Path) -> None:
    texts = ["Talks in Istanbul", "Strike at the port", "Talks in Istanbul"]
    inner = Counting(["talks", "istanbul", "strike", "port"])
    with Store(tmp_path / "s.sqlite") as store:
        first = CachedEncoder(inner, store).encode(texts)
    assert inner.encoded == ["Talks in Istanbul", "Strike at the port"]  # each text once
    with Store(tmp_path / "s.sqlite") as store:  # a later run, a new process in real life
        again = CachedEncoder(inner, store).encode(["Strike at the port", *texts])
    assert len(inner.encoded) == 2, "nothing encoded again"
    np.testing.assert_array_equal(again[1:], first)
    np.testing.assert_array_equal(again[0], first[1])


def run_in_new_process(config: Config) -> str:
    """`briefing run` for the seeds' days in a new Python process; says whether it loaded torch."""
    path = str(config.base_dir / "config.yaml")
    script = (
        "import sys; from briefing.cli import cli\n"
        "try:\n"
        f"    cli(['--config', {path!r}, 'run', '--from', '2022-03-28', '--to', '2022-03-30'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('loaded torch' if 'torch' in sys.modules else 'no torch')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip().splitlines()[-1]


def test_a_briefing_process_never_imports_torch(make_project, tmp_path) -> None:
    """The first run exports the embedding model for ONNX Runtime (torch runs in a child
    process for that); no run, new articles included, imports torch itself to embed, parse
    and summarise."""
    pytest.importorskip("llama_cpp")  # the transformers backend runs on torch by design
    config = make_project([SEED_UPI], summary={"model_cache_dir": str(tmp_path / "models")})
    assert run_in_new_process(config) == "no torch"  # the one-time export: a child process
    assert list((tmp_path / "models" / "onnx").glob("*/model.onnx"))
    shutil.copy(SEED_MOSCOW_TIMES, config.inbox)
    assert run_in_new_process(config) == "no torch"  # a new article: embedded, summarised
    assert run_in_new_process(config) == "no torch"  # nothing new


def test_the_generated_inbox_is_dated_named_and_grouped_by_outlet(tmp_path: Path) -> None:
    paths = write_inbox(tmp_path, 30)
    assert len(paths) == 30 and write_inbox(tmp_path / "again", 30)[0].read_text() == (
        paths[0].read_text()
    )
    articles = [parse_article(p, p.read_bytes(), 0.0, Config()) for p in paths]
    assert all(a.date_source == "text" and a.outlet and a.byline for a in articles)
    stories = {p.name.split("_")[0] for p in paths}
    assert 5 <= len(stories) <= 12  # several outlets per story


def test_the_overhead_benchmark_counts_a_nested_stage_once() -> None:
    # Own time: a stage timed inside another is taken out of the outer one.
    from benchmarks.overhead import Stages

    ticks = iter(range(100))
    stages = Stages(clock=lambda: float(next(ticks)))
    inner = stages.wrap("inner", lambda: "done")
    outer = stages.wrap("outer", lambda: [inner(), inner()])
    assert outer() == ["done", "done"]
    # outer runs from tick 0 to 5; the inner calls from 1 to 2 and from 3 to 4.
    assert stages.own == {"inner": 2.0, "outer": 3.0}


def test_the_speed_benchmark_prints_each_regression_line_against_its_figure(capsys) -> None:
    from benchmarks.speed import Row, SizeResult, regression_lines

    rows = [
        Row("briefing cold (new process)", 10.0),
        Row("briefing cold store, models cached", 8.0),
        Row("bare limit (model calls)", 5.0),
        Row("incremental +1 (new process)", 2.6),
        Row("incremental +1 (new process, served)", 0.4),
    ]
    regression_lines([SizeResult(100, rows)])
    printed = capsys.readouterr().out
    assert "all but the model's calls  3.0 s" in printed and "holds" in printed
    assert "+1 article, new process    2.6 s" in printed and "OVER" in printed
    assert "+1 article, through serve  4% of cold" in printed
