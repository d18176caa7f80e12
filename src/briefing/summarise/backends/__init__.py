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
from typing import Any, Protocol

from briefing import plugins
from briefing.config import SummaryConfig
from briefing.errors import ModelError
from briefing.modelfiles import resolve_model
from briefing.summarise.compress import Compression, CompressionSettings
from briefing.summarise.plan import DeletionPlan


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


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, so that callers ask it rather than test its name."""

    # The model runs in this process (`briefing doctor` loads it); otherwise it is a server,
    # which the backend's own `check` asks.
    in_process: bool = True
    # compress() returns several candidates per sentence from a beam search.
    beam_search: bool = False
    # Decoding can be constrained by a grammar the server applies.
    grammar: bool = False
    # compress() takes many sentences per call and is faster for it: the summariser hands it
    # windows of stories (WINDOW_SENTENCES) rather than one story at a time.
    batching: bool = False


@dataclass(frozen=True)
class Health:
    """A backend's own answer to `briefing doctor`: whether it can be used, and the fix."""

    ok: bool
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Backend:
    """A place the summary model runs: one module that defines it, one registration
    (`briefing.plugins.backends`). Its settings are its own section, `summary.<name>`."""

    # The pydantic model of `summary.<name>` (briefing.config.base.Section refuses unknown
    # keys and infinite numbers).
    settings: type[Any]
    # (model spec, its validated settings, the model cache folder) -> a SummaryModel.
    load: Callable[[str, Any, Path], SummaryModel]
    capabilities: Capabilities = Capabilities()
    # How compress decodes with these settings, as the briefing's JSON records it.
    decoding: Callable[[Any], str] = lambda settings: "greedy"
    # The settings that change where or how fast it runs, not what it writes: left out of
    # the summary cache key.
    runtime_settings: frozenset[str] = frozenset()
    # What `briefing doctor` asks a backend that is not in_process (its server).
    check: Callable[[Any], Health] | None = None


def backend_named(name: str) -> Backend:
    """The registered backend `name` (UnknownPart, a ConfigError, if none is)."""
    backend: Backend = plugins.backends.get(name)
    return backend


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
    """Load the summary model through the configured backend, with its settings section."""
    name = resolve_backend(settings)
    return backend_named(name).load(settings.model, settings.backend_settings(name), cache_dir)


@functools.cache
def _cached(settings_json: str, cache_dir: str) -> SummaryModel:
    return load_backend(SummaryConfig.model_validate_json(settings_json), Path(cache_dir))


def get_model(settings: SummaryConfig, cache_dir: Path) -> SummaryModel:
    """One loaded model per (summary settings, cache folder) and process."""
    return _cached(settings.model_dump_json(), str(cache_dir))
