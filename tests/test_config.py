"""config.yaml validation: defaults, one clear message per wrong field, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REPO

from briefing import plugins
from briefing.cli import cli
from briefing.config import Config, SummaryConfig, load_config
from briefing.errors import ConfigError


def with_every_backend(config: Config) -> dict[str, object]:
    """The config as a dict, every registered backend's section in it (configured or not)."""
    written = config.model_dump(exclude={"base_dir"})
    for name in plugins.backends.names():
        written["summary"][name] = config.summary.backend_settings(name).model_dump()
    return written


def test_repository_config_is_valid_and_matches_the_defaults() -> None:
    shipped = load_config(REPO / "config.yaml")
    assert with_every_backend(shipped) == with_every_backend(Config())


def test_each_backend_reads_its_own_section(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "summary:\n  backend: openai\n  openai:\n    endpoints: [http://127.0.0.1:9/v1]\n"
        "  llamacpp:\n    threads: 3\n",
        encoding="utf-8",
    )
    summary = load_config(path).summary
    assert summary.backend_settings("openai").endpoints == ["http://127.0.0.1:9/v1"]
    assert summary.backend_settings("llamacpp").threads == 3
    assert summary.backend_settings("transformers").beams == 2  # not configured: defaults
    # Written back where it was read, and read again the same.
    assert SummaryConfig.model_validate_json(summary.model_dump_json()) == summary


def test_a_backend_setting_from_the_first_releases_moves_to_its_section(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("summary:\n  beams: 3\n  threads: 1\n", encoding="utf-8")
    summary = load_config(path).summary
    assert summary.backend_settings("transformers").beams == 3
    assert summary.backend_settings("llamacpp").threads == 1
    assert "summary.beams is now summary.transformers.beams" in caplog.text


def test_every_path_is_resolved_once_at_load(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(
        "inbox: my-inbox\nrender:\n  templates: ../shared/templates\n"
        "summary:\n  model_cache_dir: ~/models\nfetch:\n  opml: [feeds.opml]\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "config.yaml")
    assert config.inbox == tmp_path / "my-inbox"
    assert config.render.templates == tmp_path.parent / "shared" / "templates"
    assert config.summary.model_cache_dir == Path.home() / "models"
    assert config.fetch.opml == [tmp_path / "feeds.opml"]
    assert config.database == tmp_path / ".briefing" / "briefing.sqlite"
    assert config.schedule.jobstore.is_absolute() and config.locks.is_absolute()


def test_the_briefing_has_one_time_zone(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    # An older config set the schedule's zone alone: it becomes the one time zone.
    path.write_text("schedule:\n  timezone: Europe/Berlin\n", encoding="utf-8")
    config = load_config(path)
    assert config.timezone == "Europe/Berlin" and config.schedule.timezone is None
    path.write_text("timezone: Asia/Tokyo\nschedule:\n  timezone: Europe/Berlin\n")
    with pytest.raises(ConfigError, match="schedule.timezone .* differs from timezone"):
        load_config(path)


def test_extensions_default_to_the_registered_readers() -> None:
    assert Config().ingest.extensions == plugins.readers.names()
    assert ".eml" in Config().ingest.extensions


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "grouping:\n  similarity_threshold: 3\n",
            "grouping.similarity_threshold: Input should be less than 1",
        ),
        (
            "grouping:\n  fact_weight: 1.5\n",
            "grouping.fact_weight: Input should be less than or equal to 1",
        ),
        ("timezone: Mars/Olympus\n", "timezone: Value error, unknown time zone 'Mars/Olympus'"),
        ("summary:\n  max_sentencs: 2\n", "summary.max_sentencs: Extra inputs are not permitted"),
        ("guard:\n  on_failure: ignore\n", "guard.on_failure: Input should be 'replace' or 'drop'"),
        (
            "render:\n  formats: [docx]\n",
            "render.formats.0: Input should be 'html', 'md', 'txt', 'json' or 'pdf'",
        ),
        ("- just\n- a list\n", "expected a mapping of settings"),
        ("inbox: [unclosed\n", "cannot read config"),
        ("schedule:\n  time: '25:00'\n", "schedule.time: Value error, expected a 24-hour time"),
        ("schedule:\n  days: funday\n", "schedule.days: Value error, not a day-of-week list"),
        ("delivery:\n  email:\n    port: 0\n", "delivery.email.port: Input should be greater"),
        # Parts are named from the registries (briefing.plugins), which the message lists.
        ("summary:\n  backend: gpt9\n", "no backend 'gpt9' (backends: llamacpp, transformers"),
        ("summary:\n  openai:\n    retries: -1\n", "openai.retries: Input should be greater"),
        ("ingest:\n  extensions: [.txt, .docx]\n", "no reader '.docx' (readers: .txt, .md"),
        ("delivery:\n  channels: [fax]\n", "no channel 'fax' (channels: files, pdf, email)"),
        # Numbers are finite and bounded; a key given twice, a file nested to exhaust the
        # parser and a feed folder outside the inbox are refused, each in one line.
        ("fetch:\n  timeout_seconds: .inf\n", "fetch.timeout_seconds: Input should be a finite"),
        ("fetch:\n  max_page_bytes: 1e14\n", "fetch.max_page_bytes: Input should be"),
        ("summary:\n  repetition_penalty: .nan\n", "summary.repetition_penalty: Input should"),
        ("timezone: UTC\ntimezone: Europe/Berlin\n", "duplicate key 'timezone'"),
        ("fetch:\n  folder: ../../x\n", "fetch.folder: Value error, '../../x' must be a folder"),
        ("fetch:\n  folder: /tmp/x\n", "must be a folder inside the inbox"),
        ("a: " + "[" * 50_000 + "]" * 50_000 + "\n", "cannot read config"),
        (
            "delivery:\n  email:\n    host: smtp.example.org\n    security: none\n"
            "    username: ada\n",
            "would send the password for 'ada' unencrypted",
        ),
    ],
)
def test_invalid_config_names_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)

    result = CliRunner().invoke(cli, ["--config", str(path), "ingest"])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_two_wrong_fields_give_two_messages(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("timezone: Nowhere/Land\nsummary:\n  max_sentences: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "timezone:" in str(error.value) and "summary.max_sentences:" in str(error.value)


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "nope.yaml"), "ingest"])
    assert result.exit_code == 2 and "config file not found" in result.output


def test_a_section_given_as_a_string_is_its_description() -> None:
    from briefing.config import SectionConfig

    config = Config(sections={"Local": "council, schools, roads"})  # type: ignore[dict-item]
    assert config.sections == {"Local": SectionConfig(description="council, schools, roads")}


def test_max_story_days_must_cover_the_date_window() -> None:
    import pydantic

    with pytest.raises(pydantic.ValidationError, match="max_story_days"):
        Config(grouping={"date_window_days": 3, "max_story_days": 2})  # type: ignore[arg-type]


def test_a_password_in_clear_is_allowed_to_this_machine_or_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    for email in (
        "host: 127.0.0.1\n    security: none\n    username: ada\n",
        "host: smtp.example.org\n    security: none\n    username: ada\n"
        "    allow_plaintext_password: true\n",
        "host: smtp.example.org\n    security: none\n",  # no username: no password sent
    ):
        path.write_text(f"delivery:\n  email:\n    {email}", encoding="utf-8")
        assert load_config(path).delivery.email.security == "none"
