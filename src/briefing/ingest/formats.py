"""The input formats: one reader per file suffix, each in its own module, found through the
registry `briefing.plugins.readers` (a new format is a module with a `read(path, data)`
function and one registration: docs/extending.md).

A reader takes a file's path (for messages) and bytes and returns an ArticleDraft, or raises
InputError.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from briefing import plugins
from briefing.errors import InputError
from briefing.ingest.draft import ArticleDraft


class Reader(Protocol):
    """Reads one inbox file's bytes into an ArticleDraft, or raises InputError."""

    def __call__(self, path: Path, data: bytes, /) -> ArticleDraft:
        """The draft read from `data`, the bytes of the file at `path`."""


def reader_for(path: Path) -> Reader:
    """The reader registered for the file's suffix (any case)."""
    try:
        reader: Reader = plugins.readers.get(path.suffix)
    except plugins.UnknownPart as exc:
        raise InputError(path, str(exc)) from None
    return reader
