"""Files written whole or not at all: temporary files in the same folder, then renames.

Modes follow the umask (as any file a user's program writes), not mkstemp's 0600, so a web
server running as another user can serve the briefings. tests/test_files.py checks both.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it (/proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore (the process's only writer of it)
    os.umask(mask)
    return mask


def _temporary(path: Path, data: bytes) -> Path:
    """`data` in a hidden temporary file beside `path`, with the mode `path` would get."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write via a hidden temporary file and rename, so no reader (a browser, the inbox scan,
    which skips hidden files) ever sees a half-written file under its name."""
    write_set({path: content})


def write_set(contents: Mapping[Path, str | bytes]) -> None:
    """Write several files as one: every file is written to its temporary first, and only
    when all are written are they renamed into place. A failure (a full disk) leaves every
    old file as it was and no temporary behind."""
    written: dict[Path, Path] = {}
    try:
        for path, content in contents.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            written[path] = _temporary(path, data)
        for path, tmp in written.items():
            os.replace(tmp, path)
    except BaseException:
        for tmp in written.values():
            tmp.unlink(missing_ok=True)
        raise
