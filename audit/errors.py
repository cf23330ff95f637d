"""Input errors: one clear line naming the file, the line and the problem.

The CLI turns an :class:`InputError` into that line on stderr and exit code 2.
"""
from __future__ import annotations


class InputError(Exception):
    """The input cannot be used. Carries where (file, line, column) and what."""

    def __init__(self, file, problem: str, line: int | None = None, column: str | int | None = None,
                 code: str | None = None):
        self.file = str(file)
        self.line = line
        self.column = column
        self.problem = problem
        self.code = code  # a stable reason code such as "E-DOC-EMPTY" (see docs/behaviour.md), or None
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = _visible(self.file)  # a file name with a newline in it stays on the line, escaped
        if self.line is not None:
            where += f":{self.line}"
        if self.column is not None:
            where += f": column {self.column}"
        problem = " ".join(str(self.problem).split())  # never more than one line
        if self.code:
            problem += f" [{self.code}]"
        return f"{where}: {problem}"


def _visible(text: str) -> str:
    """Control characters (a newline in a file name) written as escapes; all else as it is."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
