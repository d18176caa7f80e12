"""The project's errors. Each carries the exit code the CLI turns it into.

Library code raises these with a message a user can act on; only `cli.py` prints them.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base class: an expected failure with a one-line, user-facing message."""

    exit_code = 1


class ConfigError(BriefingError):
    """config.yaml is missing, unreadable or has invalid fields."""

    exit_code = 2


class DateRangeError(BriefingError):
    """A date range that ends before it starts."""

    exit_code = 2


class InputError(BriefingError):
    """One inbox file cannot be ingested; the message names the reason."""

    exit_code = 1

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class NotFoundError(BriefingError):
    """What a command was asked for does not exist (a briefing never built)."""

    exit_code = 2


class NoArticlesError(BriefingError):
    """A date range holds no articles, so there is nothing to brief."""

    exit_code = 3


class ModelError(BriefingError):
    """A configured model cannot be found or loaded."""

    exit_code = 4


class DeliveryError(BriefingError):
    """A briefing could not be delivered (bad address, SMTP failure)."""

    exit_code = 5


class BusyError(BriefingError):
    """Another process is already building the same briefing."""

    exit_code = 6


class StoreError(BriefingError):
    """The store cannot be used (written by a newer release)."""

    exit_code = 1


class OutputError(BriefingError):
    """The briefing cannot be written (disk full, read-only or missing folder)."""

    exit_code = 1
