"""Embeddings served by OpenAI-compatible servers (`grouping.embedding_server`: llama.cpp's
server, Ollama, vLLM, ... at `/v1/embeddings`), for inboxes that arrive by the thousand.

The servers must serve the embedding model itself, so that their vectors and the local
model's are one model's and share its cache: before its first use the encoder embeds three
test sentences and a paragraph longer than the model's window both ways, and refuses a server
whose vectors are not within cosine SAME_MODEL_COSINE of the local ones (another model,
another pooling, a server that reads fewer tokens) with a `ModelError`.
Each text is cut to the part the local model reads (MAX_TOKENS of its own tokenizer) before it
is sent, so a long text gets the vector it would get here; the server's vectors are
L2-normalised here, whatever the server does.

Fallback, as for the summary backend: requests go round-robin with retries
(`briefing.endpoint_pool`); a request no endpoint answered is embedded by the local model, and
so is the rest of that `encode` call (no further request waits out the retries); the next call
asks the servers again. A run therefore never stops for a server, only slows down, and says so
in a warning. tests/test_embedding_server.py runs it against real llama.cpp servers."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from briefing.config.servers import EmbeddingServerSettings
from briefing.embedding import Encoder
from briefing.embedding.batching import MAX_TOKENS, in_text_order
from briefing.endpoint_pool import EndpointPool, Unanswered
from briefing.errors import ModelError

log = logging.getLogger(__name__)

SECTION = "grouping.embedding_server"
# The least cosine between a server's vectors and the local model's for the same test
# sentences: the int8 copy's vectors are at 0.998 of float32's, another model's far below.
SAME_MODEL_COSINE = 0.99
# A paragraph longer than the model's window (about 290 word pieces): a server that reads
# less of it than the local model (a smaller batch) gives a vector at cosine 0.95 or below.
PARAGRAPH = (
    "Talks between the two governments resumed in Geneva on Tuesday after a pause of three "
    "months. Negotiators said the first session dealt with prisoner exchanges and the reopening "
    "of border crossings. Separately, the national weather service warned of heavy snow across "
    "the northern provinces, where schools will stay closed until Friday and several regional "
    "flights have been cancelled. In markets, the currency slipped against the dollar while "
    "shares of mining companies rose on higher copper prices. The health ministry reported a "
    "rise in influenza cases among children and urged parents to book vaccinations early. "
    "Meanwhile the football federation confirmed that the national team's coach will remain in "
    "charge for the qualifiers, despite two defeats in the autumn friendlies and growing "
    "criticism from supporters and former players. A court in the capital adjourned the "
    "corruption trial of a former transport minister until next month. Scientists at the "
    "national observatory announced the discovery of a comet that will be visible without a "
    "telescope in March. The city council approved a budget that raises spending on buses and "
    "trams and freezes the fees for parking permits. Farmers in the south protested against new "
    "water rules, blocking a motorway with tractors for several hours on Monday. An art museum "
    "reopened after a renovation that took four years and revealed frescoes hidden under layers "
    "of plaster. Police arrested two men suspected of stealing copper cable from railway lines, "
    "which had delayed trains for days. The opposition leader called for early elections after "
    "the coalition lost a vote on pension reform in parliament."
)
PROBE = (
    "The central bank raised interest rates by a quarter of a percentage point on Wednesday.",
    "Firefighters contained the wildfire after it destroyed 40 homes north of the city.",
    "The striker scored twice as the home side won the cup final 3-1.",
    PARAGRAPH,
)


class ServerEncoder:
    """An `Encoder` whose vectors come from a pool of embedding servers, with the local model
    (same name, same vectors within SAME_MODEL_COSINE) where no server answers."""

    def __init__(
        self,
        settings: EmbeddingServerSettings,
        local: Encoder,
        tokenizer_file: Path | None,
        pool: EndpointPool | None = None,
    ) -> None:
        self.settings = settings
        self.local = local
        self.name = local.name
        self.pool = pool or EndpointPool(settings, SECTION)
        self.tokenizer_file = tokenizer_file
        self._tokenizer: Any = None
        self._cosine: float | None = None  # the servers' agreement, once checked
        self._lock = threading.Lock()
        self._workers = ThreadPoolExecutor(max_workers=settings.concurrency)
        self.served_texts = 0  # texts the servers embedded
        self.local_texts = 0  # texts embedded here because no server answered

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors of `texts`, one row each (each distinct text sent once)."""
        distinct = list(dict.fromkeys(texts))
        if not distinct:
            return self.local.encode([])
        try:
            self.check()
        except Unanswered as exc:
            return self._here(distinct, texts, exc)
        batches = [
            distinct[i : i + self.settings.batch_size]
            for i in range(0, len(distinct), self.settings.batch_size)
        ]
        gave_up = threading.Event()
        jobs = [self._workers.submit(self._served, batch, gave_up) for batch in batches]
        rows, problem = [], None
        for batch, job in zip(batches, jobs, strict=True):
            try:
                rows.append(job.result())
                self.served_texts += len(batch)
            except Unanswered as exc:
                problem = problem or exc
                rows.append(self.local.encode(batch))
                self.local_texts += len(batch)
        if problem:
            self._warn(problem)
        return in_text_order(distinct, np.vstack(rows), texts)

    def check(self) -> float:
        """The least cosine of the servers' vectors to the local model's for PROBE, checked
        once: `ModelError` below SAME_MODEL_COSINE, `Unanswered` where no server answers."""
        with self._lock:
            if self._cosine is not None:
                return self._cosine
            served = self._request(list(PROBE))
            local = self.local.encode(list(PROBE))
            if served.shape != local.shape:
                raise ModelError(
                    f"{SECTION}: the server's vectors have {served.shape[1]} dimensions, "
                    f"{self.name}'s {local.shape[1]}: serve the same model, or remove {SECTION}"
                )
            cosine = float((served * local).sum(axis=1).min())
            if cosine < SAME_MODEL_COSINE:
                raise ModelError(
                    f"{SECTION}: the server's vectors are not {self.name}'s (cosine {cosine:.3f} "
                    f"on test texts, at least {SAME_MODEL_COSINE} needed): serve the same model "
                    f"with mean pooling and batches of at least {MAX_TOKENS} tokens, or remove "
                    f"{SECTION}"
                )
            self._cosine = cosine
            return cosine

    def _served(self, batch: list[str], gave_up: threading.Event) -> np.ndarray:
        if gave_up.is_set():  # an earlier request of this call found no server
            raise Unanswered("skipped: an earlier request was not answered")
        try:
            return self._request(batch)
        except Unanswered:
            gave_up.set()
            raise

    def _request(self, texts: list[str]) -> np.ndarray:
        """The servers' L2-normalised vectors of `texts` (cut to what the local model reads)."""
        payload = {"model": self.settings.model, "input": self._within_window(texts)}
        endpoint, response = self.pool.post("/embeddings", payload)
        try:
            data = sorted(response.json()["data"], key=lambda item: item["index"])
            vectors = np.array([item["embedding"] for item in data], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as exc:
            raise Unanswered(f"{endpoint} sent a reply that is not a list of embeddings") from exc
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise Unanswered(f"{endpoint} sent {len(vectors)} vectors for {len(texts)} texts")
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def _within_window(self, texts: list[str]) -> list[str]:
        """Each text cut after the last word piece the local model reads of it."""
        if self.tokenizer_file is None:
            return texts
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.tokenizer_file))
            tokenizer.enable_truncation(MAX_TOKENS)
            self._tokenizer = tokenizer
        cut = []
        for text, encoding in zip(texts, self._tokenizer.encode_batch(texts), strict=True):
            marks = zip(encoding.offsets, encoding.special_tokens_mask, strict=True)
            ends = [end for (_, end), special in marks if not special]
            cut.append(text[: max(ends)] if encoding.overflowing and ends else text)
        return cut

    def _here(self, distinct: list[str], texts: list[str], problem: Unanswered) -> np.ndarray:
        self._warn(problem)
        self.local_texts += len(distinct)
        return in_text_order(distinct, self.local.encode(distinct), texts)

    def _warn(self, problem: Unanswered) -> None:
        log.warning("%s did not answer (%s): embedding here instead, more slowly", SECTION, problem)
