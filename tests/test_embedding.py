"""The embedding model's two runtimes give the same vectors: ONNX Runtime (the default, no
torch after a one-time export) and transformers on torch (the fallback)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.conftest import SAMPLE_INBOX

from briefing.config import Config
from briefing.embedding import SentenceEncoder, get_encoder
from briefing.modelfiles import resolve_model
from briefing.onnx_encoder import OnnxEncoder, export_folder
from briefing.text import split_sentences


@pytest.mark.slow
def test_onnx_runtime_gives_the_torch_vectors(tmp_path: Path) -> None:
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
