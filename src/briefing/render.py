"""Render a Briefing through the Jinja2 templates in `templates/`, and write files atomically.

Templates see a plain view model (dicts and lists), built here once, so every format shows the
same numbering of sources and the same citation marks.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from briefing.errors import ConfigError
from briefing.files import write_set
from briefing.layout import ALSO_LINE, lay_out
from briefing.layout import may_show_in_full as layout_may_show
from briefing.records import Article, Briefing, Continuity, Story, Summary
from briefing.text import is_web_url

TEMPLATE_FOR = {
    "html": "briefing.html",
    "md": "briefing.md",
    "txt": "briefing.txt",
    "email.html": "email.html",
}
TEXT_FORMATS = ("html", "md", "txt", "json")

log = logging.getLogger(__name__)


def environment(templates: Path, fmt: str = "html") -> jinja2.Environment:
    """The Jinja environment of the templates folder for a format (HTML autoescaped, Markdown
    and plain text escaped as `_markdown_text` and `_one_line` say), one per folder, format
    and process: each template is compiled once, and an edited template is reloaded."""
    if not templates.is_dir():
        raise ConfigError(f"render.templates: template folder not found: {templates}")
    return _environment(str(templates.resolve()), fmt if fmt in ("md", "txt") else "html")


# What came from an article never acts as markup or as a terminal command in any format:
# every string of the view loses control and bidi-override characters (`_clean`), and in
# Markdown each `{{ value }}` has its markup characters backslash-escaped and its line breaks
# joined, so it stays one run of text (`_markdown_text`). HTML is autoescaped; plain text
# carries no markup. tests/test_render_hostile.py renders every format with hostile text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|#!])")


def _clean(value: Any) -> Any:
    """The view with control and bidi-override characters removed from every string."""
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _markdown_text(value: Any) -> Any:
    """A template value as Markdown text: one line, no markup (a `markupsafe.Markup` value,
    made by a filter for a known context, passes as it is)."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _markdown_url(value: str) -> Markup:
    """A web URL as a Markdown link destination: what could end or break it percent-encoded."""
    return Markup(re.sub(r"[\s()<>\\]", lambda m: f"%{ord(m.group()):02X}", value))


def _one_line(value: Any) -> Any:
    """A template value of the plain-text format: its line breaks joined."""
    return " ".join(value.split()) if isinstance(value, str) else value


