"""Feeds are written by others: what their links and their servers may not do to us.

Against real servers on loopback: an item link or a redirect to a private or local address,
or to another scheme, is refused without connecting; a server that trickles bytes is cut off
at the page's deadline; a compressed body counts decompressed; a binary body is not saved; a
page's own <meta charset> decodes it; a stopped fetch run ends; the service fetches on its own
worker, so the inbox job runs while a feed hangs.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from tests.servers import send_page

from briefing.cli import cli
from briefing.config import FetchConfig
from briefing.fetch import fetch_into_inbox
from briefing.fetch.addresses import checked_address
from briefing.fetch.errors import FetchError
from briefing.fetch.http import PoliteClient

PAGE = (
    "<html><head><title>Ferry timetable approved</title></head><body><article>"
    "<h1>Ferry timetable approved</h1><p>"
    + "The harbour council of Caldmouth approved a new ferry timetable on Monday. " * 12
    + "</p></article></body></html>"
).encode()
# Latin-1 bytes, declared only in the page's <meta charset> (its HTTP header names none).
LATIN1_PAGE = (
    "<html><head><meta charset='iso-8859-1'><title>Café owners in Zürich</title></head>"
    "<body><article><h1>Café owners in Zürich</h1><p>"
    + "Café owners in Zürich asked the city for longer terrace hours. " * 10
    + "</p></article></body></html>"
)


class Routes(BaseHTTPRequestHandler):
    """Pages by path; `server.base` is how the feed names this server."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        server = self.server
        assert isinstance(server, Server)
        server.paths.append(self.path)
        route = {
            "/feed.xml": self.feed,
            "/story.html": lambda: self.reply(PAGE),
            "/to-loopback.html": lambda: self.redirect(f"http://127.0.0.1:{server.port}/secret"),
            "/to-ftp.html": lambda: self.redirect(f"ftp://127.0.0.1:{server.ftp_port}/x"),
            "/secret": lambda: self.reply(b"<html><body>internal admin token</body></html>"),
            "/trickle.html": self.trickle,
            "/bomb.html": self.bomb,
            "/image.html": lambda: self.reply(b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png"),
            "/latin1.html": lambda: self.reply(LATIN1_PAGE, encoding="latin-1"),
        }.get(self.path, lambda: self.reply(b"not found", code=404))
        route()

    def feed(self) -> None:
        server = self.server
        assert isinstance(server, Server)
        items = "".join(
            f"<item><title>Item {path}</title>"
            f"<link>{path if path.startswith('http') else server.base + path}</link>"
            "<pubDate>Mon, 28 Mar 2022 07:00:00 GMT</pubDate><description>Short.</description>"
            "</item>"
            for path in server.items
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}'
        self.reply(f"{body}</channel></rss>".encode(), "application/rss+xml")

    def reply(
        self, body: bytes | str, kind: str = "text/html", code: int = 200, encoding: str = ""
    ) -> None:
        data = body.encode(encoding or "utf-8") if isinstance(body, str) else body
        send_page(self, code, data, {"Content-Type": kind})

    def redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.end_headers()

    def trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for _ in range(200):  # 9 bytes every 0.2 s: each read is quick, the page endless
                self.wfile.write(b"<p>slow</p>"[:9])
                self.wfile.flush()
                time.sleep(0.2)

    def bomb(self) -> None:
        data = gzip.compress(b"<html>" + b" " * 50_000_000)  # 50 MB in about 50 KB
        send_page(self, 200, data, {"Content-Type": "text/html", "Content-Encoding": "gzip"})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Routes)
        self.port = self.server_address[1]
        self.base = f"http://localhost:{self.port}"  # allowed by name; 127.0.0.1 is not
        self.paths: list[str] = []
        self.items: list[str] = []
        # A listening socket that only counts connections: the FTP server a redirect names.
        self.ftp = socket.socket()
        self.ftp.bind(("127.0.0.1", 0))
        self.ftp.listen()
        self.ftp.settimeout(0.1)
        self.ftp_port = self.ftp.getsockname()[1]

    def ftp_connections(self) -> int:
        count = 0
        with contextlib.suppress(TimeoutError, OSError):
            while True:
                self.ftp.accept()[0].close()
                count += 1
        return count


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.ftp.close()


@pytest.fixture
def project(make_project, server: Server):
    def make(*items: str, **fetch: object):
        server.items = list(items)
        settings = {
            "feeds": [f"{server.base}/feed.xml"],
            "timeout_seconds": 1,
            "page_deadline_seconds": 2,
            "per_host_seconds": 0,
            "max_page_bytes": 1_000_000,
            "allow_private_hosts": ["localhost"],
            **fetch,
        }
        return make_project(fetch=settings)

    return make


def fetch(config):
    return CliRunner().invoke(cli, ["--config", str(config.base_dir / "config.yaml"), "fetch"])


