"""llama.cpp backend: GGUF models run directly by llama-cpp-python.

The GGUF is memory-mapped and ready in well under a second (a small 4-bit one from an 8-bit
copy, made once in under a second: `weights_copy`), and it runs several times faster than
transformers on a CPU. Decoding is a short loop of our own over llama.cpp's logits, so
compression follows the same deletion constraint as the transformers path
(`compress.TokenTable`), and free writing decodes greedily with the same repetition settings.
Compression decodes a window of stories' sentences side by side as parallel sequences of one
batch, in a context of its own, their prompts evaluated together and the prompt prefix they
share once; the tokens the constraint forces (nearly all of a compression's) are written
without asking the model and evaluated in batches, as prompts are. Free writing keeps its
evaluated prompt prefix in the model's own context from one prompt to the next.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefing.errors import ModelError
from briefing.modelfiles import files_digest, resolve_model
from briefing.summarise.backends import GenerationSettings
from briefing.summarise.compress import (
    Compression,
    CompressionSettings,
    TokenTable,
    word_budget,
)
from briefing.summarise.deletions import DeletionPlan

log = logging.getLogger(__name__)

# Room for the longest prompt (summary.max_input_tokens <= this minus the output).
CONTEXT_TOKENS = 2048
# Sentences are compressed side by side, as parallel sequences of one batch: a window of
# stories at a time (the summariser's). On the speed benchmark's 48 sentences (N = 100),
# the calls took 21.8 s one story at a time, 8 side by side, with the shipped Q4_1 weights;
# 17.5 s in windows of 16 sentences; 15.7 s with 16 side by side; 12.1 s with 16 from a
# float16 copy. A cold run at N = 100 took 14.9 s with windows of 16 and 16 side by side
# against 13.9 s with 32 and 32 (four runs and three, alternating, float16 copy); with 32,
# the calls took 12.8 s as shipped, 9.1 s from a float16 copy and 8.9 s from a Q8_0 copy;
# 6.4 s with forced tokens written at once (8.6 s the same day without); 48 or 64 side by
# side were no faster.
PARALLEL_SEQUENCES = 32
BATCH_CONTEXT_TOKENS = 4096  # shared by the parallel sequences: prompts plus outputs
BATCH_TOKENS = 512


class _Tokenizer:
    """The `encode` a TokenTable needs, over llama.cpp's own tokenizer."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm

    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))


def _row_logits(lib: Any, ctx: Any, row: int, n_vocab: int) -> np.ndarray:
    """A float64 copy of the logits of one output row of a context's last batch."""
    pointer = lib.llama_get_logits_ith(ctx, row)
    return np.ctypeslib.as_array(pointer, shape=(n_vocab,)).astype(np.float64)


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


def gguf_path(spec: str) -> Path:
    """The GGUF file a model spec names: `pypi:<package>` or a path to a .gguf file."""
    source = resolve_model(spec)
    if source.gguf_file:
        return Path(source.name_or_path) / source.gguf_file
    path = Path(spec).expanduser()
    if path.suffix == ".gguf" and path.is_file():
        return path
    raise ModelError(
        f"the llamacpp backend runs GGUF files; {spec!r} is not one "
        "(use summary.backend: transformers for a transformers model)"
    )


def load_llamacpp(
    spec: str,
    threads: int | None = None,
    copy: str = "off",
    cache_dir: Path | None = None,
) -> LlamaCppModel:
    """Load a GGUF model with llama.cpp, quietly, on `threads` CPU threads (default: all);
    from a copy of it in other weights, made once in `cache_dir`, where `copy` (auto, q8_0,
    f16, off: `summary.weights_copy`) says so."""
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ModelError(
            "summary.backend is llamacpp but llama-cpp-python is not installed; run "
            "scripts/setup.sh (it builds it) or set summary.backend: transformers"
        ) from exc
    shipped = gguf_path(spec)
    started = time.perf_counter()
    kind = copy_kind(shipped, copy) if cache_dir is not None else None
    path = weights_copy(shipped, cache_dir, kind) if cache_dir is not None and kind else shipped
    n_threads = threads or os.cpu_count() or 1
    try:
        with _without_amx() if amx_in_build() else contextlib.nullcontext():
            llm = Llama(
                model_path=str(path),
                n_ctx=CONTEXT_TOKENS,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                verbose=False,
            )
    except (ValueError, OSError, RuntimeError) as exc:
        raise ModelError(f"cannot load summary model {spec!r} with llama.cpp: {exc}") from exc
    # Freed before the interpreter tears down the modules its destructor needs.
    atexit.register(llm.close)
    log.info("loaded %s with llama.cpp in %.2f s", path.name, time.perf_counter() - started)
    name = resolve_model(spec).display_name if spec.startswith("pypi:") else shipped.name
    if path != shipped:
        name += f", run as {kind}"
    return LlamaCppModel(f"{name} via llama.cpp", llm, n_threads)


