"""The embedding model (a BERT sentence-transformer such as the shipped all-MiniLM-L6-v2) written
as a GGUF file that llama.cpp's server embeds with, for `grouping.embedding_server`:

    briefing embedding-gguf all-minilm-l6-v2.gguf
    python -m llama_cpp.server --model all-minilm-l6-v2.gguf --embedding true --n_ctx 512 \
        --n_batch 256 --n_ubatch 256

No embedding GGUF is on the package registry; this makes one from the weights that are. The
layout is llama.cpp's own converter's (`convert_hf_to_gguf.py`, class BertModel): the same
metadata keys, tensor names by the gguf package's name map, WordPiece tokens in "phantom
space" form, float32 weights. The server's vectors of this file agree with the ONNX encoder's
at cosine 0.9999 or more (tests/test_embedding_server.py)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import gguf
import numpy as np
from safetensors.numpy import load_file

from briefing.errors import ModelError, OutputError
from briefing.modelfiles import resolve_model

# How llama.cpp's server serves the file (`python -m llama_cpp.server --model FILE ...`): a
# batch holds the 256 word pieces the local model reads and its two markers; a smaller one
# cuts texts, which the servers' check refuses (`server_encoder.py`).
SERVE_ARGS = ("--embedding", "true", "--n_ctx", "512", "--n_batch", "256", "--n_ubatch", "256")

# Tensors of the checkpoint that an embedding does not use (llama.cpp leaves them out too).
_SKIPPED = ("embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias")


def _phantom(token: str, control: bool) -> str:
    """llama.cpp's BERT vocabulary: a word start carries U+2581, a continuation loses '##'."""
    if control:
        return token
    return token[2:] if token.startswith("##") else "\u2581" + token


def write_gguf(destination: Path, spec: str) -> Path:
    """The embedding model `spec` (a BERT sentence-transformer) as a float32 GGUF file."""
    folder = Path(resolve_model(spec).name_or_path)
    needed = [folder / name for name in ("config.json", "tokenizer.json", "model.safetensors")]
    if missing := [path.name for path in needed if not path.is_file()]:
        raise ModelError(f"{spec}: no {', '.join(missing)} in {folder}: not a model folder")
    config = json.loads((folder / "config.json").read_text())
    if config.get("model_type") != "bert":
        raise ModelError(f"{spec}: a {config.get('model_type')} model; only BERT models export")
    tokenizer = json.loads((folder / "tokenizer.json").read_text())
    try:
        return _write(destination, folder, config, tokenizer)
    except OSError as exc:
        raise OutputError(f"cannot write {destination}: {exc.strerror or exc}") from exc


def _write(destination: Path, folder: Path, config: dict, tokenizer: dict) -> Path:
    layers = int(config["num_hidden_layers"])

    writer = gguf.GGUFWriter(str(destination), "bert")
    writer.add_name(folder.name)
    writer.add_block_count(layers)
    writer.add_context_length(int(config["max_position_embeddings"]))
    writer.add_embedding_length(int(config["hidden_size"]))
    writer.add_feed_forward_length(int(config["intermediate_size"]))
    writer.add_head_count(int(config["num_attention_heads"]))
    writer.add_layer_norm_eps(float(config["layer_norm_eps"]))
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)

    vocabulary = tokenizer["model"]["vocab"]
    special = {t["id"] for t in tokenizer["added_tokens"] if t.get("special")}
    tokens = sorted(vocabulary, key=vocabulary.__getitem__)
    writer.add_token_type_count(int(config.get("type_vocab_size", 1)))
    writer.add_tokenizer_model("bert")
    writer.add_tokenizer_pre("jina-v2-en")  # what the converter names BERT's pre-tokenizer
    writer.add_token_list([_phantom(t, i in special) for i, t in enumerate(tokens)])
    control, normal = gguf.TokenType.CONTROL, gguf.TokenType.NORMAL
    writer.add_token_types([control if i in special else normal for i in range(len(tokens))])
    # BERT's [CLS] has no GGUF key (llama.cpp adds it as BOS); the gguf package warns of it.
    logging.getLogger("gguf.vocab").setLevel(logging.ERROR)
    gguf.SpecialVocab(folder, n_vocab=len(tokens)).add_to_gguf(writer)
    lowercase = bool((tokenizer.get("normalizer") or {}).get("lowercase", False))
    writer.add_bool("tokenizer.ggml.normalizer.lowercase", lowercase)

    names = gguf.TensorNameMap(gguf.MODEL_ARCH.BERT, layers)
    for name, array in load_file(str(folder / "model.safetensors")).items():
        name = name.removeprefix("bert.")
        if name in _SKIPPED:
            continue
        mapped = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if mapped is None:
            raise ValueError(f"{folder}: no GGUF name for tensor {name}")
        writer.add_tensor(mapped, np.ascontiguousarray(array, dtype=np.float32))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return destination
