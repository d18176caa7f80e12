"""Prompts for the model: short and fixed, filled only with cleaned source sentences."""

from __future__ import annotations

from briefing.config import SummaryConfig


def prompts_for(settings: SummaryConfig, sentences: list[str]) -> list[tuple[str, str]]:
    """(system, user) prompts for the extracted sentences of one story."""
    if settings.mode == "compress":
        return [
            (
                settings.compress_system_prompt,
                settings.compress_instruction.format(sentence=sentence),
            )
            for sentence in sentences[: settings.max_sentences]
        ]
    wanted = min(settings.max_sentences, len(sentences))
    facts = "\n".join(f"- {sentence}" for sentence in sentences)
    return [
        (
            settings.system_prompt,
            f"Facts:\n{facts}\n\n{settings.instruction.format(sentences=wanted)}",
        )
    ]
