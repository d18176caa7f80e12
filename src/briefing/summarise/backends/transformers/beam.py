"""transformers' beam search under the deletion constraint: the constraint
(`compress.TokenTable`) as a logits processor, one batched beam search for all sentences.

The constraint is a transformers `LogitsProcessor` with a precomputed token table per sentence
and an incremental state per generated prefix (one transition per step, never a rescan). The
beams are the candidates, scored afterwards for fluency and fidelity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from briefing.summarise.compress import (
    Compression,
    CompressionSettings,
    TokenTable,
    _State,
    word_budget,
)
from briefing.summarise.plan import DeletionPlan


class SubsequenceProcessor:
    """A transformers logits processor: row r of the batch follows table r // beams."""

    def __init__(self, tables: Sequence[TokenTable], beams: int, prompt_length: int) -> None:
        self.tables = tables
        self.beams = beams
        self.prompt_length = prompt_length
        self._states: dict[tuple[int, tuple[int, ...]], frozenset[_State]] = {}

    def states(self, table_index: int, generated: tuple[int, ...]) -> frozenset[_State]:
        """The states reached by `generated` on table `table_index`."""
        key = (table_index, generated)
        found = self._states.get(key)
        if found is None:
            table = self.tables[table_index]
            if not generated:
                found = table.start()
            else:  # one transition from the prefix one token shorter, itself cached
                found = table.advance(self.states(table_index, generated[:-1]), generated[-1])
            self._states[key] = found
        return found

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        """Scores with every token the constraint forbids set to minus infinity."""
        import torch

        mask = torch.full_like(scores, -math.inf)
        rows = input_ids[:, self.prompt_length :].tolist()
        for row, generated in enumerate(rows):
            table_index = row // self.beams
            allowed = self.tables[table_index].allowed(self.states(table_index, tuple(generated)))
            mask[row, list(allowed)] = 0.0
        return scores + mask

    def kept(self, table_index: int, generated: Sequence[int]) -> tuple[int, ...] | None:
        """The kept positions of a finished output, or None if it did not finish a sentence."""
        table = self.tables[table_index]
        tokens = tuple(t for t in generated if t not in table.end_ids)
        return table.finished(self.states(table_index, tokens))


def compress(
    model: Any,
    tokenizer: Any,
    prompts: Sequence[Any],
    plans: Sequence[DeletionPlan],
    settings: CompressionSettings,
    beams: int,
    seq2seq: bool = False,
) -> list[list[Compression]]:
    """Candidates for each plan, best model score first, from one batched beam search.

    `prompts` are the encoded prompts (lists of token ids), one per plan.
    """
    import torch

    eos_id = tokenizer.eos_token_id
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos_id
    tables = [TokenTable(p, tokenizer, (eos_id, pad_id), word_budget(p, settings)) for p in plans]
    width = max(len(p) for p in prompts)
    input_ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(prompts), width), dtype=torch.long)
    for row, prompt in enumerate(prompts):  # left padding: every prompt ends where output starts
        if seq2seq:
            input_ids[row, : len(prompt)] = torch.tensor(prompt)
            attention[row, : len(prompt)] = 1
        else:
            input_ids[row, width - len(prompt) :] = torch.tensor(prompt)
            attention[row, width - len(prompt) :] = 1
    beams = max(1, beams)
    # The decoder of a seq2seq model starts from one start token; a causal LM from the prompt.
    processor = SubsequenceProcessor(tables, beams, 1 if seq2seq else width)
    longest = max(sum(len(ids) for ids in t.after) for t in tables) + 2
    from transformers import LogitsProcessorList

    with torch.inference_mode():
        output = model.generate(
            input_ids=input_ids,
            attention_mask=attention,
            logits_processor=LogitsProcessorList([processor]),
            max_new_tokens=longest,
            num_beams=beams,
            num_return_sequences=beams,
            do_sample=False,
            length_penalty=1.0,
            early_stopping=True,
            return_dict_in_generate=True,
            output_scores=True,
            pad_token_id=pad_id,
            eos_token_id=eos_id,
        )
    sequences = output.sequences[:, 1 if seq2seq else width :].tolist()
    scores = (
        output.sequences_scores.tolist()
        if getattr(output, "sequences_scores", None) is not None
        else [0.0] * len(sequences)
    )
    results: list[list[Compression]] = [[] for _ in plans]
    for row, (generated, score) in enumerate(zip(sequences, scores, strict=True)):
        index = row // beams
        kept = processor.kept(index, generated)
        if kept is None:
            continue
        candidate = Compression(plans[index], kept, float(score))
        if all(c.kept != kept for c in results[index]):
            results[index].append(candidate)
    for candidates in results:
        candidates.sort(key=lambda c: -c.score)
    return results
