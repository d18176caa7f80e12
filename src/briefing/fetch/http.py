"""A polite HTTP client for feeds and pages: timeouts, a size limit, one request per host at
a time interval, conditional requests (ETag / Last-Modified), redirects followed (urllib)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

from briefing.config import FetchConfig


class FetchError(Exception):
    """A feed or page that cannot be had; its message is one line for the user."""


@dataclass(frozen=True)
class Response:
    """One HTTP answer: status, body and the validators for the next request."""

    url: str  # after redirects
    status: int  # 200, or 304 (not modified)
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str


@dataclass
class PoliteClient:
    """An HTTP client that asks each host at most once per `per_host_seconds`."""

    settings: FetchConfig
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET `url` (conditionally, with the validators given); raises FetchError."""
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise FetchError(f"{url}: not an http(s) URL")
        self._wait_for(parsed.hostname)
        request = urllib.request.Request(url, headers={"User-Agent": self.settings.user_agent})
        if etag:
            request.add_header("If-None-Match", etag)
        if last_modified:
            request.add_header("If-Modified-Since", last_modified)
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds) as reply:
                body = reply.read(self.settings.max_page_bytes + 1)
                if len(body) > self.settings.max_page_bytes:
                    raise FetchError(
                        f"{url}: over the {self.settings.max_page_bytes:,}-byte limit "
                        "(fetch.max_page_bytes); not saved"
                    )
                return Response(
                    reply.geturl(),
                    reply.status,
                    body,
                    reply.headers.get("ETag"),
                    reply.headers.get("Last-Modified"),
                    reply.headers.get("Content-Type", ""),
                )
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(url, 304, b"", etag, last_modified, "")
            raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"{url}: {reason}") from exc

    def _wait_for(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = self.settings.per_host_seconds - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()
