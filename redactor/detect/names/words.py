"""Words of names: what a name word is, and what is only a title, shorthand or abbreviation.

Shared by the layers that find names (entities, propagation, signatures): one definition of a
word and of the words that are never names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from redactor.model import Span
from redactor.vocabulary import OFFICE_WORDS, TITLES

# Words that precede names but are not names: never propagated on their own.
NOT_NAMES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "gen", "general", "col", "colonel",
    "maj", "major", "capt", "captain", "lt", "sgt", "adm", "admiral", "ambassador", "minister",
    "president", "secretary", "deputy", "assistant", "under", "director", "chairman", "chair",
    "senator", "governor", "mayor", "king", "queen", "prince", "sheikh", "sheik", "president's",
    "the", "and", "of", "de", "la", "van", "von", "der", "al", "bin", "ibn", "le", "du", "del",
    "da", "dos", "das", "di", "el", "abu",
    # days and the words of a telegram's own structure, which the model takes for
    # names at the start of a line or a sentence (`End Comment`; not months: April, May and
    # June are given names)
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "end",
    "comment", "begin", "summary", "note", "text",
})
# Nouns of things named after people (`John F. Kennedy Airport`, `the Marshall Plan`): the
# name before them is the thing's, not a person in the text. Nouns that are also surnames
# (Hall, Park, Church, Law) are left out: a name is never dropped for them.
NAMED_AFTER = frozenset({
    "airport", "stadium", "university", "college", "hospital", "avenue", "boulevard",
    "foundation", "institute", "square", "act", "prize", "award", "museum", "highway",
    "memorial", "doctrine", "plan", "amendment", "accords", "initiative", "scholarship",
    "fellowship", "mosque", "cathedral", "centre", "center", "library", "program",
    "programme",
})
# Each word of every title, casefolded (`deputy`, `fm`, `a/s`).
TITLE_WORDS = frozenset(w.casefold().rstrip(".") for t in TITLES for w in t.split())
# The word after a name, one space on (a tab or two spaces are a table's next column).
_NOUN_AFTER = re.compile(r" ([^\W\d_]+)")
PARTICLES = frozenset({"de", "la", "van", "von", "der", "al", "bin", "ibn", "le", "du", "del",
                       "da", "dos", "das", "di", "el", "abu"})
# Lower-case words that names hold: particles and joiners (Juan de la Cruz, Ortega y Gasset).
_NAME_JOINERS = PARTICLES | frozenset({"y", "e", "do", "ter", "ten", "den", "zu", "af", "ben",
                                       "bint", "abd", "ould", "ap", "and"})
# Words that begin place names: the word after them is a place (SAN JOSE, Sao Paulo).
PLACE_PREFIXES = frozenset({"san", "santa", "santo", "sao", "s\u00e3o", "st", "saint", "port",
                            "fort", "puerto", "porto", "los", "las", "mount", "mt", "cape",
                            "ciudad", "villa", "bahia", "rio", "costa", "buenos", "abu"})
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.?[ \t]+$")
# A line whose letters are all capitals, with at least one word of three letters.
CAPITAL_LINE = re.compile(r"^(?=[^\n]*[A-Z]{3})[^a-z\n]+$", re.MULTILINE)
# A word: letters, with apostrophes or hyphens inside (O'Brien, Al-Naimi); digits and
# underscores end it, so Fitzwilliam_CV.pdf holds the word Fitzwilliam.
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# A capitalised name word (the pattern, to build larger ones): Okafor, O'Brien, Al-Naimi.
NAME_WORD = r"[A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*"


def before_named_after(text: str, end: int) -> bool:
    """The word right after `end` is the noun of a thing named after a person (`Kennedy
    Airport`, `Marshall Plan`)."""
    after = _NOUN_AFTER.match(text, end)
    return after is not None and after.group(1).casefold() in NAMED_AFTER


def span_mask(length: int, spans: Iterable[Span]) -> bytearray:
    """One byte per character of the text, 1 where one of the spans covers it."""
    mask = bytearray(length)
    for span in spans:
        mask[span.start:span.end] = b"\x01" * len(span)
    return mask


def is_capital_line(line: str) -> bool:
    return CAPITAL_LINE.fullmatch(line.rstrip("\r")) is not None


def is_name_word(word: str) -> bool:
    folded = word.casefold()
    folded = folded[:-2] if folded.endswith(("'s", "\u2019s")) else folded
    return (folded not in NOT_NAMES and folded not in OFFICE_WORDS
            and folded.removesuffix("s") not in OFFICE_WORDS)


def titles_only(surface: str) -> bool:
    """No name word in it: only titles, office shorthand (`Poloff`, `SecDef`), or no letters."""
    return not any(is_name_word(w) for w in WORD.findall(surface))


def abbreviation(text: str, span: Span) -> bool:
    """Three capitals or fewer, alone in a line that is not in capitals: `RT`, `GOC`, `MFA`."""
    surface = text[span.start:span.end]
    if not (len(surface) <= 3 and surface.isalpha() and surface.isupper()):
        return False
    line_start, line_end = line_around(text, span.start, span.end)
    return not is_capital_line(text[line_start:line_end])


def ordinary_words(text: str) -> frozenset[str]:
    """The words the document itself writes in lower case (`meeting`, `subject`, `votes`; and
    `people` of `people's`).
    Capitalised elsewhere — a heading, a title, the start of a line — they are still the
    ordinary word, never a name on their own."""
    words = {w for w in WORD.findall(text) if w.islower()}
    return frozenset(words | {w[:-2] for w in words if w.endswith(("'s", "\u2019s"))})


def headline_not_name(surface: str) -> bool:
    """A stretch the model took for one name with a lower-case word that no name holds
    between capitalised words (`Virginia Man Arrested for Plotting Attacks`): a headline,
    not a name. Text written all in lower case (`justin bieber`) is left alone."""
    words = WORD.findall(surface)
    capitals = [i for i, w in enumerate(words) if w[0].isupper()]
    return len(capitals) >= 2 and any(
        w.islower() and len(w) > 2 and w not in _NAME_JOINERS
        for w in words[capitals[0] + 1:capitals[-1]])


# How far either side of a finding its "line" is read: a telegram's lines are short, and a
# document of one long line (an export without line breaks) must not be read once a finding.
LINE_REACH = 300


def line_around(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The line that holds text[start:end], at most LINE_REACH characters either side."""
    end = start if end is None else end
    low = max(0, start - LINE_REACH)
    line_start = text.rfind("\n", low, start) + 1 or low
    high = min(len(text), end + LINE_REACH)
    line_end = text.find("\n", end, high)
    return line_start, high if line_end < 0 else line_end


