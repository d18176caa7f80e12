"""Copies of a GGUF model in other weights (8-bit, float16), made once in the model cache
and reused; partial copies left by processes that died are removed."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from briefing.modelfiles import files_digest

log = logging.getLogger(__name__)


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
