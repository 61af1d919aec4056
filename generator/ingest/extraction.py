"""What every reader of a page (copied text, HTML) gives the writer: one article model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .normalize import iso


def missing(**fields: object) -> list[str]:
    """The fields a reader found nothing for, in the order given: the start of `review`."""
    return [name for name, value in fields.items() if not value]


@dataclass(frozen=True)
class Extraction:
    title: str | None
    dek: str | None
    authors: tuple[str, ...]
    date: datetime | date | None
    updated: datetime | date | None
    publication: str | None
    section: str | None
    source_url: str | None
    body_md: str
    summary: str | None
    review: tuple[str, ...]
    language: str | None = None

    def front_matter(self) -> dict[str, Any]:
        """The extracted fields as front matter values (dates as ISO 8601 text)."""
        return {
            "title": self.title,
            "dek": self.dek,
            "authors": list(self.authors),
            "date": iso(self.date),
            "updated": iso(self.updated),
            "publication": self.publication,
            "section": self.section,
            "source_url": self.source_url,
            "summary": self.summary,
            "review": list(self.review),
        }
