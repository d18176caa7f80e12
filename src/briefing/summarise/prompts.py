"""Prompts for the model: short and fixed, filled only with cleaned source sentences."""

from __future__ import annotations

from briefing.config import SummaryConfig


def fuse_prompt(settings: SummaryConfig, sentences: list[str]) -> tuple[str, str]:
    """(system, user) prompt to write one summary from a story's picked sentences."""
    wanted = min(settings.max_sentences, len(sentences))
    facts = "\n".join(f"- {sentence}" for sentence in sentences)
    return (
        settings.system_prompt,
        f"Facts:\n{facts}\n\n{settings.instruction.format(sentences=wanted)}",
    )


def compress_prompt(settings: SummaryConfig, sentence: str) -> tuple[str, str]:
    """(system, user) prompt to shorten one source sentence."""
    return settings.compress_system_prompt, settings.compress_instruction.format(sentence=sentence)
