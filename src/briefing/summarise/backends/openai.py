"""openai backend: any OpenAI-compatible chat endpoint (Ollama, llama.cpp's server, vLLM,
LM Studio), or a pool of them used round-robin.

Each request goes to the next endpoint of the pool; a request that fails (connection refused,
timeout, 429 or 5xx) is tried again on the next endpoint after a back-off that doubles, at
most `retries` times; then `BackendUnavailable` makes the story quote extracts, and the next
story tries the pool again. At most `concurrency` requests are in flight at once: the
sentences of a story are compressed in parallel. Compression sends a GBNF grammar of the
allowed deletions where the server takes one (`grammar: true`, llama.cpp) and always projects
the reply onto the sentence, so no backend can add a word the source does not have.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import Field, field_validator

from briefing.config.base import Section
from briefing.errors import ModelError
from briefing.summarise.backends import (
    Backend,
    BackendUnavailable,
    Capabilities,
    GenerationSettings,
    Health,
)
from briefing.summarise.backends.constrain import grammar, project
from briefing.summarise.compress import Compression, CompressionSettings, word_budget
from briefing.summarise.plan import DeletionPlan

log = logging.getLogger(__name__)

# Tokens to allow per source word when asking for a compression (words split into tokens).
TOKENS_PER_WORD = 3


class OpenAISettings(Section):
    """`summary.openai`: an OpenAI-compatible server or a pool of them."""

    # Base URLs up to /v1, e.g. http://127.0.0.1:8080/v1; several are used round-robin.
    endpoints: list[str] = []
    model: str = "default"
    # The name of the environment variable that holds the API key (none needed if unset).
    api_key_env: str = "OPENAI_API_KEY"
    timeout_seconds: float = Field(60, gt=0, le=3600)
    # A failed request is tried again this many times, on the next endpoint, after a back-off
    # that doubles from backoff_seconds; then the story quotes extracts.
    retries: int = Field(2, ge=0, le=10)
    backoff_seconds: float = Field(0.5, ge=0, le=600)
    # Requests in flight at once (across the pool).
    concurrency: int = Field(2, ge=1, le=64)
    # compress: send a GBNF grammar of the allowed deletions (llama.cpp servers take one);
    # without it the reply is projected onto the sentence (only its words, in order, stay).
    grammar: bool = True

    @field_validator("endpoints")
    @classmethod
    def _http_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"endpoint {url!r} is not an http(s) URL")
        return [url.rstrip("/") for url in value]


@dataclass
class PoolStats:
    """What the pool did: requests per endpoint, failures, and the most in flight at once."""

    requests: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    peak_in_flight: int = 0
    completion_tokens: int = 0


class EndpointPool:
    """Round-robin over the configured endpoints, with bounded retries and back-off."""

    def __init__(self, settings: OpenAISettings, transport: httpx.BaseTransport | None = None):
        if not settings.endpoints:
            raise ModelError("summary.backend is openai but summary.openai.endpoints is empty")
        self.settings = settings
        key = os.environ.get(settings.api_key_env, "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(settings.timeout_seconds),
            transport=transport,
            limits=httpx.Limits(max_connections=settings.concurrency),
        )
        self._next = itertools.cycle(settings.endpoints)
        self._lock = threading.Lock()
        self._in_flight = 0
        self.stats = PoolStats()

    def _endpoint(self) -> str:
        with self._lock:
            return next(self._next)

    def _count(self, delta: int, endpoint: str | None = None) -> None:
        with self._lock:
            self._in_flight += delta
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self._in_flight)
            if endpoint:
                self.stats.requests[endpoint] = self.stats.requests.get(endpoint, 0) + 1

    def chat(self, payload: dict[str, Any]) -> str:
        """The reply's text; `BackendUnavailable` once every attempt failed."""
        problems: list[str] = []
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.backoff_seconds * 2 ** (attempt - 1))
            endpoint = self._endpoint()
            self._count(+1, endpoint)
            try:
                response = self.client.post(f"{endpoint}/chat/completions", json=payload)
            except httpx.HTTPError as exc:
                problems.append(self._failed(endpoint, type(exc).__name__))
                continue
            finally:
                self._count(-1)
            if response.status_code == 429 or response.status_code >= 500:
                problems.append(self._failed(endpoint, f"HTTP {response.status_code}"))
                continue
            if response.status_code >= 400:  # a request the server will never take
                raise ModelError(
                    f"{endpoint} refused the request: HTTP {response.status_code} "
                    f"{response.text[:200]}"
                )
            return self._text(endpoint, response)
        raise BackendUnavailable("no endpoint answered: " + "; ".join(problems[-3:]))

    def _failed(self, endpoint: str, reason: str) -> str:
        """Count and log a failed attempt; the problem as the final error will list it."""
        with self._lock:
            self.stats.failures[endpoint] = self.stats.failures.get(endpoint, 0) + 1
        log.warning("summary server %s did not answer; trying the next", endpoint)
        return f"{endpoint}: {reason}"

    def _text(self, endpoint: str, response: httpx.Response) -> str:
        try:
            body = response.json()
            text = body["choices"][0]["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise BackendUnavailable(
                f"{endpoint} sent a reply that is not a chat completion"
            ) from exc
        usage = body.get("usage") or {}
        with self._lock:
            self.stats.completion_tokens += int(usage.get("completion_tokens") or 0)
        return str(text)


