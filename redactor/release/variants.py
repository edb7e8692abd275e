"""The spellings of a removed text that still give it away: any case, and any whitespace (or
none) between its characters — `Kellingworth`, `KELLINGWORTH`, `Kelling worth`,
`Marta\\nKellingworth` — standing as a word of its own; a removed address or number
(`jdoe@example.org`, `202-555-0147`) also with other characters glued to it.

`redact` removes every one of them from its copy, and `verify` searches the copy for every one,
so a name removed in one place is never left in another.
"""

from __future__ import annotations

import re

from redactor.model import Action, Decision, FindingKind

# Removals of markings and portion marks are not searched: their words are the policy's public
# vocabulary, and a surviving marking is found by checking the copy.
NOT_SEARCHED = frozenset({FindingKind.MARKING.value, FindingKind.PORTION.value})


def variant_pattern(removed: str) -> re.Pattern[str] | None:
    """The pattern of the removed text's variants; None when it has fewer than two letters or
    digits (too short to search without removing ordinary text)."""
    if sum(ch.isalnum() for ch in removed) < 2:
        return None
    chars = [ch for ch in removed if not ch.isspace()]
    body = r"\s*".join(re.escape(ch) for ch in chars)
    if not _word_like(chars) and sum(ch.isalnum() for ch in chars) >= _GLUED_MIN:
        return re.compile(body, re.IGNORECASE)  # an address or number, even glued to more
    head = r"(?<!\w)" if chars[0].isalnum() or chars[0] == "_" else ""
    tail = r"(?!\w)" if chars[-1].isalnum() or chars[-1] == "_" else ""
    return re.compile(head + body + tail, re.IGNORECASE)


# A removed text that is not made of words (an e-mail address, a telephone or record number)
# is searched even where other characters are glued to it (`jdoe@example.orgl`, as OCR leaves
# it): it cannot be part of an ordinary word. Names are searched as words of their own, or
# `Rich` would be found in `Richmond`.
_GLUED_MIN = 6


def _word_like(chars: list[str]) -> bool:
    return all(ch.isalpha() or ch in "'\u2019-." for ch in chars)


def searched_removal(decision: Decision) -> bool:
    """A removal whose text must not survive anywhere in the copy: a withheld portion, or a
    redaction of anything but a marking or portion mark."""
    return decision.action is Action.WITHHOLD or (
        decision.action is Action.REDACT and decision.finding.kind.value not in NOT_SEARCHED)


def searched(decision: Decision) -> bool:
    """An entity at or above redact, not let through by an allow-list — also one inside a
    withheld portion, whose text is searched on its own."""
    return (decision.allowed_by is None and decision.action.rank >= Action.REDACT.rank
            and decision.finding.entity_type is not None)
