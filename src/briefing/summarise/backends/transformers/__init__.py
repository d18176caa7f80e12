"""transformers backend: any transformers model, causal chat LMs and seq2seq summarisers.

`model.py` loads it (a GGUF converted once into a transformers folder) and writes; `beam.py`
is its beam search under the deletion constraint. Its settings are `summary.transformers`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from briefing.config.base import Section
from briefing.summarise.backends import Backend, Capabilities
from briefing.summarise.backends.transformers.model import TransformersModel, load_transformers

__all__ = ["BACKEND", "TransformersModel", "TransformersSettings", "load_transformers"]


class TransformersSettings(Section):
    """`summary.transformers`: how the transformers backend runs the model."""

    # Its linear layers in int8 (dynamic quantization): about twice as fast on a CPU.
    quantize: bool = True
    # Beams of the constrained beam search: the candidates of each compression.
    beams: int = Field(2, ge=1, le=8)


def _load(spec: str, settings: TransformersSettings, cache_dir: Path) -> TransformersModel:
    return load_transformers(spec, cache_dir, settings.quantize, settings.beams)


BACKEND = Backend(
    settings=TransformersSettings,
    load=_load,
    capabilities=Capabilities(beam_search=True, batching=True),
    decoding=lambda settings: f"beam search ({settings.beams})",
)
