"""Title cues: a capitalised word after a title or honorific is a name, whatever the model says.

`Ambassador Nuland`, `Deputy Foreign Minister Zhigalov`, `A/S Fried`, `Mr. Haddad`. The words
after the title are taken while they are capitalised and not titles, places or common words
themselves, up to three: `Minister of Foreign Affairs` names nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan, person
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import ordinary_words
from redactor.model import Finding, FoundBy, ParsedDocument, Span
from redactor.vocabulary import OFFICE_WORDS, TITLES

# Words that can follow a title without being a name.
NOT_NAME_WORDS = frozenset(t.casefold() for t in TITLES) | frozenset({
    "foreign", "prime", "interior", "defense", "defence", "finance", "justice", "affairs",
    "state", "general", "assistant", "deputy", "acting", "designate", "elect", "emeritus",
    "office", "ministry", "department", "embassy", "government", "council", "committee",
    "commission", "party", "republic", "national", "federal", "regional", "international",
    "economic", "political", "public", "security", "military", "trade", "energy", "health",
    "education", "agriculture", "labor", "labour", "environment", "transport", "tourism",
    "culture", "information", "communications", "planning", "development", "industry",
    "commerce", "mission", "delegation", "staff", "team", "the", "of", "for", "and",
    "assembly", "directorate", "chief", "head", "secretariat", "court", "counsel",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday",
})
_TITLE = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
# Titles written short, which take a full stop (`Amb.`, `Gen.`, `Mr.`); after any other title
# a full stop ends the sentence (`met the Prime Minister. Officials said`).
_ABBREVIATED = ("Amb", "Gen", "Adm", "Col", "Maj", "Capt", "Lt", "Sgt", "Cdr", "Dr", "Prof",
                "Mr", "Mrs", "Ms", "Rep", "Sen")
_SHORT = "|".join(re.escape(t) for t in sorted(_ABBREVIATED, key=len, reverse=True))
_CUE = re.compile(
    rf"(?<![\w/])(?:(?:{_SHORT})\.?|(?:{_TITLE}))[ \t]+"
    r"(?P<name>[A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*"
    r"(?:[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*){0,2})")


class Titles(NameLayer):
    found_by = FoundBy.TITLE_CUE

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return title_cues(scan.parsed, scan.text)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        if not finding.evidence:  # a re-check's title that lay in a replaced text
            return "after a title"
        title = finding.evidence[0]
        return f"after the title {context.document.text[title.start:title.end]!r}"


def title_cues(parsed: ParsedDocument, text: str) -> Iterator[Finding]:
    """PERSON findings for the name words after a title in running text (lines in capitals
    are left to the model: `AMBASSADOR DISCUSSES …` names nobody)."""
    ordinary = ordinary_words(parsed.document.text)
    position = 0
    while (match := _CUE.search(text, position)) is not None:
        position = match.start("name")  # `Deputy Foreign Minister X`: retry from `Foreign`
        span = _name_part(text, match, ordinary)
        if span is None:
            continue
        title = Span(match.start(), match.start() + len(match.group().split()[0]))
        yield person(parsed, span, 0.7, FoundBy.TITLE_CUE, evidence=(title,))


def _name_part(text: str, match: re.Match[str], ordinary: frozenset[str]) -> Span | None:
    """The leading words of the match's name group that are name-like: not titles, office
    shorthand, or words the document writes in lower case (`Miss Votes`, `Bush Meeting`)."""
    start = match.start("name")
    end = start
    for word in re.finditer(r"\S+", match.group("name")):
        token = word.group().rstrip(".,;:")
        folded = token.casefold()
        if (folded in NOT_NAME_WORDS or folded in stop_words() or folded in ordinary
                or folded.removesuffix("'s").removesuffix("s") in OFFICE_WORDS):
            break
        end = start + word.start() + len(token)
    return Span(start, end) if end > start else None
