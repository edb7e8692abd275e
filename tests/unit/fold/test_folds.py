"""The fold stage (redactor/fold/): each fold on its own, and the offsets back into the
original."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.fold import FOLDS, fold
from redactor.fold.base import Edit, Folding
from redactor.fold.characters import invisible, look_alikes

CASES = {
    # kind: (original, folded)
    "zero-width space": ("Jo\u200bhn", "John"),
    "joiners and the word joiner": ("J\u200co\u200dh\u2060n", "John"),
    "byte-order mark and soft hyphen": ("\ufeffJo\u00adhn", "John"),
    "direction marks and isolates": ("\u200eJo\u200fhn\u2066\u2069", "John"),
    "tag characters": ("Jo\U000e0068\U000e0069hn", "John"),
    "variation selectors and the grapheme joiner": ("Jo\ufe0f\u034fhn", "John"),
    "an accent that makes no letter": ("J\u0301ohn", "John"),
    "an accent that makes one": ("Jose\u0301", "Jos\u00e9"),
    "fullwidth letters and brackets": ("\uff2a\uff4f\uff48\uff4e \uff08SBU\uff09", "John (SBU)"),
    "no-break space": ("John\u00a0Smith", "John Smith"),
    "Cyrillic look-alikes in a Latin word": ("J\u043ehn", "John"),
    "a word only of look-alikes": ("\u0421\u041e\u0420\u0415", "COPE"),
    "Greek look-alikes": ("\u0397\u03bfpe", "Hope"),
    "a right-to-left override": ("\u202enhoJ\u202c met", "John met"),
    "letter-spacing": ("J o h n  S m i t h", "John  Smith"),
    "a letter-spaced mark": ("(S B U) text", "(SBU) text"),
    "hyphen-spaced": ("S-E-C-R-E-T", "SECRET"),
    "HTML references": ("J&#111;hn &amp; Jo&#x68;n &eacute;", "John & John \u00e9"),
    "percent-escapes": ("John%20Smith", "John Smith"),
    "a tag inside a word": ("Jo<b></b>hn Kelling<!-- x -->worth", "John Kellingworth"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_disguise_is_read_as_a_reader_sees_it(kind: str) -> None:
    original, folded = CASES[kind]
    folding = fold(original)
    assert folding is not None and folding.text == folded


@pytest.mark.parametrize("text", ["John Smith met the minister.", "<b>John</b> <i>x</i>",
                                  "Привет, мир", "", "Jos\u00e9 Garc\u00eda", "a b c",
                                  "(C) The text", "50% more"])
def test_text_with_nothing_to_fold_is_left_alone(text: str) -> None:
    assert fold(text) is None


def test_a_genuine_cyrillic_word_is_not_made_latin() -> None:
    assert fold("\u041c\u043e\u0441\u043a\u0432\u0430 John") is None  # Москва: not all look-alikes


def test_a_span_of_the_folded_text_covers_its_whole_disguise() -> None:
    original = "Met J\u200bo&#104;n  S m i t h today"
    folding = fold(original)
    assert folding is not None
    start = folding.text.index("John")
    assert folding.original_span(start, start + 4) == (4, 14)  # J\u200bo&#104;n
    smith = folding.text.index("Smith")
    assert original[slice(*folding.original_span(smith, smith + 5))] == "S m i t h"


def test_a_reversed_stretch_maps_to_the_whole_of_it() -> None:
    original = "x \u202ereztlaH niwroC\u202c y"
    folding = fold(original)
    assert folding is not None
    start = folding.text.index("Haltzer")
    assert folding.original_span(start, start + 7) == (2, len(original) - 2)


def test_the_edits_of_every_fold_are_sorted_and_apart() -> None:
    text = "J\u200bo\u0301hn &#74;ohn \u202eabc\u202c (S B U) \uff2a J o h n %41"
    for each in FOLDS:
        edits = list(each.edits(text))
        assert all(a.end <= b.start for a, b in itertools.pairwise(edits)), each.name
        text = Folding.identity(text).then(edits).text


def test_look_alikes_keep_case_and_come_from_unicode_data() -> None:
    table = look_alikes()
    assert table["\u0430"] == "a" and table["\u0410"] == "A"  # Cyrillic a, A
    assert table["\u0406"] == "I"  # Cyrillic capital I, not l
    assert len(table) > 1000


def test_invisible_characters() -> None:
    assert all(invisible(c) for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u202e\u034f")
    assert not any(invisible(c) for c in "a \u00e9\n\t")


ALPHABET = st.sampled_from(["a", "B", " ", "\n", "\u200b", "\u0301", "\uff21", "\u0430", "&#97;",
                            "%41", "\u202e", "\u202c", "\u00a0", "(", ")", "-", "\u00e9"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(ALPHABET, max_size=40).map("".join), st.data())
def test_every_span_maps_inside_the_original(original: str, data: st.DataObject) -> None:
    folding = fold(original) or Folding.identity(original)
    n = len(folding.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    first, last = folding.original_span(start, end)
    assert 0 <= first <= last <= len(original)
    if end > start:
        assert last > first


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_folding_any_text_never_fails(original: str) -> None:
    folding = fold(original)
    if folding is not None:
        assert len(folding.starts) == len(folding.text) + 1
        assert folding.original_span(0, len(folding.text)) [1] <= len(original)


def test_an_edit_may_drop_a_stretch() -> None:
    folding = Folding.identity("abc").then([Edit(1, 2, "")])
    assert folding.text == "ac" and folding.original_span(0, 2) == (0, 3)
