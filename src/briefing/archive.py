"""The archive: `index.html` over every briefing in the output folder, and links from each
briefing to the one before and after it.

Static files only, so the folder can be served by any web server or opened from disk. The
briefings' JSON files are the record: the index and the links are rebuilt from them after
every run, and a briefing's HTML is re-rendered from its JSON when its neighbours change.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.files import write_atomic
from briefing.render import environment, render_view

log = logging.getLogger(__name__)

INDEX = "index.html"
TOP_HEADLINES = 3


@dataclass(frozen=True)
class Entry:
    """One briefing of the archive, as its JSON file describes it."""

    name: str
    date_from: str
    date_to: str
    story_count: int
    article_count: int
    headlines: tuple[str, ...]
    view: dict[str, Any]

    @property
    def order(self) -> tuple[str, str, str]:
        """Sort key: last day, first day, name (a range sorts after its last day's briefing)."""
        return (self.date_to, self.date_from, self.name)

    def link(self) -> dict[str, str]:
        """The entry's name, file and dates, as the index and the navigation show them."""
        return {
            "name": self.name,
            "href": f"{self.name}.html",
            "date_from": self.date_from,
            "date_to": self.date_to,
        }


def entries(out_dir: Path) -> list[Entry]:
    """Every briefing in `out_dir` that has its JSON and HTML, oldest first."""
    found = []
    for path in sorted(out_dir.glob("*.json")):
        if not (out_dir / f"{path.stem}.html").exists():
            continue
        try:
            view = json.loads(path.read_text(encoding="utf-8"))
            found.append(
                Entry(
                    name=str(view["name"]),
                    date_from=str(view["date_from"]),
                    date_to=str(view["date_to"]),
                    story_count=int(view["story_count"]),
                    article_count=int(view["article_count"]),
                    headlines=top_headlines(view),
                    view=view,
                )
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("archive: %s is not a briefing's JSON (%s); left out", path.name, exc)
    return sorted(found, key=lambda e: e.order)


def top_headlines(view: dict[str, Any]) -> tuple[str, ...]:
    """A briefing's top stories as its page leads with them (newest day first, its leading
    sections first), never one unchanged since an earlier briefing."""
    laid_out = [
        story
        for day in view.get("days", [])
        for section in day["sections"]
        for story in section["stories"]
    ]
    shown = laid_out or [
        s for s in view["stories"] if (s.get("since") or {}).get("mark") != "unchanged"
    ]
    return tuple(str(s["headline"]) for s in shown[:TOP_HEADLINES])


def navigation(archive: list[Entry], index: int) -> dict[str, Any]:
    """Links to the briefings before and after `archive[index]`."""
    return {
        "index": INDEX,
        "previous": archive[index - 1].link() if index > 0 else None,
        "next": archive[index + 1].link() if index + 1 < len(archive) else None,
    }


def update_archive(out_dir: Path, templates: Path, changed: str) -> Path:
    """Rebuild the index and the links of briefing `changed` and its neighbours."""
    archive = entries(out_dir)
    names = [e.name for e in archive]
    if changed in names:
        at = names.index(changed)
        for index in range(max(0, at - 1), min(len(archive), at + 2)):
            entry = archive[index]
            view = entry.view | {"nav": navigation(archive, index)}
            write_atomic(out_dir / f"{entry.name}.html", render_view(view, "html", templates))
    index_view = {
        "briefings": [
            {
                **e.link(),
                "story_count": e.story_count,
                "article_count": e.article_count,
                "headlines": list(e.headlines),
                "single_day": e.date_from == e.date_to,
            }
            for e in reversed(archive)
        ],
        "title": archive[-1].view.get("title", "Briefings") if archive else "Briefings",
    }
    html = environment(templates).get_template(INDEX).render(**index_view)
    write_atomic(out_dir / INDEX, html)
    return out_dir / INDEX