@functools.cache
def _environment(templates: str, fmt: str = "html") -> jinja2.Environment:
    env = jinja2.Environment(
        finalize={"md": _markdown_text, "txt": _one_line}.get(fmt),
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=_bytecode_cache(),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml"), default_for_string=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["day"] = _day
    env.filters["named_dates"] = named_dates
    env.filters["when"] = _when
    env.filters["md_url"] = _markdown_url
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's per-user cache folder of compiled templates, keyed by each template's source:
    a new process does not compile them again (0.3 s a run). None where it cannot be used
    (no writable temporary folder, or one another user owns): templates are compiled then."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError) as exc:
        log.debug("no template cache: %s", exc)
        return None


def _day(value: dt.date | str) -> str:
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{date:%a} {date.day} {date:%b %Y}"


def named_dates(name: str) -> str:
    """A briefing's name as the reader says it: "Tue 29 Mar 2022", or "Mon 28 Mar 2022 –
    Wed 30 Mar 2022" for a range ("2022-03-28_2022-03-30"); any other name as it is."""
    try:
        days = [dt.date.fromisoformat(part) for part in name.split("_")]
    except ValueError:
        return name
    return " – ".join(_day(d) for d in dict.fromkeys(days))


def _when(stamp: str) -> str:
    """An ISO time stamp as "on Mon 6 Dec 2026 at 23:22"."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    return f"on {_day(moment.date())} at {moment:%H:%M}"


def article_view(a: Article) -> dict[str, Any]:
    """An article as the templates show it."""
    return {
        "id": a.id,
        "file": a.path,
        "title": a.title,
        "outlet": a.outlet or Path(a.path).name,
        "byline": a.byline,
        "date": a.date.isoformat(),
        "date_source": a.date_source,
        "url": a.url if is_web_url(a.url) else None,
        "language": a.language,
        "kind": a.kind,
    }


def continuity_view(mark: Continuity | None) -> dict[str, Any] | None:
    """How a story stands to earlier briefings, as the templates show it."""
    if mark is None:
        return None
    return {
        "mark": mark.mark,
        "previous": mark.previous,
        "previous_href": f"{mark.previous}.html" if mark.previous else None,
        "previous_headline": mark.previous_headline,
        "new_sources": mark.new_sources,
        "since": mark.since.isoformat() if mark.since else None,
        "day": mark.day,
    }


def _story_kind(story: Story) -> str:
    kinds = {a.kind for a in story.distinct_articles}
    return "" if "news" in kinds else ("analysis" if kinds == {"analysis"} else "opinion")


def story_view(
    story: Story, summary: Summary | None, mark: Continuity | None = None, boosted: bool = False
) -> dict[str, Any]:
    """A story and its summary as the templates show them: sources numbered, cited."""
    number = {a.id: n for n, a in enumerate(story.articles, start=1)}
    sources = [
        {
            **article_view(a),
            "n": number[a.id],
            "anchor": f"src-{story.id}-{number[a.id]}",
            "duplicate": a.id in story.duplicate_ids,
        }
        for a in story.articles
    ]
    sentences = []
    for sentence in summary.sentences if summary else ():
        sentences.append(
            {
                "text": sentence.text,
                "origin": sentence.origin,
                "replaced": sentence.replaced_reason is not None,
                "reason": sentence.replaced_reason,
                "source_text": sentence.source_text,
                "removed": list(sentence.removed),
                "source_ids": list(sentence.source_ids),
                "view_of": number.get(sentence.view_of) if sentence.view_of else None,
                "marks": sorted(number[i] for i in sentence.source_ids if i in number),
            }
        )
    outlets = {str(s["outlet"]) for s in sources if not s["duplicate"]}
    return {
        "id": story.id,
        "anchor": f"story-{story.id}",
        "headline": story.headline,
        "section": story.section,
        "date": story.date.isoformat(),
        "first_date": story.first_date.isoformat(),
        "sources": sources,
        "source_count": len(story.distinct_articles),
        "outlet_count": len(outlets),
        "single_source": len(outlets) <= 1,
        # Opinion or analysis when no source reports it as news ("" for news).
        "kind": _story_kind(story),
        "sentences": sentences,
        "counts": vars(summary.counts) if summary else {},
        "model_sentences": list(summary.generated) if summary else [],
        "since": continuity_view(mark),
        "boosted": boosted,
    }


def _page_parts(
    stories: list[dict[str, Any]], unchanged_mode: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The stories laid out on the page, the unchanged ones, and those of them listed."""
    marks = [(s["since"] or {}).get("mark") for s in stories]
    unchanged = [s for s, mark in zip(stories, marks, strict=True) if mark == "unchanged"]
    laid = [s for s, mark in zip(stories, marks, strict=True) if mark != "unchanged"]
    return laid, unchanged, unchanged if unchanged_mode == "last" else []


def may_show_in_full(briefing: Briefing) -> set[str]:
    """The ids of the stories the page of `briefing` (its summaries not written yet) may
    show with a full summary (`layout.may_show_in_full`), laid out as `briefing_view` lays
    them out."""
    stories = [
        story_view(s, None, briefing.continuity.get(s.id), s.id in briefing.boosted)
        for s in briefing.stories
    ]
    laid, _, listed = _page_parts(stories, briefing.unchanged)
    return layout_may_show(
        laid,
        briefing.section_weights,
        briefing.date_to.isoformat(),
        briefing.one_page,
        ALSO_LINE * len(listed),
    )


def briefing_view(briefing: Briefing) -> dict[str, Any]:
    """The view model of the whole briefing, also written as its JSON."""
    stories = [
        story_view(
            s, briefing.summaries.get(s.id), briefing.continuity.get(s.id), s.id in briefing.boosted
        )
        for s in briefing.stories
    ]
    laid, unchanged, listed = _page_parts(stories, briefing.unchanged)
    reserved = ALSO_LINE * len(listed) + 2.0 * len(briefing.notices)
    days, top = lay_out(
        laid, briefing.section_weights, briefing.date_to.isoformat(), briefing.one_page, reserved
    )
    articles = {a.id for s in briefing.stories for a in s.articles}
    outlets = {a.outlet for s in briefing.stories for a in s.articles if a.outlet}
    return {
        "name": briefing.name,
        "title": briefing.title,
        "date_from": briefing.date_from.isoformat(),
        "date_to": briefing.date_to.isoformat(),
        "single_day": briefing.date_from == briefing.date_to,
        "days": days,
        "top": [{"headline": s["headline"], "anchor": s["anchor"]} for s in top],
        "stories": stories,
        "story_count": len(stories),
        "article_count": len(articles),
        "outlet_count": len(outlets),
        "model": briefing.model,
        "settings": briefing.settings,
        "generated_at": briefing.generated_at.isoformat(timespec="seconds"),
        "seconds": round(briefing.seconds, 1),
        "counts": vars(briefing.counts),
        "undated": [article_view(a) for a in briefing.undated],
        "unchanged": listed,
        "unchanged_count": len(unchanged),
        "notices": list(briefing.notices),
        "left_out": list(briefing.left_out),
    }


def render_view(view: dict[str, Any], fmt: str, templates: Path) -> str:
    """Render a view model (as built by briefing_view, or read back from <name>.json)."""
    view = _clean(view)
    if fmt == "json":
        return json.dumps(view, indent=2, ensure_ascii=False) + "\n"
    return environment(templates, fmt).get_template(TEMPLATE_FOR[fmt]).render(**view)


def render(briefing: Briefing, fmt: str, templates: Path) -> str:
    """One format of a Briefing, as text."""
    return render_view(briefing_view(briefing), fmt, templates)


def load_view(path: Path) -> dict[str, Any]:
    """The view model of a written briefing, from its JSON file."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def remove_stale_temporaries(out_dir: Path, name: str) -> None:
    """Temporary files a killed run left behind for this briefing (the caller holds its lock,
    so no other process is writing them)."""
    if out_dir.is_dir():
        for stale in out_dir.glob(f".{name}.*"):
            stale.unlink(missing_ok=True)


def write_briefing(
    briefing: Briefing, formats: Iterable[str], out_dir: Path, templates: Path
) -> list[Path]:
    """Write the text formats (html, md, txt, json) of a Briefing; other formats are not."""
    return write_view(briefing_view(briefing), formats, out_dir, templates)


def write_view(
    view: dict[str, Any], formats: Iterable[str], out_dir: Path, templates: Path
) -> list[Path]:
    """Write the text formats (html, md, txt, json) of a view; other formats are not."""
    name = view["name"]
    log.info("writing briefing %s to %s", name, out_dir)
    remove_stale_temporaries(out_dir, name)
    # Every format is rendered before any is written, and all are replaced together.
    contents = {
        out_dir / f"{name}.{fmt}": render_view(view, fmt, templates)
        for fmt in formats
        if fmt in TEXT_FORMATS
    }
    write_set(contents)
    return list(contents)
