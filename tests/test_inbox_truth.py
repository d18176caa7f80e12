"""The inbox is the truth: an edited file replaces its earlier version, a deleted file drops
out of new briefings, and briefings already written stay as they were. Also: a store that is
corrupt or cannot be opened gives one line and a way forward (`briefing rebuild`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections import Counter

from click.testing import CliRunner
from tests.conftest import SEED_MOSCOW_TIMES, SEED_UPI

from briefing.cli import cli
from briefing.ingest.inbox import ingest_inbox
from briefing.store import Store

MARCH = (dt.date(2022, 3, 1), dt.date(2022, 3, 31))


def invoke(config, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config.base_dir / "config.yaml"), *args])


def scan(config) -> Counter[str]:
    with Store(config.database) as store:
        return Counter(o.outcome for o in ingest_inbox(config, store))


def stored(config) -> list[tuple[str, str | None]]:
    with Store(config.database) as store:
        return [(os.path.basename(a.path), a.title) for a in store.articles_between(*MARCH)]


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    later = path.stat().st_mtime_ns + 2_000_000_000  # an editor's save, seconds later
    os.utime(path, ns=(later, later))


def test_an_edited_file_replaces_its_earlier_version(make_project) -> None:
    config = make_project([SEED_UPI, SEED_MOSCOW_TIMES])
    assert scan(config) == {"ingested": 2}
    upi = config.inbox / SEED_UPI.name
    title = dict(stored(config))[upi.name]
    assert title
    edit(upi, title, "Talks in Istanbul cancelled")

    result = invoke(config, "ingest")
    assert result.exit_code == 0, result.output
    assert "updated" in result.output and "replaces the earlier one" in result.output
    assert "1 updated" in result.output
    assert sorted(stored(config)) == sorted(
        [(upi.name, "Talks in Istanbul cancelled"), (SEED_MOSCOW_TIMES.name, stored(config)[0][1])]
    )
    assert len(stored(config)) == 2  # one source per file: the old version is gone

    edit(upi, "Talks in Istanbul cancelled", title)  # and back: the first version again
    assert scan(config) == {"updated": 1, "unchanged": 1}
    assert dict(stored(config))[upi.name] == title


def test_a_deleted_file_drops_out_of_new_briefings_only(make_project) -> None:
    config = make_project([SEED_UPI, SEED_MOSCOW_TIMES], summary={"mode": "extract"})
    first = invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-29")
    assert first.exit_code == 0, first.output
    written = config.output_dir / "2022-03-28_2022-03-29.json"
    before = written.read_text(encoding="utf-8")
    assert sum(len(s["sources"]) for s in json.loads(before)["stories"]) == 2

    (config.inbox / SEED_UPI.name).unlink()
    result = invoke(config, "ingest")
    assert "removed" in result.output and "left out of new briefings" in result.output
    assert [name for name, _ in stored(config)] == [SEED_MOSCOW_TIMES.name]
    assert written.read_text(encoding="utf-8") == before  # what was written stays

    again = invoke(config, "run", "--from", "2022-03-29", "--to", "2022-03-29")
    assert again.exit_code == 3, again.output  # the UPI day holds nothing now

    shutil.copy2(SEED_UPI, config.inbox / SEED_UPI.name)  # put back: in again
    assert scan(config) == {"ingested": 1, "unchanged": 1}
    assert len(stored(config)) == 2


def test_a_copy_keeps_an_article_whose_first_file_is_deleted(make_project) -> None:
    config = make_project([SEED_UPI])
    scan(config)
    shutil.copy2(SEED_UPI, config.inbox / "copy.txt")
    assert scan(config) == {"duplicate": 1, "unchanged": 1}
    (config.inbox / SEED_UPI.name).unlink()
    assert scan(config) == {"removed": 1, "unchanged": 1}
    assert [name for name, _ in stored(config)] == ["copy.txt"]  # cited from the copy


def test_a_missing_inbox_folder_removes_nothing(make_project) -> None:
    config = make_project([SEED_UPI])
    scan(config)
    config.inbox.rename(config.inbox.with_name("unmounted"))
    assert scan(config) == {}
    assert len(stored(config)) == 1


def test_a_corrupt_store_says_what_to_do_and_is_rebuilt_from_the_inbox(make_project) -> None:
    config = make_project([SEED_UPI, SEED_MOSCOW_TIMES], summary={"mode": "extract"})
    assert invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-29").exit_code == 0
    briefings = sorted(p.name for p in config.output_dir.iterdir())
    for suffix in ("-wal", "-shm"):
        config.database.with_name(config.database.name + suffix).unlink(missing_ok=True)
    config.database.write_bytes(b"this is not a database" * 100)

    for command in (("ingest",), ("run", "--date", "2022-03-29")):
        result = invoke(config, *command)
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "Internal error" not in result.output, result.output
        assert str(config.database) in lines[0] and "briefing rebuild" in lines[0]

    doctor = invoke(config, "doctor").output
    store_line = next(line for line in doctor.splitlines() if line.split()[1] == "store:")
    assert store_line.startswith("FAIL") and "fix: briefing rebuild" in store_line

    rebuilt = invoke(config, "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "2 ingested" in rebuilt.output and ".broken-" in rebuilt.output
    kept = list(config.database.parent.glob("*.broken-*"))
    assert [p.read_bytes()[:22] for p in kept] == [b"this is not a database"]
    assert sorted(p.name for p in config.output_dir.iterdir()) == briefings
    assert invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-29").exit_code == 0


def test_a_store_that_cannot_be_opened_gives_one_line(make_project) -> None:
    config = make_project([SEED_UPI])
    shutil.rmtree(config.database.parent, ignore_errors=True)
    config.database.parent.write_text("a file where the store's folder should be")
    result = invoke(config, "ingest")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Internal error" not in result.output
    assert f"the store {config.database} cannot be used" in result.output
