"""The input formats: one reader per file suffix, each in its own module.

A reader takes a file's path (for messages) and bytes and returns an ArticleDraft, or raises
InputError. To read a new format, write a module with a `read(path, data)` function and
register its suffixes here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from briefing.errors import InputError
from briefing.ingest import eml, html, markdown, plaintext
from briefing.ingest.draft import ArticleDraft


class Reader(Protocol):
    """Reads one inbox file's bytes into an ArticleDraft, or raises InputError."""

    def __call__(self, path: Path, data: bytes, /) -> ArticleDraft:
        """The draft read from `data`, the bytes of the file at `path`."""


READERS: dict[str, Reader] = {
    ".txt": plaintext.read,
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".html": html.read,
    ".htm": html.read,
    ".eml": eml.read,
}


def reader_for(path: Path) -> Reader:
    """The reader registered for the file's suffix (any case)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(path, f"no reader for '{path.suffix}' files (readers: {known()})")
    return reader


def unreadable(extensions: Iterable[str]) -> list[str]:
    """The suffixes among `extensions` that no reader is registered for."""
    return [e for e in extensions if e.lower() not in READERS]


def known() -> str:
    """The registered suffixes, for messages."""
    return ", ".join(READERS)
