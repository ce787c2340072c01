"""The project's exceptions. Each knows its exit status; the CLI turns them into messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about an input, located as precisely as we can."""

    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    severity: Severity = Severity.ERROR

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet and self.row:
            return f"{self.sheet} row {self.row}"
        return self.sheet or ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.where:
            parts.append(self.where)
        label = "" if self.severity is Severity.ERROR else f"{self.severity.value}: "
        return ": ".join(parts) + f": {label}{self.message}"


class ReportgenError(Exception):
    """Base class. `exit_code` 1: the input or data is at fault."""

    exit_code = 1


class UsageError(ReportgenError):
    """The command was used wrongly (exit status 2)."""

    exit_code = 2


class ConfigError(ReportgenError):
    """The configuration file or environment holds bad values; every bad key is listed, each as
    (source, message): the source is the file, or the environment variable the value came from."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        self.messages = [message for _, message in self.problems]
        super().__init__("\n".join(f"{source}: {message}" for source, message in self.problems))


class DataProblems(ReportgenError):
    """The inputs have errors; `problems` lists every one found (warnings too)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class WorkbookUnreadable(ReportgenError):
    """The file cannot be read as a workbook at all (wrong format, damaged, hostile)."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


class RenderError(ReportgenError):
    """A pack could not be rendered (time limit, renderer failure, forbidden resource)."""
