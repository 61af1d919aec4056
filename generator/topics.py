"""Assign topics to an article from the signals in config.yaml (placeholder; see issue 4)."""

from __future__ import annotations

from .model import Config


def assign_topics(title: str, dek: str | None, body: str, config: Config) -> tuple[str, ...]:
    """Topic slugs whose evidence reaches the threshold, in config order."""
    return ()
