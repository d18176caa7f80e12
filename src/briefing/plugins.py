"""The registries: the parts a briefing is built from, each found by its name.

Three kinds of part, each one module and one registration:
- summary backends (`summary.backend`): a `briefing.summarise.backends.Backend`;
- inbox readers, by file suffix (`ingest.extensions`): a function `read(path, data)` that
  returns an `ArticleDraft` or raises `InputError`;
- delivery channels (`delivery.channels`): a function `deliver(view, config)` that returns a
  `Delivered`.

A part is registered in one of three ways, and every one of them is an import path
("module:attribute"), so nothing is imported until the part is used:
- the built-in parts are listed below, in `BUILTIN`;
- an installed package declares an entry point in the groups `briefing.backends`,
  `briefing.readers`, `briefing.channels` (name = the part's name, value = its import path);
- code calls `backends.register(name, part)` (the tests' fake parts do).
config.yaml is validated against these registries: a name no registry holds is refused there.
This module imports no other module of the project, so config can use it without a cycle.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from briefing.errors import ConfigError

log = logging.getLogger(__name__)

BUILTIN: dict[str, dict[str, str]] = {
    "backends": {
        "llamacpp": "briefing.summarise.backends.llamacpp:BACKEND",
        "transformers": "briefing.summarise.backends.transformers:BACKEND",
        "openai": "briefing.summarise.backends.openai:BACKEND",
    },
    "readers": {
        ".txt": "briefing.ingest.plaintext:read",
        ".md": "briefing.ingest.markdown:read",
        ".markdown": "briefing.ingest.markdown:read",
        ".html": "briefing.ingest.html:read",
        ".htm": "briefing.ingest.html:read",
        ".eml": "briefing.ingest.eml:read",
    },
    "channels": {
        "files": "briefing.deliver.files:deliver",
        "pdf": "briefing.deliver.pdf:deliver",
        "email": "briefing.deliver.email:deliver",
    },
}


class UnknownPart(ConfigError, LookupError):
    """No part of that kind has that name; the message lists the names there are."""


@dataclass
class _Entry:
    """One registered name: its import path until first used, then the part itself."""

    path: str | None
    part: Any = None


class Registry:
    """The parts of one kind by name, in the order registered (built-ins first)."""

    def __init__(self, kind: str, builtin: dict[str, str], *, fold_case: bool = False) -> None:
        self.kind = kind
        self._fold = fold_case
        self._entries = {self._key(name): _Entry(path) for name, path in builtin.items()}
        self._entry_points_read = False
        self._lock = threading.Lock()

    def _key(self, name: str) -> str:
        return name.lower() if self._fold else name

    def register(self, name: str, part: Any) -> Any:
        """Register `part` (an object, or an import path "module:attribute") under `name`;
        a later registration of the same name replaces the earlier. Returns `part`."""
        entry = _Entry(part) if isinstance(part, str) else _Entry(None, part)
        with self._lock:
            self._entries[self._key(name)] = entry
        return part

    def unregister(self, name: str) -> None:
        """Forget the part `name` (a built-in comes back only in a new process)."""
        with self._lock:
            self._entries.pop(self._key(name), None)

    def names(self) -> list[str]:
        """Every registered name, built-ins first, in the order registered."""
        self._read_entry_points()
        with self._lock:
            return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._key(name) in self.names()

    def require(self, names: Iterable[str]) -> None:
        """A ValueError (for config validation) naming those of `names` no part has."""
        unknown = [name for name in names if name not in self]
        if unknown:
            raise ValueError(self._unknown(unknown))

    def _unknown(self, names: list[str]) -> str:
        known = ", ".join(self.names()) or "none"
        return f"no {self.kind} {', '.join(map(repr, names))} ({self.kind}s: {known})"

    def get(self, name: str) -> Any:
        """The part registered as `name`, imported on first use. UnknownPart if there is none;
        ConfigError if its module cannot be imported."""
        key = self._key(name)
        if key not in self:
            raise UnknownPart(self._unknown([name]))
        with self._lock:
            entry = self._entries[key]
        if entry.path is not None:
            entry.part = _load(entry.path, f"{self.kind} {name!r}")
            entry.path = None
        return entry.part

    def _read_entry_points(self) -> None:
        """Add the parts installed packages declare (group `briefing.<kind>s`), once; a
        name already registered keeps its part."""
        if self._entry_points_read:
            return
        self._entry_points_read = True
        for point in entry_points(group=f"briefing.{self.kind}s"):
            key = self._key(point.name)
            with self._lock:
                if key in self._entries:
                    log.warning("%s %r from %s ignored: the name is taken", self.kind, key, point)
                    continue
                self._entries[key] = _Entry(point.value)


def _load(path: str, what: str) -> Any:
    module_name, _, attribute = path.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attribute) if attribute else module
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"{what} cannot be loaded from {path}: {exc}") from exc


backends = Registry("backend", BUILTIN["backends"])
readers = Registry("reader", BUILTIN["readers"], fold_case=True)
channels = Registry("channel", BUILTIN["channels"])
