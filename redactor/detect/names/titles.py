"""Title cues: a capitalised word after a title or honorific is a name, whatever the model says.

`Ambassador Nuland`, `Deputy Foreign Minister Zhigalov`, `A/S Fried`, `Mr. Haddad`, `VFM Wu
Dawei`. The words after the title are taken while they are capitalised and not titles, places
or common words themselves, up to three: `Minister of Foreign Affairs` names nobody. A title
with its post after it (`Ambassador to Venezuela Marin Valencia`, `SYG for Policy Luis
Cuesta`) names the person after the post: the post's words are places or bodies to the model,
title words, or words the document writes in lower case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import islice

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
    "people", "vice", "division", "branch", "bureau", "unit", "dg",
    "assembly", "directorate", "chief", "head", "secretariat", "court", "counsel",
    "policy", "operations", "administration", "management", "relations", "cooperation",
    "integration", "resources", "services", "intelligence", "strategy", "programs", "legal",
    "consular", "protocol", "press", "media", "human", "rights", "social", "welfare", "water",
    "mines", "mining", "oil", "gas", "petroleum", "investment", "budget", "treasury",
    "customs", "immigration", "police", "army", "navy", "air", "force", "forces", "europe",
    "asia", "africa", "americas", "multilateral", "bilateral", "north", "south", "east", "west",
    "research", "science", "technology", "natural", "forest", "service", "environmental",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday",
})
_TITLE = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
# Titles written short, which take a full stop (`Amb.`, `Gen.`, `Mr.`); after any other title
# a full stop ends the sentence (`met the Prime Minister. Officials said`).
_ABBREVIATED = ("Amb", "Gen", "Adm", "Col", "Maj", "Capt", "Lt", "Sgt", "Cdr", "Dr", "Prof",
                "Mr", "Mrs", "Ms", "Rep", "Sen", "Gov", "Brig", "Comdr", "Rev", "Msgr", "Pres",
                "Sra")
_SHORT = "|".join(re.escape(t) for t in sorted(_ABBREVIATED, key=len, reverse=True))
_CUE = re.compile(
    rf"(?<![\w/])(?:(?:{_SHORT})\.?|(?:{_TITLE}))[ \t]+"
    r"(?P<name>[A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*"
    r"(?:[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*){0,2})")
# A title, its post (`to Venezuela`, `for Policy`, `of the Interior`), and the words after it.
_POST = re.compile(rf"(?<![\w/])(?:{_TITLE})[ \t]+(?:to|of|for|in|at)[ \t]+(?:the[ \t]+)?"
                   r"(?=(?P<words>[A-Z]))")  # a lookahead: posts may follow each other
_POST_WORDS = 4  # words of a post at most
_POST_WINDOW = 400  # characters after a title's post that its words and name are read from
_WORD = re.compile(r"\S+")
_PLACE_WORDS = 3  # words of a place or body the model labels in a post, at most
_POST_JOINERS = frozenset({"and", "of", "the", "for", "de", "la", "del"})
_FOLLOWING_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
_TITLE_WORDS = frozenset(t.casefold() for t in TITLES)
# A title right after a number is a unit or a time of day (`5 PM`, `50 MG`).
_AFTER_NUMBER = re.compile(r"\d[ \t]*$")


class Titles(NameLayer):
    found_by = FoundBy.TITLE_CUE

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return title_cues(scan.parsed, scan.text, scan.others)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        if not finding.evidence:  # a re-check's title that lay in a replaced text
            return "after a title"
        title = finding.evidence[0]
        return f"after the title {context.document.text[title.start:title.end]!r}"


def title_cues(parsed: ParsedDocument, text: str,
               others: Sequence[Span] = ()) -> Iterator[Finding]:
    """PERSON findings for the name words after a title in running text (lines in capitals
    are left to the model: `AMBASSADOR DISCUSSES …` names nobody). `others`: what the model
    labelled as places and organisations (never a name after a title)."""
    ordinary = ordinary_words(parsed.document.text)
    position = 0
    while (match := _CUE.search(text, position)) is not None:
        position = match.start("name")  # `Deputy Foreign Minister X`: retry from `Foreign`
        span = _name_part(text, match.start("name"), match.end("name"), ordinary)
        if span is None or _AFTER_NUMBER.search(text, max(0, match.start() - 4), match.start()):
            continue
        title = Span(match.start(), match.start() + len(match.group().split()[0]))
        yield person(parsed, span, 0.7, FoundBy.TITLE_CUE, evidence=(title,))
    for match in _POST.finditer(text):
        span = _after_post(text, match, ordinary, others)
        if span is not None:
            title = Span(match.start(), match.start() + len(match.group().split()[0]))
            yield person(parsed, span, 0.7, FoundBy.TITLE_CUE, evidence=(title,))


def _after_post(text: str, match: re.Match[str], ordinary: frozenset[str],
                others: Sequence[Span]) -> Span | None:
    """The name after a title's post. The post is title words, words the document writes in
    lower case and joiners (`for Policy`, `of the Interior`), or begins with one place or
    body the model labelled, of at most _PLACE_WORDS words and ending inside the post (`to
    Venezuela`, `to the United States`); the name is what follows. A body the model labels
    over the words after the post (`the Interior Raul Ostend`, `Libyan Atomic Energy
    Establishment`) is not a post."""
    start = match.start("words")
    window = text[start:start + _POST_WINDOW].split("\n", 1)[0]  # bounded: linear in the text
    words = list(islice(_WORD.finditer(text, start, start + len(window)), _POST_WORDS + 3))
    base = 0  # the words' offsets are the text's
    post = 0
    while post < min(_POST_WORDS, len(words)):
        word = words[post]
        token = word.group().rstrip(".,;:").casefold()
        if not (token in NOT_NAME_WORDS or token in ordinary or token in _POST_JOINERS):
            place = _place_at(words, post, base, others) if post == 0 else None
            if place is None:
                break
            post = place
            word = words[post - 1]
        else:
            post += 1
        if word.group()[-1] in ".,;:":
            return None  # the post ends the clause: nobody is named after it
    if post == 0 or post >= len(words):
        return None
    start = base + words[post].start()
    own = [o for o in others if o.start >= start]  # a body that starts at the name's word
    if _name_part(text, start, base + words[post].end(), ordinary, own) is None:
        return None
    # the words after the first may be places too (`Marin Valencia`)
    return _name_part(text, start, base + words[min(post + 3, len(words)) - 1].end(), ordinary)


def _place_at(words: list[re.Match[str]], index: int, base: int,
              others: Sequence[Span]) -> int | None:
    """The index after the place or body the model labelled from words[index], if it ends
    within _PLACE_WORDS words; None otherwise."""
    start = base + words[index].start()
    for o in others:
        if o.start <= start < o.end:
            for last in range(index, min(index + _PLACE_WORDS, len(words) - 1)):
                if base + words[last].end() >= o.end:
                    return last + 1
            return None
    return None


def _before_title(text: str, end: int) -> bool:
    """The word after `end` is a title (`Syrian Ambassador`)."""
    following = _FOLLOWING_WORD.match(text, end)
    return following is not None and following.group(1).casefold() in _TITLE_WORDS


def _name_part(text: str, start: int, end: int, ordinary: frozenset[str],
               others: Sequence[Span] = ()) -> Span | None:
    """The leading capitalised words of text[start:end] that are name-like: not titles,
    office shorthand, words the document writes in lower case (`Miss Votes`, `Bush
    Meeting`), or (after a post) places or bodies to the model."""
    name_end = start
    for word in re.finditer(r"\S+", text[start:end]):
        token = word.group().rstrip(".,;:")
        folded = token.casefold().removesuffix("'s").removesuffix("\u2019s")
        where = Span(start + word.start(), start + word.start() + len(token))
        if (not token[:1].isupper() or folded in NOT_NAME_WORDS or folded in stop_words()
                or folded in ordinary or any(o.overlaps(where) for o in others)
                or folded.removesuffix("'s").removesuffix("s") in OFFICE_WORDS):
            break
        if name_end > start and (_before_title(text, where.end) or (
                token.isupper() and not text[start:name_end].isupper())):
            break  # `Ali Mamlouk Syrian Ambassador`, `David Heyman NEA`: the next title's
            # modifier, or an office in capitals after a name in mixed case
        name_end = where.end
        if word.group() != token:
            break  # a comma or a full stop ends the name
    return Span(start, name_end) if name_end > start else None
