"""Outlet names: one name per outlet, whichever way a file names it.

An article names its outlet in many ways: a site name ("The New York Times"), a dateline
prefix ("New York Times | …"), a newsletter's sender, a wire code ("(UPI) --"), or only its
URL ("nytimes.com"). They are compared by a key that ignores case, accents, a leading "The",
"www." and the top-level domain ("nypost.com" and "NY Post" need the table; "The Daily
Courant" and "dailycourant.com" match by key alone), then named from the user's table in
config.yaml, else the shipped table below, else as found.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

from briefing.facts import fold
from briefing.records import Article
from briefing.text import WIRE_DATELINE

# Canonical name -> other ways it is written (domains, abbreviations, short forms).
SHIPPED_OUTLETS: dict[str, tuple[str, ...]] = {
    "Associated Press": ("AP", "apnews.com", "The Associated Press"),
    "Reuters": ("reuters.com", "Thomson Reuters"),
    "AFP": ("afp.com", "Agence France-Presse", "Agence France Presse"),
    "UPI": ("upi.com", "United Press International"),
    "Bloomberg": ("bloomberg.com", "Bloomberg News"),
    "BBC News": ("BBC", "bbc.co.uk", "bbc.com", "BBC Online"),
    "CNN": ("cnn.com", "edition.cnn.com", "CNN Wire"),
    "NBC News": ("nbcnews.com",),
    "CBS News": ("cbsnews.com",),
    "ABC News": ("abcnews.go.com", "abcnews.com"),
    "Fox News": ("foxnews.com",),
    "NPR": ("npr.org", "National Public Radio"),
    "PBS NewsHour": ("pbs.org", "PBS"),
    "The New York Times": ("nytimes.com", "NYT", "NY Times", "New York Times"),
    "The Washington Post": ("washingtonpost.com", "Washington Post", "WaPo"),
    "The Wall Street Journal": ("wsj.com", "WSJ", "Wall Street Journal"),
    "USA Today": ("usatoday.com", "USA TODAY"),
    "Los Angeles Times": ("latimes.com", "LA Times", "L.A. Times"),
    "Chicago Tribune": ("chicagotribune.com",),
    "New York Post": ("nypost.com", "NY Post", "The New York Post"),
    "New York Daily News": ("nydailynews.com",),
    "The Boston Globe": ("bostonglobe.com", "Boston Globe"),
    "Politico": ("politico.com", "politico.eu"),
    "The Hill": ("thehill.com",),
    "Axios": ("axios.com",),
    "HuffPost": ("huffpost.com", "huffingtonpost.com", "Huffington Post"),
    "Business Insider": ("businessinsider.com", "Insider", "insider.com"),
    "CNBC": ("cnbc.com",),
    "Forbes": ("forbes.com",),
    "Fortune": ("fortune.com",),
    "Time": ("time.com", "TIME"),
    "Newsweek": ("newsweek.com",),
    "The Atlantic": ("theatlantic.com",),
    "Vox": ("vox.com",),
    "Slate": ("slate.com",),
    "Yahoo News": ("news.yahoo.com", "yahoo.com", "Yahoo"),
    "MSNBC": ("msnbc.com",),
    "Breitbart": ("breitbart.com", "Breitbart News"),
    "The Guardian": ("theguardian.com", "guardian.co.uk", "Guardian"),
    "The Times": ("thetimes.co.uk", "The Times of London"),
    "The Telegraph": ("telegraph.co.uk", "The Daily Telegraph", "Telegraph"),
    "The Independent": ("independent.co.uk", "Independent"),
    "Financial Times": ("ft.com", "FT"),
    "The Economist": ("economist.com",),
    "Daily Mail": ("dailymail.co.uk", "Mail Online", "MailOnline"),
    "Sky News": ("news.sky.com", "sky.com"),
    "The Irish Times": ("irishtimes.com",),
    "Al Jazeera": ("aljazeera.com", "Al Jazeera English", "aljazeera.net"),
    "Deutsche Welle": ("dw.com", "DW"),
    "France 24": ("france24.com",),
    "Euronews": ("euronews.com",),
    "Le Monde": ("lemonde.fr",),
    "Der Spiegel": ("spiegel.de", "Spiegel"),
    "The Moscow Times": ("themoscowtimes.com", "Moscow Times"),
    "South China Morning Post": ("scmp.com", "SCMP"),
    "The Japan Times": ("japantimes.co.jp",),
    "The Times of India": ("timesofindia.indiatimes.com", "Times of India", "TOI"),
    "The Hindu": ("thehindu.com",),
    "ABC (Australia)": ("abc.net.au",),
    "The Sydney Morning Herald": ("smh.com.au", "Sydney Morning Herald"),
    "CBC News": ("cbc.ca", "CBC"),
    "The Globe and Mail": ("theglobeandmail.com", "Globe and Mail"),
    "Xinhua": ("xinhuanet.com", "news.cn", "Xinhua News Agency"),
    "TASS": ("tass.com", "tass.ru"),
    "DPA": ("dpa.com", "Deutsche Presse-Agentur"),
    "EFE": ("efe.com", "Agencia EFE"),
    "ANSA": ("ansa.it",),
    "PA Media": ("Press Association", "pamediagroup.com"),
    "Kyodo News": ("kyodonews.net", "Kyodo"),
    "Yonhap": ("en.yna.co.kr", "yna.co.kr", "Yonhap News Agency"),
    "ESPN": ("espn.com",),
    "The Verge": ("theverge.com",),
    "Wired": ("wired.com", "WIRED"),
    "TechCrunch": ("techcrunch.com",),
    "Ars Technica": ("arstechnica.com",),
    "Variety": ("variety.com",),
    "The Hollywood Reporter": ("hollywoodreporter.com",),
    "People": ("people.com",),
    "Rolling Stone": ("rollingstone.com",),
}

# Second-level labels that are part of a country's top-level domain: bbc.co.uk -> bbc.
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "go", "or", "ne"}
# A site name longer than this is a headline that a page tool mistook for one.
MAX_OUTLET_WORDS = 8


def host_of(url: str | None) -> str | None:
    """The host of a URL without 'www.', or None."""
    if not url:
        return None
    try:
        host = urlparse(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host and "." in host else None


def site_of(host: str) -> str:
    """The registrable part of a host: 'news.bbc.co.uk' -> 'bbc.co.uk'."""
    labels = host.lower().removeprefix("www.").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def looks_like_domain(name: str) -> bool:
    """'usatoday.com' yes; 'USA Today' no."""
    return bool(re.fullmatch(r"(?:[\w-]+\.)+[a-z]{2,}", name.strip().lower()))


def outlet_key(name: str) -> str:
    """'The New York Times' -> 'newyorktimes'; 'www.nytimes.com' -> 'nytimes'."""
    text = fold(name).strip()
    if looks_like_domain(text):
        labels = text.removeprefix("www.").split(".")
        labels = labels[:-1]  # the top-level domain
        if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
        text = ".".join(labels)
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[^a-z0-9]+", "", text)


class OutletNames:
    """Names outlets: the user's table first, then the shipped one."""

    def __init__(self, user_table: Mapping[str, str] | None = None) -> None:
        self._names: dict[str, str] = {}
        for canonical, aliases in SHIPPED_OUTLETS.items():
            for alias in (canonical, *aliases):
                self._names[outlet_key(alias)] = canonical
        for alias, canonical in (user_table or {}).items():
            self._names[outlet_key(alias)] = canonical
            self._names[outlet_key(canonical)] = canonical

    def name(self, raw: str) -> str:
        """The outlet's name for one way of writing it; an unknown outlet as written, a bare
        domain without its 'www.'."""
        text = re.sub(r"\s+", " ", raw).strip(" |·-—–,:")
        if not looks_like_domain(text):
            return self._names.get(outlet_key(text), text)
        host = text.lower().removeprefix("www.")
        labels = host.split(".")
        # news.bbc.co.uk, then bbc.co.uk: a section's subdomain is its outlet's.
        for start in range(len(labels) - 1):
            key = outlet_key(".".join(labels[start:]))
            if key in self._names:
                return self._names[key]
        return host

    def resolve(
        self, stated: Iterable[str], url: str | None, hints: Iterable[str], path: Path | str
    ) -> str:
        """The outlet of an article: the first plausible name the page states as its own,
        else its URL's domain, else the first hint (wire code, sender), else the file's name.
        Never nothing."""
        host = host_of(url)
        candidates = [*stated, *([host] if host else []), *hints]
        for candidate in candidates:
            if is_plausible_outlet(candidate):
                return self.name(candidate)
        return Path(path).name


