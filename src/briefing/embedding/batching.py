"""What the embedding runtimes share: how many tokens and texts, how vectors are pooled and
named, and how texts are batched shortest first. It imports nothing else of `embedding`, so
the torch and ONNX Runtime encoders can both use it without importing each other."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

# Tokens read of each text (all-MiniLM-L6-v2 was trained on up to 256), and texts per batch.
MAX_TOKENS = 256
BATCH_SIZE = 32
# Characters per batch: many long texts in one batch encode slower per text than a few, with
# the same vectors (benchmarks/speed.py times the embeddings; docs/benchmarks.md has figures).
BATCH_CHARS = 1500


# What names the int8 copy's vectors (their earlier, per-tensor copy's were "+int8").
INT8_SUFFIX = "+int8/token"


def encoder_name(model: str, int8: bool) -> str:
    """The name vectors are cached under: the model, and INT8_SUFFIX for its quantised copy
    (its vectors differ from float32's in the third decimal, so the two are never mixed)."""
    return model + INT8_SUFFIX if int8 else model


def mean_pooled(hidden: Any, attention_mask: Any) -> Any:
    """Sentence vectors from a torch encoder's token states: the mean over the real tokens,
    L2-normalised. The ONNX export traces this same function into its graph."""
    import torch

    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


class BatchEncoder(Protocol):
    """An embedding runtime that encodes one padded batch at a time."""

    @property
    def dimension(self) -> int:
        """The length of the vectors."""

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """The vectors of one batch of texts."""


def _batches(
    order: list[int], lengths: list[int], batch_size: int, batch_chars: int
) -> list[list[int]]:
    """`order` cut into batches of at most `batch_size` texts and, past the first text of a
    batch, `batch_chars` characters."""
    batches: list[list[int]] = []
    chars = 0
    for i in order:
        if not batches or len(batches[-1]) == batch_size or chars + lengths[i] > batch_chars:
            batches.append([])
            chars = 0
        batches[-1].append(i)
        chars += lengths[i]
    return batches


def encode_shortest_first(
    encoder: BatchEncoder, texts: list[str], batch_size: int, batch_chars: int = BATCH_CHARS
) -> np.ndarray:
    """Vectors of `texts`, in their order. Each distinct text is encoded once (outlets that
    carry the same wire copy share many sentences: a third of a story's, in the speed
    benchmark's inbox), shortest first, so a batch pads to similar lengths (twice as fast on
    mixed sentences; the same vectors)."""
    distinct = list(dict.fromkeys(texts))
    if not distinct:
        return np.zeros((0, encoder.dimension), dtype=np.float32)
    order = sorted(range(len(distinct)), key=lambda i: len(distinct[i]))
    vectors = np.empty((len(distinct), encoder.dimension), dtype=np.float32)
    for chosen in _batches(order, [len(t) for t in distinct], batch_size, batch_chars):
        vectors[chosen] = encoder.encode_batch([distinct[i] for i in chosen])
    return in_text_order(distinct, vectors, texts)


def in_text_order(distinct: list[str], vectors: np.ndarray, texts: list[str]) -> np.ndarray:
    """The rows of `vectors` (one per text of `distinct`) for each of `texts` in turn."""
    if len(distinct) == len(texts):
        return vectors
    row = {text: i for i, text in enumerate(distinct)}
    return vectors[[row[text] for text in texts]]
