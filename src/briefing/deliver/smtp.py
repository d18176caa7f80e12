"""Send a message over SMTP (STARTTLS or SSL, login from config, password from the
environment), retrying with exponential back-off a bounded number of times."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage

from briefing.config import EmailConfig
from briefing.errors import ConfigError, DeliveryError

log = logging.getLogger(__name__)


def _password(settings: EmailConfig) -> str | None:
    if not settings.username:
        return None
    password = os.environ.get(settings.password_env)
    if password is None:
        raise ConfigError(
            f"SMTP login as {settings.username!r} needs a password in the environment variable "
            f"{settings.password_env} (delivery.email.password_env), which is not set"
        )
    return password


def _connect(settings: EmailConfig, context: ssl.SSLContext) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout_seconds, context=context
        )
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)


def check_connection(settings: EmailConfig) -> str:
    """Connect, say hello and (with STARTTLS) secure the connection, then quit: no mail is
    sent. Returns the server's greeting; raises OSError or SMTPException."""
    context = ssl.create_default_context()
    with _connect(settings, context) as smtp:
        code, greeting = smtp.ehlo()
        if settings.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        return f"{code} {greeting.decode(errors='replace').splitlines()[0]}"


def send_once(message: EmailMessage, settings: EmailConfig, password: str | None) -> None:
    """One attempt: connect, secure, log in if configured, send."""
    context = ssl.create_default_context()
    with _connect(settings, context) as smtp:
        smtp.ehlo()
        if settings.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.username and password is not None:
            smtp.login(settings.username, password)
        smtp.send_message(message)


def send(
    message: EmailMessage, settings: EmailConfig, sleep: Callable[[float], None] = time.sleep
) -> int:
    """Send `message`; returns the number of attempts. Raises DeliveryError when all fail."""
    password = _password(settings)
    attempts = settings.retries + 1
    for attempt in range(1, attempts + 1):
        try:
            send_once(message, settings, password)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"SMTP login refused by {settings.host}: {exc.smtp_code} {_text(exc)}"
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            refused = "; ".join(f"{r} ({code})" for r, (code, _) in exc.recipients.items())
            raise DeliveryError(
                f"{settings.host} refused every recipient: {refused}; the briefing files are kept"
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            code = getattr(exc, "smtp_code", 0)
            if code >= 500:  # a permanent refusal: asking again gets the same answer
                raise DeliveryError(
                    f"{settings.host} refused the briefing: {code} {_text(exc)}; the briefing "
                    "files are kept, resend with `briefing send` once the server accepts it"
                ) from exc
            if attempt == attempts:
                raise DeliveryError(
                    f"could not send the briefing to {settings.host}:{settings.port} "
                    f"({attempts} attempt{'s' if attempts > 1 else ''}): {exc}; "
                    "the briefing files are kept, resend with "
                    "`briefing send`"
                ) from exc
            delay = settings.backoff_seconds * 2 ** (attempt - 1)
            log.warning(
                "sending failed (attempt %d of %d): %s; retrying in %.0f s",
                attempt,
                attempts,
                exc,
                delay,
            )
            sleep(delay)
        else:
            log.info(
                "briefing e-mailed to %s via %s (attempt %d)", message["To"], settings.host, attempt
            )
            return attempt
    raise AssertionError("unreachable")


def _text(exc: Exception) -> str:
    detail = getattr(exc, "smtp_error", b"")
    return detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