# Wire codes in datelines ("March 29 (UPI) --") and bylines ("Danny Kemp for AFP").
AGENCIES = {"UPI", "AP", "AFP", "Reuters", "DPA", "ANSA", "EFE", "TASS", "Xinhua", "PA"}


def agency_from_dateline(body: str) -> str | None:
    """'March 29 (UPI) -- For the first time…' -> 'UPI'."""
    match = WIRE_DATELINE.match(body.lstrip())
    if match is None:
        return None
    agency = match.group("agency")
    # Known agencies, or any short all-capitals wire code such as "(WCW)".
    return agency if agency in AGENCIES or re.fullmatch(r"[A-Z]{2,6}", agency) else None


def outlet_from_byline(byline: str | None) -> str | None:
    """'Danny Kemp (AFP)' -> 'AFP' (clean_byline writes "X for AFP" that way);
    'huffingtonpost.com staff' -> 'huffingtonpost.com'; a byline that is a domain -> itself."""
    text = (byline or "").strip()
    agency = re.search(r"\(([^()]{2,40})\)$", text)
    if agency:
        return agency.group(1)
    staff = re.match(
        r"^(?P<outlet>.+?)\s+(?:staff|staff writers?|staff reporters?|newsroom)$", text, re.I
    )
    if staff:
        return staff.group("outlet")
    return text if looks_like_domain(text) else None


