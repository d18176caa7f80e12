"""Parts added through the public registration: the reader, backend and channel that
docs/extending.md shows, run as they are written there, build a briefing of the sample inbox.
Also: the registry itself (entry points, unknown names, a module that cannot be imported)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.conftest import REPO

from briefing import plugins
from briefing.config import Config, load_config
from briefing.daterange import DateRange
from briefing.errors import ConfigError, InputError

EXTENDING = REPO / "docs" / "extending.md"
CLIP = """Harbour pilots end strike after pay deal in Caldmouth
2022-03-29
Caldmouth Courier

Harbour pilots in Caldmouth ended their three-day strike on Tuesday after the port authority,
which had refused to reopen talks, agreed to a pay rise of 4 percent, the union said.

Ships that had waited off the coast began entering the harbour in the afternoon.
"""


def documented_modules() -> dict[str, types.ModuleType]:
    """Each Python block of docs/extending.md, run as the module its first line names."""
    text = EXTENDING.read_text(encoding="utf-8")
    modules = {}
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
        name = re.match(r"# (\w+)\.py\n", block)
        assert name, f"a code block of {EXTENDING.name} does not name its module"
        module = types.ModuleType(name.group(1))
        sys.modules[module.__name__] = module
        exec(compile(block, f"{EXTENDING}:{module.__name__}", "exec"), module.__dict__)  # noqa: S102
        modules[module.__name__] = module
    return modules


@pytest.fixture
def documented_parts() -> Iterator[dict[str, types.ModuleType]]:
    """The documented modules, registered by import path as a package's entry points name
    them; unregistered afterwards."""
    modules = documented_modules()
    plugins.readers.register(".clip", "clip_reader:read")
    plugins.backends.register("comma_cut", "comma_cut_backend:BACKEND")
    plugins.channels.register("headlines", "headlines_channel:deliver")
    yield modules
    plugins.readers.unregister(".clip")
    plugins.backends.unregister("comma_cut")
    plugins.channels.unregister("headlines")
    for name in modules:
        sys.modules.pop(name, None)


def test_a_briefing_built_with_the_documented_reader_backend_and_channel(
    documented_parts: dict[str, types.ModuleType],
    make_project: Callable[..., Config],
    sample_files: list[Path],
) -> None:
    from briefing.pipeline import run_briefing
    from briefing.summarise.backends import get_model

    config = make_project(
        sample_files,
        summary={"backend": "comma_cut", "comma_cut": {"pattern": ", [^,]+,"}},
        delivery={"channels": ["headlines"]},
    )
    (config.inbox / "harbour.clip").write_text(CLIP, encoding="utf-8")
    (config.inbox / "broken.clip").write_text("just one line\n", encoding="utf-8")
    assert ".clip" in config.ingest.extensions  # the default: every registered reader

    result = run_briefing(config, DateRange(dt.date(2022, 3, 28), dt.date(2022, 3, 30)))

    # The reader: its article is in the briefing, dated and attributed as the file says; a
    # file it cannot read is refused in one line naming it, and the run goes on.
    outcomes = {Path(o.path).name: o for o in result.ingested}
    assert outcomes["harbour.clip"].outcome == "ingested"
    assert outcomes["broken.clip"].outcome == "rejected"
    assert "broken.clip: not a clip" in outcomes["broken.clip"].message
    view = json.loads((config.output_dir / f"{result.view['name']}.json").read_text())
    clip = next(
        x for s in view["stories"] for x in s["sources"] if x["file"].endswith("harbour.clip")
    )
    # Its outlet made canonical like any format's: the name the sample's HTML page gives it.
    assert clip["outlet"] == "The Caldmouth Courier" and clip["date"] == "2022-03-29"

    # The backend: its own section configured it, it compressed, and the briefing credits it.
    assert view["settings"]["backend"] == "comma_cut" and view["model"] == "comma-cut rules"
    model = get_model(config.summary, config.summary.model_cache_dir)
    assert model.name == "comma-cut rules" and model.calls > 0  # type: ignore[attr-defined]
    assert config.summary.backend_settings("comma_cut").pattern == ", [^,]+,"
    compressed = [
        s for story in view["stories"] for s in story["sentences"] if s["origin"] == "compressed"
    ]
    assert compressed, "the backend's compressions reached no summary"
    assert all(", which had refused to reopen talks," not in s["text"] for s in compressed)

    # The channel: after the files, in the order configured.
    assert [d.channel for d in result.delivered] == ["files", "headlines"]
    headlines = (config.output_dir / f"{result.view['name']}.headlines.txt").read_text()
    assert headlines.splitlines() == [s["headline"] for s in view["stories"]]


def test_the_readme_shows_a_whole_documented_module() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```python\n(# \w+\.py\n.*?)```", readme, flags=re.S)
    assert shown, "the README's Extending section shows no module"
    assert shown.group(1) in EXTENDING.read_text(encoding="utf-8")


def test_a_part_installed_as_an_entry_point_is_found_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shout_reader.py").write_text(
        "from briefing.ingest.draft import ArticleDraft\n"
        "def read(path, data):\n"
        "    return ArticleDraft(title=data.decode().upper())\n",
        encoding="utf-8",
    )
    info = tmp_path / "shout_reader-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-reader\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[briefing.readers]\n.shout = shout_reader:read\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    readers = plugins.Registry("reader", {".txt": "briefing.ingest.plaintext:read"}, fold_case=True)
    assert readers.names() == [".txt", ".shout"]
    assert readers.get(".SHOUT")(Path("a.shout"), b"hi").title == "HI"


def test_unknown_and_broken_parts_are_one_line_errors(tmp_path: Path) -> None:
    channels = plugins.Registry("channel", {"files": "briefing.deliver.files:deliver"})
    channels.register("ghost", "no_such_module_here:deliver")
    with pytest.raises(plugins.UnknownPart, match=r"no channel 'fax' \(channels: files, ghost\)"):
        channels.get("fax")
    with pytest.raises(ConfigError, match="channel 'ghost' cannot be loaded from no_such_module"):
        channels.get("ghost")

    from briefing.ingest.formats import reader_for

    with pytest.raises(InputError, match=r"a\.docx: no reader '\.docx' \(readers: \.txt"):
        reader_for(Path("a.docx"))


def test_a_backend_section_is_checked_by_its_own_settings(
    documented_parts: dict[str, types.ModuleType], tmp_path: Path
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("summary:\n  backend: comma_cut\n  comma_cut:\n    patern: x\n")
    with pytest.raises(ConfigError, match="comma_cut.patern: Extra inputs are not permitted"):
        load_config(path)
