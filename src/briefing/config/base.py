"""What every section of config.yaml shares: unknown keys refused, numbers finite."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A section of config.yaml."""

    # An unknown key is almost always a typo; say so instead of silently ignoring it. Every
    # number is finite (an infinite timeout or size is a hang or an overflow, not a setting)
    # and has a maximum (tests/test_config.py tries them).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
