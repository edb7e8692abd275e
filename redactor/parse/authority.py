"""Classification authority and declassification lines → `Authority`.

Read from the text (both layouts): the E.O. line of a telegram (`E.O. 12958: DECL: 08/21/2018`,
`EO 12958 N/A`), the `Classified By: <title> <name>; Reason(s): 1.4 (b), (d)` statement (a field,
paragraph 1, or a line of its own), the retroactive classification block of a FOIA release
(`Classified by DAS, A/GIS, DoS on 08/27/2015 — Class: CONFIDENTIAL — Reason: 1.4(B), 1.4(D) —
Declassify on: 12/04/2029`), `DECL:` / `Declassify on:` dates and events, and exemption codes
(`25X1`, `50X1-HUM`, legacy `X6` in a reason list).

The classifier's name is personal data: it is never kept. Only known titles and office symbols
found in the statement are (`Ambassador`, `DCM`, `A/GIS`), so nothing else can leak through.
"""

from __future__ import annotations

import re

from redactor.model import Authority, Span

_EO = re.compile(
    r"(?<![A-Za-z])(?:E\.[ \t]?O\.|(?<![^\n])[ \t]*EO|E\.O)[ \t]*(?P<number>1[123]\d{3})(?!\d)"
    r"(?:[ \t]*:?[ \t]*(?P<date>\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d{1,2}/\d{1,2})(?!\d))?",
    re.I)
_DATE = r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d{1,2}/\d{1,2}|\d{4}-\d{2}-\d{2}"
_CODE = r"(?:25|50|75)X\d?(?:-[A-Z]{2,5})?|X[1-8]"
_DECL = re.compile(
    r"(?<![A-Za-z])(?i:DECL(?:ASSIFY)?(?:[ \t]+ON)?)(?![A-Za-z])[ \t]*(?P<colon>:)?[ \t]*"
    rf"(?P<value>{_DATE}|(?i:OADR)(?![A-Za-z])|MR(?![A-Za-z])|(?:{_CODE})(?![A-Za-z0-9])"
    r"|[A-Z]{2,}(?:[ \t]+[A-Z]{2,}){0,4})")
# Words that end an event-style DECL value run together with the next field.
_FIELD_WORDS = re.compile(r"[ \t]+(?:TAGS|SUBJECT|SUBJ|REF|CLASSIFIED|REASONS?)\b.*$")
_CLASSIFIED_BY = re.compile(r"(?<![A-Za-z])CLASSIFIED[ \t]+BY(?![A-Za-z])[ \t]*:?", re.I)
# The statement runs to a blank line, at most this many characters.
_STATEMENT = 320
_REASON_LIST = re.compile(
    r"(?<![\d.])1\.[45](?![\d])\.?(?:[\s\\]*(?:\(|\)|,|/|&|;(?=[ \t]*\(?[A-Ha-h]\b)|\band\b|"
    r"(?<![\d.])1\.[45](?!\d)|(?<![A-Za-z])[A-Ha-h](?![A-Za-z])"
    r"|(?<![A-Za-z])X[1-8](?![A-Za-z0-9])))*", re.I)
_REASON_WORD = re.compile(r"(?<![A-Za-z])REASONS?(?:\(S\))?(?![A-Za-z])[ \t]*:?", re.I)
# `Class:` and its level word, with one short line between them where OCR put a column there.
_CLASS = re.compile(
    r"(?<![A-Za-z])CLASS(?:IFICATION)?[ \t]*:[ \t]*(?:\r?\n[^\n]{0,40}\r?\n[ \t]*)?"
    r"(?P<level>TOP[ \t]+SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)(?![A-Za-z])", re.I)
_EXEMPTION = re.compile(r"(?<![A-Za-z0-9-])(?:25X[1-9]|50X[1-6](?:-[A-Z]{2,5})?|75X[1-9]?)"
                        r"(?![A-Za-z0-9])")
_TITLES = (
    "deputy chief of mission", "charge d'affaires a.i.", "charge d'affaires", "chargé d'affaires",
    "political minister counselor", "political minister-counselor", "minister counselor",
    "minister-counselor", "political counselor", "political counsellor", "economic counselor",
    "economic counsellor", "political officer", "economic officer", "principal officer",
    "public affairs officer", "regional security officer", "consul general", "consul",
    "deputy assistant secretary", "assistant secretary", "under secretary", "deputy secretary",
    "secretary of state", "deputy director", "office director", "director", "ambassador",
    "political chief", "pol/econ chief", "econ/pol chief", "pol chief", "econ chief",
    "section chief", "pol mincouns", "political mc", "econ mincouns", "polcouns", "pol couns",
    "econcouns", "econ couns", "poloff", "econoff", "pol/econ officer", "pol/econoff",
    "acting dcm", "a/dcm", "dcm", "cda", "amb", "com", "chief of mission", "das", "a/s",
    "p/e chief", "dos", "department of state",
)
_TITLE = re.compile(
    r"(?<![A-Za-z/])(?:" + "|".join(re.escape(t) for t in sorted(_TITLES, key=len, reverse=True))
    + r")(?![A-Za-z/])\.?", re.I)
_OFFICE = re.compile(r"(?<![A-Za-z/])[A-Z]{1,5}/[A-Z]{1,6}(?:/[A-Z]{1,6})?(?![A-Za-z/])")


