"""Problems a person can act on: where, what is wrong, how to fix it.

Stages gather `Problem`s and raise one `SiteError` carrying all of them, so a run
reports every mistake at once and writes nothing (MkDocs' collect-then-abort).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.message}"


class SiteError(Exception):
    """One or more user mistakes; the CLI prints them and exits 1, no traceback."""

    def __init__(self, problems: Iterable[Problem]):
        # By file, then line (a problem without a line first), so a reader works down each file.
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.column or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # survives the trip back from a worker process
        return (SiteError, (self.problems,))


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
