"""The llama.cpp summary model: free writing with our own greedy loop, and compression of
many sentences side by side under the deletion constraint shared by every backend."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefing.summarise.backends import GenerationSettings
from briefing.summarise.backends.llamacpp.batch import (
    BATCH_CONTEXT_TOKENS,
    PARALLEL_SEQUENCES,
    _row_logits,
    _Sequences,
)
from briefing.summarise.compress import (
    Compression,
    CompressionSettings,
    TokenTable,
    word_budget,
)
from briefing.summarise.plan import DeletionPlan

log = logging.getLogger(__name__)

# Room for the longest prompt (summary.max_input_tokens <= this minus the output).
CONTEXT_TOKENS = 2048


class _Tokenizer:
    """The `encode` a TokenTable needs, over llama.cpp's own tokenizer."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm

    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


class LlamaCppModel:
    """Greedy, constrained or free, decoding of a GGUF chat model with llama.cpp."""

    def __init__(self, name: str, llm: Any, threads: int) -> None:
        import llama_cpp

        self._lib = llama_cpp
        self.name = name
        self.llm = llm
        self.n_vocab = int(llm.n_vocab())
        self.eos_id = int(llm.token_eos())
        self.tokenizer = _Tokenizer(llm)
        template = llm.metadata.get("tokenizer.chat_template")
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        self._template = env.from_string(template) if template else None
        self._special = {
            "bos_token": llm.detokenize([llm.token_bos()], special=True).decode(errors="ignore"),
            "eos_token": llm.detokenize([self.eos_id], special=True).decode(errors="ignore"),
        }
        self.generated_tokens = 0  # counted for the speed benchmark
        # Evaluate a shared prompt prefix once (off: to measure what that saves).
        self.reuse_prefix = True
        self.threads = threads
        self._sequences: _Sequences | None = None

    # -- prompts ---------------------------------------------------------------------------
    def prompt_ids(self, system: str, user: str, max_input_tokens: int) -> list[int]:
        """The chat-formatted prompt's token ids, its start cut when too long."""
        if self._template is not None:
            messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
            text = self._template.render(
                messages=messages, add_generation_prompt=True, **self._special
            )
        else:
            text = f"{system}\n\n{user}\n\n"
        return self._ids(text)[-max_input_tokens:]

    def system_ids(self, system: str) -> list[int]:
        """The token ids of the system turn alone: the start every prompt with it shares."""
        if self._template is not None:
            messages = [{"role": "system", "content": system}]
            text = self._template.render(
                messages=messages, add_generation_prompt=False, **self._special
            )
        else:
            text = f"{system}\n\n"
        return self._ids(text)

    def _ids(self, text: str) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    # -- decoding --------------------------------------------------------------------------
    def _prefill(self, ids: Sequence[int]) -> None:
        """Evaluate a prompt, keeping whatever prefix of it the KV cache already holds."""
        llm = self.llm
        common = 0
        for cached, wanted in zip(llm.input_ids[: llm.n_tokens], ids, strict=False):
            if cached != wanted or not self.reuse_prefix:
                break
            common += 1
        llm.n_tokens = min(common, len(ids) - 1)  # evaluate at least one token, for its logits
        llm.eval(list(ids[llm.n_tokens :]))

    def _logits(self) -> np.ndarray:
        return _row_logits(self._lib, self.llm.ctx, -1, self.n_vocab)

    def _is_end(self, token: int) -> bool:
        return token == self.eos_id or bool(
            self._lib.llama_vocab_is_eog(self.llm._model.vocab, token)
        )

    def _decode(
        self,
        prompt: Sequence[int],
        choose: Callable[[np.ndarray, list[int]], int],
        max_new_tokens: int,
    ) -> tuple[list[int], float]:
        """Tokens chosen one at a time until an end token; and their summed log-probability."""
        self._prefill(prompt)
        out: list[int] = []
        logprob = 0.0
        for _ in range(max_new_tokens):
            logits = self._logits()
            token = choose(logits, out)
            logprob += float(_log_softmax(logits)[token])
            self.generated_tokens += 1
            if self._is_end(token):
                break
            out.append(token)
            self.llm.eval([token])
        return out, logprob

    # -- the SummaryModel interface -----------------------------------------------------------
    def generate(self, system: str, user: str, settings: GenerationSettings) -> str:
        """Greedy free writing with a repetition penalty and no repeated n-grams."""
        prompt = self.prompt_ids(system, user, settings.max_input_tokens)

        def choose(logits: np.ndarray, out: list[int]) -> int:
            seen = np.fromiter(set(prompt) | set(out), dtype=np.int64)
            penalty = settings.repetition_penalty
            logits[seen] = np.where(
                logits[seen] > 0, logits[seen] / penalty, logits[seen] * penalty
            )
            logits[_repeated_ngram_ends([*prompt, *out], settings.no_repeat_ngram)] = -np.inf
            return int(np.argmax(logits))

        out, _ = self._decode(prompt, choose, settings.max_new_tokens)
        return self.llm.detokenize(out).decode("utf-8", errors="ignore").strip()

    def compress(
        self,
        prompts: Sequence[tuple[str, str]],
        plans: Sequence[DeletionPlan],
        settings: CompressionSettings,
    ) -> list[list[Compression]]:
        """The most likely compression of each plan under the deletion constraint (greedy),
        the sentences decoded side by side in one batch."""
        end_ids = (self.eos_id, self.eos_id)
        prefix = self._shared_start(prompts, settings.prompt_head) if self.reuse_prefix else []
        jobs = []
        for (system, user), plan in zip(prompts, plans, strict=True):
            table = TokenTable(plan, self.tokenizer, end_ids, word_budget(plan, settings))
            prompt = self.prompt_ids(system, user, settings.max_input_tokens)
            limit = sum(len(ids) for ids in table.after) + 2
            jobs.append(_Job(plan, _Constraint(table), prompt, limit))
        if any(job.prompt[: len(prefix)] != prefix for job in jobs):
            prefix = []  # a prompt cut short at its start (max_input_tokens)
        for chunk in _chunks(jobs, len(prefix)):
            self._side_by_side(chunk, prefix)
        return [job.result() for job in jobs]

    def _shared_start(self, prompts: Sequence[tuple[str, str]], head: str) -> list[int]:
        """The tokens every prompt starts with whatever its sentence: the system turn and
        the user turn up to the end of `head` (the instruction before the sentence), where
        every prompt has the same system prompt and its user turn starts with `head`."""
        systems = {system for system, _ in prompts}
        if len(systems) != 1:
            return []
        system = systems.pop()
        if not head or not all(user.startswith(head) for _, user in prompts):
            return self.system_ids(system)
        # What two different sentences' prompts share: the chat template and tokenizer decide
        # where the sentence's tokens begin.
        one, other = (self.prompt_ids(system, head + word, CONTEXT_TOKENS) for word in "AZ")
        return list(os.path.commonprefix([one, other]))

    def _side_by_side(self, jobs: Sequence[_Job], prefix: list[int]) -> None:
        """Decode the jobs as parallel sequences of one llama.cpp context. Sequence 0 holds
        the shared `prefix` (the system turn and the instruction before the sentence),
        evaluated on its own once and kept between calls; the jobs, in sequences 1, 2, ...,
        start from a copy of it, so a sentence's compression does not depend on the
        sentences beside it.

        Most tokens of a compression are forced: the constraint allows one token only (the
        rest of a word, a word that may not go). Those are written at once, without waiting
        for logits, and evaluated with the tokens before them, many per sequence and all
        sequences in batches of BATCH_TOKENS, as a prompt is; the model is asked only where
        it has a choice. The same tokens, and for a sentence alone the same log-probabilities,
        as asking the model at every token (beside other sentences, llama.cpp's sums depend on
        the batch, then as now: the mean log-probability within about 0.03)."""
        if self._sequences is None:
            self._sequences = _Sequences(self.llm, self.threads)
        sequences = self._sequences
        sequences.hold(prefix)
        feeds: dict[int, list[tuple[int, int, bool]]] = {}
        for seq, job in enumerate(jobs, start=1):
            if prefix:
                sequences.copy(0, seq, len(prefix))
            job.fed = len(prefix)
            self._write_forced(job)
            feeds[seq] = job.feed()
        while feeds:
            sequences.evaluate(feeds, lambda seq, position, row: jobs[seq - 1].take(position, row))
            chose, feeds = list(feeds), {}
            for seq in chose:
                job = jobs[seq - 1]
                row, job.next_row = job.next_row, None
                if row is None:  # at its length limit: nothing more to choose
                    continue
                token = job.constraint(row, job.out)
                job.logprob += float(_log_softmax(row)[token])
                self.generated_tokens += 1
                if self._is_end(token):
                    continue
                job.out.append(token)
                if len(job.out) < job.limit:
                    self._write_forced(job)
                    feeds[seq] = job.feed()

    def _write_forced(self, job: _Job) -> None:
        """Write the tokens the constraint forces after what the job has written, up to
        the next choice, the end of the sentence or the job's length limit."""
        while (token := job.constraint.forced(job.out)) is not None and not self._is_end(token):
            job.out.append(token)
            self.generated_tokens += 1
            if len(job.out) >= job.limit:
                job.at_limit = True
                return


