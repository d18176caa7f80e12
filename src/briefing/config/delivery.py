"""config.yaml's `delivery` section: the channels a briefing goes through, and the e-mail
channel's server, sender and recipients."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from briefing import plugins
from briefing.config.base import Section


class EmailConfig(Section):
    """The SMTP server, sender, recipients and retries of the e-mail channel."""

    enabled: bool = False
    host: str = "localhost"
    port: int = Field(587, gt=0, lt=65536)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    # The password is read from this environment variable, never from the file.
    password_env: str = "BRIEFING_SMTP_PASSWORD"
    sender: str = "briefing@localhost"
    recipients: list[str] = []
    subject: str = "{title} for {dates}: {stories} stories"
    retries: int = Field(3, ge=0, le=20)
    backoff_seconds: float = Field(30, ge=0, le=3600)
    timeout_seconds: float = Field(30, gt=0, le=600)
    # security: none with a username would send the password in clear over the network:
    # refused unless the server is on this machine or this is set.
    allow_plaintext_password: bool = False

    @model_validator(mode="after")
    def _no_password_in_clear(self) -> EmailConfig:
        if (
            self.security == "none"
            and self.username
            and not self.allow_plaintext_password
            and not _is_loopback(self.host)
        ):
            raise ValueError(
                f"security: none would send the password for {self.username!r} unencrypted to "
                f"{self.host}; use starttls or ssl (or set allow_plaintext_password: true)"
            )
        return self


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.strip().lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class DeliveryConfig(Section):
    """Which channels every built briefing goes through, and their settings."""

    # Registered channels (briefing.plugins.channels: files, pdf, email, or a plugin's), in
    # order. Default: files, and pdf when render.formats lists it. `files` (the JSON record
    # other commands read) always comes first, listed or not. The service also e-mails when
    # email.enabled, as `briefing run --send` does.
    channels: list[str] | None = None

    @field_validator("channels")
    @classmethod
    def _registered(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        plugins.channels.require(value)
        return list(dict.fromkeys(["files", *value]))

    email: EmailConfig = Field(default_factory=EmailConfig)
