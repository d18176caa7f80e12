"""The daily run: ingest -> store -> group -> summarise -> render, for one date range.

Used by the CLI (`briefing run`) and the service's daily job alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.archive import entries
from briefing.config import Config
from briefing.continuity import EarlierStory, earlier_stories, mark_stories
from briefing.daterange import DateRange
from briefing.deliver import Delivered, View, configured_channels, deliver_briefing
from briefing.errors import NoArticlesError, OutputError
from briefing.grouping import group_articles
from briefing.ingest.inbox import FileOutcome, ingest_inbox
from briefing.ingest.outlets import one_name_per_outlet, outlet_names
from briefing.lock import briefing_lock
from briefing.reader import apply_controls
from briefing.records import Briefing, GuardCounts, Story, Summary
from briefing.render import briefing_view, environment, may_show_in_full
from briefing.store import Store

log = logging.getLogger(__name__)


@dataclass
class RunHooks:
    """Progress callbacks; the CLI draws progress bars with them, the service logs."""

    on_file: Callable[[FileOutcome], None] | None = None
    on_summaries_start: Callable[[int], None] | None = None
    on_story: Callable[[Story, Summary], None] | None = None
    # Each phase of the run as it starts, named for the reader ("Grouping 40 articles").
    on_phase: Callable[[str], None] | None = None

    def phase(self, name: str) -> None:
        """Say that the phase `name` starts."""
        log.info("%s", name)
        if self.on_phase:
            self.on_phase(name)


@dataclass(frozen=True)
class RunResult:
    """A run's briefing, how it was delivered, and the inbox files it ingested."""

    briefing: Briefing
    view: View
    delivered: list[Delivered]
    ingested: list[FileOutcome] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        """Every file the run wrote."""
        return [path for d in self.delivered for path in d.files]


def summary_settings(config: Config) -> dict[str, object]:
    """The settings that shaped the summaries, as the briefing's JSON records them."""
    from briefing.summarise.backends import backend_named, resolve_backend

    s = config.summary
    writing: dict[str, object] = {"mode": s.mode}
    name = resolve_backend(s)
    if s.mode != "extract":
        writing["backend"] = name
    if s.mode == "compress":
        decoding = backend_named(name).decoding(s.backend_settings(name))
        writing |= {"decoding": decoding, "max_words": s.max_words}
    elif s.mode == "generate":
        writing |= {
            "decoding": "greedy",
            "max_new_tokens": s.max_new_tokens,
            "repetition_penalty": s.repetition_penalty,
            "extracted_sentences": s.extract_sentences,
        }
    return {
        "language": s.language,
        **writing,
        "grouping_threshold": config.grouping.similarity_threshold,
        "grouping_fact_weight": config.grouping.fact_weight,
    }


def build_briefing(
    config: Config, store: Store, dates: DateRange, hooks: RunHooks | None = None
) -> Briefing:
    """Group and summarise the stored articles of a date range into a Briefing."""
    from briefing.embedding import CachedEncoder, run_encoder
    from briefing.summarise import Summariser

    hooks = hooks or RunHooks()
    started = time.perf_counter()
    articles = store.articles_between(dates.first, dates.last)
    undated = store.undated_filed_after(dates.last)
    if not articles:
        raise no_articles(store, dates, "no briefing written", len(undated))
    articles = one_name_per_outlet(articles, outlet_names(config.outlets))
    hooks.phase(f"Grouping {len(articles)} articles into stories")
    encoder = run_encoder(config)
    stories = group_articles(articles, config, encoder, cache=store, stored=store)
    reader = config.reader
    controlled = apply_controls(stories, reader.mute, reader.boost, store.hidden_articles())
    stories = controlled.stories
    continuity = mark_stories(stories, earlier_briefings(config, dates), config, encoder, store)
    page = Briefing(
        name=dates.name,
        title=config.render.title,
        date_from=dates.first,
        date_to=dates.last,
        stories=tuple(stories),
        summaries={},
        model="",
        settings=summary_settings(config),
        generated_at=dt.datetime.now(config.tz),
        seconds=0.0,
        counts=GuardCounts(),
        undated=tuple(one_name_per_outlet(undated, outlet_names(config.outlets))),
        continuity=continuity,
        unchanged=config.render.unchanged,
        boosted=controlled.boosted,
        left_out=controlled.left_out,
        section_weights={name: section.weight for name, section in config.sections.items()},
        one_page=config.render.one_page,
    )
    wanted = stories
    if config.summary.stories == "shown":  # only what the page may show in full
        shown = may_show_in_full(page)
        wanted = [s for s in stories if s.id in shown]
    # Candidate sentences' vectors are kept by text: a story that gains an article encodes
    # only the new article's sentences.
    hooks.phase("Loading the summary model")
    summariser = Summariser.from_config(config, CachedEncoder(encoder, store), store)
    hooks.phase(f"Summarising {len(wanted)} {'story' if len(wanted) == 1 else 'stories'}")
    if hooks.on_summaries_start:
        hooks.on_summaries_start(len(wanted))
    summaries = summariser.summarise_all(wanted, hooks.on_story)
    return dataclasses.replace(
        page,
        summaries=summaries,
        model=next(
            (s.model for s in summaries.values() if s.counts.generated),
            summariser.model_name(),
        ),
        counts=sum((s.counts for s in summaries.values()), GuardCounts()),
        seconds=time.perf_counter() - started,
        notices=run_notices(summariser.model_failure, summariser.unanswered),
    )