@dataclass
class _Job:
    """One sentence to compress: its constraint, prompt and what has been written."""

    plan: DeletionPlan
    constraint: _Constraint
    prompt: list[int]
    limit: int
    out: list[int] = field(default_factory=list)
    logprob: float = 0.0
    fed: int = 0  # positions of prompt and output the context holds
    at_limit: bool = False  # its last token, at the length limit, is never evaluated
    next_row: np.ndarray | None = None  # the logits after everything written

    def feed(self) -> list[tuple[int, int, bool]]:
        """(position, token, wants logits) of what is written but not yet evaluated, with
        the logits of every position from the prompt's last on: they score the output."""
        tokens = [*self.prompt, *self.out]
        end = len(tokens) - 1 if self.at_limit else len(tokens)
        fed, self.fed = self.fed, end
        return [(p, tokens[p], p >= len(self.prompt) - 1) for p in range(fed, end)]

    def take(self, position: int, row: np.ndarray) -> None:
        """The logits after `position`: the log-probability of the output token that came
        next, or, after the last token written, the logits the next choice is made from."""
        index = position - len(self.prompt) + 1
        if index < len(self.out):
            self.logprob += float(_log_softmax(row)[self.out[index]])
        else:
            self.next_row = row

    def result(self) -> list[Compression]:
        kept = self.constraint.kept(self.out)
        if kept is None:
            return []
        return [Compression(self.plan, kept, self.logprob / (len(self.out) + 1))]


