"""A generated inbox for the speed benchmark: N plain-text articles, several outlets per story.

Written from templates of our own (no real news): each story is an event of one of a dozen
kinds with its own place, people, organisation and figures; each outlet tells it with its own
headline, lead and a shuffled selection of the event's sentences and of background sentences.
Deterministic for a given seed. Not for quality figures (the text is formulaic), only for
timing the pipeline at scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OUTLETS = [
    "Riverton Herald",
    "Northgate Tribune",
    "Westcoast Wire",
    "Harbour Business Daily",
    "Ashgrove Gazette",
    "Vellmar Post",
    "Caldmouth Courier",
    "Lakeside Chronicle",
]
PLACES = [
    f"{a}{b}"
    for a in "River North Ash Cald Vell Lake East Mill Harrow Stone Kestrel Oak Bright Fen".split()
    for b in "ton gate grove mouth field bury ford wick haven stead".split()
]
FIRST = (
    "Anna Tomas Leila Marcus Ines Dev Mirela Owen Sana Pieter Yusuf Clara Bruno Hana Felix "
    "Amara Jonas Rosa Idris Maren"
).split()
LAST = (
    "Okafor Lindqvist Moreau Castellano Haddad Brennan Novak Ishikawa Petrov Quaye Sorensen "
    "Varga Delacroix Mbeki Kowalski Ferreira"
).split()
ORGS = [
    f"{a} {b}"
    for a in "Kestrel Orbis Halden Meridian Tallis Corvid Ashby Luma Granite Pelham Vesta".split()
    for b in "Foods Rail Energy Bank Pharma Systems Steel Telecom Insurance Motors".split()
]

# Each kind: headlines, leads and facts, with {place} {person} {org} {n} {m} {day} slots.
KINDS: dict[str, dict[str, list[str]]] = {
    "fire": {
        "headline": [
            "Fire destroys {org} warehouse in {place}",
            "{place} warehouse blaze: {n} firefighters called",
            "Huge fire at {org} site in {place}",
        ],
        "lead": [
            "A fire destroyed a {org} warehouse in {place} on {day}, and {n} firefighters "
            "worked through the night to contain it.",
            "Firefighters fought a blaze at the {org} warehouse in {place} for {m} hours on {day}.",
        ],
        "facts": [
            "Fire chief {person} said the cause was not yet known.",
            "No one was injured, the fire service said.",
            "About {m} nearby homes were evacuated as a precaution.",
            "{org} said the warehouse held packaging and spare parts.",
            "Smoke could be seen from across {place}, residents said.",
            "Investigators will examine the site once it is safe, {person} said.",
        ],
    },
    "strike": {
        "headline": [
            "{org} workers in {place} walk out over pay",
            "Strike halts {org} in {place}",
            "{n} {org} staff strike in {place}",
        ],
        "lead": [
            "About {n} workers at {org} in {place} went on strike on {day} over pay.",
            "Staff at {org}'s {place} site walked out on {day}, demanding a {m} percent pay rise.",
        ],
        "facts": [
            "Union official {person} said talks had broken down after {m} weeks.",
            "{org} said its offer was fair and urged staff to return.",
            "The strike is set to last {m} days unless a deal is reached.",
            "Picket lines formed outside the main gate early in the morning.",
            "Customers were warned of delays, the company said.",
            "{person} said the union was ready to return to talks.",
        ],
    },
    "election": {
        "headline": [
            "{person} wins {place} mayoral race",
            "{place} elects {person} as mayor",
            "New mayor for {place}: {person} takes {m} percent",
        ],
        "lead": [
            "{person} was elected mayor of {place} on {day} with {m} percent of the vote.",
            "Voters in {place} chose {person} as their new mayor on {day}.",
        ],
        "facts": [
            "Turnout was {m} percent, election officials said.",
            "{person} promised to build {n} new homes within four years.",
            "The outgoing mayor did not stand again.",
            "{person} thanked volunteers at a rally in the town square.",
            "The count finished shortly after midnight.",
            "Opponents conceded and congratulated {person}.",
        ],
    },
    "flood": {
        "headline": [
            "Floods hit {place} after heavy rain",
            "{place} homes flooded as river bursts banks",
            "Flood warning in {place}: {n} homes affected",
        ],
        "lead": [
            "Heavy rain flooded about {n} homes in {place} on {day} after the river burst "
            "its banks.",
            "The river in {place} rose {m} feet overnight on {day}, flooding streets.",
        ],
        "facts": [
            "Emergency coordinator {person} said more rain was expected.",
            "Schools in {place} were closed for the day.",
            "Volunteers filled sandbags at the town hall.",
            "Rail services through {place} were suspended.",
            "{person} urged residents to avoid flooded roads.",
            "{org} offered free shelter at its community hall.",
        ],
    },
    "merger": {
        "headline": [
            "{org} agrees takeover deal",
            "{org} to buy rival in {n} million deal",
            "{org} merger announced",
        ],
        "lead": [
            "{org} agreed on {day} to buy a smaller rival for {n} million dollars.",
            "{org} announced a takeover worth {n} million dollars on {day}.",
        ],
        "facts": [
            "Chief executive {person} said the deal would create the region's largest "
            "firm of its kind.",
            "The deal needs approval from regulators.",
            "About {m} jobs in {place} are expected to be affected.",
            "Shares in {org} rose {m} percent after the announcement.",
            "{person} said the company headquarters would stay in {place}.",
            "Analysts said the price was higher than expected.",
        ],
    },
    "court": {
        "headline": [
            "Court rules against {org} in {place}",
            "{org} loses case in {place} court",
            "Judge orders {org} to pay {n} thousand dollars",
        ],
        "lead": [
            "A court in {place} ruled on {day} that {org} must pay {n} thousand dollars "
            "to former employees.",
            "Judge {person} found against {org} in {place} on {day}.",
        ],
        "facts": [
            "{org} said it would appeal the ruling.",
            "The case was brought by {m} former workers.",
            "Judge {person} said the company had broken its contracts.",
            "Lawyers for the workers welcomed the decision.",
            "The hearing lasted {m} days.",
            "The ruling could affect similar cases, legal experts said.",
        ],
    },
    "launch": {
        "headline": [
            "{org} unveils new service in {place}",
            "{org} launches in {place}",
            "New {org} service starts in {place}",
        ],
        "lead": [
            "{org} launched a new service in {place} on {day}, aiming to reach {n} customers.",
            "{org} began offering its new service in {place} on {day}.",
        ],
        "facts": [
            "Product head {person} said it had been tested for {m} months.",
            "The service costs {m} dollars a month.",
            "{org} plans to expand to other towns next year.",
            "Early users praised its speed, the company said.",
            "{person} said {n} people had signed up in advance.",
            "Rivals are expected to respond with offers of their own.",
        ],
    },
    "match": {
        "headline": ["{place} win final {m}-1", "{place} lift the cup", "Cup glory for {place}"],
        "lead": [
            "{place} won the regional cup final {m}-1 on {day} in front of {n} fans.",
            "{place} beat their rivals {m}-1 in the cup final on {day}.",
        ],
        "facts": [
            "Captain {person} scored twice in the second half.",
            "It was the club's first cup in {m} years.",
            "Fans celebrated in the streets of {place} late into the night.",
            "The coach praised the team's defence.",
            "{person} said the win was for the town.",
            "The club will hold a parade on the weekend.",
        ],
    },
}
# Clauses news sentences carry, which a compression may delete.
CLAUSES = [
    ", officials said on {day}",
    ", according to a statement released late on {day}",
    ", in what residents described as the most serious event in {place} in {m} years",
    ", speaking to reporters outside the town hall in {place}",
    ", a week after similar concerns were raised by local groups",
    " despite earlier assurances from the authorities",
    ", which has been closely watched across the region",
    " as crowds gathered in the centre of {place}",
]
BACKGROUND = [
    "The town council meets again next week.",
    "Officials said they would give an update later in the day.",
    "Local businesses said they were watching the situation closely.",
    "The news drew comment on local radio throughout the morning.",
    "Residents said they hoped for a quick resolution.",
    "More details are expected in the coming days.",
    "A spokesperson declined to comment further when reached by telephone.",
    "The regional government said it was following events and would respond in due course.",
    "Several people who spoke to reporters asked not to be named.",
    "It was the second time this year that the area had made headlines.",
    "Traffic around the town centre was heavier than usual for much of the afternoon.",
    "Community groups said they would hold a meeting to discuss what happens next.",
    "Opposition councillors called for a full public report by the end of the month.",
    "Observers said the coming week would show whether the mood in the town had changed.",
]


@dataclass(frozen=True)
class Event:
    kind: str
    slots: dict[str, str]
    day: dt.date


# Syllables of made-up names, for inboxes with more events than the lists above hold: every
# event then has a place, a person and an organisation of its own (`varied`).
_ONSETS = "B D F G H K L M N P R S T V W Br Dr Gr Kr Pr Tr St Sk Bl Fl".split()
_VOWELS = "a e i o u ai ea ou".split()
_ENDS = "n r l s th m nd rd ck ll".split()


def _made_up(number: int, parts: int) -> str:
    """A pronounceable name, different for every `number`."""
    syllables = []
    for _ in range(parts):
        number, onset = divmod(number, len(_ONSETS))
        number, vowel = divmod(number, len(_VOWELS))
        syllables.append(_ONSETS[onset] + _VOWELS[vowel])
    number, end = divmod(number, len(_ENDS))
    word = "".join(syllables) + _ENDS[end]
    return word[:1] + word[1:].lower() + (f"-{number}" if number else "")


def _event(
    rng: random.Random, number: int, start: dt.date, days: int, varied: bool = False
) -> Event:
    kind = sorted(KINDS)[number % len(KINDS)]
    day = start + dt.timedelta(days=rng.randrange(days))
    slots = {
        "place": (
            _made_up(number, 2) + rng.choice(["ton", "field", "bury", " Bay", " Heights"])
            if varied
            else PLACES[(number * 37) % len(PLACES)]  # a place of its own for every event
        ),
        "person": (
            f"{rng.choice(FIRST)} {_made_up(number * 7 + 3, 2)}"
            if varied
            else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        ),
        "org": f"{_made_up(number * 13 + 5, 1)} {rng.choice(['Group', 'Holdings', 'Works'])}"
        if varied
        else rng.choice(ORGS),
        "n": str(rng.randrange(20, 900)),
        "m": str(rng.randrange(2, 19)),
        "day": day.strftime("%A"),
    }
    return Event(kind, slots, day)


def _article(rng: random.Random, event: Event, outlet: str) -> str:
    kind = KINDS[event.kind]
    fill = lambda text: text.format(**event.slots)  # noqa: E731
    facts = rng.sample(kind["facts"], k=rng.randrange(4, len(kind["facts"]) + 1))
    extra = rng.sample(BACKGROUND, k=6)
    paragraphs = [
        _lengthen(rng, fill(rng.choice(kind["lead"])), fill),
        *(_lengthen(rng, fill(fact), fill) for fact in facts),
        *extra,
    ]
    byline = f"By {rng.choice(FIRST)} {rng.choice(LAST)} | {outlet}"
    return "\n\n".join(
        [fill(rng.choice(kind["headline"])), f"{byline} | {event.day:%B %-d, %Y}", *paragraphs]
    )


def _lengthen(rng: random.Random, sentence: str, fill: Callable[[str], str]) -> str:
    """The sentence with one or two deletable clauses added before its full stop."""
    clauses = "".join(fill(c) for c in rng.sample(CLAUSES, k=rng.choice([1, 1, 2])))
    return sentence[:-1] + clauses + sentence[-1]


def write_inbox(
    folder: Path,
    articles: int,
    seed: int = 7,
    per_story: int = 4,
    days: int = 7,
    varied: bool = False,
    start: dt.date = dt.date(2026, 11, 16),
    first_number: int = 0,
) -> list[Path]:
    """Write `articles` files into `folder` (about `per_story` outlets per story, over `days`
    days from `start`); `varied`: every event with a place, person and organisation of its own
    (events numbered from `first_number`, so a later batch tells new events)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    number = first_number
    while len(paths) < articles:
        event = _event(rng, number, start, days, varied)
        outlets = rng.sample(OUTLETS, k=min(per_story + rng.choice([-1, 0, 1]), len(OUTLETS)))
        for outlet in outlets[: articles - len(paths)]:
            path = folder / f"{number:06d}_{outlet.lower().replace(' ', '_')}.txt"
            path.write_text(_article(rng, event, outlet), encoding="utf-8")
            paths.append(path)
        number += 1
    return paths
