"""What a detector is: what it sees (`Scan`), what it returns (findings), how it explains a
finding (`describe`), and the models it needs (built once a process by a `ModelPool`).

Detectors run in the order of `redactor/detect/__init__.py`'s PIPELINE, each seeing the
findings of those before it. A new detector is a module with a `Detector` subclass and one
entry in PIPELINE (and, if rules are to select its findings by a key of their own, a rule
condition in redactor/policy/conditions.py); see docs/architecture.md.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Protocol

from redactor.model import Document, Finding, ParsedDocument, Span
from redactor.policy.model import Policy


@dataclass(frozen=True)
class Explaining:
    """What a detector's `describe` may use to put a finding into words: the document (for
    positions, and its text only when `show_text` asks for it) and the policy (for its own
    wording: marking origins, cue phrases)."""

    document: Document
    policy: Policy | None = None
    show_text: bool = False


@dataclass(frozen=True)
class Scan:
    """What every detector sees: the parsed document, the policy, the earlier redactions in
    the text, and the text of the findings so far that are never names (marking words such as
    SIPDIS, protection cue phrases): those are hidden from the model."""

    parsed: ParsedDocument
    policy: Policy
    placeholders: tuple[Span, ...] = ()
    hidden: tuple[Span, ...] = ()


class ModelSpec(Protocol):
    """A model a detector needs (hashable: the pool keys on it)."""

    def build(self) -> Any:
        """Load the model (seconds): the pool does it once a process."""

    def distributions(self) -> tuple[str, ...]:
        """The installed distributions whose versions change what the model finds."""


class ModelPool:
    """The models of one process, each built the first time a detector needs it and shared by
    every engine (one per policy) of the process."""

    def __init__(self, built: dict[Any, Any] | None = None) -> None:
        self._built: dict[Any, Any] = dict(built or {})

    def get(self, spec: ModelSpec) -> Any:
        if spec not in self._built:
            self._built[spec] = spec.build()
        return self._built[spec]


class Detector:
    """The base of every detector. A subclass sets `name` and overrides `find` and `describe`;
    one that needs a model overrides `needs` and gets it from the pool in `__init__`."""

    name: ClassVar[str]
    # Its findings are never names: their text is hidden from the entity model.
    hides_names: ClassVar[bool] = False
    # Its findings inside an earlier redaction (`XXXXXXXXXXXX`, `[REDACTED]`) are dropped: what
    # lies inside a redaction label is the label's own wording.
    outside_placeholders: ClassVar[bool] = True

    def __init__(self, policy: Policy, models: ModelPool) -> None:
        """Built once an engine: compile what the policy asks of it, take its models."""

    @classmethod
    def needs(cls, policy: Policy) -> tuple[ModelSpec, ...]:
        """The models it needs under this policy (none by default)."""
        return ()

    @classmethod
    def libraries(cls, policy: Policy) -> tuple[str, ...]:
        """Distributions whose versions change its findings (part of the cache key): those
        of its models, by default."""
        return tuple(d for spec in cls.needs(policy) for d in spec.distributions())

    def find(self, scan: Scan, found: Sequence[Finding]) -> Iterable[Finding]:
        raise NotImplementedError

    def model_input(self, scan: Scan) -> Any:
        """What it would give its model for this document, to run several documents through
        the model at once (`prime`); None when it has no model."""
        return None

    def prime(self, inputs: list[Any]) -> None:
        """Run the model over several documents' inputs at once, keeping the results for
        `find` until the next call; priming changes speed, never results."""

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        """The finding's explanation in words, from its evidence: document text only when
        context.show_text asks for it."""
        raise NotImplementedError


@cache
def version_of(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def line_of(document: Document, span: Span | None) -> int:
    """The line a span starts on, for explanations (`found on line 12`)."""
    return document.position(span.start).line if span is not None else 0
