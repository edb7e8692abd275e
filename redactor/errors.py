"""Errors that stop a file or a run. Each names the file and says what to do."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redactor.model import FileError


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`Did you mean 'x'? ` for the closest option, or nothing: the start of a hint."""
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"Did you mean {close[0]!r}? " if close else ""


class RedactorError(Exception):
    """A problem the user can fix. The CLI prints it and exits with code 2."""

    exit_code = 2  # could not check: outranks every finding

    def __init__(self, path: str, message: str, hint: str = "", code: str = "error") -> None:
        self.path = path
        self.message = message
        self.hint = hint
        self.code = code
        super().__init__(self.render())

    def render(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if not self.hint:
            return text
        return f"{text} {self.hint}" if text.endswith((".", "?", "!")) else f"{text}. {self.hint}"


class InputError(RedactorError):
    """A document could not be read."""

    @classmethod
    def of(cls, path: str, error: FileError) -> InputError:
        """The error a file's error result says (a FileError), raised."""
        return cls(path, error.message, error.hint, code=error.code)


class PolicyError(RedactorError):
    """A policy could not be loaded: syntax, schema or meaning."""

    def __init__(self, path: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(where, message, hint, code="policy")


class UsageError(RedactorError):
    """The command line asks for something that cannot be done safely."""
