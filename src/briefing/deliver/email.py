"""The `email` channel. The message is multipart/alternative, plain text and e-mail-safe HTML
with every style inlined (css-inline), composed after validating every header value (a bad
one is a ConfigError: the settings make the headers); `smtp` sends it."""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

import css_inline

from briefing.config import Config, EmailConfig
from briefing.deliver.channel import Delivered, View
from briefing.deliver.smtp import send
from briefing.errors import ConfigError
from briefing.render import render_view


def deliver(view: View, config: Config) -> Delivered:
    """Send the briefing to delivery.email.recipients; raises DeliveryError if it cannot."""
    settings = config.delivery.email
    attempts = send(compose(view, settings, config.render.templates), settings)
    detail = f"sent to {', '.join(settings.recipients)} via {settings.host}" + (
        f" after {attempts} attempts" if attempts > 1 else ""
    )
    return Delivered("email", detail=detail)


_ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)


def _no_line_breaks(field: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ConfigError(f"{field} contains a line break (possible header injection); refused")
    if "\x00" in value:
        raise ConfigError(f"{field} contains a NUL character; refused")
    return value


def valid_address(field: str, value: str) -> str:
    """`value` as a header address if it is one valid address, else DeliveryError."""
    _no_line_breaks(field, value)
    name, address = parseaddr(value)
    unbalanced = "<" in value and not value.rstrip().endswith(">")
    if not address or not _ADDRESS.match(address) or unbalanced:
        raise ConfigError(f"{field}: {value!r} is not a valid e-mail address")
    return str(Address(display_name=name, addr_spec=address)) if name else address


def subject_for(view: dict[str, Any], settings: EmailConfig) -> str:
    """The subject line: delivery.email.subject filled in from the briefing."""
    dates = view["date_from"] if view["single_day"] else f"{view['date_from']} to {view['date_to']}"
    try:
        subject = settings.subject.format(
            title=view["title"], dates=dates, stories=view["story_count"]
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"delivery.email.subject: cannot fill in the template: {exc}") from exc
    return _no_line_breaks("subject", subject)


def compose(view: dict[str, Any], settings: EmailConfig, templates: Path) -> EmailMessage:
    """The message for one briefing view (as written to <name>.json)."""
    if not settings.recipients:
        raise ConfigError("delivery.email.recipients is empty: nobody to send the briefing to")
    sender = valid_address("delivery.email.sender", settings.sender)
    recipients = [valid_address("delivery.email.recipients", r) for r in settings.recipients]
    message = EmailMessage()
    message["Subject"] = subject_for(view, settings)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].rstrip(">"))
    message.set_content(render_view(view, "txt", templates))
    html = css_inline.inline(render_view(view, "email.html", templates))
    message.add_alternative(html, subtype="html")
    return message
