"""A polite, guarded HTTP client for feeds and pages (httpx).

Polite: at most one request per host every `per_host_seconds`; conditional requests
(ETag / Last-Modified). Guarded, at every hop of a redirect chain:
- only http(s), and only to a host whose every address is public (`addresses.py`), unless
  `fetch.allow_private_hosts` names it; the connection goes to the address that was checked,
  so a host cannot answer the check with one address and the request with another;
- the body counts against `fetch.max_page_bytes` after decompression, which this module does
  itself, a bounded piece at a time (only gzip and deflate are asked for);
- a page ends by its deadline (`fetch.page_deadline_seconds`, and the fetch run's), however
  slowly the server trickles bytes: the time left is checked at every piece read, and one
  read waits at most `fetch.timeout_seconds`, never longer than the time left at its hop;
- what is not text (a binary body, an image) is refused.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from briefing.config import FetchConfig
from briefing.fetch.addresses import Target, checked_address
from briefing.fetch.errors import FetchError

__all__ = ["FetchError", "PoliteClient", "Response"]

MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
# Media types read as text; a missing Content-Type is judged by the body.
_TEXT_TYPES = (
    "text/",
    "application/xhtml",
    "application/xml",
    "application/rss",
    "application/atom",
)


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
    """An HTTP client that asks each host at most once per `per_host_seconds`, and gives up
    on everything at `deadline` (a `clock()` time) or when `stop` is set."""

    settings: FetchConfig
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    deadline: float = float("inf")
    stop: threading.Event = field(default_factory=threading.Event)
    _last: dict[str, float] = field(default_factory=dict)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET `url` (conditionally, with the validators given); raises FetchError."""
        first = url
        ends = min(self.clock() + self.settings.page_deadline_seconds, self.deadline)
        headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            try:
                target = checked_address(url, self.settings.allow_private_hosts)
                self._wait_for(target.host, ends)
                status, location, reply = self._request(url, target, headers, ends)
            except FetchError as exc:
                if url == first:
                    raise
                raise FetchError(f"{first}: redirected to {exc}") from exc
            if location is None:
                if status == 304:
                    return Response(url, 304, b"", etag, last_modified, "")
                assert reply is not None
                return reply
            url = urljoin(url, location)
        raise FetchError(f"{first}: more than {MAX_REDIRECTS} redirects")

    def _request(
        self, url: str, target: Target, headers: dict[str, str], ends: float
    ) -> tuple[int, str | None, Response | None]:
        """One hop: (status, redirect location or None, the response when it is final)."""
        failure: httpx.ConnectError | None = None
        for address in target.addresses:  # the next checked address if one refuses
            try:
                return self._request_at(url, target.url_at(address), target, headers, ends)
            except httpx.ConnectError as exc:
                failure = exc
        raise FetchError(f"{url}: cannot connect ({failure})")

    def _request_at(
        self, url: str, pinned: str, target: Target, headers: dict[str, str], ends: float
    ) -> tuple[int, str | None, Response | None]:
        left = self._time_left(url, ends)
        request_headers = {**headers, "Host": target.host_header}
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        try:
            timeout = httpx.Timeout(min(self.settings.timeout_seconds, left))
            with (
                httpx.Client(timeout=timeout) as client,
                client.stream(
                    "GET", pinned, headers=request_headers, extensions=extensions
                ) as reply,
            ):
                if reply.status_code in _REDIRECTS and reply.headers.get("Location"):
                    return reply.status_code, reply.headers["Location"], None
                if reply.status_code == 304:
                    return 304, None, None
                if reply.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {reply.status_code} {reply.reason_phrase}")
                body = self._body(url, reply, ends)
                kind = reply.headers.get("Content-Type", "")
                _check_text(url, kind, body)
                return (
                    reply.status_code,
                    None,
                    Response(
                        url,
                        reply.status_code,
                        body,
                        reply.headers.get("ETag"),
                        reply.headers.get("Last-Modified"),
                        kind,
                    ),
                )
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out") from exc
        except httpx.ConnectError:
            raise
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {exc or type(exc).__name__}") from exc

    def _body(self, url: str, reply: httpx.Response, ends: float) -> bytes:
        """The decoded body, read a piece at a time against the size limit and the deadline."""
        limit = self.settings.max_page_bytes
        decoder = _decoder(url, reply.headers.get("Content-Encoding", ""))
        parts: list[bytes] = []
        size = 0
        for raw in reply.iter_raw():
            self._time_left(url, ends)
            for piece in decoder(raw, limit + 1 - size):
                size += len(piece)
                parts.append(piece)
                if size > limit:
                    raise FetchError(
                        f"{url}: over the {limit:,}-byte limit (fetch.max_page_bytes); not saved"
                    )
        return b"".join(parts)

    def run_ended(self) -> str | None:
        """Why the fetch run must stop before its next request, if it must."""
        if self.stop.is_set():
            return "the service is stopping"
        if self.clock() >= self.deadline:
            return "the fetch run reached fetch.run_deadline_seconds"
        return None

    def _time_left(self, url: str, ends: float) -> float:
        if self.stop.is_set():
            raise FetchError(f"{url}: stopped (the service is shutting down)")
        left = ends - self.clock()
        if left <= 0:
            raise FetchError(
                f"{url}: timed out (over the page or fetch-run deadline: "
                "fetch.page_deadline_seconds, fetch.run_deadline_seconds)"
            )
        return left

    def _wait_for(self, host: str, ends: float) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = self.settings.per_host_seconds - (self.clock() - last)
            if wait > 0:
                self.sleep(min(wait, max(0.0, ends - self.clock())))
        self._last[host] = self.clock()


def _decoder(url: str, encoding: str) -> Callable[[bytes, int], list[bytes]]:
    """A function from a raw piece and the bytes still allowed to the decoded pieces, never
    more than allowed plus one piece's worth, so a small compressed body cannot expand in
    memory past the limit."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda raw, allowed: [raw]
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url}: content encoding {encoding!r} not supported")
    # 47: a gzip or zlib header, detected; raw deflate is tried when deflate has no header.
    inflater = zlib.decompressobj(47)

    def decode(raw: bytes, allowed: int) -> list[bytes]:
        pieces = []
        data = raw
        try:
            while data and allowed > 0:
                piece = inflater.decompress(data, allowed)
                pieces.append(piece)
                allowed -= len(piece)
                data = inflater.unconsumed_tail
            if data:  # more output than allowed: the caller counts it as over the limit
                pieces.append(b"\0")
        except zlib.error as exc:
            raise FetchError(f"{url}: a corrupt {encoding} body ({exc})") from exc
        return pieces

    return decode


def _check_text(url: str, content_type: str, body: bytes) -> None:
    """Refuse what is not a page or a feed: a non-text media type, or a body with NUL bytes."""
    kind = content_type.split(";")[0].strip().lower()
    if (kind and not kind.startswith(_TEXT_TYPES) and not kind.endswith("+xml")) or b"\0" in body[
        :65536
    ]:
        shown = kind or "binary data"
        raise FetchError(f"{url}: not a web page or feed ({shown}); not saved")
