"""parse: Document → ParsedDocument (blocks with offsets, asides).

The cable parser is chosen for telegram-like text, the generic one for everything else;
`--format-hint` forces either.
"""

from __future__ import annotations

from redactor import formats
from redactor.model import BlockKind, Document, ParsedDocument
from redactor.parse.authority import find_authority
from redactor.parse.cable import cable_start, parse_cable, renumbered
from redactor.parse.generic import parse_generic
from redactor.parse.structure import BlockIds, find_asides, split_lines
from redactor.policy.model import Policy

LAYOUTS = ("auto", "cable", "generic")


def parse(document: Document, policy: Policy, hint: str = "auto") -> ParsedDocument:
    lines = split_lines(document.text)
    fmt = formats.FORMATS.get(document.format)
    markdown = fmt is not None and fmt.markup == "markdown"
    start = {"cable": 0, "generic": None}.get(hint, -1)
    if start == -1:  # auto: a telegram, from its first line or after a preamble
        start = cable_start(document.text, lines, policy)
    if start is None:
        layout, blocks = "generic", parse_generic(lines, policy, markdown)
    else:
        # A web page of a cable: its menus are a preamble, parsed as generic text, and
        # the telegram after them is parsed as one (its banner governs the page).
        ids = BlockIds()
        preamble = parse_generic(lines[:start], policy, markdown, ids) if start else ()
        layout = "cable"
        blocks = (*preamble, *parse_cable(renumbered(lines[start:]), policy, ids))
    # A telegram's routing header holds no authority lines (its serials are not dates).
    start = next((b.span.end for b in blocks if b.kind is BlockKind.ROUTING), 0)
    return ParsedDocument(document, layout, blocks, find_asides(document.text),
                          authority=find_authority(document.text, start))


__all__ = ["LAYOUTS", "find_authority", "parse"]
