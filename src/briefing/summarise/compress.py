"""The deletion constraint every backend decodes under, and what a compression is.

The model rewrites a source sentence, but at every step it may only write a token that
continues a subsequence of the sentence allowed by its `DeletionPlan`: the next token of the
word it is writing, or the first token of a word the plan lets come next. So every output is
the source with whole phrases deleted, in order: nothing can be invented, and what to drop is
the model's choice. A length budget forces real compression (at least one deletion where the
plan allows one, at most `max_words` words where it can) and a minimum length forbids
degenerate one-word answers.

`TokenTable` is the constraint over one tokenizer's tokens; the backends apply it in their own
decoding (llama.cpp's loop, transformers' beam search in `backends/transformers/beam.py`), and
servers get it as a grammar (`backends/constrain.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefing.config import SummaryConfig
from briefing.summarise.plan import DeletionPlan


@dataclass(frozen=True)
class CompressionSettings:
    """The `summary.*` settings compression uses; their defaults live in config.py only."""

    max_words: int
    min_words: int
    max_input_tokens: int
    # The start every prompt's user turn shares (the instruction before the sentence): a
    # backend may evaluate it once for all sentences.
    prompt_head: str = ""

    @classmethod
    def from_config(cls, settings: SummaryConfig) -> CompressionSettings:
        """The compression settings of the `summary:` section."""
        return cls(
            settings.max_words,
            settings.min_words,
            settings.max_input_tokens,
            settings.compress_instruction.split("{sentence}")[0],
        )


@dataclass(frozen=True)
class Compression:
    """One candidate: the kept positions of the plan's words and the model's score."""

    plan: DeletionPlan
    kept: tuple[int, ...]
    score: float  # the model's mean log-probability per generated token

    @property
    def text(self) -> str:
        """The compressed sentence."""
        return self.plan.text_of(self.kept)

    @property
    def words(self) -> int:
        """Its number of words."""
        return sum(self.plan.words[i].counts for i in self.kept)

    @property
    def shortened(self) -> bool:
        """True if anything was deleted."""
        return self.words < self.plan.length

    @property
    def removed(self) -> list[str]:
        """The phrases deleted."""
        return self.plan.removed(self.kept)


def word_budget(plan: DeletionPlan, settings: CompressionSettings) -> tuple[int, int]:
    """(fewest, most) words a compression of this sentence may have."""
    if not plan.can_shorten:
        return plan.length, plan.length
    most = max(plan.shortest, min(settings.max_words, plan.length - 1))
    return min(settings.min_words, most), most


# A state: (next position, token offset in the word at it or -1 at a word boundary,
# kept positions, words written). A prefix can be read several ways ("the" occurs twice),
# so a prefix maps to a set of states.
_State = tuple[int, int, tuple[int, ...], int]


class TokenTable:
    """The token ids of each word of one plan, as first word and after another word."""

    def __init__(
        self, plan: DeletionPlan, tokenizer: Any, end_ids: tuple[int, int], budget: tuple[int, int]
    ) -> None:
        self.plan = plan
        self.eos_id = end_ids[0]
        self.end_ids = set(end_ids)  # the end token and the padding after it
        self.fewest, self.most = budget
        encode = lambda text: tuple(tokenizer.encode(text, add_special_tokens=False))  # noqa: E731
        self.first = [encode(w.text[:1].upper() + w.text[1:]) for w in plan.words]
        self.after = [encode(w.space_before + w.text) for w in plan.words]

    def ids(self, state: _State, position: int) -> tuple[int, ...]:
        """The tokens of word `position`: capitalised if it opens the sentence, else spaced."""
        return self.first[position] if not state[2] else self.after[position]

    def next_words(self, state: _State) -> list[int]:
        """Positions that may be written next, within the length budget where possible."""
        position, _, _, written = state
        reach = self.plan.reach[position]
        low, high = self.plan.min_words_from, self.plan.max_words_from
        n = len(self.plan.words)
        options = [j for j in reach if j < n]
        for fits in (
            lambda j: written + low[j] <= self.most and written + high[j] >= self.fewest,
            lambda j: written + low[j] <= self.most,
            lambda j: True,
        ):
            chosen = [j for j in options if fits(j)]
            if chosen:
                return chosen
        return []

    def allowed(self, states: frozenset[_State]) -> set[int]:
        """The tokens allowed next from any of `states`."""
        tokens: set[int] = set()
        for state in states:
            position, offset = state[0], state[1]
            if offset >= 0:
                tokens.add(self.ids(state, position)[offset])
            elif position == len(self.plan.words):
                tokens.add(self.eos_id)
            else:
                tokens.update(
                    self.ids(state, j)[0] for j in self.next_words(state) if self.ids(state, j)
                )
        return tokens or {self.eos_id}

    def advance(self, states: frozenset[_State], token: int) -> frozenset[_State]:
        """The states after `token`."""
        out: set[_State] = set()
        for state in states:
            position, offset, kept, written = state
            if offset >= 0:
                candidates = [(position, offset)]
            elif position == len(self.plan.words):
                continue  # finished: only the end token, which ends generation
            else:
                candidates = [(j, 0) for j in self.next_words(state)]
            for j, k in candidates:
                ids = self.ids(state, j)
                if k >= len(ids) or ids[k] != token:
                    continue
                if k + 1 < len(ids):
                    out.add((j, k + 1, kept, written))
                else:
                    out.add((j + 1, -1, (*kept, j), written + self.plan.words[j].counts))
        return frozenset(out)

    def start(self) -> frozenset[_State]:
        """The states before the first token."""
        return frozenset({(0, -1, (), 0)})

    def finished(self, states: frozenset[_State]) -> tuple[int, ...] | None:
        """The kept positions of a reading that wrote the whole sentence, if there is one."""
        end = len(self.plan.words)
        done = [s for s in states if s[0] == end and s[1] < 0]
        return done[0][2] if done else None
