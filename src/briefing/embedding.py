"""Sentence embeddings (all-MiniLM-L6-v2 by default): transformers encoder + mean pooling."""

from __future__ import annotations

import functools
import logging
from typing import Protocol

import numpy as np

from briefing.errors import ModelError
from briefing.modelfiles import resolve_model

log = logging.getLogger(__name__)


class Encoder(Protocol):
    """What grouping, sections and the summariser need of an embedding model."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


class SentenceEncoder:
    """Encodes texts into L2-normalised vectors, so a dot product is the cosine similarity."""

    def __init__(self, spec: str, max_length: int = 256, batch_size: int = 32) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a sub-second load; its bar is noise in CLI output
        source = resolve_model(spec)
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(source.name_or_path)
            self._model = AutoModel.from_pretrained(source.name_or_path).eval()
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load embedding model {spec!r}: {exc}") from exc
        self._torch = torch
        self.name = source.display_name
        self.max_length = max_length
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        chunks = []
        for start in range(0, len(texts), self.batch_size):
            batch = self._tokenizer(
                texts[start : start + self.batch_size],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="pt",
            )
            with torch.inference_mode():
                hidden = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            chunks.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
        if not chunks:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.concatenate(chunks).astype(np.float32)

    @property
    def dimension(self) -> int:
        return int(self._model.config.hidden_size)


@functools.cache
def get_encoder(spec: str) -> SentenceEncoder:
    """One encoder per model spec and process: loading costs seconds, encoding milliseconds."""
    log.info("loading embedding model %s", spec)
    return SentenceEncoder(spec)
