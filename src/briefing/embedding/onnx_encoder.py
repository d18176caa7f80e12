"""The embedding model on ONNX Runtime: the torch encoder's vectors (float32: within 1e-6)
without importing torch or transformers, which a run would otherwise spend seconds on.

The model is exported once per model file, with its mean pooling and normalisation inside the
graph, into the model cache (`summary.model_cache_dir`), by a child process: that export is
the only step that needs torch. With `grouping.embedding_int8` (by default where the CPU has
VNNI) a second child writes an int8 copy of the export (`onnx_int8`: activations scaled per
token, so vectors do not depend on the batch; cosine 0.9987 of float32's). Texts are tokenised
by the model's own `tokenizer.json` (the `tokenizers` library that transformers uses too).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from briefing.embedding.batching import BATCH_SIZE, encode_shortest_first, encoder_name, mean_pooled
from briefing.embedding.onnx_int8 import quantise_per_token
from briefing.files import write_atomic
from briefing.modelfiles import ModelSource, files_digest

log = logging.getLogger(__name__)

EXPORT_NAME = "model.onnx"
# The int8 copy (activations per token; earlier releases' per-tensor copy was model.int8.onnx).
INT8_NAME = "model.int8-per-token.onnx"
# The ONNX operator set of the export: any ONNX Runtime of the last years runs it.
OPSET = 17


def runtime_available() -> bool:
    """True if ONNX Runtime is installed."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def onnx_possible(source: ModelSource) -> bool:
    """True if this model can run on ONNX Runtime here (the runtime and the onnx package
    installed, a fast tokenizer), found without importing either."""
    import importlib.util

    installed = all(importlib.util.find_spec(name) for name in ("onnxruntime", "onnx"))
    return installed and (Path(source.name_or_path) / "tokenizer.json").exists()


def export_folder(source: ModelSource, cache_dir: Path) -> Path:
    """Where the export of this model lives: named by its folder and its weights' identity."""
    folder = Path(source.name_or_path)
    files = sorted(p for p in folder.glob("*") if p.suffix in (".json", ".safetensors", ".bin"))
    return cache_dir / "onnx" / f"{folder.name}-{files_digest(folder, files)}"


def int8_copy_exists(source: ModelSource, cache_dir: Path) -> bool:
    """True if this model's int8 copy has been made in `cache_dir`."""
    return (export_folder(source, cache_dir) / INT8_NAME).exists()


def export(source: ModelSource, target: Path) -> None:
    """Export the model to `target` in a child process, so the briefing's own process never
    loads torch (seconds, and half a gigabyte it would keep). Raises RuntimeError."""
    _in_child("export", source.name_or_path, str(target))


def quantise(model_file: Path, target: Path) -> None:
    """Write an int8 copy of an exported model to `target`, in a child process (the
    rewrite imports the onnx package: a second this process need not spend). Raises
    RuntimeError."""
    _in_child("quantise", str(model_file), str(target))


def _in_child(*arguments: str) -> None:
    command = [sys.executable, "-m", "briefing.embedding.onnx_encoder", *arguments]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        raise RuntimeError(lines[-1])


def quantise_here(model_file: Path, target: Path) -> None:
    """The int8 copy itself (`onnx_int8.quantise_per_token`), written atomically."""
    import onnx

    model = onnx.load(str(model_file))
    rewritten = quantise_per_token(model)
    write_atomic(target, model.SerializeToString())
    log.info("embedding model: %d matrix products in int8: %s", rewritten, target)


def export_here(folder: str, target: Path) -> None:
    """The export itself: the encoder with mean pooling and L2 normalisation in the graph,
    traced by torch.onnx, then its attention and layer norms fused by ONNX Runtime's
    transformer optimizer (a third faster on long texts). Written atomically."""
    import torch
    from transformers import AutoModel

    # Eager attention traces to the pattern ONNX Runtime fuses; the maths is the same.
    model = AutoModel.from_pretrained(folder, attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return mean_pooled(hidden, attention_mask)

    started = time.perf_counter()
    example = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    traced = target.with_name(f".{target.name}.traced")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on the model's Python branches
        torch.onnx.export(
            Pooled(),
            (example, example, torch.zeros_like(example)),
            str(traced),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
    try:
        _fuse(traced, model.config)
        write_atomic(target, traced.read_bytes())
    finally:
        traced.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    log.info("embedding model exported to ONNX in %.1f s: %s", seconds, target)


def _fuse(path: Path, config: Any) -> None:
    """Fuse attention and layer norms in place where ONNX Runtime knows the architecture
    (BERT-like encoders); any other model keeps its plain graph."""
    from onnxruntime.transformers import optimizer

    if config.model_type not in ("bert", "roberta", "distilbert", "xlm-roberta", "mpnet"):
        return
    model = optimizer.optimize_model(
        str(path),
        model_type="bert",
        num_heads=config.num_attention_heads,
        hidden_size=config.hidden_size,
        opt_level=1,
        use_gpu=False,
    )
    model.save_model_to_file(str(path))


class OnnxEncoder:
    """Encodes texts into L2-normalised vectors with ONNX Runtime, batched shortest first."""

    def __init__(
        self,
        model_file: Path,
        tokenizer_file: Path,
        name: str,
        max_length: int,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.name = name
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only
        self._session = onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors of `texts`, one row each."""
        return encode_shortest_first(self, texts, BATCH_SIZE)

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """The vectors of one batch of texts."""
        encodings = self._tokenizer.encode_batch(texts)
        inputs = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        vectors: np.ndarray = self._session.run(None, inputs)[0]
        return vectors.astype(np.float32)


def load_onnx_encoder(
    source: ModelSource, cache_dir: Path, max_length: int, int8: bool = False
) -> OnnxEncoder | None:
    """The model on ONNX Runtime, exported (and quantised, with `int8`) first if this is its
    first use; None where that cannot be (no ONNX Runtime, no fast tokenizer, or the export
    failed: torch serves, in float32). If quantising fails, the float32 export serves."""
    tokenizer_file = Path(source.name_or_path) / "tokenizer.json"
    if not runtime_available() or not tokenizer_file.exists():
        return None
    folder = export_folder(source, cache_dir)
    model_file, int8_file = folder / EXPORT_NAME, folder / INT8_NAME
    if not (int8_file if int8 else model_file).exists():
        log.info("preparing the embedding model for ONNX Runtime (once, a few seconds)")
    if not model_file.exists():
        try:
            export(source, model_file)
        except Exception as exc:  # noqa: BLE001 - any failure: the torch encoder still works
            log.warning("ONNX export failed (%s); embeddings run on torch", exc)
            return None
    if int8 and not int8_file.exists():
        try:
            quantise(model_file, int8_file)
        except Exception as exc:  # noqa: BLE001 - the float32 export still works
            log.warning("int8 quantisation failed (%s); embeddings run in float32", exc)
    quantised = int8 and int8_file.exists()
    name = encoder_name(source.display_name, quantised)
    return OnnxEncoder(int8_file if quantised else model_file, tokenizer_file, name, max_length)


if __name__ == "__main__":  # python -m briefing.embedding.onnx_encoder export|quantise <from> <to>
    if sys.argv[1] == "export":
        export_here(sys.argv[2], Path(sys.argv[3]))
    else:
        quantise_here(Path(sys.argv[2]), Path(sys.argv[3]))
