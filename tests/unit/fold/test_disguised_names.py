"""A name disguised by characters a reader does not see, or reads as others, is found, and its
removal covers the whole disguise: no letter of it is left, and no removal ends next to an
invisible character that would join it to the rest of a word."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import make_doc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.fold.characters import invisible
from redactor.model import Plan

SENTENCE = "UNCLASSIFIED\n\nThe minister met {name} on Monday to discuss the port.\n"
DISGUISES = {
    "zero-width space": "Cor\u200bwin Hal\u200btzer",
    "joiners": "Cor\u200dwin Hal\u200ctzer",
    "word joiner": "Cor\u2060win Halt\u2060zer",
    "byte-order mark": "Cor\ufeffwin Haltzer",
    "soft hyphens": "Cor\u00adwin Hal\u00adtzer",
    "combining grapheme joiner": "Cor\u034fwin Haltzer",
    "direction marks": "\u200eCorwin Hal\u200ftzer",
    "bidi isolates": "\u2066Corwin\u2069 Haltzer",
    "stored reversed in an override": "\u202ereztlaH niwroC\u202c",
    "tag characters": "Cor\U000e0041win Haltzer",
    "variation selector": "Cor\ufe0fwin Haltzer",
    "combining accents": "C\u0301orwin Ha\u0308ltzer",
    "Cyrillic look-alikes": "\u0421\u043erwin \u041daltzer",
    "Greek look-alikes": "C\u03bfrwin \u0397altzer",
    "fullwidth letters": "\uff23\uff4f\uff52\uff57\uff49\uff4e "
                         "\uff28\uff41\uff4c\uff54\uff5a\uff45\uff52",
    "letter-spaced": "C o r w i n  H a l t z e r",
    "HTML references": "Cor&#119;in Hal&#x74;zer",
    "percent-escaped space": "Corwin%20Haltzer",
    "no-break space": "Corwin\u00a0Haltzer",
    "a tag inside each word": "Cor<b></b>win Halt<!-- -->zer",
}


def left_of(plan: Plan, text: str, start: int, end: int) -> str:
    """The letters of text[start:end] that no removal of a person covers."""
    covered: set[int] = set()
    for decision in plan.decisions:
        if decision.finding.entity_type == "PERSON":
            covered.update(range(decision.target.start, decision.target.end))
    return "".join(text[i] for i in range(start, end) if i not in covered and text[i].isalpha())


@pytest.mark.parametrize("kind", sorted(DISGUISES))
def test_a_disguised_name_is_removed_whole(engine: Any, kind: str) -> None:
    disguised = DISGUISES[kind]
    text = SENTENCE.format(name=disguised)
    start = text.index(disguised)
    plan = engine.check(make_doc(text))
    assert left_of(plan, text, start, start + len(disguised)) == ""


INVISIBLES = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
                              "\u200e", "\u200f", "\u034f", "\ufe0f", "\U000e0020"])


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 14), INVISIBLES), min_size=1, max_size=4))
def test_invisible_characters_anywhere_in_a_name(engine: Any,
                                                 inserts: list[tuple[int, str]]) -> None:
    name = list("Corwin Haltzer")
    for at, char in sorted(inserts, reverse=True):
        name.insert(at, char)
    disguised = "".join(name)
    text = SENTENCE.format(name=disguised)
    start = text.index(disguised)
    plan = engine.check(make_doc(text))
    assert left_of(plan, text, start, start + len(disguised)) == ""
    for decision in plan.decisions:
        target = decision.target
        assert not (target.start > 0 and invisible(text[target.start - 1]))
        assert not (target.end < len(text) and invisible(text[target.end]))
