"""The reader's controls: stories muted, boosted or hidden, before the page is laid out.

`reader.mute` and `reader.boost` in config.yaml name keywords (words or phrases, matched as
whole words in a story's headlines and leads, any case), outlets and sections. A muted story
is left out before it is summarised; a story is muted by an outlet only when every source is
from muted outlets (another outlet's report of it still shows). A boosted story leads its
day. `briefing hide STORY` hides one story from then on: its articles are remembered, so it
stays hidden when a new source joins it. The briefing says in plain words what was left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.archive import entries
from briefing.config import Config, ReaderFilter
from briefing.errors import NotFoundError
from briefing.records import Story
from briefing.store import Store
from briefing.text import lead


@dataclass(frozen=True)
class Controlled:
    """The stories to lay out, the ids of those boosted, and what was left out and why."""

    stories: list[Story]
    boosted: frozenset[str]
    left_out: tuple[str, ...]  # "2 stories muted: sports", "1 story hidden"


def _phrase(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(keyword.strip())}(?!\w)", re.IGNORECASE)


def story_text(story: Story) -> str:
    """What keywords are looked for in: every source's headline and lead."""
    return " ".join(f"{a.title or ''}. {lead(a.body, 2)}" for a in story.distinct_articles)


def why_matched(story: Story, rules: ReaderFilter) -> str | None:
    """The rule a story meets ("sports", "keyword 'port strike'"), or None."""
    if story.section.casefold() in {s.casefold() for s in rules.sections}:
        return story.section
    outlets = {(a.outlet or "").casefold() for a in story.distinct_articles}
    named = {o.casefold() for o in rules.outlets}
    if outlets and outlets <= named:
        return f"outlet {', '.join(sorted(a.outlet or '' for a in story.distinct_articles))}"
    if not rules.keywords:
        return None  # the leads are split into sentences only when a keyword is asked for
    text = story_text(story)
    for keyword in rules.keywords:
        if keyword.strip() and _phrase(keyword).search(text):
            return f"'{keyword.strip()}'"
    return None


def apply_controls(
    stories: Sequence[Story], mute: ReaderFilter, boost: ReaderFilter, hidden: set[str]
) -> Controlled:
    """Leave out the hidden and muted stories; mark the boosted ones."""
    kept: list[Story] = []
    muted: Counter[str] = Counter()
    hidden_count = 0
    for story in stories:
        if hidden & {a.id for a in story.articles}:
            hidden_count += 1
            continue
        reason = why_matched(story, mute)
        if reason is not None:
            muted[reason] += 1
            continue
        kept.append(story)
    boosted = frozenset(s.id for s in kept if why_matched(s, boost) is not None)
    left_out = []
    if muted:
        total = sum(muted.values())
        reasons = ", ".join(f"{why} ({n})" if len(muted) > 1 else why for why, n in muted.items())
        left_out.append(f"{total} {'story' if total == 1 else 'stories'} muted: {reasons}")
    if hidden_count:
        left_out.append(
            f"{hidden_count} {'story' if hidden_count == 1 else 'stories'} hidden (briefing hide)"
        )
    return Controlled(kept, boosted, tuple(left_out))


def hide_story(config: Config, story_id: str, undo: bool = False) -> str:
    """Hide the story `story_id` of a written briefing from new briefings (or show it again);
    returns its headline. A story id no briefing holds is a NotFoundError."""
    with Store(config.database) as store:
        if undo:
            if not store.unhide_story(story_id):
                raise NotFoundError(f"no hidden story {story_id} (briefing hide hides one)")
            return story_id
        for entry in reversed(entries(config.output_dir)):
            for story in entry.view.get("stories", []):
                if story.get("id") == story_id:
                    ids = [source["id"] for source in story.get("sources", [])]
                    store.hide_story(story_id, ids, story.get("headline", ""))
                    return str(story.get("headline", story_id))
    raise NotFoundError(
        f"no story {story_id} in the briefings of {config.output_dir} (its id is in the "
        "briefing's JSON, and in `briefing list --ids`)"
    )