def earlier_briefings(config: Config, dates: DateRange) -> list[EarlierStory]:
    """The stories of the briefings written before this one (by their date ranges)."""
    this = (dates.last.isoformat(), dates.first.isoformat(), dates.name)
    views = [e.view for e in entries(config.output_dir) if e.order < this]
    return earlier_stories(views)


def run_notices(model_failure: str | None, unanswered: int = 0) -> tuple[str, ...]:
    """What the reader must know about how the summaries were written."""
    notices = []
    if model_failure is not None:
        notices.append(
            f"The summary model could not be used ({model_failure}); the summaries below are "
            "sentences quoted from the sources. Check summary.model in config.yaml "
            "(briefing run says more)."
        )
    if unanswered:
        stories = "story quotes" if unanswered == 1 else "stories quote"
        notices.append(
            f"The summary server did not answer in time: {unanswered} {stories} sentences "
            "from the sources instead of a summary. The next run summarises them."
        )
    return tuple(notices)


def run_briefing(
    config: Config,
    dates: DateRange,
    hooks: RunHooks | None = None,
    ingest: bool = True,
    channels: Sequence[str] | None = None,
) -> RunResult:
    """Ingest the inbox (unless told not to), build the briefing and deliver it through
    `channels` (default: `delivery.channels`).

    Raises BusyError if another process is building the same briefing.
    """
    hooks = hooks or RunHooks()
    channels = configured_channels(config) if channels is None else channels
    environment(config.render.templates)  # a missing template folder: said now, not after
    with briefing_lock(config.locks, dates.name), Store(config.database) as store:
        if ingest:
            hooks.phase("Reading the inbox")
        outcomes = ingest_inbox(config, store, on_file=hooks.on_file) if ingest else []
        briefing = build_briefing(config, store, dates, hooks)
        hooks.phase("Writing the briefing")
        try:
            view = briefing_view(briefing)
            delivered = deliver_briefing(config, view, channels)
        except OSError as exc:
            # Each file is written whole or not at all (write_atomic); the articles are
            # stored, so the next run writes the briefing once the folder is usable.
            raise OutputError(
                f"cannot write the briefing to {config.output_dir}: {exc.strerror or exc}; the "
                "inbox is ingested, run again once the folder is writable"
            ) from exc
        result = RunResult(briefing, view, delivered, outcomes)
        store.record_briefing(
            briefing.name,
            [str(f) for f in result.files],
            len(briefing.stories),
            sum(len(s.articles) for s in briefing.stories),
        )
    log.info(
        "briefing %s: %d stories in %.1f s, written to %s",
        briefing.name,
        len(briefing.stories),
        briefing.seconds,
        ", ".join(str(f) for f in result.files),
    )
    return result


def no_articles(store: Store, dates: DateRange, outcome: str, undated: int = 0) -> NoArticlesError:
    """Why a range has nothing to show, and the range that would: the dates the inbox's
    articles have."""
    asked = f"{dates.first}" + ("" if dates.first == dates.last else f" to {dates.last}")
    span = store.date_span()
    if span is None:
        return NoArticlesError(
            f"no articles dated {asked}: the inbox holds none yet (drop articles into it, or "
            f"run `briefing fetch` for the configured feeds); {outcome}"
        )
    first, last = span
    held = f"{store.article_count()} articles dated {first} to {last}"
    if undated:
        held += f", {undated} of them with no date in their text"
    return NoArticlesError(
        f"no articles dated {asked} ({held}); {outcome}. "
        f"Try --from {first} --to {last}, or drop articles into the inbox"
    )


def stories_between(config: Config, dates: DateRange) -> list[Story]:
    """The stories the inbox's articles of `dates` group into (no summaries), after an
    ingest of what is new."""
    from briefing.embedding import run_encoder

    with Store(config.database) as store:
        ingest_inbox(config, store)  # the stories of the inbox as it is now
        articles = store.articles_between(dates.first, dates.last)
        if not articles:
            raise no_articles(store, dates, "no stories to list")
        encoder = run_encoder(config)
        return group_articles(articles, config, encoder, store, stored=store)
