"""What the CLI prints → the terminal without bidi controls: `NeutralStream` wraps standard
output and error for a command's run, so no name it prints (a partnership, a cell's text in a
problem, a history table) can reverse or reorder the rest of the line (`domain.text.strip_bidi`).
Kept apart from `terminal` so that wrapping the streams imports nothing heavy."""

from __future__ import annotations

from typing import Any, TextIO

from ..domain.text import strip_bidi


class NeutralStream:
    """A text stream that writes everything it is given but the bidi controls."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(strip_bidi(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding…
        return getattr(self.stream, name)
