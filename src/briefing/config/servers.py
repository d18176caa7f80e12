"""Settings of a pool of OpenAI-compatible servers, shared by the summary backend
(`summary.openai`) and the embedding server (`grouping.embedding_server`)."""

from __future__ import annotations

from pydantic import Field, field_validator

from briefing.config.base import Section


class ServerPoolSettings(Section):
    """OpenAI-compatible servers used round-robin, with retries and back-off."""

    # Base URLs up to /v1, e.g. http://127.0.0.1:8080/v1; several are used round-robin.
    endpoints: list[str] = []
    model: str = "default"
    # The name of the environment variable that holds the API key (none needed if unset).
    api_key_env: str = "OPENAI_API_KEY"
    timeout_seconds: float = Field(60, gt=0, le=3600)
    # A failed request is tried again this many times, on the next endpoint, after a back-off
    # that doubles from backoff_seconds; then the work falls back (see each user).
    retries: int = Field(2, ge=0, le=10)
    backoff_seconds: float = Field(0.5, ge=0, le=600)
    # Requests in flight at once (across the pool).
    concurrency: int = Field(2, ge=1, le=64)

    @field_validator("endpoints")
    @classmethod
    def _http_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"endpoint {url!r} is not an http(s) URL")
        return [url.rstrip("/") for url in value]


class EmbeddingServerSettings(ServerPoolSettings):
    """`grouping.embedding_server`: servers of the embedding model's `/v1/embeddings`."""

    # Texts sent in one request.
    batch_size: int = Field(64, ge=1, le=2048)
