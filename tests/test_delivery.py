"""E-mail delivery against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from tests.conftest import REPO

from briefing.cli import cli
from briefing.config import Config
from briefing.deliver import Delivered, deliver_briefing, written_view
from briefing.errors import ConfigError, DeliveryError, NotFoundError
from briefing.records import Briefing
from briefing.render import write_briefing

NAME = "2022-03-28_2022-03-29"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"


class Authenticator:
    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"briefing",
            b"s3cret",
        )
        return AuthResult(success=ok, handled=False)  # handled=False: the server replies 535


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=Authenticator(),
        auth_require_tls=False,
    )
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def written(make_project, briefing: Briefing):
    """A project whose briefing NAME is already written, and a factory for its e-mail config."""

    def configure(port: int, **email_settings: object) -> Config:
        settings = {
            "enabled": True,
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "sender": "Briefing <briefing@example.org>",
            "recipients": ["Reader <reader@example.org>", "second@example.org"],
            "retries": 0,
            "backoff_seconds": 0,
            **email_settings,
        }
        config = make_project(delivery={"email": settings})
        write_briefing(briefing, ["html", "md", "json"], config.output_dir, REPO / "templates")
        return config

    return configure


def email_briefing(config, name: str) -> list[Delivered]:
    """What `briefing send` does: the written briefing through the e-mail channel."""
    return deliver_briefing(config, written_view(config, name), ["email"])


def test_briefing_arrives_as_text_and_inlined_html(smtp, written) -> None:
    controller, mailbox = smtp
    config = written(controller.port)
    assert email_briefing(config, NAME) == [
        Delivered(
            "email", detail="sent to Reader <reader@example.org>, second@example.org via 127.0.0.1"
        )
    ]
    [message] = mailbox.messages
    assert message["Subject"] == "Daily briefing for 2022-03-28 to 2022-03-29: 2 stories"
    assert message["From"] == "Briefing <briefing@example.org>"
    assert mailbox.envelopes[0][1] == ["reader@example.org", "second@example.org"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_content() for part in message.iter_parts())
    assert "Russia and Ukraine met for talks in Istanbul.[1][2]" in text
    assert "<style" not in html, "styles must be inlined for mail clients"
    assert 'style="' in html and "<table" in html
    assert 'href="https://www.themoscowtimes.com/2022/03/28/russia-ukraine' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize(
    ("settings", "error"),
    [
        ({"recipients": ["reader@example.org\r\nBcc: everyone@example.org"]}, "line break"),
        ({"sender": "briefing@example.org\nX-Evil: 1"}, "line break"),
        ({"subject": "{title}\r\nBcc: x@example.org"}, "subject contains a line break"),
        ({"subject": "{title}\x00Bcc: x@example.org"}, "subject contains a NUL"),
        ({"recipients": ["not-an-address"]}, "'not-an-address' is not a valid e-mail address"),
        ({"recipients": ["Reader <reader@example.org"]}, "is not a valid e-mail address"),
        ({"recipients": []}, "recipients is empty"),
        ({"subject": "{nope}"}, "cannot fill in the template"),
    ],
)
def test_bad_headers_are_refused_before_anything_is_sent(smtp, written, settings, error) -> None:
    controller, mailbox = smtp
    config = written(controller.port, **settings)
    with pytest.raises(ConfigError, match=error):  # the settings made the headers
        email_briefing(config, NAME)
    assert mailbox.messages == []


def test_login_with_password_from_environment(smtp, written, monkeypatch) -> None:
    controller, mailbox = smtp
    config = written(controller.port, username="briefing", password_env="TEST_BRIEFING_PW")
    with pytest.raises(ConfigError, match="environment variable TEST_BRIEFING_PW"):
        email_briefing(config, NAME)
    monkeypatch.setenv("TEST_BRIEFING_PW", "wrong")
    with pytest.raises(DeliveryError, match="SMTP login refused by 127.0.0.1: 535"):
        email_briefing(config, NAME)
    monkeypatch.setenv("TEST_BRIEFING_PW", "s3cret")
    email_briefing(config, NAME)
    assert len(mailbox.messages) == 1


def test_server_down_retries_then_fails_and_keeps_the_briefing(written) -> None:
    config = written(free_port(), retries=2)
    with pytest.raises(DeliveryError, match=r"\(3 attempts\)") as error:
        email_briefing(config, NAME)
    assert "resend with `briefing send`" in str(error.value)
    assert (config.output_dir / f"{NAME}.html").exists()
    result = CliRunner().invoke(
        cli,
        [
            "--config",
            str(config.base_dir / "config.yaml"),
            "send",
            "--from",
            "2022-03-28",
            "--to",
            "2022-03-29",
        ],
    )
    assert result.exit_code == 5 and "could not send the briefing" in result.output


class Refusing(Mailbox):
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "554 Message rejected as spam"


def test_a_refusing_server_is_not_asked_again(written) -> None:
    refusing = Refusing()
    port = free_port()
    controller = Controller(refusing, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = written(port, retries=3)
        with pytest.raises(DeliveryError, match="refused the briefing: 554 Message rejected"):
            email_briefing(config, NAME)
    finally:
        controller.stop()
    assert len(refusing.envelopes) == 1  # one attempt: a permanent refusal is not retried
    assert (config.output_dir / f"{NAME}.html").exists()


def test_retry_succeeds_when_the_server_comes_back(written) -> None:
    from briefing.deliver.email import compose
    from briefing.deliver.smtp import send
    from briefing.render import load_view

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    config = written(port, retries=3, backoff_seconds=7)
    message = compose(
        load_view(config.output_dir / f"{NAME}.json"),
        config.delivery.email,
        REPO / "templates",
    )
    waits: list[float] = []

    def server_starts_while_we_wait(seconds: float) -> None:
        waits.append(seconds)
        controller.start()

    try:
        assert send(message, config.delivery.email, sleep=server_starts_while_we_wait) == 2
    finally:
        controller.stop()
    assert waits == [7] and len(mailbox.messages) == 1


def test_send_without_a_written_briefing(written, tmp_path: Path) -> None:
    config = written(free_port())
    with pytest.raises(NotFoundError, match="no briefing 2020-01-01"):
        email_briefing(config, "2020-01-01")


def test_email_among_the_channels_is_sent_once_per_run_even_when_asked_again(
    smtp, make_project, sample_files
) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    controller, mailbox = smtp
    settings = {
        "enabled": True,
        "host": "127.0.0.1",
        "port": controller.port,
        "security": "none",
        "recipients": ["reader@example.org"],
        "retries": 0,
    }
    config = make_project(
        sample_files,
        summary={"mode": "extract"},
        delivery={"email": settings, "channels": ["email"]},
    )
    assert config.delivery.channels == ["files", "email"]  # the files always first
    config_path = str(config.base_dir / "config.yaml")
    args = ["--config", config_path, "run", "--from", "2022-03-28", "--to", "2022-03-30"]
    result = CliRunner().invoke(cli, [*args, "--send"])
    assert result.exit_code == 0, result.output
    assert len(mailbox.messages) == 1
    assert (config.output_dir / "2022-03-28_2022-03-30.json").exists()