def is_known_outlet(name: str) -> bool:
    """A name of the shipped table, as written ("USA TODAY", "The Guardian", "BBC")."""
    return outlet_key(name) in _SHIPPED_KEYS


def is_plausible_outlet(name: str) -> bool:
    """Short and name-like: not a sentence, a date or a URL path."""
    text = name.strip()
    return bool(text) and len(text.split()) <= MAX_OUTLET_WORDS and not text.endswith(".")


def one_name_per_outlet(articles: Sequence[Article], names: OutletNames) -> list[Article]:
    """The articles of one briefing with one name per outlet: the current tables applied to
    the names stored at ingest, then one name per outlet key (a written name beats a domain,
    then the most frequent wins): "dailycourant.com" and "The Daily Courant" become one."""
    named = [names.name(a.outlet) if a.outlet else None for a in articles]
    shown = _display_names([n for n in named if n])
    return [
        replace(a, outlet=shown[n]) if n and shown[n] != a.outlet else a
        for a, n in zip(articles, named, strict=True)
    ]


def _display_names(outlets: Iterable[str]) -> dict[str, str]:
    names = list(outlets)
    counts = Counter(names)
    by_key: dict[str, list[str]] = {}
    for name in counts:
        by_key.setdefault(outlet_key(name), []).append(name)
    chosen = {}
    for group in by_key.values():
        best = max(group, key=lambda n: (not looks_like_domain(n), counts[n], n))
        chosen.update({name: best for name in group})
    return chosen


_SHIPPED_KEYS = frozenset(OutletNames()._names)


def outlet_names(user_table: Mapping[str, str] | None = None) -> OutletNames:
    """The OutletNames of a user table, built once per process and table (building one folds
    every shipped alias: milliseconds that every article of a run would pay again)."""
    return _outlet_names(tuple(sorted((user_table or {}).items())))


@functools.lru_cache(maxsize=8)
def _outlet_names(user_items: tuple[tuple[str, str], ...]) -> OutletNames:
    return OutletNames(dict(user_items))
