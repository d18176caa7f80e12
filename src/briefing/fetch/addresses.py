"""Which hosts a feed or page may be fetched from: public addresses only, unless named.

A feed is written by someone else: its item links (and their redirects) must not reach the
services of the machine or network running the briefing (SSRF). A URL is allowed when its
scheme is http(s) and every address its host resolves to is a public unicast address, or
when `fetch.allow_private_hosts` lists the host name, the address, or a network holding it.
The request then goes to the address that was checked (the host's name still in its Host
header and TLS name), so a second DNS answer cannot differ from the one checked.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from briefing.fetch.errors import FetchError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """A URL whose host was resolved and checked: where to connect and what to call it."""

    scheme: str
    host: str
    port: int | None  # None: the scheme's default
    addresses: tuple[Address, ...]  # every one checked, tried in order
    path: str  # path and query

    @property
    def host_header(self) -> str:
        """The Host header: the name the URL gave, with its port if not the default."""
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port is None else f"{name}:{self.port}"

    def url_at(self, address: Address) -> str:
        """The URL with its host replaced by `address` (the connection goes there)."""
        shown = f"[{address}]" if address.version == 6 else str(address)
        port = "" if self.port is None else f":{self.port}"
        return f"{self.scheme}://{shown}{port}{self.path}"


def is_public(address: Address) -> bool:
    """A global unicast address: not loopback, private, link-local, multicast, reserved or
    unspecified (an IPv4 address inside IPv6, mapped or 6to4, is judged as itself)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return is_public(inner)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def is_allowed(host: str, address: Address, allowed: list[str]) -> bool:
    """A public address, or one `allowed` names by host name, address or network."""
    if is_public(address):
        return True
    for entry in allowed:
        if entry.strip().lower() == host.lower():
            return True
        try:
            if address in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to (an address resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(
        dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
    )


def checked_address(url: str, allowed: list[str]) -> Target:
    """The target of `url` if it may be fetched; else a FetchError saying why not."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"{url}: not an http(s) URL; not fetched")
    try:
        host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from exc
    if not host:
        raise FetchError(f"{url}: no host in the URL")
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"{url}: cannot resolve {host} ({exc})") from exc
    refused = [a for a in addresses if not is_allowed(host, a, allowed)]
    if refused or not addresses:
        raise FetchError(
            f"{url}: {host} is a private or local address ({refused[0] if refused else 'none'}); "
            "not fetched (list it in fetch.allow_private_hosts to allow it)"
        )
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return Target(scheme, host, parts.port, tuple(addresses), path)