def saved(config) -> list[str]:
    folder = config.inbox / "feeds"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_links_and_redirects_to_private_addresses_are_refused(project, server) -> None:
    config = project(
        "/story.html",
        "/to-loopback.html",
        "/to-ftp.html",
    )
    # An item link straight to a loopback address, and one to a link-local metadata service.
    server.items += [f"http://127.0.0.1:{server.port}/secret", "http://169.254.169.254/latest"]
    result = fetch(config)
    out = result.output
    assert result.exit_code == 1, out
    assert len(saved(config)) == 1, (saved(config), out)  # the public story only
    assert out.count("is a private or local address") == 3, out
    assert "/to-ftp.html: redirected to ftp://" in out and "not an http(s) URL" in out
    assert "/to-loopback.html: redirected to http://127.0.0.1" in out
    assert "/secret" not in server.paths  # never asked for, directly or by redirect
    assert server.ftp_connections() == 0  # the FTP redirect connected nowhere
    assert "internal admin token" not in "".join(
        (config.inbox / "feeds" / name).read_text() for name in saved(config)
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://localhost/",
    ],
)
def test_every_kind_of_non_public_address_is_refused(url: str) -> None:
    with pytest.raises(FetchError, match="private or local address"):
        checked_address(url, [])


def test_allowed_hosts_name_a_host_an_address_or_a_network() -> None:
    private = checked_address("http://10.1.2.3:81/a?b", ["10.0.0.0/8"])
    assert private.url_at(private.addresses[0]) == "http://10.1.2.3:81/a?b"
    target = checked_address("https://localhost:8443/x", ["localhost"])
    assert target.host_header == "localhost:8443"
    assert "https://127.0.0.1:8443/x" in [target.url_at(a) for a in target.addresses]
    ipv6 = checked_address("http://[::1]:81/", ["::1"])
    assert (ipv6.host_header, ipv6.url_at(ipv6.addresses[0])) == ("[::1]:81", "http://[::1]:81/")
    for url in ("file:///etc/passwd", "ftp://example.org/", "gopher://example.org/"):
        with pytest.raises(FetchError, match="not an http"):
            checked_address(url, ["0.0.0.0/0"])


def test_a_trickling_server_is_cut_off_at_the_page_deadline(project, server) -> None:
    config = project("/trickle.html", "/story.html")
    started = time.monotonic()
    result = fetch(config)
    elapsed = time.monotonic() - started
    assert "/trickle.html: timed out" in result.output, result.output
    assert elapsed < 2 + 1 + 2.5, elapsed  # deadline + one read timeout + the rest of the run
    assert len(saved(config)) == 1  # the next item was still fetched


def test_a_compressed_body_counts_decompressed(project) -> None:
    config = project("/bomb.html")
    result = fetch(config)
    assert "/bomb.html: over the 1,000,000-byte limit" in result.output, result.output
    assert saved(config) == []


def test_a_binary_body_is_not_saved(project) -> None:
    config = project("/image.html")
    result = fetch(config)
    assert "not a web page or feed (image/png)" in result.output, result.output
    assert saved(config) == []


def test_a_page_is_decoded_by_its_own_meta_charset(project) -> None:
    config = project("/latin1.html")
    assert fetch(config).exit_code == 0
    (name,) = saved(config)
    text = (config.inbox / "feeds" / name).read_text(encoding="utf-8")
    assert "Café owners in Zürich" in text and "\ufffd" not in text


def test_a_stopped_run_reads_nothing_and_forgets_nothing(project, server) -> None:
    config = project("/story.html")
    stop = threading.Event()
    stop.set()
    report = fetch_into_inbox(config, stop=stop)
    assert report.saved == 0 and "the service is stopping" in report.problems[0].message
    assert server.paths == []
    assert fetch_into_inbox(config).saved == 1  # left for the next run, not lost


def test_a_run_ends_at_its_own_deadline(project, server) -> None:
    client = PoliteClient(FetchConfig(allow_private_hosts=["localhost"], page_deadline_seconds=60))
    client.deadline = client.clock() + 1.5
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        client.get(f"{server.base}/trickle.html")
    assert time.monotonic() - started < 1.5 + 1.0  # the run's deadline, and one last read


def test_the_service_scans_the_inbox_while_a_feed_hangs(project, server) -> None:
    from apscheduler.events import EVENT_JOB_EXECUTED

    from briefing import service

    config = project(
        "/trickle.html", page_deadline_seconds=30, timeout_seconds=5, run_deadline_seconds=30
    )
    config_path = str(config.base_dir / "config.yaml")
    config.schedule.inbox_poll_seconds = 0.3
    done: list[str] = []
    scheduler = service.start(
        config,
        config_path,
        lambda event: done.append(event.job_id) if event.code == EVENT_JOB_EXECUTED else None,
    )
    try:
        scheduler.modify_job(service.FETCH_JOB, next_run_time=service.dt.datetime.now(config.tz))
        deadline = time.monotonic() + 10
        while "/trickle.html" not in server.paths and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "/trickle.html" in server.paths  # the fetch job is stuck on the page
        seen = done.count(service.INBOX_JOB)
        time.sleep(1.5)
        assert done.count(service.INBOX_JOB) > seen  # and the inbox job still runs
        assert service.FETCH_JOB not in done
    finally:
        service.STOPPING.set()  # what SIGTERM sets: the fetch run ends at its next read
        started = time.monotonic()
        scheduler.shutdown(wait=True)
        service.STOPPING.clear()
    assert time.monotonic() - started < 3
