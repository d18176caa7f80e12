"""Saved e-mails (.eml): newsletters and forwarded articles, via the stdlib email package."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from briefing.errors import InputError
from briefing.ingest import dates, html, outlets, plaintext
from briefing.ingest.decode import reject_binary
from briefing.ingest.draft import ArticleDraft

# An e-mail's body part is read by the reader of its format.
PART_READERS = {"text/html": html.read, "text/plain": plaintext.read}


def read(path: Path, data: bytes) -> ArticleDraft:
    """A saved e-mail: its text or HTML part, with the subject as headline and the sender as
    the outlet unless the article names another."""
    reject_binary(path, data, "an e-mail")
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise InputError(path, "not an e-mail message (no headers found)")
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise InputError(path, "e-mail has no text or HTML part")
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError(path, f"e-mail body cannot be decoded ({exc})") from exc
    draft = PART_READERS[part.get_content_type()](path, content.encode("utf-8"))

    subject = str(message.get("Subject", "")).strip()
    if subject and subject.lower() not in ("(no subject)", "no subject"):
        draft.title = _strip_forward_prefix(subject)
        draft.paragraphs = [p for p in draft.paragraphs if p != draft.title]
    draft.date = draft.date or dates.parse_date(message.get("Date"))
    sender_name, sender_address = parseaddr(str(message.get("From", "")))
    # A newsletter's sender names its outlet, unless the article says or links another.
    sender_domain = _domain(sender_address)
    article_host = outlets.host_of(draft.url)
    own_site = bool(
        sender_domain
        and article_host
        and outlets.site_of(sender_domain) == outlets.site_of(article_host)
    )
    draft.add_outlet(sender_name, hint=not own_site)
    draft.add_outlet(sender_domain, hint=True)
    return draft


def _strip_forward_prefix(subject: str) -> str:
    lowered = subject.lower()
    for prefix in ("fwd:", "fw:", "re:"):
        if lowered.startswith(prefix):
            return subject[len(prefix) :].strip()
    return subject


def _domain(address: str) -> str | None:
    return address.rsplit("@", 1)[1] if "@" in address else None
