"""What an import can refuse: one error type that names the row and column at fault."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None
    column: str | None = None


class ImportProblem(Exception):
    """Data that cannot be imported. ``status`` is the HTTP status it deserves (422 for bad
    content, 413 for a file above the size limit); ``problems`` lists every fault found, the
    first of which is ``message``."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None,
                 status: int = 422, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.problems = problems or [Problem(message, row, column)]

    @classmethod
    def collect(cls, problems: list[Problem]) -> ImportProblem:
        first = problems[0]
        more = len(problems) - 1
        message = first.message + (f" ({more} more problem{'s' * (more > 1)} below.)"
                                   if more else "")
        return cls(message, row=first.row, column=first.column, problems=problems)

    def fields(self) -> dict[str, list[str]]:
        """The problems by column, for the API's ``fields`` body."""
        out: dict[str, list[str]] = {}
        for p in self.problems:
            out.setdefault(p.column or "file", []).append(p.message)
        return out
