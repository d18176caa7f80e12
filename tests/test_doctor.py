"""`briefing doctor`: one line per check, the fix for what fails, a real SMTP server on
loopback (connect only: no mail is sent)."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from tests.conftest import SEED_UPI
from tests.test_delivery import Mailbox, free_port

from briefing.cli import cli

pytestmark = pytest.mark.slow


def doctor(config):
    return CliRunner().invoke(cli, ["--config", str(config.base_dir / "config.yaml"), "doctor"])


def test_everything_in_place(make_project) -> None:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = make_project(
            [SEED_UPI],
            summary={"mode": "extract"},
            delivery={
                "email": {
                    "enabled": True,
                    "host": "127.0.0.1",
                    "port": port,
                    "security": "none",
                    "recipients": ["r@example.org"],
                }
            },
        )
        result = doctor(config)
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    names = [
        "inbox",
        "output folder",
        "store",
        "embedding model",
        "embedding server",  # not used: ok
        "summary model",
        "sentence parser",
        "PDF",
        "e-mail (SMTP)",
        "feeds",
        "service",
    ]
    assert len(lines) == len(names)
    for line, name in zip(lines, names, strict=True):
        assert line.startswith("ok") and name in line, line
    assert "(1 files)" in lines[0]
    line = dict(zip(names, lines, strict=True))
    assert "no mail sent" in line["e-mail (SMTP)"] and mailbox.messages == []
    assert "not running: `briefing run` builds in its own process" in line["service"]


def test_what_fails_says_how_to_fix_it(make_project, tmp_path) -> None:
    config = make_project(
        summary={"mode": "extract"},
        inbox=str(tmp_path / "no-such-inbox"),
        fetch={"opml": [str(tmp_path / "missing.opml")]},
        delivery={
            "email": {
                "enabled": True,
                "host": "127.0.0.1",
                "port": free_port(),
                "security": "none",
                "recipients": ["r@example.org"],
            }
        },
    )
    result = doctor(config)
    assert result.exit_code == 1
    failing = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert len(failing) == 3, result.output
    assert "inbox" in failing[0] and "fix: mkdir -p" in failing[0]
    assert "cannot connect" in failing[1] and "fix: check delivery.email.host" in failing[1]
    assert "missing.opml" in failing[2]
