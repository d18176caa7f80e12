"""Batched decoding over llama.cpp's C API: a context of its own holding several sequences
side by side, their tokens packed into batches, the logits of each row read back."""

from __future__ import annotations

import atexit
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

# Sentences are compressed side by side, as parallel sequences of one batch: a window of
# stories at a time (the summariser's). benchmarks/speed.py chose the number; wider was no
# faster (figures in docs/benchmarks.md).
PARALLEL_SEQUENCES = 32
BATCH_CONTEXT_TOKENS = 4096  # shared by the parallel sequences: prompts plus outputs
BATCH_TOKENS = 512


def _row_logits(lib: Any, ctx: Any, row: int, n_vocab: int) -> np.ndarray:
    """A float64 copy of the logits of one output row of a context's last batch."""
    pointer = lib.llama_get_logits_ith(ctx, row)
    return np.ctypeslib.as_array(pointer, shape=(n_vocab,)).astype(np.float64)


class _Sequences:
    """A llama.cpp context of its own holding several sequences side by side, for batched
    decoding (`Llama`'s own context holds one)."""

    def __init__(self, llm: Any, threads: int) -> None:
        import llama_cpp
        from llama_cpp import _internals

        self._lib = llama_cpp
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = BATCH_CONTEXT_TOKENS
        params.n_batch = params.n_ubatch = BATCH_TOKENS
        params.n_seq_max = PARALLEL_SEQUENCES + 1  # and sequence 0, the shared prefix
        params.n_threads = params.n_threads_batch = threads
        params.kv_unified = True  # the sequences share the context's cells
        self.context = _internals.LlamaContext(model=llm._model, params=params, verbose=False)
        self.batch = llama_cpp.llama_batch_init(BATCH_TOKENS, 0, 1)
        self.n_vocab = int(llm.n_vocab())
        self.held: list[int] = []  # the prefix sequence 0 holds
        atexit.register(self.close)

    def close(self) -> None:
        if self.batch is not None:
            self._lib.llama_batch_free(self.batch)
            self.batch = None
            self.context.close()

    def _memory(self) -> Any:
        return self._lib.llama_get_memory(self.context.ctx)

    def hold(self, prefix: list[int]) -> None:
        """Empty the job sequences; sequence 0 holds `prefix` (evaluated unless it does)."""
        memory = self._memory()
        if prefix != self.held:
            self._lib.llama_memory_clear(memory, True)
            self.held = []
            if prefix:
                self.evaluate({0: [(p, token, False) for p, token in enumerate(prefix)]})
                self.held = list(prefix)
        for seq in range(1, PARALLEL_SEQUENCES + 1):
            self._lib.llama_memory_seq_rm(memory, seq, -1, -1)

    def copy(self, source: int, target: int, length: int) -> None:
        """Share the first `length` positions of one sequence with another."""
        self._lib.llama_memory_seq_cp(self._memory(), source, target, 0, length)

    def _decode(self, items: Sequence[tuple[int, int, int, bool]]) -> None:
        batch = self.batch
        batch.n_tokens = len(items)
        for i, (seq, token, position, wants_logits) in enumerate(items):
            batch.token[i] = token
            batch.pos[i] = position
            batch.seq_id[i][0] = seq
            batch.n_seq_id[i] = 1
            batch.logits[i] = wants_logits
        code = self._lib.llama_decode(self.context.ctx, batch)
        if code != 0:
            raise RuntimeError(f"llama_decode returned {code}")

    def _logits(self, row: int) -> np.ndarray:
        return _row_logits(self._lib, self.context.ctx, row, self.n_vocab)

    def evaluate(
        self,
        feeds: dict[int, list[tuple[int, int, bool]]],
        take: Callable[[int, int, np.ndarray], None] = lambda seq, position, row: None,
    ) -> None:
        """Evaluate each sequence's (position, token, wants logits), the sequences packed
        together into batches of BATCH_TOKENS (a few long batches run faster than one short
        batch per sequence); `take(sequence, position, logits)` where logits are wanted, as
        each batch is done."""
        items = [
            (seq, token, position, wants)
            for seq, feed in feeds.items()
            for position, token, wants in feed
        ]
        for first in range(0, len(items), BATCH_TOKENS):
            batch = items[first : first + BATCH_TOKENS]
            self._decode(batch)
            for row, (seq, _, position, wants) in enumerate(batch):
                if wants:
                    take(seq, position, self._logits(row))
