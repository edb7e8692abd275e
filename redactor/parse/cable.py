"""The telegram parser: routing header, classification line, captions, E.O./TAGS/SUBJECT/REF/
Classified By fields, numbered paragraphs with portion marks, page lines, signature, trailer.

The vocabulary of classification lines and captions comes from the policy (its banner and
caption markings), so a policy can teach the parser another marking scheme.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace

from redactor.model import Block, BlockKind, Span
from redactor.parse.structure import (
    PAGE_LINE,
    BlockIds,
    Line,
    match_number,
    parse_body,
    split_lines,
)
from redactor.policy.model import Policy

# Signs of a telegram. A memo has FM/TO/SUBJECT lines too, so one of the first four is needed.
_TELEGRAM_SIGNS = (
    re.compile(r"^VZCZC", re.M),
    re.compile(r"^[ \t]*E\.?[ \t]?O\.?[ \t]*1[123]\d{3}", re.M | re.I),
    re.compile(r"^[ \t]*TAGS\b", re.M | re.I),
    re.compile(r"\bSIPDIS\b"),
)
_SIGNS = (
    *_TELEGRAM_SIGNS,
    re.compile(r"^FM ", re.M),
    re.compile(r"^TO ", re.M),
    re.compile(r"^[ \t]*SUBJ(?:ECT)?[ \t]*:", re.M | re.I),
)
_GLUED_SIGN = re.compile(r"SIPDIS|E\.[ \t]?O\.[ \t]*1[123]\d{3}|TAGS:", re.I)
# A field label or paragraph 1 glued to the text before it, in a header run together.
_GLUED_FIELD = re.compile(
    r"E\.[ \t]?O\.[ \t]*1[123]\d{3}\b|(?<![A-Za-z])(?:TAGS|SUBJECT|REF|CLASSIFIED[ \t]+BY)[ \t]*:"
    r"|(?<=[ \t])\u00b6?1\.[ \t]*\([A-Z][A-Z/ -]{0,12}\)", re.I)
_GLUED_FIELD_LINES = 40
# A lettered list item at the start of a line, after a REF label if any: `REF: A.`, `(B)`, `C)`.
_LIST_ITEM = re.compile(r"[ \t]*(?:REF\w*[ \t]*:[ \t]*)?\u00b6?\(?([A-Z])[.)][ \t]", re.I)
# Words a wrapped SUBJECT line may end with: the subject goes on after a blank line.
_OPEN_WORDS = frozenset({"AND", "OF", "THE", "TO", "FOR", "IN", "ON", "AT", "WITH", "BY",
                         "FROM", "A", "AN", "&", "OR", "ITS", "AS"})
FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("E.O.", re.compile(r"^[ \t]*(?:E\.?[ \t]?O\.?|EO|MO\.)[ \t]*\d{4,5}", re.I)),
    ("TAGS", re.compile(r"^[ \t]*(?:TAGS|TAGE|TGS)\b", re.I)),
    ("SUBJECT", re.compile(r"^[ \t]*(?:SUBJECT|SUBJ|UBJECT)[ \t]*:", re.I)),
    ("REF", re.compile(r"^[ \t]*(?:REF(?:TEL|S)?|REFERENCES?|REF\(S\))[ \t]*:", re.I)),
    ("CLASSIFIED BY", re.compile(r"^[ \t]*(?:\d\.[ \t]*)?CLASSIFIED[ \t]+BY\b", re.I)),
)
_TRAILER = re.compile(r"^[ \t]*(?:NNNN|BT|YYY|=+[ \t]*CABLE ENDS[ \t]*=+|#\d+)[ \t]*$", re.I)
_SIGNATURE = re.compile(r"^[ \t]*[A-Z][A-Za-z'.-]+(?:[ \t]+[A-Z][A-Za-z'.-]*){0,3}[ \t]*$")
_HEAD = 10_000  # of the text from a telegram's start: more than looks_like_cable reads
_START_TRIES = 8  # signs of a telegram tried as the place a telegram after a preamble starts
_START_LOOKBACK = 12  # lines before such a sign where its routing or classification line is
_HEADER_SCAN = 250  # the classification line is within this many lines of the top
_SIGN_LINES = 40  # a classification line this near the top is a sign of a telegram
_GLUED_SCAN = 4000  # how far into a flattened line a classification line is looked for
_SECTION = r"SECTION[ \t]+\d+[ \t]+OF[ \t]+\d+"


def looks_like_cable(text: str, policy: Policy | None = None) -> bool:
    """Two signs of a telegram in the first lines; or, in text whose lines were run together, a
    classification line in the telegram form (level, origin, serial: `C O N F I D E N T I A L
    ANKARA 000348`) with SIPDIS, an E.O. line or TAGS glued to the text around them."""
    head = text[:6000]
    signs = sum(1 for sign in _SIGNS if sign.search(head))
    if not any(sign.search(head) for sign in _TELEGRAM_SIGNS):
        return False
    if policy is not None and signs < 2 and _GLUED_SIGN.search(head):
        full = _classification_line(policy)
        lines = split_lines(head[:_GLUED_SCAN])[:_SIGN_LINES]
        return full is not None and any(_search_glued(full, ln) for ln in lines)
    return signs >= 2


def cable_start(text: str, lines: list[Line], policy: Policy) -> int | None:
    """The line a telegram starts at: 0 when the text is one (looks_like_cable); else, in a
    text where a telegram follows other matter (a web page's menus, a cover note), its first
    routing line (VZCZC) or classification line before the first sign of a telegram, if the
    text from there is one; None when there is no telegram."""
    if looks_like_cable(text, policy):
        return 0
    signs = sorted(m.start() for sign in _TELEGRAM_SIGNS
                    for m in itertools.islice(sign.finditer(text), _START_TRIES))
    for offset in signs[:_START_TRIES]:
        at = bisect.bisect_right([ln.start for ln in lines], offset) - 1
        start = _telegram_top(lines[max(0, at - _START_LOOKBACK):at + 1], policy)
        head = text[lines[start].start:lines[start].start + _HEAD] if start else ""
        if start and looks_like_cable(head, policy):
            return start
    return None


def _telegram_top(window: list[Line], policy: Policy) -> int | None:
    """In the lines just before a sign of a telegram, the index of its first routing line,
    else of its classification line."""
    routing = next((ln.index for ln in window if _TELEGRAM_SIGNS[0].match(ln.text)), None)
    if routing is not None:
        return routing
    found = find_classification_line(renumbered(window), policy)
    if found is None:
        return None
    return next(ln.index for ln in window if ln.start <= found.start <= ln.end)


def renumbered(lines: list[Line]) -> list[Line]:
    """Lines indexed from 0 (a part of a text's lines, parsed on its own), offsets kept."""
    return [replace(ln, index=n) for n, ln in enumerate(lines)]


def field_of(line: Line) -> str | None:
    for name, pattern in FIELDS:
        if pattern.match(line.text):
            return name
    return None


def parse_cable(lines: list[Line], policy: Policy,
                ids: BlockIds | None = None) -> tuple[Block, ...]:
    """The blocks of a telegram (`lines` indexed from 0; `ids`: shared with the blocks of a
    preamble before it)."""
    ids = ids if ids is not None else BlockIds()
    banner = level_banner(policy)
    found = find_classification_line(lines, policy)
    if found is not None:
        lines, routing_end = split_at(lines, found)
    else:  # no classification line: the routing header runs to the first field
        routing_end = next((ln.index for ln in lines[:_HEADER_SCAN] if field_of(ln)), 0)
    blocks: list[Block] = []
    routing = [ln for ln in lines[:routing_end] if not ln.blank]
    if routing:
        blocks.append(Block("routing", BlockKind.ROUTING,
                            Span(routing[0].start, routing[-1].end)))
    position = routing_end
    if found is not None:
        blocks.append(Block(ids.next(BlockKind.BANNER), BlockKind.BANNER, lines[routing_end].span))
        position = routing_end + 1
    lines = split_glued_fields(lines, position)
    header, position = _header(lines, position, policy, ids)
    blocks.extend(header)
    end, tail = _tail(lines, position, banner, ids)
    page_line = _page_line(banner)
    blocks.extend(parse_body(lines[position:end], ids, page_line))
    blocks.extend(tail)
    return tuple(blocks)


def level_banner(policy: Policy) -> re.Pattern[str] | None:
    """A line that starts with a banner marking that sets a level (UNCLAS, C O N F I D E N T I A L,
    LIMITED OFFICIAL USE …): dissemination controls alone do not make a classification line."""
    alternatives = policy.alternation("banner", levels_only=True)
    return re.compile(rf"^[ \t]*(?:{alternatives})") if alternatives else None


def _classification_line(policy: Policy) -> re.Pattern[str] | None:
    """The telegram classification line: a level marking, any other banner markings (EFTO …),
    an optional SECTION nn OF nn, then the origin and the serial number."""
    level = policy.alternation("banner", levels_only=True)
    other = policy.alternation("banner")
    if level is None:
        return None
    # The repetition is possessive: markings whose forms overlap (plain and letter-spaced)
    # would otherwise be retried in every combination, exponentially in the line's length.
    return re.compile(
        rf"(?<![A-Za-z])(?:{level})(?:[ \t]*[/,]?[ \t]*(?:{other}))*+"
        rf"(?:[ \t]+(?i:{_SECTION}))?[ \t]+(?P<origin>(?i:[A-Z][A-Z .'-]{{1,40}}?))[ \t]*"
        rf"\d{{4,7}}(?!\d)")


def find_classification_line(lines: list[Line], policy: Policy) -> Span | None:
    """Where the classification line is: the first line of the header that starts with the full
    form (level, origin, serial); else such a form inside a line (text flattened onto one line);
    else the first line before the first field that starts with a level marking."""
    full = _classification_line(policy)
    head = _header_lines(lines)
    if full is not None:
        for line in head:
            match = full.match(line.text, _indent(line))
            if match and not _prose_after(line, match.end()):
                return line.span
        for line in head:
            found = _search_glued(full, line)
            if found is not None:
                return found
    banner = level_banner(policy)
    first_field = next((ln.index for ln in head if field_of(ln)), len(head))
    return next((ln.span for ln in head[:first_field]
                 if banner is not None and banner.match(ln.text)), None)


def _search_glued(full: re.Pattern[str], line: Line) -> Span | None:
    """The classification line inside a line, also glued to what precedes it (`…00C O N F I D E
    N T I A L CAIRO 008938`): each start after a non-letter is tried as if it began the text."""
    text = line.text[:_GLUED_SCAN]
    for start in re.finditer(r"(?<![A-Za-z])[A-Za-z]", text):
        match = full.match(text[start.start():])
        if match:
            return Span(line.start + start.start(), line.start + start.start() + match.end())
    return None


def _header_lines(lines: list[Line]) -> list[Line]:
    """The lines where a classification line may be: up to the first numbered paragraph."""
    head = lines[:_HEADER_SCAN]
    first = next((ln.index for ln in head if match_number(ln) is not None), len(head))
    return head[:first]


def _indent(line: Line) -> int:
    return len(line.text) - len(line.text.lstrip(" \t"))


def _prose_after(line: Line, end: int) -> bool:
    """A classification line ends with its serial number or goes on with header fields."""
    rest = line.text[end:].strip()
    return bool(re.match(r"[a-z]", rest))


def split_at(lines: list[Line], span: Span) -> tuple[list[Line], int]:
    """Lines with the classification line on a line of its own: a line holding it with other
    text (a flattened telegram) is cut into up to three lines. Returns the lines and its index."""
    at = next(ln for ln in lines if ln.start <= span.start < max(ln.end, ln.start + 1))
    if at.span == span:
        return lines, at.index
    cut = cut_lines(lines, {at.index: [span.start, span.end]})
    return cut, at.index + (1 if span.start > at.start else 0)


def cut_lines(lines: list[Line], cuts: dict[int, list[int]]) -> list[Line]:
    """The lines with some of them cut at the given offsets (into the document text)."""
    result: list[Line] = []
    for line in lines:
        offsets = sorted(o for o in cuts.get(line.index, ()) if line.start < o < line.end)
        bounds = [line.start, *offsets, line.end]
        for start, end in itertools.pairwise(bounds):
            if end > start or not offsets:
                text = line.text[start - line.start:end - line.start]
                result.append(Line(len(result), start, end, text))
    return result


def split_glued_fields(lines: list[Line], start: int) -> list[Line]:
    """Header lines that hold more than one field (`E.o. 12958: … Tags: … Subject: …`, a caption
    glued to the E.O. line, paragraph 1 glued to the last field) are cut before each field."""
    cuts: dict[int, list[int]] = {}
    for line in lines[start:start + _GLUED_FIELD_LINES]:
        if match_number(line) is not None:
            break
        found = [line.start + m.start() for m in _GLUED_FIELD.finditer(line.text)
                 if m.start() > _indent(line)]
        if found:
            cuts[line.index] = found
    return cut_lines(lines, cuts) if cuts else lines


def _caption_line(policy: Policy) -> re.Pattern[str] | None:
    """A line that starts with a caption marking: `SIPDIS`, or `SENSITIVE EEB FOR …` where
    the caption and the passing line share one line."""
    words = policy.alternation("caption")
    return re.compile(rf"^[ \t]*(?:{words})") if words else None


def _header(lines: list[Line], position: int, policy: Policy,
            ids: BlockIds) -> tuple[list[Block], int]:
    """Captions and fields after the classification line, up to the first paragraph."""
    blocks: list[Block] = []
    caption_line = _caption_line(policy)
    in_fields = False
    i = position
    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
            continue
        name = field_of(line)
        if name is not None:
            in_fields = True
            end = _field_end(lines, i, name)
            label = re.match(r"[^:]*:[ \t]*", line.text)
            body_start = line.start + (label.end() if label else 0)
            blocks.append(Block(ids.next(BlockKind.FIELD, name=name), BlockKind.FIELD,
                                Span(line.start, lines[end].end), field_name=name,
                                body=Span(body_start, lines[end].end)))
            i = end + 1
            continue
        if match_number(line) is not None:
            break
        is_caption = caption_line is not None and caption_line.match(line.text)
        if in_fields and not is_caption:
            break
        if not is_caption and len(line.text.strip()) > 100:
            break
        blocks.append(Block(ids.next(BlockKind.CAPTION), BlockKind.CAPTION, line.span))
        i += 1
    return blocks, i


def _field_end(lines: list[Line], start: int, name: str) -> int:
    """A field runs over the following lines until a blank line, a new field or a paragraph.
    A SUBJECT in capitals may go on after a blank line (a wrapped subject)."""
    end = start
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if line.blank:
            nxt = next((ln for ln in lines[i + 1:] if not ln.blank), None)
            if nxt is not None and (
                    (name == "SUBJECT" and _continues_subject(lines[end], nxt))
                    or (name == "REF" and _continues_list(lines[start:end + 1], nxt))):
                i = nxt.index
                continue
            break
        if field_of(line) or match_number(line) or PAGE_LINE.match(line.text):
            break
        end = i
        i += 1
    return end


def _continues_subject(previous: Line, line: Line) -> bool:
    if field_of(line) or match_number(line) or PAGE_LINE.match(line.text):
        return False
    letters = [ch for ch in line.text if ch.isalpha()]
    upper = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)
    last = previous.text.split()[-1] if previous.text.split() else ""
    return upper and (last.endswith((",", "-", ":")) or last.upper() in _OPEN_WORDS)


def _continues_list(field: list[Line], line: Line) -> bool:
    """A lettered REF list goes on after a blank line with its next letter: (A) … (B) …"""
    letters = [m.group(1).upper() for ln in field if (m := _LIST_ITEM.match(ln.text))]
    nxt = _LIST_ITEM.match(line.text)
    if not letters or nxt is None:
        return False
    return ord(nxt.group(1).upper()) == ord(letters[-1]) + 1


def _tail(lines: list[Line], start: int, banner: re.Pattern[str] | None,
          ids: BlockIds) -> tuple[int, list[Block]]:
    """Signature and trailer at the end: returns where the body ends and their blocks."""
    tail: list[Block] = []
    end = len(lines)
    while end > start and lines[end - 1].blank:
        end -= 1
    while end > start:
        line = lines[end - 1]
        if line.blank:
            end -= 1
        elif _TRAILER.match(line.text):
            tail.insert(0, Block(ids.next(BlockKind.TRAILER), BlockKind.TRAILER, line.span))
            end -= 1
        elif banner is not None and banner.match(line.text) and len(line.text.strip()) <= 60:
            tail.insert(0, Block(ids.next(BlockKind.BANNER), BlockKind.BANNER, line.span))
            end -= 1
        else:
            break
    signature = _signature_lines(lines, start, end)
    if signature:
        span = Span(signature[0].start, signature[-1].end)
        tail.insert(0, Block("signature", BlockKind.SIGNATURE, span, body=span))
        end = signature[0].index
    return end, tail


def _signature_lines(lines: list[Line], start: int, end: int) -> list[Line]:
    """The last one or two lines of the body when they are short runs of capitalised words
    after a blank line or the end of a sentence (`remains to be seen.` / `KAPLAN`), or a
    lone surname in capitals after anything."""
    texts = [ln for ln in lines[start:end] if not ln.blank][-3:]
    for size in (2, 1):
        if len(texts) <= size:
            continue
        candidate, before = texts[-size:], texts[-size - 1]
        closed = (lines[candidate[0].index - 1].blank
                  or before.text.rstrip().endswith((".", '"', ")", "!", "?", "\u201d"))
                  or _is_surname(candidate[-1]))
        if closed and all(_is_signature(ln) for ln in candidate):
            return candidate
    return []


def _is_surname(line: Line) -> bool:
    """A last line that is one word in capitals (`LEBARON`): a chief of mission's signature."""
    text = line.text.strip()
    return text.isalpha() and text.isupper() and len(text) >= 4


def _is_signature(line: Line) -> bool:
    text = line.text.strip()
    return len(text) <= 40 and bool(_SIGNATURE.match(text)) and not text.endswith(":")


def _page_line(banner: re.Pattern[str] | None) -> re.Pattern[str]:
    """Page lines, and the classification line repeated at the top of a later section."""
    if banner is None:
        return PAGE_LINE
    section = rf"(?:{banner.pattern}).{{0,40}}\bSECTION[ \t]+\d+[ \t]+OF[ \t]+\d+.{{0,40}}$"
    return re.compile(rf"(?:{PAGE_LINE.pattern})|(?:{section})", re.IGNORECASE)

