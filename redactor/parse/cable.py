"""The telegram parser: routing header, classification line, captions, E.O./TAGS/SUBJECT/REF/
Classified By fields, numbered paragraphs with portion marks, page lines, signature, trailer.

The vocabulary of classification lines and captions comes from the policy (its banner and
caption markings), so a policy can teach the parser another marking scheme.
"""

from __future__ import annotations

import re

from redactor.model import Block, BlockKind, Span
from redactor.parse.structure import PAGE_LINE, BlockIds, Line, match_number, parse_body
from redactor.policy.model import Policy

_SIGNS = (
    re.compile(r"^VZCZC", re.M),
    re.compile(r"^FM ", re.M),
    re.compile(r"^TO ", re.M),
    re.compile(r"^[ \t]*E\.?[ \t]?O\.?[ \t]*1[12]\d{3}", re.M | re.I),
    re.compile(r"^[ \t]*TAGS\b", re.M | re.I),
    re.compile(r"^[ \t]*SUBJ(?:ECT)?[ \t]*:", re.M | re.I),
    re.compile(r"\bSIPDIS\b"),
)
FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("E.O.", re.compile(r"^[ \t]*(?:E\.?[ \t]?O\.?|EO|MO\.)[ \t]*\d{4,5}", re.I)),
    ("TAGS", re.compile(r"^[ \t]*(?:TAGS|TAGE|TGS)\b", re.I)),
    ("SUBJECT", re.compile(r"^[ \t]*(?:SUBJECT|SUBJ|UBJECT)[ \t]*:", re.I)),
    ("REF", re.compile(r"^[ \t]*(?:REF(?:TEL|S)?|REFERENCES?|REF\(S\))[ \t]*:", re.I)),
    ("CLASSIFIED BY", re.compile(r"^[ \t]*(?:\d\.[ \t]*)?CLASSIFIED[ \t]+BY\b", re.I)),
)
_TRAILER = re.compile(r"^[ \t]*(?:NNNN|BT|YYY|=+[ \t]*CABLE ENDS[ \t]*=+|#\d+)[ \t]*$", re.I)
_SIGNATURE = re.compile(r"^[ \t]*[A-Z][A-Za-z'.-]+(?:[ \t]+[A-Z][A-Za-z'.-]*){0,3}[ \t]*$")
_HEADER_SCAN = 250  # the classification line is within this many lines of the top


def looks_like_cable(text: str) -> bool:
    head = text[:6000]
    return sum(1 for sign in _SIGNS if sign.search(head)) >= 2


def field_of(line: Line) -> str | None:
    for name, pattern in FIELDS:
        if pattern.match(line.text):
            return name
    return None


def parse_cable(lines: list[Line], policy: Policy) -> tuple[Block, ...]:
    ids = BlockIds()
    banner = policy.banner_regex
    first_field = next((ln.index for ln in lines[:_HEADER_SCAN] if field_of(ln)), None)
    limit = first_field if first_field is not None else min(len(lines), _HEADER_SCAN)
    banner_at = next((ln.index for ln in lines[:limit]
                      if banner is not None and banner.match(ln.text)), None)
    blocks: list[Block] = []
    routing_end = banner_at if banner_at is not None else (first_field or 0)
    routing = [ln for ln in lines[:routing_end] if not ln.blank]
    if routing:
        blocks.append(Block("routing", BlockKind.ROUTING,
                            Span(routing[0].start, routing[-1].end)))
    position = routing_end
    if banner_at is not None:
        blocks.append(Block(ids.next(BlockKind.BANNER), BlockKind.BANNER, lines[banner_at].span))
        position = banner_at + 1
    header, position = _header(lines, position, policy, ids)
    blocks.extend(header)
    end, tail = _tail(lines, position, banner, ids)
    page_line = _page_line(banner)
    blocks.extend(parse_body(lines[position:end], ids, page_line))
    blocks.extend(tail)
    return tuple(blocks)


def _caption_line(policy: Policy) -> re.Pattern[str] | None:
    captions = policy.markings_at("caption")
    if not captions:
        return None
    words = "|".join(f"(?:{m.regex.pattern})" for m in captions)
    return re.compile(rf"^[ \t]*(?:(?:{words})[ \t,;/]*)+$", re.IGNORECASE)


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
            if (name == "SUBJECT" and nxt is not None and _continues_subject(lines[end], nxt)):
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
    return upper and previous.text.rstrip().endswith((",", "-", ":", "AND", "OF", "THE"))


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
    if end > start + 1 and lines[end - 2].blank and _is_signature(lines[end - 1]):
        line = lines[end - 1]
        tail.insert(0, Block("signature", BlockKind.SIGNATURE, line.span, body=line.span))
        end -= 1
    return end, tail


def _is_signature(line: Line) -> bool:
    text = line.text.strip()
    return len(text) <= 40 and bool(_SIGNATURE.match(text)) and not text.endswith(":")


def _page_line(banner: re.Pattern[str] | None) -> re.Pattern[str]:
    """Page lines, and the classification line repeated at the top of a later section."""
    if banner is None:
        return PAGE_LINE
    section = rf"(?:{banner.pattern}).{{0,40}}\bSECTION[ \t]+\d+[ \t]+OF[ \t]+\d+.{{0,40}}$"
    return re.compile(rf"(?:{PAGE_LINE.pattern})|(?:{section})", re.IGNORECASE)

