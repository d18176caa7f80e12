"""Typed records passed between the stages. Plain frozen dataclasses, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

DateSource = Literal["text", "file-mtime"]
# news: a report; opinion: a column, editorial, review or blog, in its writer's voice;
# analysis: an outlet's interpretation of the news (`ingest.kind` tells them apart).
ArticleKind = Literal["news", "opinion", "analysis"]


@dataclass(frozen=True)
class Article:
    """One ingested article. `id` is the SHA-256 of its normalised body."""

    id: str
    path: str
    date: dt.date
    date_source: DateSource
    title: str | None
    byline: str | None
    outlet: str | None
    url: str | None
    body: str
    language: str = "en"
    kind: ArticleKind = "news"

    @property
    def short_id(self) -> str:
        """The first characters of the id, enough to tell articles apart."""
        return self.id[:10]


@dataclass(frozen=True)
class Story:
    """Articles that tell one real-world story, possibly across outlets and adjacent days."""

    id: str
    headline: str
    section: str
    articles: tuple[Article, ...]
    # Ids of articles that are near-duplicates of another article in the story.
    duplicate_ids: frozenset[str] = frozenset()

    @property
    def date(self) -> dt.date:
        """The story's date: its latest article's."""
        return max(a.date for a in self.articles)

    @property
    def first_date(self) -> dt.date:
        """The date of its earliest article."""
        return min(a.date for a in self.articles)

    @property
    def distinct_articles(self) -> tuple[Article, ...]:
        """Its articles without near-duplicates: one per text."""
        return tuple(a for a in self.articles if a.id not in self.duplicate_ids)


# compressed: the model shortened one source sentence by deleting phrases, and the guard kept it;
# model: written freely by the model and kept by the guard; extract: a source sentence verbatim;
# note: built from the sources by the program (e.g. figures the sources disagree on).
Origin = Literal["compressed", "model", "extract", "note"]


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of a summary and the ids of the articles that support it."""

    text: str
    source_ids: tuple[str, ...]
    origin: Origin
    # Why the model's own sentence was replaced, when origin == "extract" after a guard failure.
    replaced_reason: str | None = None
    # For a compressed sentence: the full source sentence and the runs of words deleted from it.
    source_text: str | None = None
    removed: tuple[str, ...] = ()
    # For a sentence from an opinion or analysis piece: the article whose writer's view it is
    # (the text names the writer: "..., Jane Doe writes in an opinion piece.").
    view_of: str | None = None


@dataclass(frozen=True)
class GuardCounts:
    """How many model sentences the guard kept, replaced and dropped."""

    generated: int = 0
    kept: int = 0
    replaced: int = 0
    dropped: int = 0

    def __add__(self, other: GuardCounts) -> GuardCounts:
        return GuardCounts(
            self.generated + other.generated,
            self.kept + other.kept,
            self.replaced + other.replaced,
            self.dropped + other.dropped,
        )


@dataclass(frozen=True)
class Summary:
    """One story's summary: its sentences, each with its origin and sources."""

    story_id: str
    sentences: tuple[SummarySentence, ...]
    model: str
    counts: GuardCounts = field(default_factory=GuardCounts)
    seconds: float = 0.0
    # Every sentence the model wrote (after cleaning), kept or not: shown in the JSON so a
    # reader can see what the guard refused, and measured by the quality benchmark.
    generated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Continuity:
    """How a story stands to earlier briefings: new, developing (new sources), unchanged."""

    mark: Literal["new", "developing", "unchanged"]
    previous: str | None = None  # the earlier briefing the story continues
    previous_headline: str | None = None
    new_sources: int = 0  # sources the earlier story did not have
    since: dt.date | None = None  # when the story first appeared
    day: int = 1  # day of the story, counting `since` as day 1


@dataclass(frozen=True)
class Briefing:
    """Everything a template needs to render one briefing."""

    name: str
    title: str
    date_from: dt.date
    date_to: dt.date
    stories: tuple[Story, ...]
    summaries: dict[str, Summary]
    model: str
    settings: dict[str, object]
    generated_at: dt.datetime
    seconds: float
    counts: GuardCounts
    # Articles with no date in their text, filed after this range: listed, not summarised.
    undated: tuple[Article, ...] = ()
    # What the reader must know about this run (the model failed: extracts only).
    notices: tuple[str, ...] = ()
    # Story id -> how it stands to earlier briefings (empty: no earlier briefing read).
    continuity: dict[str, Continuity] = field(default_factory=dict)
    # Unchanged stories: listed "last" (headlines only) or "hide"-den.
    unchanged: Literal["last", "hide"] = "last"
    # The reader's controls: stories boosted to lead their day, and what was left out, in
    # plain words ("2 stories muted: Sports").
    boosted: frozenset[str] = frozenset()
    left_out: tuple[str, ...] = ()
    # The page (`layout.py`): each section's weight in a story's importance, and whether
    # only the stories that fit one printed page get their full summary.
    section_weights: dict[str, float] = field(default_factory=dict)
    one_page: bool = True

    def report(self) -> str:
        """One line on what the run built: stories, sources, time and the guard's counts."""
        c = self.counts
        return (
            f"Briefing {self.name}: {len(self.stories)} stories from "
            f"{sum(len(s.articles) for s in self.stories)} articles in {self.seconds:.1f} s; "
            f"guard kept {c.kept} of {c.generated} model sentences, replaced {c.replaced}, "
            f"dropped {c.dropped}."
        )