def after_place_prefix(text: str, start: int) -> bool:
    """The word at `start` follows the first word of a place name on its line (`SAN JOSE`,
    `Sao Paulo`, `St. Louis`)."""
    line_start, _ = line_around(text, start)
    before = _WORD_BEFORE.search(text, line_start, start)
    return before is not None and before.group(1).casefold() in PLACE_PREFIXES


def whole_word(text: str, span: Span) -> Span:
    """The span widened to the word, user id or handle it lies in: a removal never leaves the
    rest of `cheryl.mills` (`[REDACTED].mills`), of `j_doe` or of a word it ends inside. Letters
    and digits are taken, and a `.` or `_` between two of them."""
    start, end = span.start, span.end
    while start > 0 and (text[start - 1].isalnum()
                         or (text[start - 1] in "._" and start >= 2
                             and _glues(text[start - 2], text[start - 1]))):
        start -= 1
    while end < len(text) and (text[end].isalnum()
                               or (text[end] in "._" and end + 1 < len(text)
                                   and _glues(text[end + 1], text[end]))):
        end += 1
    return Span(start, end)


def _glues(neighbour: str, joint: str) -> bool:
    """`.` joins letters (`cheryl.mills`, not a paragraph number: `16.POLASCHIK`); `_` joins
    letters and digits (`econ_jdoe2`)."""
    return neighbour.isalpha() if joint == "." else neighbour.isalnum()
