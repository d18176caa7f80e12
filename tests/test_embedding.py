"""The embedding model's two runtimes give the same vectors: ONNX Runtime (the default, no
torch after a one-time export) and transformers on torch (the fallback); both batch texts
alike, each distinct text once."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import SAMPLE_INBOX

from briefing.config import Config
from briefing.embedding import (
    LazyEncoder,
    SentenceEncoder,
    encode_shortest_first,
    get_encoder,
    lazy_encoder,
    onnx_encoder,
    onnx_int8,
)
from briefing.embedding.onnx_encoder import OnnxEncoder, export_folder
from briefing.embedding.onnx_int8 import int8_pays
from briefing.errors import ModelError
from briefing.modelfiles import resolve_model
from briefing.text import split_sentences


@pytest.mark.slow
def test_onnx_runtime_gives_the_torch_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = Config().grouping.embedding_model
    # Whole articles (longer than the 256 tokens read: truncation must agree) and sentences.
    texts = [p.read_text(encoding="utf-8", errors="ignore") for p in sorted(SAMPLE_INBOX.iterdir())]
    texts += [s for t in texts for s in split_sentences(t)][:200] + ["", "Kyiv"]
    onnx = get_encoder(spec, tmp_path)
    assert isinstance(onnx, OnnxEncoder)
    export = export_folder(resolve_model(spec), tmp_path) / "model.onnx"
    assert export.exists()
    vectors = onnx.encode(texts)
    expected = SentenceEncoder(spec).encode(texts)
    assert vectors.shape == expected.shape == (len(texts), 384)
    np.testing.assert_allclose(vectors, expected, atol=1e-5)
    assert onnx.encode([]).shape == (0, 384)
    # A later process finds the export: it is not made again.
    made = export.stat().st_mtime_ns
    get_encoder.cache_clear()
    again = get_encoder(spec, tmp_path)
    np.testing.assert_array_equal(again.encode(texts[:5]), vectors[:5])
    assert export.stat().st_mtime_ns == made

    # A text's vector does not depend on the texts it is encoded with.
    alone = np.stack([onnx.encode([t])[0] for t in texts[:12]])
    np.testing.assert_allclose(alone, vectors[:12], atol=1e-5)

    # The int8 copy is made from that export, named apart (its vectors are cached apart),
    # and close: at cosine 0.997 of float32's on average, pairs alike.
    float32_config = Config.model_validate({"grouping": {"embedding_int8": False}})
    assert lazy_encoder(float32_config).name == onnx.name
    int8 = get_encoder(spec, tmp_path, int8=True)
    assert export.stat().st_mtime_ns == made
    int8_config = Config.model_validate({"grouping": {"embedding_int8": True}})
    assert int8.name == f"{onnx.name}+int8/token" == lazy_encoder(int8_config).name
    quantised = int8.encode(texts[:-2])  # the empty text and a lone word: too short to judge
    # Its activations are scaled per token: a text's vector is the same in any batch.
    one_by_one = np.stack([int8.encode([t])[0] for t in texts[:12]])
    np.testing.assert_allclose(one_by_one, quantised[:12], atol=1e-5)
    agreement = np.einsum("ij,ij->i", quantised, vectors[:-2])
    assert agreement.mean() > 0.997 and agreement.min() > 0.985
    similarity, close = vectors[:40] @ vectors[:40].T, quantised[:40] @ quantised[:40].T
    assert np.abs(similarity - close).max() < 0.03
    # auto: the int8 copy where this CPU runs it exactly (x86 with VNNI).
    assert lazy_encoder(Config()).name == (int8.name if int8_pays() else onnx.name)

    # Where the int8 copy cannot be made, a run that asked for it stops with advice rather
    # than store float32 vectors under the int8 name.
    def disk_full(model_file: Path, target: Path) -> None:
        raise RuntimeError("No space left on device")

    other = export_folder(resolve_model(spec), tmp_path / "other")
    other.mkdir(parents=True)
    shutil.copy2(export, other / export.name)
    monkeypatch.setattr(onnx_encoder, "quantise", disk_full)
    get_encoder.cache_clear()
    with pytest.raises(ModelError, match="embedding_int8: false"):
        LazyEncoder(spec, tmp_path / "other", int8=True).encode(["a sentence"])
    # Under auto (the default) the run goes on in float32, and its vectors are named so.
    monkeypatch.setattr(onnx_int8, "int8_pays", lambda: True)
    get_encoder.cache_clear()
    auto = lazy_encoder(Config.model_validate({"summary": {"model_cache_dir": tmp_path / "other"}}))
    assert auto.name == onnx.name
    np.testing.assert_allclose(auto.encode(texts[:3]), vectors[:3], atol=1e-5)


class CountingRuntime:
    """A runtime whose vector of a text is its length and first letter: what batching and
    de-duplication must hand back to the right text."""

    dimension = 2

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        self.batches.append(texts)
        return np.array([[len(t), ord(t[:1] or " ")] for t in texts], dtype=np.float32)


def test_each_distinct_text_is_encoded_once_shortest_first() -> None:
    runtime = CountingRuntime()
    texts = ["a longer sentence", "short", "a longer sentence", "mid size", "short", "x"]
    vectors = encode_shortest_first(runtime, texts, batch_size=2)
    assert runtime.batches == [["x", "short"], ["mid size", "a longer sentence"]]
    assert vectors.tolist() == [[len(t), ord(t[0])] for t in texts]
    assert encode_shortest_first(runtime, [], 2).shape == (0, 2)
    # A batch also stops at a number of characters (but always takes one text).
    runtime.batches.clear()
    encode_shortest_first(runtime, texts, batch_size=8, batch_chars=14)
    assert runtime.batches == [["x", "short", "mid size"], ["a longer sentence"]]
