"""Addressee lines: the people a telegram is passed to, named in the lines under its captions.

    NSC FOR TSHANNON AND CBARTON
    DEPT FOR EUR/CE (GLANTZ, KARAGIANNIS)
    STATE PASS TO USTR FOR RVARGO, AMALITO
    STATE PASS TO USTR (VERONEAU, NOVELLI)
    FOR NEA/RA CONNY ARVIS AND JILL SHAUNFIELD, NEA/ELA MEGHAN
    GREGONIS

After `FOR`, a line lists offices (`WHA/CEN`, `POLAD`, `SOUTHCOM`) and people: full names,
surnames after a title (`ADMIRAL STAVRIDIS`) and user ids made of an initial and a surname
(`TSHANNON`), which no model reads as names. Everything that is not an office symbol, a title
or a function word is taken for a name: an office missing from the list below is redacted,
never a name left in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.base import NameLayer, NameScan
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.titles import NOT_NAME_WORDS
from redactor.detect.names.words import TITLE_WORDS, ordinary_words
from redactor.model import (
    Block,
    BlockKind,
    Finding,
    FindingKind,
    FoundBy,
    ParsedDocument,
    Span,
)
from redactor.vocabulary import OFFICE_WORDS

# Office symbols, agencies, commands and posts that telegrams are passed to (public
# organisation names, casefolded), and the words of passing instructions.
_OFFICE_WORDS = """
a af aid aiag atf au asean apec adb acs amconsul amembassy bureau ca cbp cdc centcom cg
cia cjcs cldp commerce consulate ct cftc d dao dea department dept desk dhs dia dni doc doe
doj dol dos dot drl ds e eap eb eca eeb embassy embassies enr eu eucom exim eximbank f fas
fbi fcc fcs fda fincen fpa fpu fsi ftc g gpa gtip h hhs hq hr ice iip ilab imf inl inr io
irs isn ita iv j jcs js jtf l legat loc m mcc mgt milgrp mission nato nea nga nic niv
northcom nsa nsc nss oas oasia obo odc odni oecd oes ofac ofm oia oig omb opic ops osce osd
ovp p pa pacom pas pc pd pepfar pm polad post posts ppr prm r s sca sct ses socom southcom
srap state t tda treasury treas u un unvie usaid uscentcom uscg uscis useu useucom usfj
usfk usmission usnato usoas usosce uspacom uspto usdoc usda ussouthcom ustda ustr usun
usareur usg vci wb white house wha who wto africom pdas das pol econ mgt rso datt ipr
offices office watchers team staff group unit division directorate section task force
eur sa np del cd iaea depsecdef usdp nec fed faa justice defense energy agriculture interior
labor board governors ttic uscs oio lac aa usdoc cfius ustdc ncis nasa noaa epa usgs dod
unesco unicef unhcr undp fao wfp ilo oecd paris london geneva brussels vienna rome
"""
OFFICES = frozenset(_OFFICE_WORDS.split()) | OFFICE_WORDS
_INSTRUCTION_WORDS = frozenset({"for", "pass", "please", "also", "to", "from", "attn",
                                "attention", "info", "action", "only", "and", "the", "of"})
_FOR = re.compile(r"(?:^|[ \t;,])(?:FOR|PASS[ \t]+TO)[ \t]+", re.MULTILINE)
_STOP = re.compile(r"E\.\s?O\.|\bEO\s+1\d{4}|\bTAGS\b|\bSUBJECT\b|\bDECL\b")
_ITEM = re.compile(r"[^,;()&:]+")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'.\-/]*")


class Addressees(NameLayer):
    """The people named in a telegram's addressee lines; the offices and instructions of
    those lines are hidden from the model."""

    found_by = FoundBy.ADDRESSEE_LINE

    def hide(self, parsed: ParsedDocument) -> list[Span]:
        return addressee_lines(parsed)[1]

    def find(self, scan: NameScan, found: list[Finding]) -> list[Finding]:
        return addressees(scan.parsed)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "named in an addressee line of the telegram"


def addressees(parsed: ParsedDocument) -> list[Finding]:
    """PERSON findings for the people named in a telegram's addressee lines."""
    return addressee_lines(parsed)[0]


def addressee_lines(parsed: ParsedDocument) -> tuple[list[Finding], list[Span]]:
    """The people named in a telegram's addressee lines, and what else those lines hold —
    posts, offices, instructions — to be hidden from the model, which takes `SOUTHCOM` or
    `RIO DE JANEIRO` for people."""
    names: list[Finding] = []
    offices: list[Span] = []
    ordinary = ordinary_words(parsed.document.text)
    for block, continued in _lines(parsed):
        found = list(_names(parsed, block, continued, ordinary))
        names.extend(found)
        offices.extend(_gaps(block.span, sorted((f.span for f in found), key=lambda s: s.start)))
    return names, offices


def _gaps(line: Span, names: list[Span]) -> Iterator[Span]:
    """The parts of the line outside the names."""
    cursor = line.start
    for span in names:
        if span.start > cursor:
            yield Span(cursor, span.start)
        cursor = max(cursor, span.end)
    if line.end > cursor:
        yield Span(cursor, line.end)


