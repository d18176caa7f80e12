"""A workaround for llama.cpp builds with Intel AMX, whose matrix product crashes the
process at the first decode on some CPUs: such a build loads models without AMX buffers."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)


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
