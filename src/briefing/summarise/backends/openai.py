"""openai backend: any OpenAI-compatible chat endpoint (Ollama, llama.cpp's server, vLLM,
LM Studio), or a pool of them used round-robin.

Requests go round-robin with retries (`briefing.endpoint_pool`); once every attempt failed,
`BackendUnavailable` makes the story quote extracts, and the next story tries the pool again.
At most `concurrency` requests are in flight at once: the sentences of a story are
compressed in parallel. Compression sends a GBNF grammar of the allowed deletions where the
server takes one (`grammar: true`, llama.cpp) and always projects the reply onto the
sentence, so no backend can add a word the source does not have.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from briefing.config.servers import ServerPoolSettings
from briefing.endpoint_pool import EndpointPool, Unanswered, endpoints_down
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


class OpenAISettings(ServerPoolSettings):
    """`summary.openai`: an OpenAI-compatible server or a pool of them."""

    # compress: send a GBNF grammar of the allowed deletions (llama.cpp servers take one);
    # without it the reply is projected onto the sentence (only its words, in order, stay).
    grammar: bool = True


def chat(pool: EndpointPool, payload: dict[str, Any]) -> str:
    """The text of the pool's chat completion; `BackendUnavailable` (the story quotes
    extracts) when no endpoint answered or the answer is not a chat completion."""
    try:
        endpoint, response = pool.post("/chat/completions", payload)
    except Unanswered as exc:
        raise BackendUnavailable(str(exc)) from exc
    try:
        body = response.json()
        text = body["choices"][0]["message"]["content"] or ""
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BackendUnavailable(f"{endpoint} sent a reply that is not a chat completion") from exc
    usage = body.get("usage") or {}
    pool.count_tokens(int(usage.get("completion_tokens") or 0))
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
        return cls(settings, EndpointPool(settings, "summary.openai"))

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
        return chat(self.pool, payload).strip()

    def _compress_one(
        self, prompt: tuple[str, str], plan: DeletionPlan, settings: CompressionSettings
    ) -> list[Compression]:
        payload = self._payload(*prompt, TOKENS_PER_WORD * len(plan.words) + 8)
        if self.settings.grammar:
            payload["grammar"] = grammar(plan, word_budget(plan, settings))
        kept = project(plan, chat(self.pool, payload))
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
    down = endpoints_down(settings)
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
