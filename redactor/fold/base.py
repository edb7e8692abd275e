"""What a fold is, and how folds are put together: each fold rewrites some stretches of the
text (`Edit`s), and a `Folding` keeps, for every character of the folded text, the stretch
of the original it came from, so that whatever is found in the folded text can be placed in
the original."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end] with `text` (which may be empty: the stretch is dropped)."""

    start: int
    end: int
    text: str


class Fold(Protocol):
    """One way a reader's eye and the detectors' text differ (redactor/fold/__init__.py's
    FOLDS, in order). `edits` returns sorted, non-overlapping edits of `text`."""

    @property
    def name(self) -> str: ...

    def edits(self, text: str) -> Iterable[Edit]: ...


@dataclass(frozen=True)
class Folding:
    """The folded text, and for each of its characters the start and end of the original
    stretch it came from (`starts[i]`, `ends[i]`; a sentinel at len(text))."""

    original: str
    text: str
    starts: array  # type: ignore[type-arg]
    ends: array  # type: ignore[type-arg]

    @classmethod
    def identity(cls, text: str) -> Folding:
        return cls(text, text, array("l", range(len(text) + 1)),
                   array("l", [*range(1, len(text) + 1), len(text)]))

    def then(self, edits: Sequence[Edit]) -> Folding:
        """This folding followed by `edits` of its text."""
        if not edits:
            return self
        pieces: list[str] = []
        starts, ends = array("l"), array("l")
        cursor = 0
        for edit in edits:
            pieces.append(self.text[cursor:edit.start])
            starts.extend(self.starts[cursor:edit.start])
            ends.extend(self.ends[cursor:edit.start])
            if edit.text:
                first = min(self.starts[edit.start:edit.end])
                last = max(self.ends[edit.start:edit.end])
                pieces.append(edit.text)
                starts.extend([first] * len(edit.text))
                ends.extend([last] * len(edit.text))
            cursor = edit.end
        pieces.append(self.text[cursor:])
        starts.extend(self.starts[cursor:])  # with the sentinel
        ends.extend(self.ends[cursor:])
        return Folding(self.original, "".join(pieces), starts, ends)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Where text[start:end] came from: every original character any of it came from
        (a reversed stretch maps to the whole of it)."""
        if end <= start:
            at = self.starts[start] if start < len(self.text) else len(self.original)
            return at, at
        return min(self.starts[start:end]), max(self.ends[start:end])
