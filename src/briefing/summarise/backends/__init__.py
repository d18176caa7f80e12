"""Model backends: where the summary model runs. One module per backend, chosen by name.

- `llamacpp`: GGUF files run directly by llama.cpp (llama-cpp-python): ready in under a second,
  the fastest on a CPU, constrained compression through its own decoding loop;
- `transformers`: any transformers model (a GGUF is converted once into a folder);
- `openai`: any OpenAI-compatible HTTP endpoint (Ollama, llama.cpp's server, vLLM, LM Studio),
  a pool of them used round-robin; compression constrained by a grammar where the server takes
  one, otherwise the reply is projected onto the sentence (only its words, in order, survive).
`auto` picks `llamacpp` for a GGUF model when llama-cpp-python is installed, else `transformers`.
Every backend is guarded alike: the summariser checks what any of them writes.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from briefing.config import SummaryConfig
from briefing.errors import ModelError
from briefing.modelfiles import resolve_model
from briefing.summarise.compress import Compression, CompressionSettings
from briefing.summarise.deletions import DeletionPlan


@dataclass(frozen=True)
class GenerationSettings:
    """How free writing (summary.mode: generate) decodes; defaults live in config.py only."""

    max_new_tokens: int
    repetition_penalty: float
    max_input_tokens: int
    no_repeat_ngram: int

    @classmethod
    def from_config(cls, settings: SummaryConfig) -> GenerationSettings:
        """The generation settings of the `summary:` section."""
        return cls(
            settings.max_new_tokens,
            settings.repetition_penalty,
            settings.max_input_tokens,
            settings.no_repeat_ngram,
        )


class SummaryModel(Protocol):
    """A model that writes freely or compresses under a deletion constraint."""

    name: str

    def generate(self, system: str, user: str, settings: GenerationSettings) -> str:
        """The model's reply to a (system, user) prompt, greedy."""
        ...

    def compress(
        self,
        prompts: Sequence[tuple[str, str]],
        plans: Sequence[DeletionPlan],
        settings: CompressionSettings,
    ) -> list[list[Compression]]:
        """Candidate compressions of each plan's sentence (best first; may be empty)."""
        ...


class BackendUnavailable(ModelError):
    """The backend could not answer this time (a server down or slow): the story being
    summarised quotes extracts, and the next story tries again."""


Loader = Callable[[SummaryConfig, Path], SummaryModel]


def _load_transformers(settings: SummaryConfig, cache_dir: Path) -> SummaryModel:
    from briefing.summarise.backends.transformers import load_generator

    return load_generator(settings.model, cache_dir, settings.quantize)


def _load_llamacpp(settings: SummaryConfig, cache_dir: Path) -> SummaryModel:
    from briefing.summarise.backends.llamacpp import load_llamacpp

    return load_llamacpp(settings.model, settings.threads, settings.weights_copy, cache_dir)


def _load_openai(settings: SummaryConfig, cache_dir: Path) -> SummaryModel:
    from briefing.summarise.backends.openai import OpenAIModel

    return OpenAIModel.from_config(settings.openai)


BACKENDS: dict[str, Loader] = {
    "transformers": _load_transformers,
    "llamacpp": _load_llamacpp,
    "openai": _load_openai,
}


def llamacpp_installed() -> bool:
    """Whether llama-cpp-python can be imported here (without importing it)."""
    return importlib.util.find_spec("llama_cpp") is not None


def resolve_backend(settings: SummaryConfig) -> str:
    """The backend `summary.backend` names; `auto` is llama.cpp for a GGUF model when
    llama-cpp-python is installed, transformers otherwise."""
    return settings.backend if settings.backend != "auto" else _auto_backend(settings.model)


@functools.cache
def _auto_backend(model: str) -> str:
    """`auto` for one model spec, looked up once per process (the summary cache key asks for
    every story)."""
    if llamacpp_installed():
        try:
            if resolve_model(model).gguf_file or model.endswith(".gguf"):
                return "llamacpp"
        except ModelError:
            pass  # the model is missing: the transformers loader says so clearly
    return "transformers"


def load_backend(settings: SummaryConfig, cache_dir: Path) -> SummaryModel:
    """Load the summary model through the configured backend."""
    return BACKENDS[resolve_backend(settings)](settings, cache_dir)


@functools.cache
def _cached(settings_json: str, cache_dir: str) -> SummaryModel:
    return load_backend(SummaryConfig.model_validate_json(settings_json), Path(cache_dir))


def get_generator(settings: SummaryConfig, cache_dir: Path) -> SummaryModel:
    """One loaded model per (summary settings, cache folder) and process."""
    return _cached(settings.model_dump_json(), str(cache_dir))
