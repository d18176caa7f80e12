"""`briefing fetch` against a real HTTP server on loopback: RSS, Atom and OPML; a malformed
feed, a 404, a redirect, a slow server, an enormous page; conditional requests; nothing
fetched twice; pages written into the inbox whole, with the feed's metadata."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.servers import send_page

from briefing.cli import cli
from briefing.config import Config
from briefing.ingest import parse_article

BODY = (
    "The harbour council of Caldmouth approved a new ferry timetable on Monday that adds two "
    "evening crossings to Westhaven from next month, after residents asked for later boats. "
)


def page(title: str, words: str = BODY) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{words * 3}</p><p>{words}</p></article></body></html>"
    ).encode()


def rss(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        "<pubDate>Mon, 28 Mar 2022 07:00:00 GMT</pubDate>"
        "<author>ada@harbour.example (Ada Lind)</author>"
        f"<description>{BODY * 6 if 'gone-with-text' in path else 'Short.'}</description></item>"
        for title, path in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Gazette</title>'
        f"<link>{base}/</link>{entries}</channel></rss>"
    ).encode()


def atom(base: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Westhaven Wire</title><id>urn:wire</id><updated>2022-03-29T08:00:00Z</updated>"
        "<entry><title>Westhaven ferry crews train for night crossings</title>"
        f'<link href="{base}/atom-story.html"/><id>urn:wire:1</id>'
        "<updated>2022-03-29T08:00:00Z</updated><author><name>Bo Stenberg</name></author>"
        "<summary>Short.</summary></entry></feed>"
    ).encode()


class Server:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                server.requests.append((self.path, dict(self.headers)))
                base = f"http://127.0.0.1:{server.port}"
                routes = {
                    "/feed.xml": lambda: self.feed(base),
                    "/atom.xml": lambda: self.reply(200, atom(base), "application/atom+xml"),
                    "/broken.xml": lambda: self.reply(200, b"<rss><channel><item><title>oops"),
                    "/story.html": lambda: self.reply(200, page("Ferry timetable approved")),
                    "/atom-story.html": lambda: self.reply(
                        200, page("Crews train for night crossings")
                    ),
                    "/moved.html": lambda: self.redirect("/moved-here.html"),
                    "/moved-here.html": lambda: self.reply(200, page("Later boats from April")),
                    "/slow.html": lambda: self.slow(),
                    "/huge.html": lambda: self.reply(200, b"<html><body>" + b"x" * 3_000_000),
                }
                routes.get(self.path, lambda: self.reply(404, b"not found"))()

            def feed(self, base: str) -> None:
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                items = [
                    ("Ferry timetable approved", "/story.html"),
                    ("Missing page", "/gone.html"),
                    ("Missing page with its text in the feed", "/gone-with-text.html"),
                    ("Moved story", "/moved.html"),
                    ("Slow story", "/slow.html"),
                    ("Huge story", "/huge.html"),
                ]
                self.reply(200, rss(base, items), "application/rss+xml", etag='"v1"')

            def reply(
                self, code: int, body: bytes, kind: str = "text/html", etag: str = ""
            ) -> None:
                send_page(
                    self, code, body, {"Content-Type": kind, **({"ETag": etag} if etag else {})}
                )

            def redirect(self, to: str) -> None:
                self.send_response(301)
                self.send_header("Location", to)
                self.end_headers()

            def slow(self) -> None:
                time.sleep(3)
                self.reply(200, page("Too late"))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()


@pytest.fixture
def project(make_project, server: Server, tmp_path: Path):
    base = f"http://127.0.0.1:{server.port}"
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline text="Wire" xmlUrl="{base}/atom.xml"/>'
        f'<outline text="Broken" xmlUrl="{base}/broken.xml"/>'
        f'<outline text="Gone" xmlUrl="{base}/no-such-feed.xml"/></body></opml>',
        encoding="utf-8",
    )
    return make_project(
        fetch={
            "feeds": [f"{base}/feed.xml"],
            "opml": [str(opml)],
            "timeout_seconds": 1,
            "max_page_bytes": 1_000_000,
            "per_host_seconds": 0.05,
            "allow_private_hosts": ["127.0.0.1"],  # the test server; refused by default
        }
    )


def invoke(config, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config.base_dir / "config.yaml"), *args])


def test_fetch_matrix(project, server: Server) -> None:
    result = invoke(project, "fetch")
    assert result.exit_code == 1, result.output  # some feeds and pages failed; the rest saved
    folder = project.inbox / "feeds"
    saved = sorted(p.name for p in folder.iterdir())
    assert len(saved) == 4, (saved, result.output)  # story, from-feed text, redirect, atom
    assert not any(name.startswith(".") for name in saved)  # nothing half-written
    out = result.output
    for expected in (
        "/gone.html: HTTP 404",
        "/slow.html: timed out",
        "/huge.html: over the 1,000,000-byte limit",
        "/broken.xml: not a readable feed",
        "/no-such-feed.xml: HTTP 404",
        "/gone-with-text.html: HTTP 404 Not Found; saved the feed's own text of it",
    ):
        assert expected in out, (expected, out)
    assert "4 new item(s) saved" in out and "5 problem(s)" in out

    # Written with the feed's metadata, and read by the inbox as the article it is.
    story = next(folder.glob("2022-03-28_ferry-timetable-approved-*.html"))
    article = parse_article(story, story.read_bytes(), 0.0, Config())
    assert article.title == "Ferry timetable approved"
    assert (article.date, article.outlet) == (dt.date(2022, 3, 28), "Harbour Gazette")
    assert article.url == f"http://127.0.0.1:{server.port}/story.html"
    moved = next(folder.glob("*_moved-story-*.html"))
    assert "Later boats from April" in moved.read_text()

    # Again: the feed answers 304 to its ETag, and no page is asked for twice.
    before = len(server.requests)
    again = invoke(project, "fetch")
    assert "0 new item(s) saved" in again.output
    new_requests = server.requests[before:]
    feed_request = next(h for p, h in new_requests if p == "/feed.xml")
    assert feed_request.get("If-None-Match") == '"v1"'
    assert not [p for p, _ in new_requests if p.endswith(".html")]
    assert sorted(p.name for p in folder.iterdir()) == saved


def test_fetched_items_are_ingested_by_the_next_run(project, server: Server) -> None:
    invoke(project, "fetch")
    result = invoke(project, "ingest")
    assert result.output.count("ingested ") >= 4, result.output


def test_one_request_per_host_at_a_time(project, server: Server) -> None:
    from briefing.fetch.http import PoliteClient

    waits: list[float] = []
    client = PoliteClient(
        project.fetch.model_copy(update={"per_host_seconds": 2.0}), sleep=waits.append
    )
    base = f"http://127.0.0.1:{server.port}"
    client.get(f"{base}/story.html")
    client.get(f"{base}/atom-story.html")
    assert len(waits) == 1 and 1.5 < waits[0] <= 2.0


def test_the_service_reads_the_feeds_on_its_own_schedule(project, server: Server) -> None:
    from briefing import service

    assert service.FETCH_JOB in service._triggers(project)  # feeds configured: a fetch job
    service.fetch_job(str(project.base_dir / "config.yaml"))
    assert len(list((project.inbox / "feeds").iterdir())) == 4
