"""What shapes a summary, from the config: the cache keys of summaries and of each
sentence's compressions, and the words a compression never deletes.

A summary is cached under its articles and every setting that changes what is written: the
`summary` section without the backends' sections, the running backend's own section without
the settings that only say where or how fast it runs (`Backend.runtime_settings`), the guard,
and PIPELINE_VERSION.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

from briefing.config import Config
from briefing.records import Story
from briefing.summarise.backends import backend_named, resolve_backend
from briefing.summarise.claims import ProtectedWords
from briefing.summarise.guard import GuardThresholds
from briefing.text import digest

# Bump when the summarising pipeline changes in a way its code does not show (a model file,
# a data file), so cached summaries are rebuilt; a change to the code itself changes
# `rules_digest`.
PIPELINE_VERSION = "10"


@functools.cache
def rules_digest() -> str:
    """A digest of the summarising code (briefing/summarise/**/*.py): a changed rule changes
    every cache key, so no stored compression or summary outlives the rules that made it.
    Checked by tests/test_summarise_parts.py."""
    package = Path(__file__).parent
    sha = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        sha.update(path.relative_to(package).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def writing_settings(config: Config) -> dict[str, Any]:
    """The settings that shape what the model writes: summary settings, backend, version."""
    summary = config.summary
    name = resolve_backend(summary)
    runtime = backend_named(name).runtime_settings
    written = summary.model_dump(mode="json", exclude={"model_cache_dir"})
    for section in summary.configured_backends():
        written.pop(section, None)  # the other backends' sections say nothing here
    own = summary.backend_settings(name).model_dump(mode="json")
    written[name] = {key: value for key, value in own.items() if key not in runtime}
    return {
        "summary": written,
        "backend": name,
        "version": PIPELINE_VERSION,
        "rules": rules_digest(),
    }


def summary_cache_key(story: Story, config: Config, thresholds: GuardThresholds) -> str:
    """The key of a story's summary: its articles and every setting that shapes it."""
    payload = {
        "articles": sorted(a.id for a in story.distinct_articles),
        **writing_settings(config),
        "guard": config.guard.model_dump(mode="json"),
        "thresholds": asdict(thresholds),
    }
    return digest(payload)


def protected_words(config: Config) -> ProtectedWords:
    """The words compression may never delete, from the config."""
    p = config.summary.protected
    return ProtectedWords(
        frozenset(w.lower() for w in p.negations),
        frozenset(w.lower() for w in p.modals_and_hedges),
        frozenset(w.lower() for w in p.attribution_verbs),
        frozenset(w.lower() for w in p.role_words),
    )
