"""Rule conditions: every key a rule's `when:` can hold, each defined once — its JSON-schema
fragment (the published schema's `when` is made from these), its compile step (what the value
must name, checked against the policy, with an error that names the file, line and key) and
its match (redactor/decide.py applies it).

A condition picks the rule's subject: findings (of detectors), portions (numbered paragraphs,
headings, SUBJECT) or the document; `document_level` is also a test on any rule. A condition
can claim a kind of finding for itself (`exclusive_kind`): findings of that kind are seen only
by rules that have it, and those rules see nothing else (marking validation works this way).

A detector that brings findings of its own gives rules a way to select them by adding a
Condition here (see docs/architecture.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from redactor.errors import did_you_mean
from redactor.model import ASIDE_KINDS, Finding, FindingKind, PortionState

Subject = Literal["finding", "portion", "document"]
_LEVEL_TEST = re.compile(r"^\s*(<=|>=|==|<|>)?\s*(\S+)\s*$")
_LEVEL_KINDS = (FindingKind.MARKING, FindingKind.PORTION)
_VALIDATED_KINDS = (*_LEVEL_KINDS, FindingKind.VALIDATION)  # what `marking_level` tests
# The labels of marking validation's findings (redactor/detect/validation.py makes them).
VALIDATIONS = ("under-marked", "unmarked-portion", "conflicting-classification",
               "control-on-unclassified")
# Where a marking counts (a marking definition's `where`).
MARKING_PLACES = ("banner", "caption", "portion", "header", "phrase")


class CompileContext(Protocol):
    """What a condition's compile step can check its value against, and how it refuses."""

    @property
    def levels(self) -> tuple[str, ...]: ...
    @property
    def markings(self) -> frozenset[str]: ...
    @property
    def entity_types(self) -> frozenset[str]: ...
    @property
    def cues(self) -> frozenset[str]: ...

    def problem(self, key: str, message: str, hint: str) -> Exception:
        """The PolicyError for `when.<key>` of the rule being compiled."""


class MatchContext(Protocol):
    """What a condition's match can ask of the document being decided."""

    @property
    def level(self) -> str | None:
        """The document level."""

    @property
    def ladder(self) -> tuple[str, ...]:
        """The policy's levels, lowest first."""

    def near_cue(self, finding: Finding, cues: frozenset[str]) -> bool:
        """A cue of `cues` speaks for the finding (or for another mention of its name)."""


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
class Condition:
    key: str
    subject: Subject
    schema: dict[str, Any]  # the JSON-schema fragment of `when.<key>`
    compile: Callable[[Any, CompileContext], Any]
    # (compiled value, subject, context) → holds; the subject is a Finding, a PortionState,
    # or, for document conditions, None
    matches: Callable[[Any, Any, MatchContext], bool]
    exclusive_kind: FindingKind | None = None


@dataclass(frozen=True)
class When:
    """A rule's compiled conditions, by key, in the order the registry lists them."""

    conditions: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str) -> Any:
        return next((value for k, value in self.conditions if k == key), None)

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _ in self.conditions)

    def items(self) -> Iterator[tuple[Condition, Any]]:
        return ((CONDITIONS[k], value) for k, value in self.conditions)

    def about(self, subject: Subject) -> bool:
        return any(CONDITIONS[k].subject == subject for k, _ in self.conditions)


# ------------------------------------------------------------------------- schema pieces

def _one_or_more(item: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [item, {"type": "array", "items": item, "minItems": 1}]}


_LEVEL_SCHEMA = {
    "type": "string", "pattern": r"^\s*(<=|>=|==|<|>)?\s*[A-Za-z0-9][A-Za-z0-9_+.-]*\s*$",
    "description": "A level name, optionally preceded by <, <=, ==, >= or >. 'sbu' means "
                   "'== sbu'."}
_NAMES_SCHEMA = _one_or_more({"type": "string", "minLength": 1})


# ------------------------------------------------------------------------ compile steps

def _level_test(key: str) -> Callable[[Any, CompileContext], LevelTest]:
    def compile_level(value: Any, context: CompileContext) -> LevelTest:
        match = _LEVEL_TEST.match(str(value))
        assert match  # the schema pattern guarantees the shape
        level = match.group(2)
        if level not in context.levels:
            known = ", ".join(context.levels) if context.levels else "none: add a 'levels' list"
            raise context.problem(key, f"unknown level {level!r}",
                                  f"{did_you_mean(level, context.levels)}Levels: {known}.")
        return LevelTest(match.group(1) or "==", level)
    return compile_level


