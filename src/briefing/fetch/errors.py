"""The one error of fetching: a feed or page that cannot (or may not) be had."""

from __future__ import annotations


class FetchError(Exception):
    """A feed or page that cannot be had; its message is one line for the user."""
