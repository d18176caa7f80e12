"""Sentence embeddings (all-MiniLM-L6-v2 by default): mean-pooled, L2-normalised vectors, from
ONNX Runtime where installed (`onnx_encoder`), else transformers on torch."""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path
from typing import Protocol

import numpy as np

from briefing.config import Config
from briefing.embedding.batching import (
    BATCH_SIZE,
    INT8_SUFFIX,
    MAX_TOKENS,
    encode_shortest_first,
    encoder_name,
    mean_pooled,
)
from briefing.errors import ModelError
from briefing.modelfiles import ModelSource, resolve_model

log = logging.getLogger(__name__)


class Encoder(Protocol):
    """What grouping, sections and the summariser need of an embedding model."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors of `texts`, one row each."""


class SentenceEncoder:
    """Encodes texts into L2-normalised vectors, so a dot product is the cosine similarity."""

    def __init__(
        self, spec: str, max_length: int = MAX_TOKENS, batch_size: int = BATCH_SIZE
    ) -> None:
        source = resolve_model(spec)  # first: it keeps transformers offline
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a sub-second load; its bar is noise in CLI output
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
        """L2-normalised vectors of `texts`, one row each."""
        return encode_shortest_first(self, texts, self.batch_size)

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """The vectors of one batch of texts."""
        torch = self._torch
        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
        return np.asarray(mean_pooled(hidden, batch["attention_mask"]).numpy(), np.float32)

    @property
    def dimension(self) -> int:
        """The length of the vectors."""
        return int(self._model.config.hidden_size)


class VectorCache(Protocol):
    """Where vectors are kept between runs, by id and model (the store)."""

    def embeddings(self, article_ids: list[str], model: str) -> dict[str, np.ndarray]:
        """The stored vectors of these ids for `model` (those it has)."""

    def save_embeddings(self, vectors: dict[str, np.ndarray], model: str) -> None:
        """Store vectors by id for `model`."""


class LazyEncoder:
    """The configured embedding model, loaded on its first `encode` (a run whose vectors are
    all cached never loads it, nor torch)."""

    def __init__(
        self, spec: str, cache_dir: Path, int8: bool = False, loaded: Encoder | None = None
    ) -> None:
        self.spec = spec
        self.cache_dir = cache_dir
        self.int8 = int8
        self.name = encoder_name(resolve_model(spec).display_name, int8)
        self._loaded = loaded  # where the model had to be loaded to know the name

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors of `texts`, one row each."""
        encoder = self._loaded or get_encoder(self.spec, self.cache_dir, self.int8)
        if encoder.name != self.name:
            # Vectors are cached under self.name: another model's must never be stored there.
            raise ModelError(
                f"embedding model {self.spec!r}: asked for {self.name}, got {encoder.name} "
                "(the int8 copy could not be made: see the warning above); set "
                "grouping.embedding_int8: false"
            )
        return encoder.encode(texts)


def int8_wanted(setting: bool | str, source: ModelSource) -> bool:
    """Whether `grouping.embedding_int8` asks for the int8 copy: auto where the copy can be
    made (ONNX Runtime and onnx installed, a fast tokenizer) and this CPU runs it exactly."""
    if setting != "auto":
        return bool(setting)
    from briefing.embedding.onnx_encoder import onnx_possible
    from briefing.embedding.onnx_int8 import int8_pays

    return onnx_possible(source) and int8_pays()


class CachedEncoder:
    """An encoder that keeps each text's vector in a VectorCache (the store) under a hash of
    the text: for the few texts every run encodes again (section examples, story leads)."""

    def __init__(self, encoder: Encoder, cache: VectorCache) -> None:
        self.encoder = encoder
        self.cache = cache
        self.name = encoder.name

    @staticmethod
    def key(text: str) -> str:
        """The cache id of a text: a hash of the text."""
        return "text:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors of `texts`, one row each."""
        if not texts:
            return self.encoder.encode([])
        keys = [self.key(t) for t in texts]
        known = self.cache.embeddings(list(dict.fromkeys(keys)), self.name)
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in known))
        if missing:
            fresh = self.encoder.encode(missing)
            new = {self.key(t): v for t, v in zip(missing, fresh, strict=True)}
            self.cache.save_embeddings(new, self.name)
            known.update(new)
        return np.stack([known[k] for k in keys])


def text_cached(encoder: Encoder, cache: VectorCache | None) -> Encoder:
    """`encoder` keeping its vectors in `cache` by text, when there is one."""
    return CachedEncoder(encoder, cache) if cache is not None else encoder


@functools.cache
def get_encoder(spec: str, cache_dir: Path, int8: bool = False) -> Encoder:
    """One encoder per model spec and process: loading costs seconds, encoding milliseconds.

    ONNX Runtime where it is installed (the model is exported to `cache_dir` on first use, and
    quantised to int8 if asked; no torch import after that), else transformers on torch,
    in float32."""
    from briefing.embedding.onnx_encoder import load_onnx_encoder

    log.info("loading embedding model %s", spec)
    source = resolve_model(spec)
    onnx = load_onnx_encoder(source, cache_dir, MAX_TOKENS, int8)
    return onnx if onnx is not None else SentenceEncoder(spec)


def configured_encoder(config: Config) -> Encoder:
    """The embedding model of config.yaml (`grouping.embedding_model`), loaded now."""
    grouping = config.grouping
    int8 = int8_wanted(grouping.embedding_int8, resolve_model(grouping.embedding_model))
    return get_encoder(grouping.embedding_model, config.summary.model_cache_dir, int8)


def lazy_encoder(config: Config) -> LazyEncoder:
    """The embedding model of config.yaml, loaded on its first use.

    Its name, which the vectors are cached under, must say now whether they will be int8.
    Under `auto` the first use of a model cache therefore makes the int8 copy at once: where
    it cannot be made (the export or the copy fails), the vectors are float32's, named so."""
    from briefing.embedding.onnx_encoder import int8_copy_exists

    grouping = config.grouping
    spec, cache_dir = grouping.embedding_model, config.summary.model_cache_dir
    source = resolve_model(spec)
    int8 = int8_wanted(grouping.embedding_int8, source)
    loaded = None
    if int8 and grouping.embedding_int8 == "auto" and not int8_copy_exists(source, cache_dir):
        # The encoder the attempt gave is the one to use: asking again for float32 would
        # try a failed export a second time.
        loaded = get_encoder(spec, cache_dir, True)
        int8 = loaded.name.endswith(INT8_SUFFIX)
    return LazyEncoder(spec, cache_dir, int8, loaded)


# One server encoder per servers' settings and local model in a process (the service runs
# again and again): its pool, threads and the servers' check are made once.
_SERVED: dict[tuple[str, ...], Encoder] = {}


def run_encoder(config: Config) -> Encoder:
    """What a run embeds with: the servers of `grouping.embedding_server` where configured,
    the local model behind them (loaded on first use), else the local model alone."""
    local = lazy_encoder(config)
    servers = config.grouping.embedding_server
    if not servers.endpoints:
        return local
    key = (servers.model_dump_json(), local.name, local.spec, str(local.cache_dir))
    if key not in _SERVED:
        from briefing.embedding.server_encoder import ServerEncoder

        tokenizer = Path(resolve_model(local.spec).name_or_path) / "tokenizer.json"
        _SERVED[key] = ServerEncoder(servers, local, tokenizer if tokenizer.exists() else None)
    return _SERVED[key]
