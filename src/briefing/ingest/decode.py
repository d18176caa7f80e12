"""Bytes of an inbox file as text: the encodings files are saved in, binary data refused."""

from __future__ import annotations

import codecs
from pathlib import Path

from briefing.errors import InputError


def reject_binary(path: Path, data: bytes, expected: str) -> None:
    """Text formats never hold NUL bytes; an image or archive dropped in the inbox does."""
    if b"\x00" in data[:8192]:
        raise InputError(path, f"binary file, not {expected} (contains NUL bytes)")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for text saved as UTF-16 without a byte-order mark: mostly
    ASCII, so every other byte is NUL, on the same side."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


# What Western text saved as cp1252 (Windows) or Latin-1 holds beyond ASCII: accented
# letters and typographic punctuation.
_WESTERN = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœŒšŠžŽŸ–—‘’‚“”„…•€£°«»§©®±½¼¾·\xa0"
)


def _legacy_encoding(data: bytes) -> str | None:
    """The encoding of a text that is not UTF-8: cp1252 when it reads as Western text (the
    common case: files saved on Windows), else what charset-normalizer can tell with
    confidence; None if neither can."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = ""
    beyond = [c for c in western if ord(c) > 127]
    letters = sum(c.isalpha() for c in western)
    # Accents are a few letters among plain ones; a text of nothing else is another script
    # (Cyrillic saved as cp1251 decodes to accented Latin letters too).
    if (
        beyond
        and sum(c in _WESTERN for c in beyond) >= 0.95 * len(beyond)
        and sum(c.isalpha() for c in beyond) <= 0.3 * max(1, letters)
    ):
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.chaos > 0.2:
        return None
    return str(best.encoding)


def decode_text(path: Path, data: bytes) -> str:
    """Bytes of a text file as text: UTF-8 (with or without BOM), UTF-16 (with or without
    BOM), else a legacy encoding told by charset-normalizer (files saved on Windows are often
    cp1252); line endings made '\\n'. Binary data and text whose encoding cannot be told are
    refused with advice."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding: str | None = "utf-16"
    else:
        encoding = _utf16_without_bom(data)
    if encoding is None:
        reject_binary(path, data, "text")
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        legacy = _legacy_encoding(data) if encoding == "utf-8-sig" else None
        if legacy is None:
            raise InputError(
                path,
                f"text encoding cannot be told (not UTF-8: invalid byte 0x{data[exc.start]:02x} "
                f"at offset {exc.start}); save it as UTF-8",
            ) from exc
        text = data.decode(legacy)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "file holds only white space")
    return text