def _lines(parsed: ParsedDocument) -> Iterator[tuple[Block, bool]]:
    """Caption lines with a `FOR`, and the short lines that continue them."""
    if parsed.layout != "cable":
        return
    text = parsed.document.text
    previous: Block | None = None
    for block in parsed.blocks:
        if block.kind is not BlockKind.CAPTION:
            previous = None
            continue
        line = text[block.span.start:block.span.end]
        if _FOR.search(line):
            yield block, False
            previous = block
        elif previous is not None and _continues(line):
            yield block, True
        else:
            previous = None


def _continues(line: str) -> bool:
    """A short line of words in capitals and office paths only, right under an addressee line
    (`KWIRAM) AND S/CT`): the list goes on."""
    words = line.split()
    return 0 < len(words) <= 4 and all(_CONTINUING.fullmatch(w) for w in words)


_CONTINUING = re.compile(r"\(?[A-Z][A-Z/.\-]*[),;]?")


def _names(parsed: ParsedDocument, block: Block, continued: bool,
           ordinary: frozenset[str]) -> Iterator[Finding]:
    """`POST FOR A, B; POST FOR C`: what follows each `FOR` up to the next `;`, item by item,
    each item from its own last `FOR` (`ALSO FOR SOUTHCOM AMB. TRIVELLI`). What comes before
    a `FOR` is the post or office passing the message on (`RIO DE JANEIRO FOR RSO`)."""
    text = parsed.document.text
    end = block.span.end
    stop = _STOP.search(text, block.span.start, end)
    if stop is not None:
        end = stop.start()
    for segment in re.finditer(r"[^;]+", text[block.span.start:end]):
        start = block.span.start + segment.start()
        first = _FOR.search(text, start, block.span.start + segment.end())
        if first is None and not continued:
            continue
        yield from _items(text, block, first.end() if first else start,
                          block.span.start + segment.end(), ordinary)


def _items(text: str, block: Block, start: int, end: int,
           ordinary: frozenset[str]) -> Iterator[Finding]:
    for item in _ITEM.finditer(text, start, end):
        fors = list(_FOR.finditer(text, item.start(), item.end()))
        item_start = fors[-1].end() if fors else item.start()
        if _office_in_words(text[item_start:item.end()], ordinary):
            continue
        heads_a_list = text[item.end():item.end() + 1] == "("  # `DRL/NESCA (JOHNSTONE, …)`
        for span in name_spans(text, Span(item_start, item.end()), not heads_a_list):
            yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                          block_id=block.id, score=0.6, entity_type="PERSON",
                          detector="entities", found_by=FoundBy.ADDRESSEE_LINE)


def _office_in_words(item: str, ordinary: frozenset[str]) -> bool:
    """An office named in words: three words or more joined by AND or OF, each one a word the
    document writes in lower case (`ENVIRONMENT AND NATURAL RESOURCES`). A person's name made of
    English words (`BILL BANKS`, `FRANK WARD`) has no joiner, and is still taken."""
    tokens = [w.casefold() for w in _TOKEN.findall(item)]
    words = [w for w in tokens if w not in _INSTRUCTION_WORDS and w not in stop_words()]
    return (len(words) >= 3 and any(w in ("and", "of") for w in tokens)
            and all(w in ordinary for w in words))


def name_spans(text: str, item: Span, user_ids: bool = True) -> Iterator[Span]:
    """The runs of name tokens in one list item: what remains once offices, titles and
    instruction words are set aside. An office path's last part can be a person's user id
    (`USDA/FAS/ITP/FSTSD/BREHM`), unless the office heads a list of its people in brackets
    (`user_ids` False)."""
    run: list[Span] = []
    for token in _TOKEN.finditer(text, item.start, item.end):
        word = token.group()
        if "/" in word:
            tail = word.rsplit("/", 1)[1]
            yield from _named(text, run)
            is_id = user_ids and _user_id(tail)
            run = [Span(token.end() - len(tail), token.end())] if is_id else []
            continue
        if _is_name_token(word):
            run.append(Span(token.start(), token.end()))
            continue
        yield from _named(text, run)
        run = []
    yield from _named(text, run)


def _named(text: str, run: list[Span]) -> Iterator[Span]:
    """The run of name tokens as one name, unless it is only initials (`A`, `J.`)."""
    if any(sum(ch.isalpha() for ch in text[s.start:s.end]) > 1 for s in run):
        yield Span(run[0].start, run[-1].end)


def _is_name_token(token: str) -> bool:
    word = token.rstrip(".").casefold()
    if len(word) == 1:
        return word.isalpha()  # an initial (`G. ERICKSON`, `K WASHBURN`); never a name alone
    return not (word in OFFICES or word in _INSTRUCTION_WORDS or word in TITLE_WORDS
                or word in NOT_NAME_WORDS or word in stop_words() or len(word) < 3)


def _user_id(part: str) -> bool:
    """The last part of an office path that reads as a person's user id, not an office symbol:
    five letters or more, with a vowel, and no office (`OIA/GORLICK`, not `EUR/CE`, `S/CT`,
    `ITP/FSTSD`)."""
    return (len(part) >= 5 and part.isalpha() and any(c in "AEIOUYaeiouy" for c in part)
            and _is_name_token(part))