def _chunks(jobs: Sequence[_Job], shared: int = 0) -> list[list[_Job]]:
    """Jobs in groups that fit the side-by-side context: at most PARALLEL_SEQUENCES, their
    prompts and outputs within BATCH_CONTEXT_TOKENS, the `shared` prompt prefix (held once,
    in sequence 0) counted once."""
    chunks: list[list[_Job]] = []
    used = 0
    for job in jobs:
        need = len(job.prompt) - shared + job.limit
        if (
            not chunks
            or len(chunks[-1]) >= PARALLEL_SEQUENCES
            or used + need > BATCH_CONTEXT_TOKENS
        ):
            chunks.append([])
            used = shared
        chunks[-1].append(job)
        used += need
    return chunks


class _Constraint:
    """Chooses the likeliest token the deletion constraint allows after what was written."""

    def __init__(self, table: TokenTable) -> None:
        self.table = table
        self.states = table.start()
        self.read = 0  # tokens of the output the states account for

    def _catch_up(self, out: Sequence[int]) -> None:
        for token in out[self.read :]:
            self.states = self.table.advance(self.states, token)
        self.read = len(out)

    def __call__(self, logits: np.ndarray, out: list[int]) -> int:
        self._catch_up(out)
        allowed = np.fromiter(self.table.allowed(self.states), dtype=np.int64)
        return int(allowed[np.argmax(logits[allowed])])

    def forced(self, out: list[int]) -> int | None:
        """The one token allowed after `out`, if only one is."""
        self._catch_up(out)
        allowed = self.table.allowed(self.states)
        return next(iter(allowed)) if len(allowed) == 1 else None

    def kept(self, out: Sequence[int]) -> tuple[int, ...] | None:
        """The kept positions of a finished output (None if it did not finish a sentence)."""
        self._catch_up(out)
        return self.table.finished(self.states)


def _repeated_ngram_ends(tokens: Sequence[int], n: int) -> list[int]:
    """Tokens that would complete an n-gram the sequence already holds (none when n < 1)."""
    if n < 1 or len(tokens) < n:
        return []
    prefix = tuple(tokens[len(tokens) - n + 1 :])
    return [
        tokens[i + n - 1]
        for i in range(len(tokens) - n + 1)
        if tuple(tokens[i : i + n - 1]) == prefix
    ]