def find_authority(text: str, start: int = 0) -> Authority | None:
    """The authority and declassification data of a text, read after `start` (a telegram's
    routing header holds none); None when there is none."""
    spans: list[Span] = []
    order = _first(_EO, text, start)
    executive_order = order.group("number") if order else None
    declassify_on = order.group("date") if order and order.group("date") else None
    if order:
        spans.append(Span(order.start(), order.end()))
    decl = next((m for m in _DECL.finditer(text, start) if _is_decl(m)), None)
    if decl and declassify_on is None:
        declassify_on = _FIELD_WORDS.sub("", decl.group("value")).strip() or None
    if decl:
        spans.append(Span(decl.start(), decl.end()))

    statements = [m for m in _CLASSIFIED_BY.finditer(text, start)
                  if _is_statement(text, m)]
    position = classification = None
    reasons: list[str] = []
    codes: list[str] = []
    for m in statements:
        end = _statement_end(text, m.end())
        window = text[m.end():end]
        spans.append(Span(m.start(), end))
        if position is None:
            position = _position(window)
        level = _CLASS.search(window)
        if level and classification is None:
            classification = re.sub(r"[ \t]+", " ", level.group("level")).upper()
        _reasons(window, reasons, codes)
    if not statements:  # a REASON: line of its own
        for m in _REASON_WORD.finditer(text, start, min(len(text), start + 20000)):
            window = text[m.end():_statement_end(text, m.end())]
            if _REASON_LIST.match(window.lstrip()):
                _reasons(window, reasons, codes)
                spans.append(Span(m.start(), m.end()))
                break
    for m in _EXEMPTION.finditer(text, start):
        if m.group() not in codes:
            codes.append(m.group())
    if decl and re.fullmatch(_CODE, decl.group("value")) and decl.group("value") not in codes:
        codes.append(decl.group("value"))
    authority = Authority(
        executive_order=executive_order, classified_by=bool(statements),
        classifier_position=position, classification=classification, reasons=tuple(reasons),
        declassify_on=declassify_on, exemptions=tuple(codes),
        spans=tuple(sorted(set(spans), key=lambda s: (s.start, s.end))))
    return None if authority.empty else authority


def _first(pattern: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    return pattern.search(text, start)


def _is_decl(match: re.Match[str]) -> bool:
    """A date, OADR or a code after DECL; words (an event: `TWENTY YEARS`) only after a colon,
    and never a release stamp that OCR put next to the keyword."""
    value = match.group("value")
    if re.fullmatch(rf"{_DATE}|OADR|MR|{_CODE}", value, re.I):
        return True
    return bool(match.group("colon")) and not re.match(r"RELEASE|ON\b|B\d", value)


def _is_statement(text: str, match: re.Match[str]) -> bool:
    """`Classified by` opens a statement when it starts a line (after a paragraph number or a
    portion mark), has a colon, or is followed by a reason or a `Class:` field; not in prose
    (`information classified by the agency`)."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[line_start:match.start()]
    if re.fullmatch(r"[ \t]*(?:\u00b6?[ \t]*\d{1,2}[A-Za-z]?\.)?[ \t]*(?:\([A-Z/]{1,6}\))?[ \t]*",
                    before):
        return True
    if match.group().rstrip().endswith(":"):
        return True
    window = text[match.end():_statement_end(text, match.end())]
    return bool(_REASON_LIST.search(window) or _CLASS.search(window))


def _statement_end(text: str, offset: int) -> int:
    blank = re.compile(r"\n[ \t]*\r?\n").search(text, offset, offset + _STATEMENT)
    return blank.start() if blank else min(len(text), offset + _STATEMENT)


def _position(window: str) -> str | None:
    """The titles and office symbols in the part of the statement before its reason, class or
    date: nothing else of it (the rest is the classifier's name)."""
    cut = len(window)
    for pattern in (_REASON_WORD, _REASON_LIST, _CLASS, re.compile(r"(?<![A-Za-z])on[ \t]+\d",
                                                                    re.I)):
        found = pattern.search(window)
        if found:
            cut = min(cut, found.start())
    head = window[:cut]
    titles = list(_TITLE.finditer(head))
    offices = [m for m in _OFFICE.finditer(head)
               if not any(t.start() <= m.start() < t.end() for t in titles)]
    words = sorted([(m.start(), m.group().rstrip(".")) for m in titles]
                   + [(m.start(), m.group()) for m in offices])
    parts: list[str] = []
    for _, part in words:
        if part.lower() not in (p.lower() for p in parts):
            parts.append(part)
    return ", ".join(parts) or None


def _reasons(window: str, reasons: list[str], codes: list[str]) -> None:
    """E.O. 1.4 (or, before 2003, 1.5) categories: `1.4 (b), (d)`, `1.5 (B/D)`, `1.4 b and d`,
    `1.4(B), 1.4(D)`; legacy exemptions in the list (`X6`) go to the codes."""
    for m in _REASON_LIST.finditer(window):
        section = "1.4"
        letters = 0
        for token in re.finditer(r"(?<![\d.])1\.[45](?!\d)|(?<![A-Za-z])X[1-8](?![A-Za-z0-9])"
                                 r"|(?<![A-Za-z])[A-Ha-h](?![A-Za-z])", m.group(), re.I):
            value = token.group()
            if value.startswith("1."):
                section = value
            elif value.upper().startswith("X"):
                if value.upper() not in codes:
                    codes.append(value.upper())
            else:
                letters += 1
                reason = f"{section}({value.lower()})"
                if reason not in reasons:
                    reasons.append(reason)
        if not letters and section not in reasons:
            reasons.append(section)
    # A bare section number is kept only when no statement gave its categories.
    reasons[:] = [r for r in reasons if "(" in r or not any(o.startswith(r + "(") for o in reasons)]