# Under weights_copy: auto, GGUF files up to this size (in 4 or 5 bits) are run from a Q8_0
# copy, about twice their size.
COPY_AUTO_BYTES = 256 * 2**20
# Weights a copy is made in: llama.cpp's file type for each.
COPY_TYPES = {"Q8_0": "LLAMA_FTYPE_MOSTLY_Q8_0", "F16": "LLAMA_FTYPE_MOSTLY_F16"}
# File names that say the weights have 8 bits or more already: no copy under auto.
_FINE_WEIGHTS = ("Q8_0", "Q8_K", "F16", "BF16", "F32")


def copy_kind(path: Path, setting: str) -> str | None:
    """The weights a GGUF file is run in from a copy (Q8_0, F16), or None to run it as it
    is: `q8_0` or `f16` as asked (unless the file is in them already); `auto`, Q8_0 for a
    file up to COPY_AUTO_BYTES whose name does not say it has 8-bit or float weights."""
    name = path.stem.upper()
    if setting == "off" or name.endswith(setting.upper()):
        return None
    if setting != "auto":
        return setting.upper()
    if name.endswith(_FINE_WEIGHTS) or path.stat().st_size > COPY_AUTO_BYTES:
        return None
    return "Q8_0"


def weights_copy(path: Path, cache_dir: Path, kind: str) -> Path:
    """A copy of a GGUF file in other weights (`kind`: Q8_0 or F16), made once in
    `cache_dir` by llama.cpp's own converter and written atomically; the file itself if it
    cannot be made.

    Why: llama.cpp's CPU kernels for the shipped 4-bit weights (Q4_1) cost about 3-4 ms a
    token however many tokens a batch holds; its Q8_0 and float16 kernels about 1.6 ms a token
    in batches (a 50-token prompt alone: 3.9 against 2.6 ms a token; 16 prompts side by side:
    3.1 against 1.65), and the summaries decode many sentences side by side. Q8_0 also
    compresses one sentence alone about as fast as Q4_1 (its prompt faster, each step 13.7
    against 11.5 ms; float16's step 18.2 ms), at half float16's size. Each 4-bit weight is
    unpacked and re-quantised to 8 bits, its error at most 1/254 of its 32-weight block's
    largest (float16: rounded, a relative error under 0.05 %).
    """
    import ctypes

    import llama_cpp
    from llama_cpp._utils import suppress_stdout_stderr

    target = cache_dir / "gguf" / f"{path.stem}-{files_digest(path, [path])}.{kind}.gguf"
    if target.exists():
        return target
    log.info("making a %s copy of %s for llama.cpp (once)", kind, path.name)
    _remove_stale_partials(target)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, COPY_TYPES[kind])
    params.allow_requantize = True
    params.nthread = os.cpu_count() or 1
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with suppress_stdout_stderr(disable=False):  # its per-tensor log, on the C side
            code = llama_cpp.llama_model_quantize(
                str(path).encode(), str(partial).encode(), ctypes.byref(params)
            )
        if code != 0:
            raise OSError(f"llama_model_quantize returned {code}")
        os.replace(partial, target)
    except OSError as exc:
        log.warning("no %s copy of %s (%s); it runs as shipped", kind, path.name, exc)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return path
    return target


def _remove_stale_partials(target: Path) -> None:
    """Remove what a process killed while it made `target` left (a partial copy the size of
    the model), unless that process still runs."""
    for partial in target.parent.glob(f".{target.name}.*.partial"):
        pid = partial.name.removesuffix(".partial").rsplit(".", 1)[-1]
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                partial.unlink()
        except (ValueError, OSError):
            pass  # not a pid of ours, or a process we may not signal: still running


def amx_in_build() -> bool:
    """Whether this llama.cpp build moves weights into Intel AMX buffers. Its AMX matrix
    product crashes the process (SIGSEGV in the first decode) on some CPUs that have AMX
    (seen here on a Xeon with amx_int8; llama.cpp issue 20824), so scripts/setup.sh builds
    without it (and asks this, to rebuild a cached wheel that has it), and a model is loaded
    here without those buffers where a build has them."""
    import llama_cpp

    return "AMX_INT8 = 1" in llama_cpp.llama_print_system_info().decode(errors="replace")


@contextlib.contextmanager
def _without_amx() -> Iterator[None]:
    """Models loaded inside keep their weights in plain CPU buffers (no AMX, no repacking):
    `Llama` takes no `use_extra_bufts`, so its default model parameters say it meanwhile."""
    import llama_cpp.llama as module

    default = module.llama_cpp.llama_model_default_params

    def params() -> Any:
        chosen = default()
        chosen.use_extra_bufts = False
        return chosen

    module.llama_cpp.llama_model_default_params = params
    log.info("this llama.cpp build uses Intel AMX: the model is loaded without it")
    try:
        yield
    finally:
        module.llama_cpp.llama_model_default_params = default