def _names(value: Any, context: CompileContext) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


def _defined(key: str, known: Callable[[CompileContext], frozenset[str]], message: str,
             hint: str) -> Callable[[Any, CompileContext], frozenset[str]]:
    """Names that must each be defined in the policy (a marking, an entity type, a cue)."""
    def compile_names(value: Any, context: CompileContext) -> frozenset[str]:
        names = _names(value, context)
        defined = known(context)
        for name in sorted(names):
            if name not in defined:
                raise context.problem(key, message.format(name=repr(name)),
                                      f"{did_you_mean(name, defined)}{hint}")
        return names
    return compile_names


def _flag(value: Any, context: CompileContext) -> bool:
    return bool(value)


# ---------------------------------------------------------------------------- matching

def _level_holds(test: LevelTest, level: str | None, context: MatchContext) -> bool:
    return test.holds(level, context.ladder)


def _unmarked(value: bool, portion: PortionState, context: MatchContext) -> bool:
    return not value or (portion.label is None and context.level is not None)


# ---------------------------------------------------------------------------- registry

_ALL: tuple[Condition, ...] = (
    Condition("document_level", "document", _LEVEL_SCHEMA, _level_test("document_level"),
              lambda test, _, context: _level_holds(test, context.level, context)),
    Condition("portion_level", "portion", _LEVEL_SCHEMA, _level_test("portion_level"),
              lambda test, portion, context: _level_holds(test, portion.level, context)),
    Condition("marking_level", "finding", _LEVEL_SCHEMA, _level_test("marking_level"),
              lambda test, f, context: (f.kind in _VALIDATED_KINDS
                                        and _level_holds(test, f.level, context))),
    Condition("marking", "finding", _NAMES_SCHEMA,
              _defined("marking", lambda c: c.markings, "no marking {name} is defined",
                       "Define it under 'markings' or extend the pack that does."),
              lambda names, f, _: f.kind in _LEVEL_KINDS and f.label in names),
    Condition("where", "finding",
              {"type": "array", "items": {"enum": list(MARKING_PLACES)}, "minItems": 1},
              _names, lambda names, f, _: f.where in names),
    Condition("flag", "finding", _NAMES_SCHEMA, _names,
              lambda flags, f, _: bool(flags & set(f.flags))),
    Condition("entity", "finding", _NAMES_SCHEMA,
              _defined("entity", lambda c: c.entity_types,
                       "entity type {name} is not enabled under entities.types",
                       "Add it to entities.types."),
              lambda types, f, _: f.entity_type in types),
    Condition("aside", "finding", _one_or_more({"enum": list(ASIDE_KINDS)}), _names,
              lambda kinds, f, _: f.kind is FindingKind.CUE and f.label in kinds),
    Condition("unmarked_portion", "portion", {"const": True}, _flag, _unmarked),
    Condition("near_cue", "finding",
              {"description": "Entity findings in the scope of one of these cues (by id), or "
                              "other mentions of the same name.",
               **_one_or_more({"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"})},
              _defined("near_cue", lambda c: c.cues, "no cue {name} is defined",
                       "Define it under 'cues' or extend the pack that does."),
              lambda cues, f, context: (f.kind is FindingKind.ENTITY
                                        and context.near_cue(f, cues))),
    Condition("validation", "finding",
              {"description": "Marking validation findings (docs/policies.md, Marking "
                              "validation).", **_one_or_more({"enum": list(VALIDATIONS)})},
              _names, lambda labels, f, _: f.label in labels,
              exclusive_kind=FindingKind.VALIDATION),
)
# The registry: every `when:` key, in the order the schema lists them.
CONDITIONS: Mapping[str, Condition] = {c.key: c for c in _ALL}


def when_schema() -> dict[str, Any]:
    """The `when` object of the policy schema, made from the registry."""
    return {"type": "object", "additionalProperties": False, "minProperties": 1,
            "description": "All given conditions must hold.",
            "properties": {c.key: c.schema for c in CONDITIONS.values()}}


def compile_when(data: Mapping[str, Any], context: CompileContext) -> When:
    """A rule's `when:` mapping, each value compiled by its condition, in registry order."""
    return When(tuple((key, condition.compile(data[key], context))
                      for key, condition in CONDITIONS.items() if key in data))