class OpenAIModel:
    """The SummaryModel interface over an endpoint pool."""

    def __init__(self, settings: OpenAISettings, pool: EndpointPool) -> None:
        self.settings = settings
        self.pool = pool
        self.name = f"{settings.model} via an OpenAI-compatible server"
        self._workers = ThreadPoolExecutor(max_workers=settings.concurrency)

    @classmethod
    def from_config(cls, settings: OpenAISettings) -> OpenAIModel:
        """A generator for the configured endpoints."""
        return cls(settings, EndpointPool(settings))

    def _payload(self, system: str, user: str, max_tokens: int) -> dict[str, Any]:
        return {
            "model": self.settings.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": 0,
            "max_tokens": max_tokens,
        }

    def generate(self, system: str, user: str, settings: GenerationSettings) -> str:
        """The server's greedy reply (its own repetition handling applies)."""
        payload = self._payload(system, user, settings.max_new_tokens)
        return self.pool.chat(payload).strip()

    def _compress_one(
        self, prompt: tuple[str, str], plan: DeletionPlan, settings: CompressionSettings
    ) -> list[Compression]:
        payload = self._payload(*prompt, TOKENS_PER_WORD * len(plan.words) + 8)
        if self.settings.grammar:
            payload["grammar"] = grammar(plan, word_budget(plan, settings))
        kept = project(plan, self.pool.chat(payload))
        if kept is None:
            return []
        return [Compression(plan, kept, 0.0)]

    def compress(
        self,
        prompts: Sequence[tuple[str, str]],
        plans: Sequence[DeletionPlan],
        settings: CompressionSettings,
    ) -> list[list[Compression]]:
        """One request per sentence, `concurrency` at a time; each reply projected onto its
        sentence (so it only deletes)."""
        jobs = [
            self._workers.submit(self._compress_one, prompt, plan, settings)
            for prompt, plan in zip(prompts, plans, strict=True)
        ]
        return [job.result() for job in jobs]


def check_servers(settings: OpenAISettings) -> Health:
    """Every endpoint of the pool answers (`briefing doctor`)."""
    down = []
    for endpoint in settings.endpoints:
        try:
            httpx.get(f"{endpoint}/models", timeout=min(settings.timeout_seconds, 10))
            # Any HTTP answer means a server is there; the run says more if it refuses.
        except httpx.HTTPError as exc:
            down.append(f"{endpoint} ({type(exc).__name__})")
    if down or not settings.endpoints:
        return Health(
            False,
            "not answering: " + ", ".join(down) if down else "no endpoints configured",
            "start the server or fix summary.openai.endpoints in config.yaml; stories whose "
            "server does not answer quote extracts",
        )
    return Health(True, f"{len(settings.endpoints)} server(s) answer")


BACKEND = Backend(
    settings=OpenAISettings,
    load=lambda spec, settings, cache_dir: OpenAIModel.from_config(settings),
    capabilities=Capabilities(in_process=False, grammar=True, batching=True),
    runtime_settings=frozenset(
        {"endpoints", "api_key_env", "timeout_seconds", "retries", "backoff_seconds", "concurrency"}
    ),
    check=check_servers,
)
