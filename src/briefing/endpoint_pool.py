"""A pool of OpenAI-compatible servers (Ollama, llama.cpp's server, vLLM, LM Studio): requests
go round-robin; one that fails (connection refused, timeout, 429 or 5xx) is tried again on the
next endpoint after a back-off that doubles, at most `retries` times, and then `Unanswered`
tells the caller to fall back. A 4xx answer is a request no server will take (a wrong model
name, a bad key): a `ModelError` with the server's message. Used by the summary backend
(`summarise/backends/openai.py`) and the embedding server (`embedding/server_encoder.py`)."""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from briefing.config.servers import ServerPoolSettings
from briefing.errors import ModelError

log = logging.getLogger(__name__)


class Unanswered(ModelError):
    """Every attempt at a request failed: the caller falls back, and may ask again later."""


@dataclass
class PoolStats:
    """What the pool did: requests per endpoint, failures, and the most in flight at once."""

    requests: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    peak_in_flight: int = 0
    completion_tokens: int = 0


class EndpointPool:
    """Round-robin over the configured endpoints, with bounded retries and back-off."""

    def __init__(
        self,
        settings: ServerPoolSettings,
        section: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`section` names the settings' place in config.yaml, for messages."""
        if not settings.endpoints:
            raise ModelError(f"{section}.endpoints is empty")
        self.settings = settings
        self.section = section
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

    def _endpoint(self, failed: set[str]) -> str:
        """The next endpoint in turn, past those that already failed this request (other
        requests in flight move the turn too) unless every one has."""
        with self._lock:
            for _ in self.settings.endpoints:
                endpoint = next(self._next)
                if endpoint not in failed:
                    break
            return endpoint

    def _count(self, delta: int, endpoint: str | None = None) -> None:
        with self._lock:
            self._in_flight += delta
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self._in_flight)
            if endpoint:
                self.stats.requests[endpoint] = self.stats.requests.get(endpoint, 0) + 1

    def post(self, path: str, payload: dict[str, Any]) -> tuple[str, httpx.Response]:
        """The endpoint that answered `path` (e.g. "/chat/completions") and its 2xx answer;
        `Unanswered` once every attempt failed."""
        problems: list[str] = []
        failed: set[str] = set()
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.backoff_seconds * 2 ** (attempt - 1))
            endpoint = self._endpoint(failed)
            self._count(+1, endpoint)
            try:
                response = self.client.post(f"{endpoint}{path}", json=payload)
            except httpx.HTTPError as exc:
                problems.append(self._failed(endpoint, type(exc).__name__))
                failed.add(endpoint)
                continue
            finally:
                self._count(-1)
            if response.status_code == 429 or response.status_code >= 500:
                problems.append(self._failed(endpoint, f"HTTP {response.status_code}"))
                failed.add(endpoint)
                continue
            if response.status_code >= 400:  # a request the server will never take
                raise ModelError(
                    f"{endpoint} refused the request: HTTP {response.status_code} "
                    f"{response.text[:200]}"
                )
            return endpoint, response
        raise Unanswered("no endpoint answered: " + "; ".join(problems[-3:]))

    def count_tokens(self, completion_tokens: int) -> None:
        """Add a reply's generated tokens to the stats."""
        with self._lock:
            self.stats.completion_tokens += completion_tokens

    def _failed(self, endpoint: str, reason: str) -> str:
        """Count and log a failed attempt; the problem as the final error will list it."""
        with self._lock:
            self.stats.failures[endpoint] = self.stats.failures.get(endpoint, 0) + 1
        log.warning("%s: %s did not answer; trying the next", self.section, endpoint)
        return f"{endpoint}: {reason}"


def endpoints_down(settings: ServerPoolSettings) -> list[str]:
    """The endpoints of the pool that do not answer at all (`briefing doctor`)."""
    down = []
    for endpoint in settings.endpoints:
        try:
            httpx.get(f"{endpoint}/models", timeout=min(settings.timeout_seconds, 10))
            # Any HTTP answer means a server is there; the run says more if it refuses.
        except httpx.HTTPError as exc:
            down.append(f"{endpoint} ({type(exc).__name__})")
    return down
