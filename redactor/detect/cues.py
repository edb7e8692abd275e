"""Title cues: a capitalised word after a title or honorific is a name, whatever the model says.

`Ambassador Nuland`, `Deputy Foreign Minister Zhigalov`, `A/S Fried`, `Mr. Haddad`. The words
after the title are taken while they are capitalised and not titles, places or common words
themselves, up to three: `Minister of Foreign Affairs` names nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.stopwords import stop_words
from redactor.model import Finding, FindingKind, ParsedDocument, Span

TITLES = (
    "Ambassador", "Amb", "Minister", "President", "Vice President", "Secretary", "Senator",
    "Governor", "Mayor", "Judge", "Justice", "General", "Gen", "Admiral", "Adm", "Colonel",
    "Col", "Major", "Maj", "Captain", "Capt", "Lieutenant", "Lt", "Sergeant", "Sgt",
    "Commander", "Cdr", "Sheikh", "Sheik", "Prince", "Princess", "King", "Queen", "Emir",
    "Archbishop", "Bishop", "Cardinal", "Father", "Rabbi", "Imam", "Professor", "Prof",
    "Dr", "Mr", "Mrs", "Ms", "Miss", "Sir", "Dame", "Lord", "Lady", "Chairman", "Chairwoman",
    "Congressman", "Congresswoman", "Representative", "Rep", "Sen", "Deputy", "Director",
    "Commissioner", "Chancellor", "Premier", "Speaker", "Prosecutor", "Attorney General",
    "A/S", "DAS", "U/S", "PDAS", "Charge", "DCM", "Econoff", "Poloff", "Consul", "Consul General",
)
# Diplomatic shorthand for offices and roles, which the model takes for names: `Poloff gave
# the Ministry…`, `SecDef's arguments`. Casefolded; a plural `s` is also covered.
OFFICE_WORDS = frozenset({
    "poloff", "econoff", "emboff", "conoff", "laboff", "msnoff", "mgmtoff", "deptoff",
    "polmiloff", "poleconoff", "congenoff", "polcouns", "polcounselor", "econcouns",
    "mincouns", "polmincouns", "polchief", "econchief", "poldir", "secdef", "secstate",
    "secgen", "defmin", "fonmin", "congen", "permrep", "amcit", "amcham", "chod", "datt",
    "amb", "charge", "cda", "dcm", "rso", "pao", "refcoord", "ambassador", "ambassadors",
})
# Words that can follow a title without being a name.
_NOT_NAME_WORDS = frozenset(t.casefold() for t in TITLES) | frozenset({
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


def title_cues(parsed: ParsedDocument, text: str) -> Iterator[Finding]:
    """PERSON findings for the name words after a title in running text (lines in capitals
    are left to the model: `AMBASSADOR DISCUSSES …` names nobody)."""
    from redactor.detect.words import ordinary_words  # words.py imports this module

    ordinary = ordinary_words(parsed.document.text)
    position = 0
    while (match := _CUE.search(text, position)) is not None:
        position = match.start("name")  # `Deputy Foreign Minister X`: retry from `Foreign`
        span = _name_part(text, match, ordinary)
        if span is None:
            continue
        block = parsed.block_at(span.start)
        yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                      block_id=block.id if block else None, score=0.7, entity_type="PERSON",
                      explanation=f"after the title {match.group().split()[0]!r}",
                      found_by="title-cue")


def _name_part(text: str, match: re.Match[str], ordinary: frozenset[str]) -> Span | None:
    """The leading words of the match's name group that are name-like: not titles, office
    shorthand, or words the document writes in lower case (`Miss Votes`, `Bush Meeting`)."""
    start = match.start("name")
    end = start
    for word in re.finditer(r"\S+", match.group("name")):
        token = word.group().rstrip(".,;:")
        folded = token.casefold()
        if (folded in _NOT_NAME_WORDS or folded in stop_words() or folded in ordinary
                or folded.removesuffix("'s").removesuffix("s") in OFFICE_WORDS):
            break
        end = start + word.start() + len(token)
    return Span(start, end) if end > start else None


# An initial or two before a capitalised word: `S. Chanderpaul`, `J.R. Ewing`, `G. ERICKSON`.
# Not a lettered list item (`¶C. BEIJING 5237`, a reference: a place and a number).
_INITIALS = re.compile(
    r"(?<![\w.\u00b6])(?P<initials>[A-Z]\.(?:[ \t]?[A-Z]\.)?)[ \t]*"
    r"(?P<name>[A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*)(?![^\W\d_])")
# A lettered reference: a place in capitals and a number (`C. BEIJING 5237`).
_REFERENCE = re.compile(r"[ \t]+\d")
# Abbreviations that look like initials: places, unions, parts of company names.
_NOT_INITIALS = frozenset({"U.S.", "U.N.", "U.K.", "E.U.", "D.C.", "N.Y.", "L.A.", "S.A.",
                           "N.V.", "A.G.", "P.M.", "A.M.", "B.C.", "A.D.", "N.J.", "N.C.",
                           "S.C.", "U.A.E.", "R.I.", "P.O."})


def initial_cues(parsed: ParsedDocument, text: str) -> Iterator[Finding]:
    """PERSON findings for a capitalised word after initials, initials included. The word
    after a lone capital that ends a sentence (`plan B. The`) is a common word, and skipped."""
    for match in _INITIALS.finditer(text):
        initials = "".join(match.group("initials").split())
        name = match.group("name")
        folded = name.casefold()
        if initials in _NOT_INITIALS or folded in stop_words() or folded in _NOT_NAME_WORDS:
            continue
        if name.isupper() and _REFERENCE.match(text, match.end()):
            continue
        span = Span(match.start(), match.end())
        block = parsed.block_at(span.start)
        yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                      block_id=block.id if block else None, score=0.6, entity_type="PERSON",
                      explanation=f"a name after the initial {initials!r}",
                      found_by="initials")
