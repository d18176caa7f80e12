"""Summarise: one short, sourced summary per story, written by a local model and guarded.

`Summariser` (in `summariser.py`) picks the sentences that carry a story and has the model
write them: compress (default) shortens each by deleting phrases under the constraint of
`compress.py` and the rules of `deletions.py`; generate fuses them freely; extract quotes
them. The faithfulness guard (`guard.py`) checks every sentence the model wrote.

The names below are loaded when first used, so importing one of the package's modules (the
deletion rules, say) does not load the summariser and everything it needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.summarise.settings import protected_words, summary_cache_key
    from briefing.summarise.summariser import UNAVAILABLE_NAME, Summariser

# Each name and the module that defines it.
_HOMES = {
    "UNAVAILABLE_NAME": "summariser",
    "Summariser": "summariser",
    "protected_words": "settings",
    "summary_cache_key": "settings",
}
__all__ = ["UNAVAILABLE_NAME", "Summariser", "protected_words", "summary_cache_key"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"briefing.summarise.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'briefing.summarise' has no attribute {name!r}")
